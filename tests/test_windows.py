"""Long recordings are cut into bounded windows at pauses, and times stay right across joins."""

from __future__ import annotations

import numpy as np
import pytest

from transcripts.domain import Options
from transcripts.pipeline import run_pipeline
from transcripts.pipeline.asr import DecodeSettings, ModelCache
from transcripts.pipeline.windows import plan_windows
from transcripts.settings import Settings

RATE = 16000


def tone_with_pauses(seconds: float, pauses: list[float]) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    audio = 0.5 * np.sin(2 * np.pi * 220 * t).astype(np.float32)
    for p in pauses:
        audio[int(p * RATE): int((p + 0.4) * RATE)] = 0
    return audio


def test_short_audio_is_one_window():
    assert [(w.start, w.end) for w in plan_windows(np.zeros(RATE * 10, np.float32), RATE, 60)] == [(0, RATE * 10)]


def test_cuts_land_in_pauses_and_cover_everything():
    audio = tone_with_pauses(200, pauses=[50.0, 95.0, 150.0])
    windows = plan_windows(audio, RATE, max_window_s=60, search_s=20)
    assert windows[0].start == 0 and windows[-1].end == len(audio)
    for a, b in zip(windows, windows[1:]):
        assert a.end == b.start
    assert all(w.end - w.start <= 60 * RATE for w in windows)
    for w in windows[:-1]:
        assert audio[w.end] == 0, w  # every cut is inside a pause


def test_windowed_transcription_keeps_words_and_times(padded_wav):
    """18 s of audio in windows of at most 8 s: same words, times on the recording's clock."""
    settings = Settings()
    models = ModelCache(settings.models_dir, cpu_threads=2)
    whole = run_pipeline(padded_wav, Options(model="whisper-base", word_timestamps=True), models,
                         DecodeSettings(), 3600, lambda: False)
    windowed = run_pipeline(padded_wav, Options(model="whisper-base", word_timestamps=True), models,
                            DecodeSettings(max_window_s=8), 3600, lambda: False)
    w_words = windowed.body.words
    assert len(w_words) >= len(whole.body.words) - 3
    for prev, cur in zip(w_words, w_words[1:]):
        assert prev["end"] <= cur["start"] + 1e-6
    assert w_words[0]["start"] == pytest.approx(whole.body.words[0]["start"], abs=0.3)
    assert w_words[-1]["end"] <= windowed.duration
    assert windowed.language == "en"


def test_clips_are_cut_in_pauses_and_bounded(english_wav, audio_dir):
    """Speech with pauses: every clip is at most 28 s and no clip boundary cuts speech."""
    from helpers import concat, silence
    from transcripts.pipeline.clips import plan_clips
    from transcripts.pipeline.decode import decode

    gap = silence(audio_dir / "gap07.wav", 0.7)
    long = concat(audio_dir / "clips.wav", *([english_wav, gap] * 7))  # ~75 s
    audio = decode(long, 600).samples
    clips = plan_clips(audio, RATE, vad_threshold=0.3)
    assert len(clips) >= 3
    for a, b in zip(clips, clips[1:]):
        assert a.end <= b.start + 1e-6
    assert all(c.end - c.start <= 28.0 + 1e-6 for c in clips)
    for c in clips[:-1]:  # the audio at each cut is (near) silent
        at = int(c.end * RATE)
        assert abs(audio[max(0, at - 80): at + 80]).max() < 0.05


def test_batched_decoding_keeps_words_and_times(padded_wav):
    settings = Settings()
    models = ModelCache(settings.models_dir, cpu_threads=2)
    opts = Options(model="whisper-base", word_timestamps=True)
    seq = run_pipeline(padded_wav, opts, models, DecodeSettings(), 3600, lambda: False)
    batched = run_pipeline(padded_wav, opts, models, DecodeSettings(batch_size=4), 3600, lambda: False)
    assert batched.body.text.lower().split()[:4] == seq.body.text.lower().split()[:4]
    words = batched.body.words
    assert words and words[0]["start"] >= 3.5 and words[-1]["end"] <= batched.duration - 3.0
    for prev, cur in zip(words, words[1:]):
        assert prev["end"] <= cur["start"] + 1e-6


def test_batched_decoding_of_silence_is_empty(silence_wav):
    settings = Settings()
    models = ModelCache(settings.models_dir, cpu_threads=2)
    out = run_pipeline(silence_wav, Options(model="whisper-base"), models, DecodeSettings(batch_size=4), 3600,
                       lambda: False)
    assert out.body.text == ""
