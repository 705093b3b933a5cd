#!/usr/bin/env bash
# Cold start: time from process start to the first 200 on /api/health, 10 runs each of
#   (a) the published handler (self-contained, ReadyToRun, single file: what Azure runs) and
#   (b) `dotnet run --no-build` of the same app (what a developer runs).
# Starts its own Azurite (in memory) for storage. Prints both medians.
#   scripts/measure-cold-start.sh [runs]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-10}"
work="$(mktemp -d)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

[ -d "$root/node_modules/azurite" ] || (cd "$root" && npm ci --no-audit --no-fund)
table_port="$(free_port)"
node "$root/node_modules/azurite/dist/src/table/main.js" --tableHost 127.0.0.1 --tablePort "$table_port" \
  --inMemoryPersistence --disableTelemetry --skipApiVersionCheck >"$work/azurite.log" 2>&1 &
pids+=($!)
key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
export AzureWebJobsStorage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;TableEndpoint=http://127.0.0.1:$table_port/devstoreaccount1;"
export Gateway__PublicBaseUrl="http://localhost:7071"
export Snipcart__SecretKeys__Test=measure_test Snipcart__SecretKeys__Live=measure_live
export ASPNETCORE_ENVIRONMENT=Production
unset ASPNETCORE_URLS KeyVault__Uri || true

echo "Publishing and building (not timed)..." >&2
"$root/scripts/publish.sh" "$work/app" "$work/app.zip" >"$work/publish.log" 2>&1 || { cat "$work/publish.log"; exit 1; }
dotnet build "$root/functions" -c Release >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }

# Milliseconds from starting "$@" until GET /api/health answers 200 (gives up after 60 s).
time_to_healthy() {
  local port; port="$(free_port)"
  local start; start="$(date +%s%N)"
  FUNCTIONS_CUSTOMHANDLER_PORT="$port" "$@" >"$work/run.log" 2>&1 &
  local pid=$!
  while true; do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/health" || true)" = 200 ]; then break; fi
    if ! kill -0 "$pid" 2>/dev/null; then echo "process exited:" >&2; cat "$work/run.log" >&2; exit 1; fi
    if [ $(( ($(date +%s%N) - start) / 1000000 )) -gt 60000 ]; then echo "no 200 within 60 s:" >&2; tail -20 "$work/run.log" >&2; kill "$pid"; exit 1; fi
    sleep 0.02
  done
  local end; end="$(date +%s%N)"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo $(( (end - start) / 1000000 ))
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }

published=(); dotnetrun=()
for i in $(seq "$runs"); do
  published+=("$(time_to_healthy "$work/app/handler/SnipcartGateway")")
  dotnetrun+=("$(time_to_healthy dotnet run --no-build -c Release --project "$root/functions")")
  echo "run $i: published ${published[-1]} ms, dotnet run ${dotnetrun[-1]} ms" >&2
done
echo "published handler (self-contained, ReadyToRun, single file): median $(printf '%s\n' "${published[@]}" | median) ms  [${published[*]}]"
echo "dotnet run --no-build:                                       median $(printf '%s\n' "${dotnetrun[@]}" | median) ms  [${dotnetrun[*]}]"
