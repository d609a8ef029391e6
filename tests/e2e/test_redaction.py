"""Redaction through the API on synthesized calls: no entity left in the returned text,
and the stored recording replaced by a copy that holds only the beep (or silence) inside the
returned ranges and is bit-identical to the decoded original everywhere else."""

from __future__ import annotations

import io
import re
import wave

import numpy as np
import pytest

from helpers import concat, espeak, files_under, silence
from transcripts.redaction.audio import BEEP_AMPLITUDE, BEEP_HZ, decode_pcm16, sample_ranges

pytestmark = pytest.mark.e2e

AGENT = "Thanks for calling Contoso Bank. Can I have your full name please?"
CALLER_NAME = "Yes, my name is John Miller."
AGENT_CARD = "Thank you. What is the card number?"
CALLER_CARD = "It is 4111 1111 1111 1111."
AGENT_CVV = "And the security code on the back?"
CALLER_CVV = "Seven three seven."
AGENT_END = "Thank you, your payment of forty dollars is done."
SECRETS = ("miller", "john", "4111", "1111", "737", "seven three seven")


@pytest.fixture(scope="module")
def call_wav(audio_dir):
    parts = []
    for k, (text, voice) in enumerate([(AGENT, "en-us"), (CALLER_NAME, "en-gb"), (AGENT_CARD, "en-us"),
                                       (CALLER_CARD, "en-gb"), (AGENT_CVV, "en-us"), (CALLER_CVV, "en-gb"),
                                       (AGENT_END, "en-us")]):
        parts.append(espeak(text, audio_dir / f"call_{k}.wav", voice=voice))
        parts.append(silence(audio_dir / f"gap_{k}.wav", 0.6))
    return concat(audio_dir / "call.wav", silence(audio_dir / "lead.wav", 1.0), *parts)


def _download(client, job_id):
    response = client.http.get(f"/v1/transcripts/{job_id}/audio")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "audio/wav"
    with wave.open(io.BytesIO(response.content)) as wav:
        rate, channels = wav.getframerate(), wav.getnchannels()
        samples = np.frombuffer(wav.readframes(wav.getnframes()), "<i2").reshape(-1, channels)
    return samples, rate


def _inside_mask(ranges, rate, total):
    mask = np.zeros(total, bool)
    for lo, hi in sample_ranges([(r["start"], r["end"]) for r in ranges], rate, total):
        mask[lo:hi] = True
    return mask


def _no_secret_left(text: str) -> None:
    flat = re.sub(r"[^a-z0-9 ]", "", text.lower())
    for secret in SECRETS:
        assert secret not in flat, (secret, text)


def test_redacted_text_and_beeped_recording(client, server, call_wav):
    queued = client.upload(call_wav, redact=["pii", "pci"], word_timestamps=True).json()
    assert sorted(queued["redact"]) == ["pci", "pii"] and queued["redact_audio_mode"] == "beep"
    job = client.wait(queued["id"])
    assert job["status"] == "completed", job
    _no_secret_left(job["text"])
    assert "[PCI]" in job["text"] and "[PII]" in job["text"]
    closing = job["text"].lower().partition("payment")[2]  # "...payment of forty dollars is done": not an entity
    assert closing and "[" not in closing, job["text"]
    ranges = job["redactions"]
    assert {r["entity"] for r in ranges} == {"pii", "pci"}
    assert all(0 <= r["start"] < r["end"] <= job["duration"] for r in ranges)
    assert all(a["end"] <= b["start"] for a, b in zip(ranges, ranges[1:]))
    tokens = [w for w in job["words"] if w["word"].startswith(("[PII]", "[PCI]"))]
    assert tokens and all(any(r["start"] <= w["start"] and w["end"] <= r["end"] for r in ranges) for w in tokens)
    _no_secret_left(" ".join(w["word"] for w in job["words"]))

    redacted, rate = _download(client, job["id"])
    original, original_rate = decode_pcm16(call_wav)
    assert rate == original_rate and redacted.shape == original.shape
    inside = _inside_mask(ranges, rate, len(original))
    assert inside.any() and not inside.all()
    # outside the ranges: bit-identical to the decoded original
    assert np.array_equal(redacted[~inside], original[~inside])
    # inside: nothing but the tone, none of the speech
    n = np.nonzero(inside)[0]
    beep = np.round(BEEP_AMPLITUDE * 32767 * np.sin(2 * np.pi * BEEP_HZ * n / rate)).astype(np.int16)
    assert np.array_equal(redacted[inside, 0], beep)
    assert not np.array_equal(original[inside, 0], beep)

    # nothing under the data directory still holds the original words or audio
    for path in files_under(server.data_dir / "blobs"):
        if job["id"] in str(path):
            data = path.read_bytes()
            assert b"Miller" not in data and b"4111" not in data
            if path.name == "audio":
                assert data[:4] == b"RIFF"


def test_silence_mode_with_diarization_and_no_word_timestamps(client, call_wav):
    job = client.wait(client.upload(call_wav, redact=["pci"], diarize=True, redact_audio_mode="silence").json()["id"])
    assert job["status"] == "completed", job
    assert job["words"] is None and job["redact_audio_mode"] == "silence"
    assert "miller" in job["text"].lower()  # pii was not asked for
    for secret in ("4111", "1111", "737"):
        assert secret not in re.sub(r"[^0-9]", "", job["text"].replace("[PCI]", " "))
    assert " ".join(u["text"] for u in job["utterances"]) == job["text"]
    assert {r["entity"] for r in job["redactions"]} == {"pci"}
    # Subtitles keep the tokens and carry the speakers, from words timed internally.
    import srt

    cues = list(srt.parse(client.http.get(f"/v1/transcripts/{job['id']}/srt").text))
    assert cues and all(re.match(r"Speaker \d+: ", c.content) for c in cues)
    assert {c.content.split(":")[0] for c in cues} == {f"Speaker {u['speaker']}" for u in job["utterances"]}
    subtitle_text = " ".join(c.content.split(": ", 1)[1] for c in cues)
    assert subtitle_text.split() == job["text"].split() and "[PCI]" in subtitle_text
    redacted, rate = _download(client, job["id"])
    original, _ = decode_pcm16(call_wav)
    inside = _inside_mask(job["redactions"], rate, len(original))
    assert inside.any() and not redacted[inside].any()
    assert np.array_equal(redacted[~inside], original[~inside])


def test_recording_endpoint_states(client, short_wav):
    job = client.upload(short_wav).json()
    early = client.http.get(f"/v1/transcripts/{job['id']}/audio")
    if early.status_code != 200:  # it may already have finished on a fast machine
        assert early.status_code == 409 and early.json()["error"]["code"] == "transcript_not_completed"
    client.wait(job["id"])
    response = client.http.get(f"/v1/transcripts/{job['id']}/audio")
    assert response.status_code == 200 and response.content == short_wav.read_bytes()
    missing = client.http.get("/v1/transcripts/transcript_nope/audio")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
