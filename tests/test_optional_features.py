"""A deployment without an optional extra answers `feature_unavailable`, never crashes."""

from __future__ import annotations

import os
import subprocess
import sys

# Runs where pyannote is not importable, as on a worker installed without the `diarize` extra
# (a None entry in sys.modules is how Python marks a package as absent).
WITHOUT_PYANNOTE = """
import sys
sys.modules["pyannote"] = None
from transcripts.pipeline.diarize import diarization_installed
from transcripts.bootstrap import _diarization
from transcripts.settings import Settings
print(diarization_installed(), _diarization(Settings(diarization=None)))
"""


def test_diarization_absent_is_false_not_an_exception():
    out = subprocess.run([sys.executable, "-c", WITHOUT_PYANNOTE], capture_output=True, text=True,
                         env={k: v for k, v in os.environ.items() if k != "TRANSCRIPTS_DIARIZATION"}, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["False", "False"]
