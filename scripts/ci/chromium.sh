#!/usr/bin/env bash
# Debian's chromium for the web UI's end-to-end tests (driven by playwright-core, which must
# never download a browser of its own). Prints the executable's path last.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq chromium >/dev/null
fi
command -v chromium
