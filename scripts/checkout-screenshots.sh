#!/usr/bin/env bash
# Screenshots of every state of the shopper's checkout page, on a desktop (1280x800) and a phone (390x844), into
# docs/checkout/<state>-<size>.png. They are taken by the browser tests of those states (CheckoutStatesBrowserTests:
# the published app under the Functions host, the sandbox, Chromium), which also run axe on each state, so a picture is
# only written for a state that renders and passes. Works from a clean clone: installs Azurite and axe-core (npm) when
# missing and builds the test project; needs Chromium (/usr/bin/chromium or CHROMIUM_PATH) and the Functions host
# (../shared/tools/functions-host/func-host or func), as ./scripts/test.sh does.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

{ [ -d node_modules/azurite ] && [ -d node_modules/axe-core ]; } || npm ci --no-audit --no-fund
# The Japanese states need a Japanese font, or Chromium draws empty boxes (Debian's IPA Gothic, 3.5 MB).
if command -v fc-list >/dev/null && [ -z "$(fc-list :lang=ja)" ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends fonts-ipafont-gothic
fi
out="${1:-$root/docs/checkout}"
mkdir -p "$out"
dotnet build tests/SnipcartGateway.Tests -c Release -nologo -v quiet
CHECKOUT_SCREENSHOTS="$out" dotnet test tests/SnipcartGateway.Tests -c Release --no-build \
  --filter "FullyQualifiedName~CheckoutStatesBrowserTests"
echo "Screenshots in $out:"
ls "$out"
