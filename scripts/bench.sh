#!/usr/bin/env bash
# Load benchmark of Snipcart's payment-methods webhook, all on loopback, one run for three apps on ONE fake upstream
# (bench/fake-upstream.js: Snipcart's validate endpoint, answered at once):
#   gateway  the published Function App under the Functions host (func-host), as it deploys, telemetry off;
#   otel     the same package under its own host with OTEL_EXPORTER_OTLP_ENDPOINT (http/protobuf) set: telemetry on,
#            exported to the fake upstream, which takes OTLP too;
#   bare     bench/BareFunctionApp under the same host: read the token, one validate call, answer a JSON array;
#   direct   bench/DirectWorker: the gateway's PaymentMethodsApi and AddGateway on plain Kestrel, no host.
# Rounds are interleaved (gateway, bare, direct at 16 then 64 connections, per round) so that load from other work
# on the machine hits all three alike; the summary gives medians per app and the gateway/bare ratio.
# Also prints RSS of each host and worker after warm-up and after the load, and the log lines each host printed
# per webhook request.
#   scripts/bench.sh [seconds per run, default 3] [rounds, default 7]
# BENCH_SKIP_PUBLISH=1 reuses artifacts/bench/* from an earlier run. BENCH_GATEWAY_SETTINGS="Name=value ..." adds app
# settings to the gateway and the direct worker only; BENCH_GATEWAY_APP=folder runs another published gateway (e.g. an
# older commit's) as "gateway" (to try e.g. Logging__LogLevel__SnipcartGateway=Warning). BENCH_TRACE=folder also takes
# a 10 s CPU-sampling trace (dotnet-trace, `dotnet tool install -g dotnet-trace`) of the gateway's and the bare
# app's workers under load after the warm-up, counts the requests and the worker's CPU in that window, and prints
# each one's top functions (docs/benchmarks.md, "Profile"). CPU per request is given for host + worker and for the
# worker alone.
# Needs hey (apt-get install hey).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-3}"
rounds="${2:-7}"
connections=(16 64)
command -v hey >/dev/null || { echo "hey is missing: apt-get install hey" >&2; exit 1; }
func_host="${FUNC_HOST:-$root/../shared/tools/functions-host/func-host}"
[ -x "$func_host" ] || { echo "no Functions host at $func_host" >&2; exit 1; }
out="$root/artifacts/bench"
work="$(mktemp -d)"

