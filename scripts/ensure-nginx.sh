#!/usr/bin/env bash
# Make sure the capacity benchmark's smoke test has nginx: Debian's package when we are root and
# apt works. Without it the test skips and says why; nothing else needs nginx.
set -euo pipefail
for candidate in "${NGINX:-}" /usr/sbin/nginx /usr/bin/nginx; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then
    echo "nginx: using $candidate"
    exit 0
  fi
done
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "nginx: installing Debian's nginx with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  # The package's service is never started here: the benchmark runs its own nginx.
  if apt-get update -qq && apt-get install -y -qq --no-install-recommends nginx >/dev/null; then
    exit 0
  fi
fi
echo "nginx: not installed and cannot be installed here; the capacity smoke test will skip"
