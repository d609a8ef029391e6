"""The `transcripts` command as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import SAMPLE
from helpers import free_port

CLI = [sys.executable, "-m", "transcripts.cli"]


def run(*args, env=None, timeout=180):
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def test_keys_create_prints_key_and_secret(tmp_path):
    out = run("keys", "create", "--name", "ci", "--data-dir", str(tmp_path))
    assert out.returncode == 0, out.stderr
    created = json.loads(out.stdout)
    assert set(created) == {"api_key", "webhook_secret"}
    assert created["webhook_secret"].startswith("whsec_")
    db = (tmp_path / "transcripts.db").read_bytes()
    assert created["api_key"].encode() not in db  # stored hashed only
    assert oct((tmp_path / "transcripts.db").stat().st_mode)[-3:] == "600"


def test_transcribe_prints_transcript(vocab_wav):
    out = run("transcribe", str(vocab_wav), "--language", "en", "--word-timestamps",
              "--vocabulary", "Zentrivox", "Quillabyte", "Fennrix")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["status"] == "completed" and result["language"] == "en"
    assert result["vocabulary"] == ["Zentrivox", "Quillabyte", "Fennrix"]
    assert "Quillabyte" in result["text"] and result["words"]


def test_transcribe_bad_input(tmp_path):
    (tmp_path / "a.wav").write_text("not audio")
    out = run("transcribe", str(tmp_path / "a.wav"))
    assert out.returncode == 2
    assert json.loads(out.stdout)["error"]["code"] == "unsupported_audio_format"
    out = run("transcribe", str(SAMPLE), "--language", "xx")
    assert out.returncode == 2 and json.loads(out.stdout)["error"]["param"] == "language"
    out = run("transcribe", str(tmp_path / "missing.wav"))
    assert out.returncode == 2 and json.loads(out.stdout)["error"]["code"] == "file_not_found"


def test_demo_serves_and_transcribes_the_sample(tmp_path):
    """The README's run command, minus the install: serve, upload over HTTP, print the JSON."""
    out = run("demo", "--exit", "--port", str(free_port()), "--data-dir", str(tmp_path / "data"))
    assert out.returncode == 0, out.stderr[-2000:]
    transcript = json.loads(out.stdout)
    assert transcript["status"] == "completed"
    assert "ask not what your country can do for you" in transcript["text"].lower()
    assert transcript["words"] and transcript["metadata"] == {"source": "demo"}