groups=()
cleanup() {
  trap - EXIT INT TERM
  # Each host is a process-group leader (setsid) and starts its worker as a child: stop the whole group.
  for pgid in "${groups[@]}"; do kill -TERM -- "-$pgid" 2>/dev/null || true; done
  sleep 2
  for pgid in "${groups[@]}"; do kill -KILL -- "-$pgid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

if [ "${BENCH_SKIP_PUBLISH:-}" != 1 ] || [ ! -f "$out/direct/DirectWorker.dll" ]; then
  echo "Publishing gateway, bare function app and direct worker (Release; not timed)..." >&2
  "$root/scripts/publish.sh" "$out/gateway" "$work/gateway.zip" >/dev/null
  for app in BareFunctionApp DirectWorker; do
    rm -rf "$out/${app,,}"
    dotnet publish "$root/bench/$app" -c Release -p:DebugType=none -nologo -v quiet -o "$out/${app,,}" | grep -v NU1603 || true
  done
  mv "$out/barefunctionapp" "$out/bare"; rm -rf "$out/direct"; mv "$out/directworker" "$out/direct"
fi

# Azurite, blob + queue + table (the host keeps its locks and timer state in blobs), in memory.
blob="$(free_port)"; queue="$(free_port)"; table="$(free_port)"
setsid node "$root/node_modules/azurite/dist/src/azurite.js" --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
  --blobPort "$blob" --queuePort "$queue" --tablePort "$table" --inMemoryPersistence --silent --skipApiVersionCheck \
  --disableTelemetry >"$work/azurite.log" 2>&1 &
groups+=($!)
key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
export AzureWebJobsStorage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"

upstream_port="$(free_port)"
setsid node "$root/bench/fake-upstream.js" "$upstream_port" >"$work/upstream.log" 2>&1 &
groups+=($!)

# What Azure runs: Production, app settings as environment variables; the same for all three apps.
export AZURE_FUNCTIONS_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production FUNCTIONS_WORKER_RUNTIME=dotnet-isolated
export Snipcart__ApiBaseUrl="http://127.0.0.1:$upstream_port/api"
export Snipcart__SecretKeys__Test=bench_test_secret Snipcart__SecretKeys__Live=bench_live_secret
export Providers__SandboxPay__Enabled=true Providers__SandboxPay__Test__BaseUrl="http://127.0.0.1:$upstream_port/sandboxpay"
export Providers__SandboxPay__Test__SecretKey=sp_bench Providers__SandboxPay__Test__SigningSecret=sp_bench_signing
unset ASPNETCORE_URLS KeyVault__Uri || true

read -r -a gateway_settings <<<"${BENCH_GATEWAY_SETTINGS:-}"
declare -A port
port[gateway]="$(free_port)"; port[otel]="$(free_port)"; port[bare]="$(free_port)"; port[direct]="$(free_port)"
start_host() { # name app-folder
  mkdir -p "$work/$1-state"
  local extra=()
  [ "$1" = gateway ] && extra=("${gateway_settings[@]}")
  [ "$1" = otel ] && extra=("${gateway_settings[@]}" OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$upstream_port" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf)
  env "${extra[@]}" FUNC_HOST_STATE="$work/$1-state" AzureFunctionsWebHost__hostid="bench-$1-$RANDOM" Gateway__PublicBaseUrl="http://localhost:${port[$1]}" \
    setsid "$func_host" "$2" "${port[$1]}" >"$work/$1.log" 2>&1 &
  groups+=($!)
  eval "pid_$1=$!"
}
echo "load before start: $(load); gateway settings added: ${gateway_settings[*]:-(none)}" >&2
start_host gateway "${BENCH_GATEWAY_APP:-$out/gateway}"
start_host otel "${BENCH_GATEWAY_APP:-$out/gateway}"
start_host bare "$out/bare"
env "${gateway_settings[@]}" Gateway__PublicBaseUrl="http://localhost:${port[direct]}" ASPNETCORE_URLS="http://127.0.0.1:${port[direct]}" \
  setsid dotnet "$out/direct/DirectWorker.dll" >"$work/direct.log" 2>&1 &
groups+=($!)
pid_direct=$!

for name in gateway otel bare direct; do
  for i in $(seq 480); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${port[$name]}/api/health" || true)" = 200 ] && break
    [ "$i" = 480 ] && { echo "$name did not answer 200 on /api/health within 120 s:" >&2; tail -30 "$work/$name.log" >&2; exit 1; }
    sleep 0.25
  done
done
echo "all three answer /api/health" >&2

# A Snipcart-shaped payment-methods body (about 1 KB), the same for all three.
body="$work/body.json"
cat >"$body" <<'JSON'
{"publicToken":"bench_public_token_0123456789abcdef","mode":"test","invoice":{"shippingAddress":{"name":"Bench Shopper","streetAndNumber":"1 Test Street","postalCode":"10001","country":"US","city":"New York","region":"NY"},"billingAddress":{"name":"Bench Shopper","streetAndNumber":"1 Test Street","postalCode":"10001","country":"US","city":"New York","region":"NY"},"email":"bench@example.com","language":"en","currency":"usd","amount":139.5,"targetId":"bench-target","items":[{"name":"Dawn print","unitPrice":39.5,"quantity":1,"type":"Physical","rateOfTaxIncludedInPrice":0,"amount":39.5},{"name":"Starry night","unitPrice":50,"quantity":2,"type":"Physical","rateOfTaxIncludedInPrice":0,"amount":100}]}}
JSON
url() { echo "http://127.0.0.1:${port[$1]}/api/snipcart/payment-methods"; }
for name in gateway otel bare direct; do
  answer="$(curl -s -w ' %{http_code}' -X POST -H 'Content-Type: application/json' --data-binary @"$body" "$(url "$name")")"
  echo "$name answers: $answer" >&2
  [ "${answer##* }" = 200 ] || { echo "$name does not answer 200" >&2; tail -30 "$work/$name.log" >&2; exit 1; }
done

# RSS (MB) of a host (the process group leader's dotnet) and of its worker (the dotnet child running the app dll).
rss_mb() { [ -n "$1" ] && ps -o rss= -p "$1" | awk '{printf "%.0f", $1/1024}' || echo "-"; }
worker_of() { pgrep -g "$1" -f "$2" | head -1 || true; }
report_rss() {
  local gw_worker bare_worker
  gw_worker="$(worker_of "$pid_gateway" 'SnipcartGateway.dll')"; bare_worker="$(worker_of "$pid_bare" 'BareFunctionApp.dll')"
  otel_worker="$(worker_of "$pid_otel" 'SnipcartGateway.dll')"
  echo "RSS $1: gateway host $(rss_mb "$pid_gateway") MB + worker $(rss_mb "$gw_worker") MB; otel host $(rss_mb "$pid_otel") MB + worker $(rss_mb "$otel_worker") MB; bare host $(rss_mb "$pid_bare") MB + worker $(rss_mb "$bare_worker") MB; direct $(rss_mb "$pid_direct") MB"
}

# CPU time (clock ticks, user + system) used so far by every process in a process group: host and worker, or direct.
cpu_ticks() { local t=0 p; for p in $(pgrep -g "$1"); do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo "$t"; }
pid_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
declare -A group worker_dll=([gateway]=SnipcartGateway.dll [otel]=SnipcartGateway.dll [bare]=BareFunctionApp.dll [direct]=DirectWorker.dll)
hey_run() { # name connections seconds -> "rps p50_ms p99_ms non200 server_cpu_ms_per_request worker_cpu_ms_per_request"
  local before after worker worker_before worker_after
  # Stop rather than report a dead app's connection errors as throughput.
  kill -0 "${group[$1]}" 2>/dev/null || { echo "$1 is no longer running; its output:" >&2; tail -20 "$work/$1.log" >&2; exit 1; }
  # The worker alone too (for direct: the whole app), to tell the host's share from the worker's.
  worker="$(worker_of "${group[$1]}" "${worker_dll[$1]}")"
  before="$(cpu_ticks "${group[$1]}")"; worker_before="$(pid_ticks "$worker")"
  hey -z "${3}s" -c "$2" -m POST -T application/json -D "$body" "$(url "$1")" >"$work/hey.txt"
  after="$(cpu_ticks "${group[$1]}")"; worker_after="$(pid_ticks "$worker")"
  awk -v ticks=$((after - before)) -v wticks=$((worker_after - worker_before)) -v hz="$(getconf CLK_TCK)" '/Requests\/sec/ {rps=$2}
       /  50% in/ {p50=$3*1000} /  99% in/ {p99=$3*1000}
       /^Status code distribution/ {section="status"} /^Error distribution/ {section="errors"}
       /^ +\[[0-9]+\]/ {n=$1; gsub(/[][]/, "", n); if (section=="status") {all += $2; if (n != 200) bad += $2}; if (section=="errors") bad += n}
       END {printf "%.0f %.1f %.1f %d %.2f %.2f\n", rps, p50, p99, bad+0, all ? ticks*1000/hz/all : 0, all ? wticks*1000/hz/all : 0}' "$work/hey.txt"
}

group[gateway]=$pid_gateway; group[otel]=$pid_otel; group[bare]=$pid_bare; group[direct]=$pid_direct
echo "warm-up: 3 s each at 16 connections (load $(load))" >&2
for name in gateway otel bare direct; do hey_run "$name" 16 3 >/dev/null; done
report_rss "after warm-up"

if [ -n "${BENCH_TRACE:-}" ]; then
  mkdir -p "$BENCH_TRACE"
  trace_tool="$(command -v dotnet-trace || echo "$HOME/.dotnet/tools/dotnet-trace")"
  for name in gateway bare; do
    dll="$([ "$name" = gateway ] && echo SnipcartGateway.dll || echo BareFunctionApp.dll)"
    worker="$(worker_of "${group[$name]}" "$dll")"
    # The trace (14 s) covers a load of exactly 10 s, whose requests and worker CPU are counted, so that profile
    # shares can be read as CPU ms per request (bench/profile-cpu.py --ms-per-request); the idle seconds around it
    # are waits, which the script leaves out.
    "$trace_tool" collect -p "$worker" --profile dotnet-sampled-thread-time --duration 00:00:00:14 -o "$BENCH_TRACE/$name.nettrace" >/dev/null </dev/null &
    trace_pid=$!
    sleep 3
    worker_before="$(pid_ticks "$worker")"; host_before="$(pid_ticks "${group[$name]}")"
    hey -z 10s -c 16 -m POST -T application/json -D "$body" "$(url "$name")" >"$BENCH_TRACE/$name.hey.txt"
    worker_after="$(pid_ticks "$worker")"; host_after="$(pid_ticks "${group[$name]}")"
    wait "$trace_pid" || true
    requests="$(awk '/^ +\[200\]/ {print $2}' "$BENCH_TRACE/$name.hey.txt")"
    awk -v r="${requests:-0}" -v w=$((worker_after - worker_before)) -v h=$((host_after - host_before)) -v hz="$(getconf CLK_TCK)" \
      'BEGIN {printf "traced: %d requests in 10 s; CPU per request: worker %.3f ms, host %.3f ms\n", r, r ? w*1000/hz/r : 0, r ? h*1000/hz/r : 0}' \
      | tee "$BENCH_TRACE/$name.cpu.txt"
    echo "== profile of the $name worker (10 s at 16 connections): top functions by exclusive, then inclusive samples"
    "$trace_tool" report "$BENCH_TRACE/$name.nettrace" topN -n 25 2>&1 | head -40
    "$trace_tool" report "$BENCH_TRACE/$name.nettrace" topN -n 40 --inclusive 2>&1 | head -55
  done
fi

# Log lines per webhook request: what each process printed during exactly 2000 requests.
for name in gateway otel bare direct; do
  before="$(wc -l <"$work/$name.log")"
  hey -n 2000 -c 16 -m POST -T application/json -D "$body" "$(url "$name")" >/dev/null
  sleep 1
  after="$(wc -l <"$work/$name.log")"
  echo "log lines per request, $name: $(awk -v n=$((after - before)) 'BEGIN {printf "%.2f", n/2000}')"
done

results="$work/results.txt"
for round in $(seq "$rounds"); do
  # Alternate which app goes first, so that a trend in the machine's load does not favour one of them.
  if [ $((round % 2)) = 1 ]; then order=(gateway otel bare direct); else order=(bare otel gateway direct); fi
  for c in "${connections[@]}"; do
    for name in "${order[@]}"; do
      line="$(hey_run "$name" "$c" "$seconds")"
      echo "$round $name $c $line" >>"$results"
      echo "round $round, $name, $c connections: rps p50 p99 non200 cpu-ms/req worker-ms/req = $line (load $(load))" >&2
    done
  done
done
report_rss "after load"

echo
col() { awk -v n="$1" -v c="$2" -v k="$3" '$2==n && $3==c {print $k}' "$results"; }
echo "Medians of $rounds interleaved runs of $seconds s (requests/s, p50 ms, p99 ms, non-200 summed, CPU ms per request"
echo "of the app's own processes, i.e. host + worker, or the direct worker):"
printf '%-8s %5s %8s %8s %8s %8s %8s %10s\n' app conns req/s p50 p99 non200 cpu-ms worker-ms
for c in "${connections[@]}"; do
  for name in gateway otel bare direct; do
    printf '%-8s %5s %8s %8s %8s %8s %8s %10s\n' "$name" "$c" "$(col "$name" "$c" 4 | median)" "$(col "$name" "$c" 5 | median)" \
      "$(col "$name" "$c" 6 | median)" "$(col "$name" "$c" 7 | awk '{s+=$1} END {print s}')" "$(col "$name" "$c" 8 | median)" "$(col "$name" "$c" 9 | median)"
  done
  # Each round's gateway and bare runs are back to back: the median of their ratios is less load-sensitive than the
  # ratio of medians. CPU per request barely depends on how much of the machine other work takes: bare/gateway CPU
  # is the throughput ratio the two would have on a machine of their own (client and upstream aside).
  for k in 4 8 9; do
    ratios="$(awk -v c="$c" -v k="$k" '$3==c && $2=="gateway" {g[$1]=$k} $3==c && $2=="bare" {b[$1]=$k}
      END {for (r in g) if (b[r] > 0 && g[r] > 0) printf "%.2f\n", (k == 4 ? g[r]/b[r] : b[r]/g[r])}' "$results")"
    label="$([ "$k" = 4 ] && echo "gateway/bare throughput" || { [ "$k" = 8 ] && echo "bare/gateway CPU per request" || echo "bare/gateway CPU per request, worker alone"; })"
    echo "$label at $c connections: median of per-round ratios $(echo "$ratios" | median) [$(echo "$ratios" | sort -g | tr '\n' ' ')]"
  done
  # Telemetry's cost: the same package with OTLP export on, against it with telemetry off, round by round.
  for k in 4 8; do
    ratios="$(awk -v c="$c" -v k="$k" '$3==c && $2=="otel" {o[$1]=$k} $3==c && $2=="gateway" {g[$1]=$k}
      END {for (r in o) if (g[r] > 0 && o[r] > 0) printf "%.2f\n", (k == 4 ? o[r]/g[r] : g[r]/o[r])}' "$results")"
    label="$([ "$k" = 4 ] && echo "otel/gateway throughput" || echo "gateway/otel CPU per request")"
    echo "$label at $c connections: median of per-round ratios $(echo "$ratios" | median) [$(echo "$ratios" | sort -g | tr '\n' ' ')]"
  done
done
echo "load at the end: $(load)"
if [ -n "${BENCH_KEEP_LOGS:-}" ]; then cp "$work"/*.log "$BENCH_KEEP_LOGS"/; fi
