#!/usr/bin/env bash
# Resilience benchmark of Snipcart's payment-methods webhook with a fault-injecting proxy in front of Snipcart's API
# (bench/fault-proxy.js: by default 20 % answered 503, 10 % hung, 5 % reset, i.e. 35 % faults), all on loopback: the
# published gateway under the Functions host, Azurite, and bench/fake-upstream.js behind the proxy. Sends N webhook
# calls (hey, C at a time) and counts how many were answered 200 within the budget (Snipcart's wait; undocumented,
# 5 s assumed), how many got 502, how many ran out of time, and what the proxy did. Results: docs/resilience.md.
#   scripts/bench-faults.sh [requests, default 200] [connections, default 8]
# FAULT_503, FAULT_HANG, FAULT_RESET change the shares; BUDGET (s) the wait; BENCH_GATEWAY_APP=folder runs another
# published gateway (e.g. an older commit's); BENCH_SKIP_PUBLISH=1 reuses artifacts/bench-faults/gateway;
# BENCH_GATEWAY_SETTINGS="Name=value ..." adds app settings. Needs hey (apt-get install hey).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
requests="${1:-200}"
connections="${2:-8}"
budget="${BUDGET:-5}"
command -v hey >/dev/null || { echo "hey is missing: apt-get install hey" >&2; exit 1; }
func_host="${FUNC_HOST:-$root/../shared/tools/functions-host/func-host}"
[ -x "$func_host" ] || { echo "no Functions host at $func_host" >&2; exit 1; }
out="$root/artifacts/bench-faults"
work="$(mktemp -d)"
groups=()
cleanup() {
  trap - EXIT INT TERM
  for pgid in "${groups[@]}"; do kill -TERM -- "-$pgid" 2>/dev/null || true; done
  sleep 2
  for pgid in "${groups[@]}"; do kill -KILL -- "-$pgid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

app="${BENCH_GATEWAY_APP:-$out/gateway}"
if [ -z "${BENCH_GATEWAY_APP:-}" ] && { [ "${BENCH_SKIP_PUBLISH:-}" != 1 ] || [ ! -f "$app/SnipcartGateway.dll" ]; }; then
  echo "Publishing the gateway (Release; not timed)..." >&2
  "$root/scripts/publish.sh" "$app" "$work/gateway.zip" >/dev/null
fi

blob="$(free_port)"; queue="$(free_port)"; table="$(free_port)"
setsid node "$root/node_modules/azurite/dist/src/azurite.js" --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
  --blobPort "$blob" --queuePort "$queue" --tablePort "$table" --inMemoryPersistence --silent --skipApiVersionCheck \
  --disableTelemetry >"$work/azurite.log" 2>&1 &
groups+=($!)
key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
export AzureWebJobsStorage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"

upstream_port="$(free_port)"; proxy_port="$(free_port)"; gateway_port="$(free_port)"
setsid node "$root/bench/fake-upstream.js" "$upstream_port" >"$work/upstream.log" 2>&1 &
groups+=($!)
setsid node "$root/bench/fault-proxy.js" "$proxy_port" "http://127.0.0.1:$upstream_port" \
  "${FAULT_503:-0.20}" "${FAULT_HANG:-0.10}" "${FAULT_RESET:-0.05}" >"$work/proxy.log" 2>&1 &
groups+=($!)
proxy_pid=$!

export AZURE_FUNCTIONS_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production FUNCTIONS_WORKER_RUNTIME=dotnet-isolated
export Snipcart__ApiBaseUrl="http://127.0.0.1:$proxy_port/api"
export Snipcart__SecretKeys__Test=bench_test_secret Snipcart__SecretKeys__Live=bench_live_secret
export Providers__SandboxPay__Enabled=true Providers__SandboxPay__Test__BaseUrl="http://127.0.0.1:$upstream_port/sandboxpay"
export Providers__SandboxPay__Test__SecretKey=sp_bench Providers__SandboxPay__Test__SigningSecret=sp_bench_signing
unset ASPNETCORE_URLS KeyVault__Uri || true
read -r -a extra <<<"${BENCH_GATEWAY_SETTINGS:-}"
env "${extra[@]}" FUNC_HOST_STATE="$work/state" AzureFunctionsWebHost__hostid="faults-$RANDOM" Gateway__PublicBaseUrl="http://localhost:$gateway_port" \
  setsid "$func_host" "$app" "$gateway_port" >"$work/gateway.log" 2>&1 &
groups+=($!)
for i in $(seq 480); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$gateway_port/api/health" || true)" = 200 ] && break
  [ "$i" = 480 ] && { echo "the gateway did not answer 200 on /api/health within 120 s:" >&2; tail -30 "$work/gateway.log" >&2; exit 1; }
  sleep 0.25
done

body="$work/body.json"
echo '{"publicToken":"bench_public_token_0123456789abcdef","mode":"test","invoice":{"currency":"usd","amount":139.5,"billingAddress":{"country":"US"}}}' >"$body"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); $requests calls, $connections at a time, budget ${budget} s, faults 503 ${FAULT_503:-0.20} hang ${FAULT_HANG:-0.10} reset ${FAULT_RESET:-0.05}" >&2
hey -n "$requests" -c "$connections" -t "$budget" -m POST -T application/json -D "$body" \
  "http://127.0.0.1:$gateway_port/api/snipcart/payment-methods" >"$work/hey.txt"
kill -TERM "$proxy_pid" 2>/dev/null || true
sleep 1

echo "== hey (requests over ${budget} s count as errors) =="
sed -n '/Summary/,/Requests\/sec/p;/Latency distribution/,/99%/p;/Status code distribution/,$p' "$work/hey.txt"
ok="$(awk '/^Status code distribution/ {s=1} s && /\[200\]/ {print $2}' "$work/hey.txt")"
echo "== answered 200 within ${budget} s: ${ok:-0} of $requests ($(awk -v a="${ok:-0}" -v n="$requests" 'BEGIN {printf "%.1f", 100*a/n}') %)"
echo "== fault proxy: $(tail -1 "$work/proxy.log")"
echo "== gateway log: calls refused by the breaker: $(grep -c 'circuit breaker is open' "$work/gateway.log" || true); 'Snipcart did not answer the token validation': $(grep -c 'did not answer the token validation' "$work/gateway.log" || true)"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
