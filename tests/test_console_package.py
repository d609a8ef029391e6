"""The console's files ship in the package: every file under functions/transcripts/console
matches a package-data pattern of pyproject.toml (else a wheel, and so a pip install or the
Lambda bundle built from one, would serve a console with files missing)."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[1]
PACKAGE = ROOT / "functions" / "transcripts"


def test_every_console_file_is_package_data():
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["transcripts"]
    files = [p.relative_to(PACKAGE).as_posix() for p in (PACKAGE / "console").rglob("*") if p.is_file()]
    assert "console/index.html" in files and "console/js/app.js" in files
    missing = [f for f in files if not any(fnmatch.fnmatch(f, pattern) and f.count("/") == pattern.count("/")
                                           for pattern in patterns)]
    assert missing == []
