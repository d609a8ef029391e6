"""The redaction word lists in data/lexicon/: each says what it is for, holds no entry twice, is
read by the code, and ships with the package."""

from __future__ import annotations

import fnmatch
import tomllib
from collections import Counter
from pathlib import Path

from transcripts.redaction import lexicon

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "functions" / "transcripts"
LEXICON = PACKAGE / "redaction" / "data" / "lexicon"
FILES = sorted(LEXICON.glob("*.txt"))


def test_every_list_starts_with_what_it_is_for_and_holds_no_entry_twice():
    assert len(FILES) > 50
    for path in FILES:
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("# ") and len(lines[0]) > 20, f"{path.name}: no header comment"
        entries = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
        assert entries, f"{path.name}: empty"
        if path.name == "cues.txt":  # entries count per [ENTITY] section
            section, keyed = None, []
            for entry in entries:
                section = entry if entry.startswith("[") else section
                keyed.append((section, entry))
            entries = keyed
        twice = [entry for entry, n in Counter(entries).items() if n > 1]
        assert not twice, f"{path.name}: {twice} listed twice"


def test_every_list_is_read_by_the_code():
    code = "\n".join(p.read_text(encoding="utf-8") for p in (PACKAGE / "redaction").rglob("*.py"))
    for path in FILES:
        assert f'"{path.stem}"' in code, f"{path.name} is read by no module"


def test_lists_load_as_before():
    assert "#" in lexicon.UNIT_WORDS  # written \# in the file
    assert "new hampshire" in lexicon.US_STATES and "ohio" in lexicon.US_STATES
    assert lexicon.CONDITION_SUFFIXES[0] == "itis" and "sinusitis".endswith(lexicon.CONDITION_SUFFIXES)
    assert lexicon.CUES["CARD_CVV"][0] == "security code" and "ES317772" not in lexicon.CUES
    assert "" not in lexicon.CONDITIONS and "" not in lexicon.PROCEDURES
    assert isinstance(lexicon.NAME_STOP, frozenset) and isinstance(lexicon.NAME_TRIGGERS, tuple)


def test_data_files_ship_with_the_package():
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["transcripts"]
    data = [p for p in (PACKAGE / "redaction" / "data").rglob("*") if p.is_file()]
    assert data
    for path in data:
        relative = path.relative_to(PACKAGE).as_posix()
        assert any(fnmatch.fnmatch(relative, pattern) and relative.count("/") == pattern.count("/")
                   for pattern in patterns), f"{relative} is not in [tool.setuptools.package-data]"
