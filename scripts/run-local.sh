#!/usr/bin/env bash
# Runs the product locally: Azurite (blob, queue, table), the sandbox (simulated Snipcart, Sandbox Pay, Smartpay and
# Snapplify Pay, the demo store) and the published gateway under the Azure Functions host, exactly as it deploys. Ctrl-C stops all of them.
# Every setting below can be overridden from the environment, e.g. `GATEWAY_PORT=7072 ./scripts/run-local.sh`.
# With Azure Functions Core Tools installed, `func start` in the publish folder does what func-host does here.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

GATEWAY_PORT="${GATEWAY_PORT:-7071}"
SANDBOX_PORT="${SANDBOX_PORT:-7080}"
AZURITE_BLOB_PORT="${AZURITE_BLOB_PORT:-10000}"
AZURITE_QUEUE_PORT="${AZURITE_QUEUE_PORT:-$((AZURITE_BLOB_PORT + 1))}"
AZURITE_TABLE_PORT="${AZURITE_TABLE_PORT:-$((AZURITE_BLOB_PORT + 2))}"
gateway_url="http://localhost:$GATEWAY_PORT"
sandbox_url="http://localhost:$SANDBOX_PORT"
func_host="${FUNC_HOST:-$root/../shared/tools/functions-host/func-host}"
# The Smartpay simulator's test key, and the signing secret of the webhook endpoint it registers at start-up for
# the gateway ($gateway_url/api/providers/smartpay/notifications?mode=test): both sides get the same values.
smartpay_key="sk_test_sandboxSmartpayLocal"
smartpay_signing="sandboxSmartpaySigningSecret0local"
app_dir="$root/artifacts/functionapp"

