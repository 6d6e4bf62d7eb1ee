#!/usr/bin/env bash
# Runs Splunk AppInspect (precert mode) on the packages in dist/ for the version in package.json:
# the plain package and, when present, the -linux-x86_64 variant with the Node.js runtime. Each is
# inspected twice: with the `cloud` tag (Splunk Cloud vetting) and without tags. JSON reports go to
# test-output/appinspect/<package>.<cloud|untagged>.json; test/appinspect/appinspect.test.ts reads
# them and fails on any failure or error. The exit code is AppInspect's worst one (0 = all ran).
#
# The -linux-x86_64 variant's untagged run leaves out the `aarch64_compatibility` tag (its one
# check, check_aarch64_compatibility, fails every x86-64 binary): that variant exists to carry the
# x86-64 Node.js runtime and says so in its name; ARM hosts install the plain package.
set -euo pipefail
cd "$(dirname "$0")/.."

appinspect=.venv/bin/splunk-appinspect
if [ ! -x "$appinspect" ]; then
  echo "appinspect: $appinspect is missing: run scripts/setup.sh" >&2
  exit 2
fi
version=$(node -p "require('./package.json').version")
out=test-output/appinspect
mkdir -p "$out"

packages=("dist/cloudhsm_audit-$version.tgz")
[ -f "dist/cloudhsm_audit-$version-linux-x86_64.tgz" ] && packages+=("dist/cloudhsm_audit-$version-linux-x86_64.tgz")
# Select packages by name with APPINSPECT_ONLY=<substring>, e.g. APPINSPECT_ONLY=linux-x86_64.
worst=0
for pkg in "${packages[@]}"; do
  if [ -n "${APPINSPECT_ONLY:-}" ] && [[ "$pkg" != *"$APPINSPECT_ONLY"* ]]; then continue; fi
  [ -f "$pkg" ] || { echo "appinspect: $pkg is missing: run npm run package" >&2; exit 2; }
  name=$(basename "$pkg" .tgz)
  for run in cloud untagged; do
    tags=()
    [ "$run" = cloud ] && tags=(--included-tags cloud)
    [ "$run" = untagged ] && [[ "$name" == *-linux-x86_64 ]] && tags=(--excluded-tags aarch64_compatibility)
    report="$out/$name.$run.json"
    rm -f "$report"
    echo "appinspect: $pkg ($run)" >&2
    rc=0
    "$appinspect" inspect "$pkg" --mode precert "${tags[@]}" --data-format json --output-file "$report" \
      >"$out/$name.$run.log" 2>&1 || rc=$?
    [ -f "$report" ] || { echo "appinspect: no report for $pkg ($run), see $out/$name.$run.log" >&2; exit 2; }
    [ "$rc" -gt "$worst" ] && worst=$rc
  done
done
exit "$worst"
