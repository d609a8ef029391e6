"""Shared fixtures. Speech is synthesized once per session with espeak-ng."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers import Peer, concat, espeak, have_tools, silence

os.environ.setdefault("HF_HUB_OFFLINE", "1")

if not have_tools():
    raise RuntimeError("espeak-ng and sox are required: run the README's test command (it installs them)")

SAMPLE = Path(__file__).parents[1] / "functions" / "transcripts" / "samples" / "jfk.ogg"

ENGLISH_TEXT = (
    "Thank you for calling the support line. My name is Alex and I will help you today. "
    "Please tell me the account number and the reason for your call."
)
SPANISH_TEXT = "Buenos días, gracias por llamar. Mi nombre es Ana y hoy le voy a ayudar con su cuenta bancaria."
VOCAB_TEXT = (
    "The patient was prescribed Xarelto and Zentrivox after the procedure. "
    "The Quillabyte report arrived from Fennrix yesterday."
)


@pytest.fixture(scope="session")
def audio_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("audio")


@pytest.fixture(scope="session")
def english_wav(audio_dir) -> Path:
    return espeak(ENGLISH_TEXT, audio_dir / "english.wav")


@pytest.fixture(scope="session")
def spanish_wav(audio_dir) -> Path:
    return espeak(SPANISH_TEXT, audio_dir / "spanish.wav", voice="es")


@pytest.fixture(scope="session")
def vocab_wav(audio_dir) -> Path:
    return espeak(VOCAB_TEXT, audio_dir / "vocab.wav")


@pytest.fixture(scope="session")
def short_wav(audio_dir) -> Path:
    return espeak("Hello there.", audio_dir / "short.wav")


@pytest.fixture(scope="session")
def silence_wav(audio_dir) -> Path:
    return silence(audio_dir / "silence.wav", 8.0)


@pytest.fixture(scope="session")
def padded_wav(audio_dir, english_wav) -> Path:
    """Speech with 4 s of silence before and after: word times must land inside the speech."""
    pad = silence(audio_dir / "pad4.wav", 4.0)
    return concat(audio_dir / "padded.wav", pad, english_wav, pad)


@pytest.fixture
def peer():
    p = Peer()
    yield p
    p.close()


@pytest.fixture(scope="session")
def aws():
    """DynamoDB Local and a moto server on 127.0.0.1, for the whole session."""
    from infra import local_aws

    emu = local_aws.start()
    yield emu
    emu.stop()


CONVERSATION = [  # (espeak voice, text): two clearly different voices taking turns
    ("en-us+m3", "Thank you for calling the pharmacy, this is Daniel. How can I help you today?"),
    ("en+f3", "Hi Daniel, I would like to refill my prescription for blood pressure tablets please."),
    ("en-us+m3", "Of course. Can you tell me your date of birth and the name on the prescription?"),
    ("en+f3", "Sure, it is under Maria Lopez, and I was born on the third of May."),
    ("en-us+m3", "Thank you Maria. The refill will be ready tomorrow after ten in the morning."),
    ("en+f3", "Perfect, that works for me. Thanks so much for your help, goodbye."),
]


@pytest.fixture(scope="session")
def conversation(audio_dir):
    """Two speakers, six turns, 0.5 s between turns. Returns (path, turns) with each turn's
    (start, end, speaker index) on the file's clock."""
    import wave

    gap = silence(audio_dir / "turn-gap.wav", 0.5)
    parts, turns, t = [], [], 0.0
    for i, (voice, text) in enumerate(CONVERSATION):
        part = concat(audio_dir / f"turn{i}.wav", espeak(text, audio_dir / f"turn{i}-raw.wav", voice=voice))
        with wave.open(str(part)) as w:
            seconds = w.getnframes() / w.getframerate()
        turns.append((t, t + seconds, 0 if voice.startswith("en-us") else 1))
        parts += [part, gap]
        t += seconds + 0.5
    return concat(audio_dir / "conversation.wav", *parts), turns


@pytest.fixture(scope="session")
def stereo_call(audio_dir, conversation):
    """The conversation as an 8 kHz call recording: speaker 0 (agent) on the left channel, speaker 1
    (caller) on the right, each channel silent while the other party talks."""
    import subprocess

    path, turns = conversation
    left, right = audio_dir / "left.wav", audio_dir / "right.wav"
    out = audio_dir / "stereo.wav"
    if not out.exists():
        # Mute each channel outside its own speaker's turns (sox's "trim" + "pad" per turn).
        for channel, target in ((0, left), (1, right)):
            gains = []
            cursor = 0.0
            parts = []
            for i, (a, b, s) in enumerate(turns):
                segment = audio_dir / f"ch{channel}-{i}.wav"
                subprocess.run(["sox", str(path), str(segment), "trim", str(cursor), str(b - cursor + 0.25)] +
                               ([] if s == channel else ["vol", "0"]), check=True)
                parts.append(str(segment))
                cursor = b + 0.25
                gains.append(s)
            subprocess.run(["sox", *parts, str(target)], check=True)
        subprocess.run(["sox", "-M", str(left), str(right), "-r", "8000", str(out)], check=True)  # telephone rate
    return out, turns
