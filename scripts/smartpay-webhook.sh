#!/usr/bin/env bash
# Registers the gateway's Smartpay webhook endpoint with Smartpay (POST /webhook-endpoints) and prints the signing
# secret Smartpay answers, to store as Providers__Smartpay__<Mode>__SigningSecret (or Key Vault secret
# Providers--Smartpay--<Mode>--SigningSecret). The mode follows the key: sk_test_ registers test mode, sk_live_ live.
#
#   SMARTPAY_SECRET_KEY=sk_test_... ./scripts/smartpay-webhook.sh https://<gateway-host>
#
# The key is read from the environment (never an argument: it would show in the process list and shell history)
# and sent only in a header. SMARTPAY_API_BASE_URL overrides https://api.smartpay.co/v1 (the local sandbox:
# http://localhost:7080/smartpay/v1). Running it twice registers two endpoints: delete the old one in Smartpay's
# dashboard (or DELETE /webhook-endpoints/{id}).
set -euo pipefail

gateway="${1:-}"
api="${SMARTPAY_API_BASE_URL:-https://api.smartpay.co/v1}"
key="${SMARTPAY_SECRET_KEY:-}"
if [ -z "$gateway" ] || [ -z "$key" ]; then
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
case "$key" in
  sk_test_*) mode=test; Mode=Test ;;
  sk_live_*) mode=live; Mode=Live ;;
  *) echo "SMARTPAY_SECRET_KEY must be a Smartpay secret key (sk_test_... or sk_live_...)." >&2; exit 2 ;;
esac
command -v python3 >/dev/null || { echo "python3 is needed to read Smartpay's answer." >&2; exit 1; }

url="${gateway%/}/api/providers/smartpay/notifications?mode=$mode"
body=$(python3 -c 'import json,sys; print(json.dumps({"url": sys.argv[1], "description": "snipcart-gateway",
  "eventSubscriptions": ["order.authorized", "order.rejected", "order.canceled", "payment.created", "refund.created"]}))' "$url")

answer=$(curl -sS -w '\n%{http_code}' -X POST "${api%/}/webhook-endpoints" \
  -H @<(printf 'Authorization: Basic %s\n' "$key") \
  -H "Idempotency-Key: $(python3 -c 'import uuid; print(uuid.uuid4())')" \
  -H 'Content-Type: application/json' -H 'Accept: application/json' \
  --data "$body")
status="${answer##*$'\n'}"
json="${answer%$'\n'*}"
if [ "$status" != 200 ] && [ "$status" != 201 ]; then
  echo "Smartpay answered $status: $json" >&2
  exit 1
fi

printf '%s' "$json" | python3 -c '
import json, sys
endpoint = json.load(sys.stdin)
mode = sys.argv[1]
print("Registered Smartpay webhook endpoint %s (%s mode)" % (endpoint.get("id"), mode.lower()))
print("  url: %s" % endpoint.get("url"))
print()
print("Store its signing secret as the app setting (or the Key Vault secret):")
print("  Providers__Smartpay__%s__SigningSecret=%s" % (mode, endpoint["signingSecret"]))
print("  az keyvault secret set --vault-name <vault> --name Providers--Smartpay--%s--SigningSecret --value '\''%s'\''" % (mode, endpoint["signingSecret"]))
' "$Mode"
