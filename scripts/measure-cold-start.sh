#!/usr/bin/env bash
# Cold start of the gateway as it deploys, side by side with the bare isolated-worker app (bench/BareFunctionApp) under
# the same host in the same run: time from starting the Functions host (func-host) on the published app to the first
# 200 answer to Snipcart's payment-methods webhook (one validate call to bench/fake-upstream.js), the two apps
# alternating run by run; prints each run, the medians, the machine's load before each run, and the RSS of host and
# worker at their first 200.
# Starts its own Azurite (blob + queue + table, in memory) and gives every run a fresh host state folder and host id,
# so no run reuses another's keys or locks. The publish is not timed.
#   scripts/measure-cold-start.sh [runs, default 5]
# BENCH_SKIP_PUBLISH=1 reuses artifacts/bench/gateway and bare from scripts/bench.sh; BENCH_KEEP_LOGS=folder keeps each run's
# host output there.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-5}"
func_host="${FUNC_HOST:-$root/../shared/tools/functions-host/func-host}"
[ -x "$func_host" ] || { echo "no Functions host at $func_host" >&2; exit 1; }
out="$root/artifacts/bench"
work="$(mktemp -d)"
groups=()
cleanup() {
  trap - EXIT INT TERM
  for pgid in "${groups[@]}"; do kill -KILL -- "-$pgid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "${BENCH_KEEP_LOGS:-}" ]; then cp "$work"/run-*.log "$BENCH_KEEP_LOGS"/; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }
rss_mb() { [ -n "$1" ] && ps -o rss= -p "$1" | awk '{printf "%.0f", $1/1024}' || echo "-"; }

if [ "${BENCH_SKIP_PUBLISH:-}" != 1 ] || [ ! -f "$out/gateway/worker.config.json" ] || [ ! -f "$out/bare/worker.config.json" ]; then
  echo "Publishing (not timed)..." >&2
  "$root/scripts/publish.sh" "$out/gateway" "$work/gateway.zip" >/dev/null
  rm -rf "$out/bare"
  dotnet publish "$root/bench/BareFunctionApp" -c Release -p:DebugType=none -nologo -v quiet -o "$out/bare" | grep -v NU1603 || true
fi
upstream_port="$(free_port)"
setsid node "$root/bench/fake-upstream.js" "$upstream_port" >"$work/upstream.log" 2>&1 &
groups+=($!)

blob="$(free_port)"; queue="$(free_port)"; table="$(free_port)"
setsid node "$root/node_modules/azurite/dist/src/azurite.js" --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
  --blobPort "$blob" --queuePort "$queue" --tablePort "$table" --inMemoryPersistence --silent --skipApiVersionCheck \
  --disableTelemetry >"$work/azurite.log" 2>&1 &
groups+=($!)
key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
export AzureWebJobsStorage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$table/" && break; sleep 0.1; done
# What Azure runs: Production; the Snipcart settings the worker validates at start (no call to Snipcart is made).
export AZURE_FUNCTIONS_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production FUNCTIONS_WORKER_RUNTIME=dotnet-isolated
export Snipcart__SecretKeys__Test=measure_test Snipcart__SecretKeys__Live=measure_live Snipcart__ApiBaseUrl="http://127.0.0.1:$upstream_port/api"
export Providers__SandboxPay__Enabled=true Providers__SandboxPay__Test__BaseUrl="http://127.0.0.1:$upstream_port/sandboxpay"
export Providers__SandboxPay__Test__SecretKey=sp_measure Providers__SandboxPay__Test__SigningSecret=sp_measure_signing
body='{"publicToken":"measure_public_token_0123456789","mode":"test","invoice":{"currency":"usd","amount":10,"billingAddress":{"country":"US"}}}'
first_answer() { curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$1/api/snipcart/payment-methods" || true; }
unset ASPNETCORE_URLS KeyVault__Uri || true

declare -A times
for i in $(seq "$runs"); do
  if [ $((i % 2)) = 1 ]; then order=(gateway bare); else order=(bare gateway); fi
  for name in "${order[@]}"; do
    port="$(free_port)"
    mkdir -p "$work/state-$name-$i"
    loadavg="$(cut -d' ' -f1 /proc/loadavg)"
    start="$(date +%s%N)"
    FUNC_HOST_STATE="$work/state-$name-$i" AzureFunctionsWebHost__hostid="coldstart-$name-$i-$RANDOM" Gateway__PublicBaseUrl="http://localhost:$port" \
      setsid "$func_host" "$out/$name" "$port" >"$work/run-$name-$i.log" 2>&1 &
    pid=$!
    groups+=("$pid")
    while [ "$(first_answer "$port")" != 200 ]; do
      kill -0 "$pid" 2>/dev/null || { echo "the host exited:" >&2; tail -30 "$work/run-$name-$i.log" >&2; exit 1; }
      [ $(( ($(date +%s%N) - start) / 1000000 )) -lt 120000 ] || { echo "no 200 within 120 s:" >&2; tail -30 "$work/run-$name-$i.log" >&2; exit 1; }
      sleep 0.05
    done
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    times[$name]="${times[$name]:-} $ms"
    worker="$(pgrep -g "$pid" -f 'SnipcartGateway.dll|BareFunctionApp.dll' | head -1)"
    echo "run $i, $name: ${ms} ms (load before: $loadavg; RSS at first 200: host $(rss_mb "$pid") MB, worker $(rss_mb "$worker") MB)"
    # Killed outright: only the start is measured, and a TERM takes the host 10-30 s.
    kill -KILL -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
done
for name in gateway bare; do
  echo "$name: host start to first 200 on the payment-methods webhook: median $(printf '%s\n' ${times[$name]} | median) ms [${times[$name]# }]"
done
