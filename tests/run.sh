#!/usr/bin/env bash
# Installs everything the tests need (Debian packages, a virtualenv with pinned packages)
# and runs the whole suite. Safe to run again; CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
# espeak-ng synthesizes test speech, sox cuts and joins it.
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends espeak-ng sox >/dev/null

python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -c constraints.txt -e '.[test]'

export HF_HUB_OFFLINE=1
exec .venv/bin/pytest "$@"
