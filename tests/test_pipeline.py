"""The speech pipeline with the real bundled model (whisper-base, CPU int8)."""

from __future__ import annotations

import jiwer
import pytest

from conftest import ENGLISH_TEXT, SAMPLE, VOCAB_TEXT
from transcripts.domain import Options
from transcripts.errors import JobCancelled, JobFailed
from transcripts.pipeline import run_pipeline
from transcripts.pipeline.asr import DecodeSettings, ModelCache
from transcripts.pipeline.decode import decode
from transcripts.settings import Settings

VOCAB_TERMS = ("Xarelto", "Zentrivox", "Quillabyte", "Fennrix")


@pytest.fixture(scope="module")
def models():
    settings = Settings()
    return ModelCache(settings.models_dir, cpu_threads=2)


def run(path, models, **opts):
    options = Options(model="whisper-base", **opts)
    return run_pipeline(path, options, models, DecodeSettings(), 3600, should_cancel=lambda: False)


def normalise(text: str) -> str:
    return jiwer.RemovePunctuation()(text.lower())


def test_model_is_loaded_once(models):
    assert models.get("whisper-base") is models.get("whisper-base")


def test_the_batch_model_encodes_the_vocabulary_prompt_as_it_was_trained(models):
    """The vocabulary prompt is text the tokenizer encodes: with the merge the shipped tokenizer
    lost (whisper_tokens.py), " the" was a bare space and "the". Each word is one token again."""
    hf = models.get("whisper-base").model.hf_tokenizer
    text = " the tracking team took them"
    vocab = hf.get_vocab()
    assert hf.encode(text, add_special_tokens=False).ids == [vocab["Ġ" + w] for w in text.split()]


def test_real_recording(models):
    out = run(SAMPLE, models, word_timestamps=True)
    assert "ask not what your country can do for you" in normalise(out.body.text)
    assert out.language == "en" and out.language_confidence > 0.8
    assert out.duration == pytest.approx(11.0, abs=0.05)


def test_words_inside_audio_and_ordered(models, padded_wav):
    out = run(padded_wav, models, word_timestamps=True)
    words = out.body.words
    assert len(words) >= 20
    for prev, cur in zip(words, words[1:]):
        assert prev["start"] <= cur["start"] and prev["end"] <= cur["start"] + 1e-6
    for w in words:
        assert 0 <= w["start"] <= w["end"] <= out.duration
        assert 0 <= w["confidence"] <= 1
    # Speech starts after 4 s of silence and ends 4 s before the end (VAD must keep times right).
    assert words[0]["start"] >= 3.5
    assert words[-1]["end"] <= out.duration - 3.0
    assert 0 <= out.body.confidence <= 1


def test_english_wer(models, english_wav):
    out = run(english_wav, models)
    assert jiwer.wer(normalise(ENGLISH_TEXT), normalise(out.body.text)) <= 0.15


def test_silence_gives_no_text(models, silence_wav):
    out = run(silence_wav, models, word_timestamps=True)
    assert out.body.text == ""
    assert out.body.words == []


def test_vocabulary_biases_decoding(models, vocab_wav):
    """The model misses these made-up terms without the vocabulary and gets them with it."""
    plain = run(vocab_wav, models).body.text
    boosted = run(vocab_wav, models, vocabulary=VOCAB_TERMS).body.text
    missed = [t for t in VOCAB_TERMS if t not in plain]
    found = [t for t in VOCAB_TERMS if t in boosted]
    assert len(missed) >= 3, plain
    assert len(found) >= 3, boosted
    assert set(found) & set(missed)
    # No false insertions: each term appears at most as often as it was said (once).
    assert all(boosted.count(t) <= VOCAB_TEXT.count(t) for t in VOCAB_TERMS)


def test_language_detection_spanish(models, spanish_wav):
    out = run(spanish_wav, models)
    assert out.language == "es"


def test_given_language_is_used(models, english_wav):
    assert run(english_wav, models, language="en").language == "en"


def test_cancellation_stops_between_segments(models, english_wav):
    with pytest.raises(JobCancelled):
        run_pipeline(english_wav, Options(model="whisper-base"), models, DecodeSettings(), 3600,
                     should_cancel=lambda: True)


def test_decode_limits(english_wav, tmp_path):
    with pytest.raises(JobFailed) as err:
        decode(english_wav, max_duration_s=3)
    assert err.value.code == "audio_too_long"
    (tmp_path / "bad.ogg").write_bytes(b"OggS" + b"\x00" * 500)
    with pytest.raises(JobFailed) as err:
        decode(tmp_path / "bad.ogg", max_duration_s=60)
    assert err.value.code in ("audio_decode_failed", "no_audio_stream")
