#!/usr/bin/env bash
# Compiles or lints infra/main.bicep (or the file given) with the Bicep CLI from NuGet, so nothing but the
# .NET SDK is needed. Fails on any diagnostic, warnings included (CI runs the same checks in
# tests/SnipcartGateway.Tests/Infra/BicepTemplateTests.cs).
#   ./scripts/bicep.sh build [file]   -> artifacts/infra/<name>.json
#   ./scripts/bicep.sh lint  [file]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

command="${1:-}"
file="${2:-infra/main.bicep}"
case "$command" in
  build|lint) ;;
  *) echo "usage: $0 build|lint [file.bicep]" >&2; exit 2 ;;
esac

# The test project downloads the CLI package on restore (PackageDownload) and knows where it landed.
dotnet restore tests/SnipcartGateway.Tests --verbosity quiet >/dev/null
bicep="$(dotnet msbuild tests/SnipcartGateway.Tests -nologo -getProperty:BicepCliPath)"
[ -f "$bicep" ] || { echo "Bicep CLI not found at '$bicep' after restore" >&2; exit 1; }
[ -x "$bicep" ] || chmod +x "$bicep" # some extractions drop the executable bit

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if [ "$command" = build ]; then
  mkdir -p artifacts/infra
  out="artifacts/infra/$(basename "${file%.bicep}").json"
  "$bicep" build "$file" --outfile "$out" 2>"$log" || { cat "$log" >&2; exit 1; }
else
  "$bicep" lint "$file" 2>"$log" || { cat "$log" >&2; exit 1; }
fi
cat "$log" >&2
if grep -Eq '\([0-9]+,[0-9]+\) *: *(Error|Warning|Info) ' "$log"; then
  echo "bicep $command: diagnostics above" >&2
  exit 1
fi
echo "bicep $command: $file OK${out:+ -> $out}"
