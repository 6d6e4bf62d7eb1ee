#!/bin/sh
# Launcher of the cloudhsm_audit modular input (Linux, macOS). splunkd runs it with --scheme,
# --validate-arguments or no argument (run mode); it starts the bundled collector (collector.js)
# on the first Node.js runtime of at least version 22 (the version the bundle is built for; 20 is
# past its end of life and makes the AWS SDK warn on every run):
#   1. a runtime shipped inside the app: bin/runtime/<os>-<arch>/node (os: linux or darwin; arch:
#      x64 or arm64; the -linux-x86_64 package carries linux-x64, -linux-arm64 linux-arm64);
#   2. $SPLUNK_HOME/bin/node, if new enough (Splunk removes it in 10.2);
#   3. node on PATH.
# LD_LIBRARY_PATH (set by splunkd to Splunk's own libraries) and NODE_OPTIONS are unset so they
# cannot break or alter a host Node. Node replaces this shell (exec), so splunkd's SIGTERM
# reaches it directly.
set -u

MIN_MAJOR=22
APP_BIN=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd -P) || exit 1
BUNDLE="$APP_BIN/collector.js"

# Splunk's own Python needs Splunk's libraries: kept aside for the one child that runs it (the
# probe of how much stdout holds unread, src/modinput/outputCapacity.ts).
CLOUDHSM_AUDIT_SPLUNK_LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}
export CLOUDHSM_AUDIT_SPLUNK_LD_LIBRARY_PATH
unset LD_LIBRARY_PATH NODE_OPTIONS DYLD_LIBRARY_PATH

case "$(uname -s 2>/dev/null)" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  *) os=unknown ;;
esac
case "$(uname -m 2>/dev/null)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) arch=unknown ;;
esac

rejected=""

# Prints nothing and fails unless "$1" runs here and reports a major version >= MIN_MAJOR.
usable() {
  [ -x "$1" ] || return 1
  version=$("$1" --version 2>/dev/null) || { rejected="$rejected $1 (does not run here);"; return 1; }
  major=${version#v}
  major=${major%%.*}
  case "$major" in
    '' | *[!0-9]*) rejected="$rejected $1 (unknown version $version);"; return 1 ;;
  esac
  if [ "$major" -lt "$MIN_MAJOR" ]; then
    rejected="$rejected $1 ($version, too old);"
    return 1
  fi
  return 0
}

node=""
if usable "$APP_BIN/runtime/$os-$arch/node"; then
  node="$APP_BIN/runtime/$os-$arch/node"
elif [ -n "${SPLUNK_HOME:-}" ] && usable "$SPLUNK_HOME/bin/node"; then
  node="$SPLUNK_HOME/bin/node"
else
  on_path=$(command -v node 2>/dev/null) || on_path=""
  if [ -n "$on_path" ] && usable "$on_path"; then
    node="$on_path"
  fi
fi

if [ -z "$node" ]; then
  echo "FATAL cloudhsm_audit: no Node.js runtime >= $MIN_MAJOR found (looked in $APP_BIN/runtime/$os-$arch/node, \$SPLUNK_HOME/bin/node and PATH;${rejected:- none found}). Install Node.js $MIN_MAJOR or later on this host, or install the cloudhsm_audit package for -linux-x86_64 or -linux-arm64, which includes one." >&2
  exit 127
fi

# A 2 MB young generation (semi-space) instead of V8's up to 16 MB: same throughput, and a large
# backlog stays under 150 MB of memory (BENCHMARKS.md, "Peak RSS").
exec "$node" --max-semi-space-size=2 "$BUNDLE" "$@"
