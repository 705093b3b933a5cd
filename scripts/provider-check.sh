#!/usr/bin/env bash
# Go-live check of one payment provider against its test environment, with the merchant's own test settings:
#   Providers__Snapplify__Enabled=true Providers__Snapplify__Test__Client=… Providers__Snapplify__Test__Secret=… \
#     ./scripts/provider-check.sh snapplify|smartpay|jpmsmartpay
# Settings come from the environment under the app's own names (Providers__<Id>__Test__…, Gateway__PublicBaseUrl).
# It creates a small test payment with the gateway's own adapter, prints the URL to pay by hand (or, with
# PROVIDER_CHECK_SANDBOX=1 and settings pointing at the sandbox, pays through the simulator), looks it up, refunds it,
# creates and voids another, and reports each inference of docs/providers/<provider>.md as confirmed, CONTRADICTED
# (with the provider's answer) or not tried. Every answer it saw, secrets removed, goes to PROVIDER_CHECK_REPORT
# (default ./provider-check-<provider>-<time>.txt) for the provider's support.
# Exit code: 0 when no check was contradicted; 1 naming each contradicted check; 2 for a usage or settings problem.
# PROVIDER_CHECK_NO_BUILD=1 runs the build already made (CI builds it with the tests).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
project="$root/tools/ProviderCheck/SnipcartGateway.ProviderCheck.csproj"
if [ "${PROVIDER_CHECK_NO_BUILD:-}" = "1" ]; then
  exec dotnet "$root/tools/ProviderCheck/bin/${PROVIDER_CHECK_CONFIGURATION:-Release}/net10.0/SnipcartGateway.ProviderCheck.dll" "$@"
fi
exec dotnet run --project "$project" -c Release -nologo -v quiet -- "$@"
