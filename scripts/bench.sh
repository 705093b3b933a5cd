#!/usr/bin/env bash
# Load benchmark of the gateway's request paths, on loopback, against the local run (Azurite + the sandbox
# standing in for Snipcart and the provider + the gateway, all Release builds, logging at Warning).
#   scripts/bench.sh [seconds per scenario, default 15] [concurrency, default 20]
# Needs `hey` (apt-get install hey). Results: docs/benchmarks.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-15}"
concurrency="${2:-20}"
command -v hey >/dev/null || { echo "hey is missing: apt-get install hey" >&2; exit 1; }

export GATEWAY_PORT=7171 SANDBOX_PORT=7181 AZURITE_PORT=10012 CONFIGURATION=Release
export Logging__LogLevel__Default=Warning
gateway="http://localhost:$GATEWAY_PORT"
sandbox="http://localhost:$SANDBOX_PORT"
log="$(mktemp)"
setsid "$root/scripts/run-local.sh" >"$log" 2>&1 &
runner=$!
trap 'kill -TERM -- -$runner 2>/dev/null || true; wait $runner 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 240); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$gateway/api/health" || true)" = 200 ] && break
  sleep 0.5
done

# A real cart and public token from the sandbox's store, as Snipcart would make them.
cart='{"items":[{"productId":"dawn-print","quantity":1},{"productId":"starry-night","quantity":2}],"currency":"usd","language":"en","email":"bench@example.com","billingAddress":{"name":"Bench","country":"US"},"mode":"test"}'
checkout="$(curl -s -X POST "$sandbox/_sandbox/checkout" -H 'Content-Type: application/json' -d "$cart")"
session="$(node -e 'console.log(JSON.parse(process.argv[1]).sessionId)' "$checkout")"
location="$(curl -s -o /dev/null -w '%{redirect_url}' -X POST "$sandbox/_sandbox/sessions/$session/methods/sandboxpay")"
token="$(node -e 'console.log(new URL(process.argv[1].replace(/\?(?=.*\?)/, "&").replace(/([^?]*\?.*)\?/, "$1&")).searchParams.get("publicToken"))' "$location")"
webhook="$(node -e 'const c=JSON.parse(process.argv[1]); console.log(JSON.stringify({publicToken: process.argv[2], mode: "test", invoice: c.invoice}))' "$checkout" "$token")"

run() {
  local name="$1"; shift
  echo "== $name ($seconds s, $concurrency connections)"
  hey -z "${seconds}s" -c "$concurrency" "$@" | grep -E "Requests/sec|Average|Fastest|Slowest|  (50|90|99)% in|^ +\[[0-9]{3}\][[:space:]]+[0-9]+ responses"
}
run "GET /api/health (Table Storage ping)" "$gateway/api/health"
run "POST /api/snipcart/payment-methods (token validated with Snipcart)" -m POST -T application/json -d "$webhook" "$gateway/api/snipcart/payment-methods"
run "GET /api/checkout/session (session fetched from Snipcart)" "$gateway/api/checkout/session?publicToken=$token&provider=sandboxpay&mode=test"
run "GET /checkout/ (static page)" "$gateway/checkout/"
