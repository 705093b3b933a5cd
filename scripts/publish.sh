#!/usr/bin/env bash
# Builds the deployable Function App: <out>/host.json, <out>/<Function>/function.json and the self-contained
# handler in <out>/handler, then zips it. Build the zip on Linux: the host does not chmod the handler, and
# zips made on Windows lose the executable bit.
#   scripts/publish.sh [outdir] [zipfile]    defaults: artifacts/functionapp, artifacts/functionapp.zip
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(realpath -m "${1:-$root/artifacts/functionapp}")"
zipfile="$(realpath -m "${2:-$root/artifacts/functionapp.zip}")"

rm -rf "$out"
mkdir -p "$out"

# Self-contained so the plan's runtime stack does not matter; ReadyToRun for cold start; single file to keep
# the package small. No trimming (JSON serialisation uses reflection) and no Native AOT (its runtime pack is
# not restorable here, see docs).
dotnet publish "$root/functions/SnipcartGateway.Functions.csproj" -c Release -r linux-x64 --self-contained \
  -p:PublishReadyToRun=true -p:PublishSingleFile=true -p:DebugType=none \
  -o "$out/handler"

cp "$root/host.json" "$out/"
for dir in "$root"/functions/function-json/*/; do
  cp -r "$dir" "$out/"
done
chmod +x "$out/handler/SnipcartGateway"

mkdir -p "$(dirname "$zipfile")"
rm -f "$zipfile"
(cd "$out" && zip -qr -X "$zipfile" .)
echo "Function App folder: $out"
echo "Zip package:         $zipfile"
