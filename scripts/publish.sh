#!/usr/bin/env bash
# Builds the deployable Function App (a .NET isolated worker) into a folder and zips it.
#   scripts/publish.sh [outdir] [zipfile]    defaults: artifacts/functionapp, artifacts/functionapp.zip
# The folder is what the Functions host runs: host.json, worker.config.json (written by the Worker SDK, it tells
# the host how to start the worker), functions.metadata and the app's assemblies, and wwwroot/checkout.
# Framework-dependent, not single-file: worker.config.json points at SnipcartGateway.dll, and a single-file
# publish leaves the host with no worker and no functions.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(realpath -m "${1:-$root/artifacts/functionapp}")"
zipfile="$(realpath -m "${2:-$root/artifacts/functionapp.zip}")"

rm -rf "$out"
mkdir -p "$out"
dotnet publish "$root/functions/SnipcartGateway.Functions.csproj" -c Release -p:DebugType=none -nologo -v quiet -o "$out"
[ -f "$out/worker.config.json" ] || { echo "publish: no worker.config.json in $out" >&2; exit 1; }
[ -f "$out/host.json" ] || { echo "publish: no host.json in $out" >&2; exit 1; }

if command -v zip >/dev/null; then
  mkdir -p "$(dirname "$zipfile")"
  rm -f "$zipfile"
  (cd "$out" && zip -qr -X "$zipfile" .)
  echo "Zip package:         $zipfile"
else
  echo "zip not installed: no zip package made (apt-get install zip)" >&2
fi
echo "Function App folder: $out"
