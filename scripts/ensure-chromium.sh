#!/usr/bin/env bash
# The browser journeys drive Debian's Chromium. Install it when missing and we may.
set -euo pipefail
browser=${CHROMIUM:-/usr/bin/chromium}
[ -x "$browser" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Chromium not found: installing it with apt-get…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "Chromium is missing at $browser: install Debian's 'chromium' package (as root: apt-get install chromium)," >&2
echo "or point CHROMIUM to a Chromium binary." >&2
exit 1
