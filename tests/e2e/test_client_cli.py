"""The Python client and the `transcripts` client commands against the real server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
import srt
import webvtt

from transcripts.client import ApiError, Client


@pytest.fixture(scope="module")
def api(server, account):
    with Client(server.url, account["api_key"]) as client:
        yield client


def _cli(server, account, *args, stderr=subprocess.PIPE, extra_env=None):
    env = {**os.environ, "TRANSCRIPTS_API_URL": server.url, "TRANSCRIPTS_API_KEY": account["api_key"],
           **(extra_env or {})}
    return subprocess.run([sys.executable, "-m", "transcripts.cli", *args], env=env, stdout=subprocess.PIPE,
                          stderr=stderr, text=True, timeout=300)


def test_client_needs_only_core_dependencies():
    code = ("import sys, transcripts.client; heavy = {'httpx', 'fastapi', 'pydantic', 'numpy', 'boto3'}; "
            "print(sorted(m for m in heavy if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_create_wait_get_subtitles_delete(api, short_wav):
    job = api.create(short_wav, word_timestamps=True, metadata={"ref": "c-1"}, language="en-US")
    assert job["status"] == "queued" and job["metadata"] == {"ref": "c-1"} and job["language"] == "en"
    updates = []
    done = api.wait(job["id"], timeout=120, poll_s=0.2, on_update=updates.append)
    assert done["status"] == "completed" and "hello" in done["text"].lower() and done["words"]
    assert updates[-1]["status"] == "completed"
    assert api.get(job["id"])["id"] == job["id"]
    assert "hello" in list(srt.parse(api.srt(job["id"])))[0].content.lower()
    assert webvtt.from_string(api.vtt(job["id"], max_caption_seconds=2)).captions
    api.delete(job["id"])
    with pytest.raises(ApiError) as err:
        api.get(job["id"])
    assert err.value.status == 404 and err.value.code == "not_found"


def test_big_file_goes_through_uploads(server, account, english_wav):
    with Client(server.url, account["api_key"], max_direct_bytes=10_000) as small:
        assert english_wav.stat().st_size > 10_000
        job = small.create(english_wav)
        done = small.wait(job["id"], timeout=120, poll_s=0.2)
    assert done["status"] == "completed" and "support line" in done["text"].lower()


def test_url_and_errors(api, peer, short_wav):
    peer.files["/a.wav"] = short_wav.read_bytes()
    job = api.create(peer.url + "/a.wav")
    assert api.wait(job["id"], timeout=120, poll_s=0.2)["status"] == "completed"
    with pytest.raises(ApiError) as err:
        api.create(short_wav, language="zz")
    assert err.value.status == 400 and err.value.param == "language"
    with pytest.raises(ApiError) as err:
        Client(api.base_url, "sk_wrong").get("transcript_x")
    assert err.value.code == "invalid_api_key"


def test_list_iterates_pages(server, short_wav):
    with Client(server.url, server.create_key()["api_key"]) as fresh:
        ids = [fresh.create(short_wav)["id"] for _ in range(3)]
        assert [t["id"] for t in fresh.list(page_size=1)] == ids[::-1]
        assert len(list(fresh.list(limit=2, page_size=1))) == 2
        for i in ids:
            fresh.wait(i, timeout=120, poll_s=0.2)
        assert {t["id"] for t in fresh.list(status="completed")} == set(ids)


def test_cli_submit_wait_with_progress_bar_on_a_terminal(server, account, english_wav):
    import pty

    primary, secondary = pty.openpty()
    out = _cli(server, account, "submit", str(english_wav), "--wait", "--output", "srt", "--language", "en",
               "--metadata", "k=v", "--vocabulary", "Alex", stderr=secondary)
    os.close(secondary)
    bar = b""
    try:
        while chunk := os.read(primary, 65536):
            bar += chunk
    except OSError:
        pass
    os.close(primary)
    assert out.returncode == 0, bar
    cues = list(srt.parse(out.stdout))
    assert cues and "support line" in " ".join(c.content for c in cues).lower()
    assert b"100.0% completed" in bar and b"[" + b"#" * 30 + b"]" in bar


def test_cli_commands_and_errors(server, account, short_wav):
    out = _cli(server, account, "submit", str(short_wav), "--word-timestamps", "--metadata", "a=b")
    assert out.returncode == 0 and out.stderr == ""  # no bar when stderr is not a terminal
    job = json.loads(out.stdout)
    out = _cli(server, account, "wait", job["id"], "--output", "text")
    assert out.returncode == 0 and "hello" in out.stdout.lower()
    out = _cli(server, account, "get", job["id"], "--output", "vtt")
    assert out.returncode == 0 and webvtt.from_string(out.stdout).captions
    listed = json.loads(_cli(server, account, "list", "--status", "completed", "--limit", "1").stdout)
    assert len(listed) == 1 and listed[0]["status"] == "completed"
    out = _cli(server, account, "delete", job["id"])
    assert out.returncode == 0 and json.loads(out.stdout) == {"id": job["id"], "deleted": True}

    out = _cli(server, account, "get", job["id"])
    assert out.returncode == 1 and out.stderr.startswith("error: not_found: ")
    out = _cli(server, account, "submit", str(short_wav), "--language", "zz")
    assert out.returncode == 1 and "error: invalid_parameter: " in out.stderr and "language" in out.stderr
    out = _cli(server, account, "submit", str(short_wav), "--redact", "pii,phi")
    if out.returncode == 0:  # the classes travel as a list
        redacted = json.loads(out.stdout)
        assert redacted["redact"] == ["phi", "pii"]
        assert _cli(server, account, "delete", redacted["id"]).returncode == 0
    else:  # a deployment without the redaction stack says so
        assert out.returncode == 1 and "error: feature_unavailable: " in out.stderr
    out = _cli(server, account, "list", extra_env={"TRANSCRIPTS_API_KEY": "sk_wrong"})
    assert out.returncode == 1 and "error: invalid_api_key: " in out.stderr
    out = _cli(server, account, "list", extra_env={"TRANSCRIPTS_API_URL": "http://127.0.0.1:9"})
    assert out.returncode == 2 and "connection_failed" in out.stderr


def test_cli_big_file_through_uploads(server, account, english_wav):
    out = _cli(server, account, "submit", str(english_wav), "--wait", "--output", "text",
               extra_env={"TRANSCRIPTS_MAX_DIRECT_BYTES": "10000"})
    assert out.returncode == 0 and "support line" in out.stdout.lower()
