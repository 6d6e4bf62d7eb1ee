#!/usr/bin/env bash
# Runs Splunk AppInspect (precert mode) on the packages in dist/ for the version in package.json:
# the plain package and, when present, the -linux-x86_64 and -linux-arm64 packages with a Node.js
# runtime. Each is inspected once per tag set:
#   default            no tag option: every check AppInspect runs by default (Splunkbase)
#   cloud              --included-tags cloud (Splunk Cloud vetting)
#   private_app        --included-tags private_app (a private app on Splunk Cloud)
#   private_classic    --included-tags private_classic (private app, Classic Experience)
#   private_victoria   --included-tags private_victoria (private app, Victoria Experience)
# JSON reports go to test-output/appinspect/<package>.<tag set>.json; test/appinspect reads them.
# The exit code is 0 when every run produced a report (failures are judged by the test, which
# knows the one expected: check_aarch64_compatibility of the x86-64 package in the default set).
#
# APPINSPECT_ONLY=<substring> selects packages by name, APPINSPECT_TAGS="cloud default" tag sets.
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
for variant in linux-x86_64 linux-arm64; do
  [ -f "dist/cloudhsm_audit-$version-$variant.tgz" ] && packages+=("dist/cloudhsm_audit-$version-$variant.tgz")
done
tag_sets=(${APPINSPECT_TAGS:-default cloud private_app private_classic private_victoria})

for pkg in "${packages[@]}"; do
  if [ -n "${APPINSPECT_ONLY:-}" ] && [[ "$pkg" != *"$APPINSPECT_ONLY"* ]]; then continue; fi
  [ -f "$pkg" ] || { echo "appinspect: $pkg is missing: run npm run package" >&2; exit 2; }
  name=$(basename "$pkg" .tgz)
  for set in "${tag_sets[@]}"; do
    tags=()
    [ "$set" != default ] && tags=(--included-tags "$set")
    report="$out/$name.$set.json"
    rm -f "$report"
    echo "appinspect: $pkg ($set)" >&2
    "$appinspect" inspect "$pkg" --mode precert "${tags[@]}" --data-format json --output-file "$report" \
      >"$out/$name.$set.log" 2>&1 || true
    [ -f "$report" ] || { echo "appinspect: no report for $pkg ($set), see $out/$name.$set.log" >&2; exit 2; }
  done
done
