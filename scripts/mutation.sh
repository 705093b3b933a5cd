#!/usr/bin/env bash
# Mutation testing of the payment core with Stryker.NET (the version pinned in .config/dotnet-tools.json).
#   scripts/mutation.sh [PATH ...]
# PATH is a folder or a .cs file under functions/ (relative to the repository root); a PATH starting with '!' is
# left out. Without PATHs: functions/Domain, functions/Payments and each provider's status mapping, notification
# verification and signature code (DEFAULT_TARGETS below).
# Only the in-process tests run, on one Azurite the script starts and stops: the host-level ones (trait
# Host=Functions) and the browser tests are filtered out (stryker-config.json). Writes
# artifacts/mutation/mutation-report.html and .json, prints the score per folder and per threshold group, and exits
# non-zero when a group is under its threshold:
#   Domain + Payments >= MUTATION_CORE_THRESHOLD (85), the providers' code >= MUTATION_PROVIDERS_THRESHOLD (90).
# MUTATION_CONCURRENCY (default 1) is Stryker's number of parallel test runners; MUTATION_TEST_FILTER replaces the
# test filter (see below).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

DEFAULT_TARGETS=(
  functions/Domain
  functions/Payments
  functions/Providers/SignatureTimestamp.cs
  functions/Providers/JpmSmartPay/JpmSmartPayStatus.cs
  functions/Providers/JpmSmartPay/JpmSmartPayNotificationVerifier.cs
  functions/Providers/SandboxPay/SandboxPayStatus.cs
  functions/Providers/SandboxPay/SandboxPayNotificationVerifier.cs
  functions/Providers/Smartpay/SmartpayOrderStatus.cs
  functions/Providers/Smartpay/SmartpayWebhookSignature.cs
  functions/Providers/Smartpay/Base62.cs
  functions/Providers/Snapplify/SnapplifyPaymentState.cs
)
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=("${DEFAULT_TARGETS[@]}")

# Each PATH becomes a --mutate glob (Stryker matches globs against the file's full path too).
mutate=()
for target in "${targets[@]}"; do
  exclude=""
  path="$target"
  if [ "${path:0:1}" = "!" ]; then
    exclude="!"
    path="${path:1}"
  fi
  path="${path%/}"
  if [ -d "$root/$path" ]; then
    glob="**/$path/**/*.cs"
  elif [ -f "$root/$path" ]; then
    glob="**/$path"
  else
    echo "mutation: $path is neither a folder nor a file under $root" >&2
    exit 2
  fi
  mutate+=(--mutate "$exclude$glob")
done

# What a clean clone lacks: the tool (restored from the manifest) and Azurite, which the in-process payment tests
# start themselves (installed by npm from package-lock.json).
dotnet tool restore >/dev/null
[ -d node_modules/azurite ] || npm ci --no-audit --no-fund

out="$root/artifacts/mutation"
rm -rf "$out"
mkdir -p "$out"

