#!/usr/bin/env bash
# Runs everything locally: Azurite (tables), the sandbox (simulated Snipcart + Sandbox Pay, demo store) and the
# gateway with the sandbox-only test provider. Ctrl-C stops all of them. Every setting below can be
# overridden from the environment, e.g. `GATEWAY_PORT=7072 ./scripts/run-local.sh`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

GATEWAY_PORT="${GATEWAY_PORT:-7071}"
SANDBOX_PORT="${SANDBOX_PORT:-7080}"
gateway_url="http://localhost:$GATEWAY_PORT"
sandbox_url="http://localhost:$SANDBOX_PORT"

pids=()
stop_all() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_all EXIT
trap 'exit 130' INT TERM

[ -d node_modules/azurite ] || npm ci --no-audit --no-fund

AZURITE_PORT="${AZURITE_PORT:-10002}"
local_storage="UseDevelopmentStorage=true"
if [ "$AZURITE_PORT" != 10002 ]; then
  # Azurite's well-known development account, on another port.
  local_storage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:$AZURITE_PORT/devstoreaccount1;"
fi
echo "Starting Azurite (tables on 127.0.0.1:$AZURITE_PORT, data in .azurite/)..."
node node_modules/azurite/dist/src/table/main.js --tableHost 127.0.0.1 --tablePort "$AZURITE_PORT" \
  --location .azurite --disableTelemetry &
pids+=($!)

CONFIGURATION="${CONFIGURATION:-Debug}"
dotnet build SnipcartGateway.slnx -c "$CONFIGURATION" -v quiet -nologo

echo "Starting the sandbox on $sandbox_url..."
Sandbox__PublicUrl="${Sandbox__PublicUrl:-$sandbox_url}" \
Sandbox__GatewayUrl="${Sandbox__GatewayUrl:-$gateway_url}" \
Sandbox__SecretKeys__Test="${Sandbox__SecretKeys__Test:-sandbox_test_secret}" \
Sandbox__SecretKeys__Live="${Sandbox__SecretKeys__Live:-sandbox_live_secret}" \
Sandbox__SandboxPay__SecretKey="${Sandbox__SandboxPay__SecretKey:-sp_test_secret}" \
Sandbox__SandboxPay__SigningSecret="${Sandbox__SandboxPay__SigningSecret:-sp_test_signing}" \
  dotnet run --no-build -c "$CONFIGURATION" --project sandbox/SnipcartGateway.Sandbox --urls "$sandbox_url" &
pids+=($!)

echo "Starting the gateway on $gateway_url..."
AzureWebJobsStorage="${AzureWebJobsStorage:-$local_storage}" \
Gateway__PublicBaseUrl="${Gateway__PublicBaseUrl:-$gateway_url}" \
Snipcart__ApiBaseUrl="${Snipcart__ApiBaseUrl:-$sandbox_url/api}" \
Snipcart__SecretKeys__Test="${Snipcart__SecretKeys__Test:-sandbox_test_secret}" \
Snipcart__SecretKeys__Live="${Snipcart__SecretKeys__Live:-sandbox_live_secret}" \
Providers__SandboxPay__Enabled="${Providers__SandboxPay__Enabled:-true}" \
Providers__SandboxPay__BaseUrl="${Providers__SandboxPay__BaseUrl:-$sandbox_url/sandboxpay}" \
Providers__SandboxPay__Test__SecretKey="${Providers__SandboxPay__Test__SecretKey:-sp_test_secret}" \
Providers__SandboxPay__Test__SigningSecret="${Providers__SandboxPay__Test__SigningSecret:-sp_test_signing}" \
  dotnet run --no-build -c "$CONFIGURATION" --project sandbox/SnipcartGateway.Sandbox.Gateway --urls "$gateway_url" &
pids+=($!)

echo "Waiting for $gateway_url/api/health..."
for _ in $(seq 120); do
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "$gateway_url/api/health" || true)" = 200 ]; then
    cat <<MSG

  Demo store:      $sandbox_url/
  Gateway health:  $gateway_url/api/health

Press Ctrl-C to stop everything.
MSG
    wait -n "${pids[@]}"
    echo "A process stopped; shutting down the others." >&2
    exit 1
  fi
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "A process exited during start-up (see its output above)." >&2; exit 1; }
  done
  sleep 0.5
done
echo "The gateway did not report healthy within 60 s: $(curl -s "$gateway_url/api/health" || true)" >&2
exit 1
