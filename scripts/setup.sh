#!/usr/bin/env bash
# Installs what one purpose needs, and nothing twice:
#   scripts/setup.sh build   npm packages (npm ci from the committed lock file) when node_modules
#                            is missing or stale;
#   scripts/setup.sh demo    the same, plus a Python virtual environment in .venv with moto[server]
#                            (the local CloudWatch Logs emulator) and splunk-appinspect;
#   scripts/setup.sh test    (the default) the same, plus the system tools the tests run:
#                            pcre2test (the PCRE2 engine of the extraction tests) and chromium (the
#                            browser of the dashboard and setup-page tests), from Debian's packages
#                            where apt-get exists; elsewhere it names what to install and stops.
# Each part can be skipped with SETUP_SKIP_NPM=1, SETUP_SKIP_PYTHON=1 or SETUP_SKIP_APT=1.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'setup: %s\n' "$*" >&2; }

setup_npm() {
  local stamp=node_modules/.package-lock.json
  if [ -f "$stamp" ] && [ "$stamp" -nt package-lock.json ]; then return; fi
  log "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
}

setup_python() {
  local want="splunk-appinspect==4.3.1 moto[server]==5.2.5"
  if [ -x .venv/bin/python ] && [ -f .venv/.installed ] && [ "$(cat .venv/.installed)" = "$want" ]; then return; fi
  log "creating Python virtual environment .venv ($want)"
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check --upgrade pip
  # shellcheck disable=SC2086
  .venv/bin/pip install --quiet --disable-pip-version-check $want
  printf '%s' "$want" > .venv/.installed
}

setup_apt() {
  local missing=()
  command -v pcre2test >/dev/null 2>&1 || missing+=(pcre2-utils)
  command -v chromium >/dev/null 2>&1 || [ -n "${CHROMIUM_PATH:-}" ] || missing+=(chromium fonts-dejavu-core)
  [ ${#missing[@]} -eq 0 ] && return
  if ! command -v apt-get >/dev/null 2>&1; then
    log "the tests need pcre2test (PCRE2 10.x, e.g. the pcre2 or pcre2-tools package) and chromium" \
      "(or set CHROMIUM_PATH to a Chromium or Chrome binary); missing: ${missing[*]}; this host has" \
      "no apt-get: install them with its package manager, then run this again"
    exit 1
  fi
  log "installing Debian packages for the tests: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

purpose=${1:-test}
case "$purpose" in
  build | demo | test) ;;
  *) log "usage: scripts/setup.sh [build|demo|test]  (unknown purpose: $purpose)"; exit 2 ;;
esac

if [ "$purpose" = test ] && [ "${SETUP_SKIP_APT:-}" != 1 ]; then setup_apt; fi
if [ "$purpose" != build ] && [ "${SETUP_SKIP_PYTHON:-}" != 1 ]; then setup_python; fi
[ "${SETUP_SKIP_NPM:-}" = 1 ] || [ ! -f package-lock.json ] || setup_npm