# One Azurite for every test host of the run: the tests' AzuriteFixture uses it when AZURITE_TEST_PORTS is set. Else
# each mutant's fresh test host starts its own (a second or two per mutant), and one whose mutant times out is killed
# with its Azurite left running. Stopped when the script ends, however it ends.
read -r blob_port queue_port table_port < <(node -e '
  const net = require("net");
  const servers = [0, 1, 2].map(() => net.createServer());
  Promise.all(servers.map(s => new Promise(r => s.listen(0, "127.0.0.1", r)))).then(() => {
    console.log(servers.map(s => s.address().port).join(" "));
    servers.forEach(s => s.close());
  });')
node node_modules/azurite/dist/src/azurite.js --blobHost 127.0.0.1 --blobPort "$blob_port" --queueHost 127.0.0.1 \
  --queuePort "$queue_port" --tableHost 127.0.0.1 --tablePort "$table_port" --inMemoryPersistence --disableTelemetry \
  --skipApiVersionCheck --silent > "$out/azurite.log" 2>&1 &
azurite_pid=$!
trap 'kill "$azurite_pid" 2>/dev/null || true' EXIT
export AZURITE_TEST_PORTS="$blob_port:$queue_port:$table_port"
command=(dotnet dotnet-stryker --config-file "$root/stryker-config.json" --output "$out/run"
  --concurrency "${MUTATION_CONCURRENCY:-1}" --skip-version-check "${mutate[@]}")
# MUTATION_TEST_FILTER narrows the tests further (dotnet test --filter syntax); it replaces the configured filter, so
# keep "Host!=Functions" in it.
[ -z "${MUTATION_TEST_FILTER:-}" ] || command+=(--test-case-filter "$MUTATION_TEST_FILTER")
echo "mutation: (cd functions && ${command[*]})"
started=$(date +%s)
(cd functions && "${command[@]}")
elapsed=$(( $(date +%s) - started ))

report_dir="$(find "$out/run" -type d -name reports | head -n 1)"
[ -n "$report_dir" ] && [ -f "$report_dir/mutation-report.json" ] || { echo "mutation: Stryker wrote no report" >&2; exit 1; }
cp "$report_dir/mutation-report.json" "$report_dir/mutation-report.html" "$out/"

# Scores from the JSON report (mutation-testing-elements schema): detected = Killed + Timeout,
# undetected = Survived + NoCoverage; compile and runtime errors and ignored mutants do not count.
node - "$out/mutation-report.json" "${MUTATION_CORE_THRESHOLD:-85}" "${MUTATION_PROVIDERS_THRESHOLD:-90}" "$elapsed" "${targets[*]}" > "$out/summary.txt" <<'JS' || status=$?
const fs = require('fs');
const [reportPath, coreMin, providersMin, elapsed, targets] = process.argv.slice(2);
const report = JSON.parse(fs.readFileSync(reportPath, 'utf8'));
const tally = new Map();
const survivors = [];
const add = (key, status) => {
  const t = tally.get(key) || { detected: 0, undetected: 0, other: 0 };
  if (status === 'Killed' || status === 'Timeout') t.detected++;
  else if (status === 'Survived' || status === 'NoCoverage') t.undetected++;
  else t.other++;
  tally.set(key, t);
};
for (const [file, result] of Object.entries(report.files)) {
  // Stryker names files by full path or relative to the project (functions/): both become functions/...
  const path = file.replace(/\\/g, '/');
  const at = path.lastIndexOf('/functions/');
  const rel = at >= 0 ? path.slice(at + 1) : path.startsWith('functions/') ? path : 'functions/' + path;
  const folder = rel.replace(/\/[^/]+$/, '');
  const group = /^functions\/(Domain|Payments)\//.test(rel) ? 'core' : rel.startsWith('functions/Providers/') ? 'providers' : 'other';
  for (const m of result.mutants) {
    add('folder ' + folder, m.status);
    add('group ' + group, m.status);
    if (m.status === 'Survived' || m.status === 'NoCoverage') {
      survivors.push(`${m.status.padEnd(10)} ${rel}:${m.location.start.line}:${m.location.start.column}  ${m.mutatorName}: ${(m.replacement || '').replace(/\s+/g, ' ').slice(0, 100)}`);
    }
  }
}
const score = (t) => t.detected + t.undetected === 0 ? null : 100 * t.detected / (t.detected + t.undetected);
const line = (name, t) => `${name.padEnd(62)} ${(score(t) ?? NaN).toFixed(2).padStart(6)}%  (${t.detected} detected, ${t.undetected} undetected, ${t.other} not counted)`;
const names = { core: 'Domain + Payments', providers: 'Providers (mapping, verification, signatures)', other: 'Other' };
const minimum = { core: Number(coreMin), providers: Number(providersMin), other: 0 };
console.log(`Mutation scores, ${new Date().toISOString().slice(0, 16)}Z, ${elapsed} s, targets: ${targets}`);
for (const [key, t] of [...tally].filter(([k, t]) => k.startsWith('folder ') && score(t) !== null).sort()) console.log(line(key.slice(7), t));
let failed = false;
for (const [key, t] of [...tally].filter(([k, t]) => k.startsWith('group ') && score(t) !== null).sort()) {
  const g = key.slice(6), s = score(t);
  const ok = s === null || s >= minimum[g];
  failed ||= !ok;
  console.log(line(`${names[g]} (threshold ${minimum[g]}%)`, t) + (ok ? '' : '  UNDER THRESHOLD'));
}
console.log(`Surviving mutants: ${survivors.length}`);
for (const s of survivors) console.log('  ' + s);
process.exit(failed ? 1 : 0);
JS
cat "$out/summary.txt"
echo "mutation: reports in artifacts/mutation/mutation-report.html and .json"
exit "${status:-0}"
