#!/usr/bin/env bash
# Installs Debian's chromium for the dashboard's browser tests (tests/test_dashboard.py).
# Idempotent: does nothing when /usr/bin/chromium exists. Needs root (or sudo) and apt-get.
# The tests drive it with Playwright (`executable_path="/usr/bin/chromium"`); Playwright's own
# browser download (`playwright install`) is never used.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "install-browser.sh: /usr/bin/chromium is missing and this user cannot run apt-get;" >&2
    echo "  install it as root: apt-get update && apt-get install -y chromium" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
test -x /usr/bin/chromium
echo "install-browser.sh: $(/usr/bin/chromium --version 2>/dev/null || echo chromium installed)"
