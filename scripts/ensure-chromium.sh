#!/usr/bin/env bash
# Make sure the browser tests have a Chromium: Debian's package when we are root and apt works,
# Playwright's own download only when no Chromium can be had otherwise.
set -euo pipefail
BIN=${BIN:-.venv/bin}
for candidate in "${CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then
    echo "chromium: using $candidate"
    exit 0
  fi
done
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "chromium: installing Debian's chromium with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
  [ -x /usr/bin/chromium ] && exit 0
fi
echo "chromium: no system Chromium; falling back to Playwright's browser download"
"$BIN/python" -m playwright install chromium
