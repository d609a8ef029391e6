"""`POST /v1/audio/transcriptions` driven by the real `openai` SDK against the real server, in
every response format, and its limits and errors."""

from __future__ import annotations

import time

import openai
import pytest
import srt
import webvtt

from helpers import Server, concat

from .conftest import SERVER_ENV

SYNC_MAX_DURATION_S = 20


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    env = {**SERVER_ENV, "TRANSCRIPTS_SYNC_MAX_DURATION_S": str(SYNC_MAX_DURATION_S)}
    srv = Server(tmp_path_factory.mktemp("openai") / "data", env).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def oai(server, account):
    return openai.OpenAI(base_url=server.url + "/v1", api_key=account["api_key"], max_retries=0, timeout=120)


def _create(oai, path, **kwargs):
    with path.open("rb") as f:
        return oai.audio.transcriptions.create(model=kwargs.pop("model", "whisper-1"), file=f, **kwargs)


def test_json_is_the_default(oai, english_wav, client):
    result = _create(oai, english_wav)
    assert "support line" in result.text.lower()
    # Nothing is kept: the synchronous job and its recording are gone after the answer.
    assert client.http.get("/v1/transcripts").json()["data"] == []


def test_text(oai, english_wav):
    text = _create(oai, english_wav, response_format="text", language="en-US")
    assert isinstance(text, str) and "account number" in text.lower()


def test_srt_and_vtt(oai, english_wav):
    cues = list(srt.parse(_create(oai, english_wav, response_format="srt")))
    assert len(cues) >= 2 and cues[0].index == 1 and "support line" in " ".join(c.content for c in cues).lower()
    captions = webvtt.from_string(_create(oai, english_wav, response_format="vtt")).captions
    assert captions and "support line" in " ".join(c.text for c in captions).lower()


def test_verbose_json_with_segments_and_words(oai, english_wav):
    result = _create(oai, english_wav, response_format="verbose_json", timestamp_granularities=["word", "segment"],
                     temperature=0.0, prompt="Alex, support line")
    assert result.language == "english" and 5 < result.duration < 20
    assert result.segments and result.segments[0].start >= 0 and result.segments[-1].end <= result.duration + 0.01
    assert all(s.avg_logprob is not None and s.no_speech_prob is not None for s in result.segments)
    words = result.words
    assert len(words) >= 20 and [w.word for w in words[:3]] == ["Thank", "you", "for"]
    assert all(a.start <= b.start for a, b in zip(words, words[1:]))
    assert {s.temperature for s in result.segments} == {0.0}
    warm = _create(oai, english_wav, response_format="verbose_json", temperature=0.4)
    assert warm.words is None and warm.segments  # words only when asked for
    assert {s.temperature for s in warm.segments} == {0.4}  # the temperature reached the decoder


def test_spanish_detected_and_named(oai, spanish_wav):
    result = _create(oai, spanish_wav, response_format="verbose_json", model="whisper-base")
    assert result.language == "spanish" and "gracias" in result.text.lower()


def test_limit_points_to_the_batch_api(oai, audio_dir, english_wav):
    long = concat(audio_dir / "sync-long.wav", english_wav, english_wav, english_wav, rate=8000)
    started = time.monotonic()
    with pytest.raises(openai.BadRequestError) as err:
        _create(oai, long)
    assert time.monotonic() - started < 10  # refused before any decoding
    assert err.value.code == "audio_too_long_for_sync"
    assert "POST /v1/transcripts" in err.value.message and str(SYNC_MAX_DURATION_S) in err.value.message


def test_errors(oai, server, english_wav, short_wav):
    with pytest.raises(openai.BadRequestError) as err:
        _create(oai, short_wav, model="whisper-9")
    assert err.value.code == "unknown_model"
    with pytest.raises(openai.BadRequestError) as err:
        _create(oai, short_wav, language="zz")
    assert err.value.param == "language"
    with pytest.raises(openai.BadRequestError) as err:
        _create(oai, short_wav, response_format="mp3")
    assert err.value.param == "response_format"
    bad = openai.OpenAI(base_url=server.url + "/v1", api_key="sk_wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        _create(bad, short_wav)


def test_event_loop_stays_free_during_a_sync_request(server, oai, english_wav, client):
    """Other requests are answered while the model runs in its worker thread."""
    import threading

    done = {}
    thread = threading.Thread(target=lambda: done.setdefault("r", _create(oai, english_wav)))
    thread.start()
    latencies = []
    while thread.is_alive():
        t = time.monotonic()
        assert client.http.get("/v1/models").status_code == 200
        latencies.append(time.monotonic() - t)
        time.sleep(0.05)
    thread.join()
    assert "support line" in done["r"].text.lower()
    # A blocked loop would answer nothing until the transcription ended (one long wait); the
    # odd slow answer is this machine's shared cores, so the median is what is checked.
    latencies.sort()
    assert len(latencies) >= 3 and latencies[len(latencies) // 2] < 0.5, latencies
