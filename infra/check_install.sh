#!/usr/bin/env bash
# The README's install resolves against the public package index alone: pip runs --isolated
# (this machine's pip.conf, PIP_* variables and local wheel folders are ignored) and resolves
# every pinned package of the `local` and `test` extras without installing anything, failing
# on a pin the public index lacks (as `torch==2.13.0+cpu` was). A local version label
# (`+cpu`, `+cu121`) in constraints.txt is refused outright: PyPI never serves one.
set -euo pipefail
cd "$(dirname "$0")/.."
PIP="${PIP:-.venv/bin/pip}"

if grep -nE '^[^#]*==[^ ]*\+' constraints.txt; then
  echo "constraints.txt pins a local version (+label) that the public index does not serve" >&2
  exit 1
fi
# `.[test]` holds `.[local]` (the README's run command) and `.[aws]`: one resolve covers all three.
"$PIP" install --isolated --disable-pip-version-check --dry-run --ignore-installed --quiet \
  -c constraints.txt ".[test]" >/dev/null
echo "install check passed: .[test] (with .[local] and .[aws]) resolves with constraints.txt on the public index alone"
