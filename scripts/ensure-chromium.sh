#!/bin/sh
# Makes Debian's Chromium available for the browser tests (no browser can be downloaded by a
# test tool here). Idempotent: does nothing when `chromium` is already on the PATH.
set -eu
if command -v chromium >/dev/null 2>&1; then
  echo "chromium: $(command -v chromium)"
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "chromium: installing Debian's package…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  echo "chromium: $(command -v chromium)"
  exit 0
fi
echo "chromium is not installed, and this script can only install it as root with apt-get." >&2
echo "Install it yourself: Debian/Ubuntu 'sudo apt-get install -y chromium'; elsewhere any Chromium," >&2
echo "then point the tests at it with LIFELINE_CHROMIUM=/path/to/chromium." >&2
exit 1