pids=()
stop_all() {
  trap - EXIT INT TERM
  # The host runs in its own process group (it starts the worker as its child): stop the whole group.
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_all EXIT
trap 'exit 130' INT TERM

[ -d node_modules/azurite ] || npm ci --no-audit --no-fund
# func-host writes the host's keys with python3.
if ! command -v python3 >/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends python3-minimal
fi
if [ ! -x "$func_host" ] && ! command -v func >/dev/null; then
  echo "Neither $func_host nor Core Tools' func was found: cannot run the Functions host." >&2
  exit 1
fi

echo "Starting Azurite (blob $AZURITE_BLOB_PORT, queue $AZURITE_QUEUE_PORT, table $AZURITE_TABLE_PORT; data in .azurite/)..."
setsid node node_modules/azurite/dist/src/azurite.js --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
  --blobPort "$AZURITE_BLOB_PORT" --queuePort "$AZURITE_QUEUE_PORT" --tablePort "$AZURITE_TABLE_PORT" \
  --location .azurite --silent --skipApiVersionCheck --disableTelemetry &
pids+=($!)
# Azurite's well-known development account (its own documented key), on the ports above.
account="AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
local_storage="DefaultEndpointsProtocol=http;$account;BlobEndpoint=http://127.0.0.1:$AZURITE_BLOB_PORT/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$AZURITE_QUEUE_PORT/devstoreaccount1;TableEndpoint=http://127.0.0.1:$AZURITE_TABLE_PORT/devstoreaccount1;"

echo "Publishing the gateway to $app_dir..."
./scripts/publish.sh "$app_dir" "$root/artifacts/functionapp.zip" >/dev/null
dotnet build sandbox/SnipcartGateway.Sandbox -c Release -v quiet -nologo

echo "Starting the sandbox on $sandbox_url..."
Sandbox__PublicUrl="${Sandbox__PublicUrl:-$sandbox_url}" \
Sandbox__GatewayUrl="${Sandbox__GatewayUrl:-$gateway_url}" \
Sandbox__SecretKeys__Test="${Sandbox__SecretKeys__Test:-sandbox_test_secret}" \
Sandbox__SecretKeys__Live="${Sandbox__SecretKeys__Live:-sandbox_live_secret}" \
Sandbox__SandboxPay__SecretKey="${Sandbox__SandboxPay__SecretKey:-sp_test_secret}" \
Sandbox__SandboxPay__SigningSecret="${Sandbox__SandboxPay__SigningSecret:-sp_test_signing}" \
Sandbox__Snapplify__Clients__snap_test_client="${Sandbox__Snapplify__Clients__snap_test_client:-snap_test_secret}" \
Sandbox__Smartpay__TestSecretKey="${Sandbox__Smartpay__TestSecretKey:-$smartpay_key}" \
Sandbox__Smartpay__WebhookSigningSecret="${Sandbox__Smartpay__WebhookSigningSecret:-$smartpay_signing}" \
  setsid dotnet run --no-build -c Release --project sandbox/SnipcartGateway.Sandbox --urls "$sandbox_url" &
pids+=($!)

echo "Starting the gateway under the Functions host on $gateway_url..."
export FUNC_HOST_STATE="${FUNC_HOST_STATE:-$root/.func-host}"
AzureWebJobsStorage="${AzureWebJobsStorage:-$local_storage}" \
AzureWebJobsDisableHomepage="${AzureWebJobsDisableHomepage:-true}" \
Gateway__PublicBaseUrl="${Gateway__PublicBaseUrl:-$gateway_url}" \
Snipcart__ApiBaseUrl="${Snipcart__ApiBaseUrl:-$sandbox_url/api}" \
Snipcart__SecretKeys__Test="${Snipcart__SecretKeys__Test:-sandbox_test_secret}" \
Snipcart__SecretKeys__Live="${Snipcart__SecretKeys__Live:-sandbox_live_secret}" \
Providers__SandboxPay__Enabled="${Providers__SandboxPay__Enabled:-true}" \
Providers__SandboxPay__Test__BaseUrl="${Providers__SandboxPay__Test__BaseUrl:-$sandbox_url/sandboxpay}" \
Providers__SandboxPay__Test__SecretKey="${Providers__SandboxPay__Test__SecretKey:-sp_test_secret}" \
Providers__SandboxPay__Test__SigningSecret="${Providers__SandboxPay__Test__SigningSecret:-sp_test_signing}" \
Providers__Snapplify__Enabled="${Providers__Snapplify__Enabled:-true}" \
Providers__Snapplify__Test__BaseUrl="${Providers__Snapplify__Test__BaseUrl:-$sandbox_url/snapplify}" \
Providers__Snapplify__Test__Client="${Providers__Snapplify__Test__Client:-snap_test_client}" \
Providers__Snapplify__Test__Secret="${Providers__Snapplify__Test__Secret:-snap_test_secret}" \
Providers__Smartpay__Enabled="${Providers__Smartpay__Enabled:-true}" \
Providers__Smartpay__ApiBaseUrl="${Providers__Smartpay__ApiBaseUrl:-$sandbox_url/smartpay/v1}" \
Providers__Smartpay__Test__SecretKey="${Providers__Smartpay__Test__SecretKey:-$smartpay_key}" \
Providers__Smartpay__Test__SigningSecret="${Providers__Smartpay__Test__SigningSecret:-$smartpay_signing}" \
Providers__SandboxWidget__Enabled="${Providers__SandboxWidget__Enabled:-true}" \
Providers__SandboxWidget__Test__BaseUrl="${Providers__SandboxWidget__Test__BaseUrl:-$sandbox_url/sandboxpay}" \
Providers__SandboxWidget__Test__SecretKey="${Providers__SandboxWidget__Test__SecretKey:-sp_test_secret}" \
Providers__SandboxWidget__Test__SigningSecret="${Providers__SandboxWidget__Test__SigningSecret:-sp_test_signing}" \
Providers__JpmSmartPay__Enabled="${Providers__JpmSmartPay__Enabled:-true}" \
Providers__JpmSmartPay__Test__BaseUrl="${Providers__JpmSmartPay__Test__BaseUrl:-$sandbox_url/jpmsmartpay}" \
Providers__JpmSmartPay__Test__MerchantKey="${Providers__JpmSmartPay__Test__MerchantKey:-3227a1df-5f0e-4e8e-9d55-6b0a6f5b2c11}" \
Providers__JpmSmartPay__Test__TokenUrl="${Providers__JpmSmartPay__Test__TokenUrl:-$sandbox_url/jpmsmartpay/oauth2/token}" \
Providers__JpmSmartPay__Test__ClientId="${Providers__JpmSmartPay__Test__ClientId:-jpm-sandbox-client}" \
Providers__JpmSmartPay__Test__ClientSecret="${Providers__JpmSmartPay__Test__ClientSecret:-jpm-sandbox-client-secret}" \
Providers__JpmSmartPay__Test__WidgetScriptUrl="${Providers__JpmSmartPay__Test__WidgetScriptUrl:-$sandbox_url/jpmsmartpay/web-sdk.js}" \
Providers__JpmSmartPay__Notifications__Username="${Providers__JpmSmartPay__Notifications__Username:-jpm-notify}" \
Providers__JpmSmartPay__Notifications__Password="${Providers__JpmSmartPay__Notifications__Password:-jpm-notify-password}" \
  setsid "$func_host" "$app_dir" "$GATEWAY_PORT" &
pids+=($!)

echo "Waiting for $gateway_url/api/health..."
for _ in $(seq 240); do
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "$gateway_url/api/health" || true)" = 200 ]; then
    cat <<MSG

  Demo store:      $sandbox_url/
  Gateway health:  $gateway_url/api/health
  Host keys:       $FUNC_HOST_STATE/secrets/host.json (master key for /admin/functions/Reconcile)

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
echo "The gateway did not report healthy within 120 s: $(curl -s "$gateway_url/api/health" || true)" >&2
exit 1
