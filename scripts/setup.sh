#!/usr/bin/env bash
# Installs everything the build, the demo and the tests need, and nothing twice:
#   - npm packages (npm ci from the committed lock file) when node_modules is missing or stale;
#   - a Python virtual environment in .venv with splunk-appinspect and moto[server];
#   - Debian packages: pcre2-utils (the PCRE2 engine the extraction tests run) and chromium (the
#     browser the dashboard and setup-page tests drive).
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
  command -v chromium >/dev/null 2>&1 || missing+=(chromium fonts-dejavu-core)
  [ ${#missing[@]} -eq 0 ] && return
  log "installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

[ "${SETUP_SKIP_APT:-}" = 1 ] || setup_apt
[ "${SETUP_SKIP_PYTHON:-}" = 1 ] || setup_python
[ "${SETUP_SKIP_NPM:-}" = 1 ] || [ ! -f package-lock.json ] || setup_npm
