#!/usr/bin/env bash
# Regenerates functions/function-json/<Name>/function.json from the endpoints declared in C#
# (.AsFunction(...) / MapTimerFunction(...)). Run it after adding, renaming or removing an endpoint;
# tests/SnipcartGateway.Tests/Hosting/FunctionJsonTests fails until the committed files match.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/functions/function-json}"
# KeyVault__Uri is cleared so generating files never needs Azure credentials.
KeyVault__Uri= dotnet run --project "$root/functions" -- --write-function-json "$out"
