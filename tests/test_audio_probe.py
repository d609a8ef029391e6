"""Upload checks at request time, over real files in every accepted format."""

from __future__ import annotations

import pytest

from helpers import encode
from transcripts.audio_probe import probe
from transcripts.errors import ApiError


@pytest.mark.parametrize("kind", ["mp3", "m4a", "ogg", "flac", "webm"])
def test_common_formats_accepted(kind, english_wav, audio_dir):
    path = encode(english_wav, kind, audio_dir)
    info = probe(path, max_duration_s=600)
    assert info.duration == pytest.approx(9.9, abs=0.5)


def test_wav_accepted(english_wav):
    assert probe(english_wav, 600).format == "wav"


def errors_of(path, max_duration_s=600.0) -> tuple[int, str]:
    with pytest.raises(ApiError) as err:
        probe(path, max_duration_s)
    return err.value.status, err.value.code


def test_empty(tmp_path):
    (tmp_path / "e.wav").write_bytes(b"")
    assert errors_of(tmp_path / "e.wav") == (400, "empty_file")


def test_text_renamed_wav(tmp_path):
    (tmp_path / "notes.wav").write_text("this is not audio at all\n" * 20)
    assert errors_of(tmp_path / "notes.wav") == (415, "unsupported_audio_format")


def test_truncated_wav(tmp_path, english_wav):
    data = english_wav.read_bytes()
    (tmp_path / "cut.wav").write_bytes(data[: len(data) // 2])
    assert errors_of(tmp_path / "cut.wav") == (400, "audio_truncated")


def test_garbage_after_valid_magic(tmp_path):
    (tmp_path / "x.flac").write_bytes(b"fLaC" + b"\x00" * 200)
    status, code = errors_of(tmp_path / "x.flac")
    assert status == 400 and code in ("invalid_audio", "no_audio_stream")


def test_too_long(english_wav):
    assert errors_of(english_wav, max_duration_s=5) == (400, "audio_too_long")


def test_without_pyav_the_header_checks_still_run(monkeypatch, english_wav, tmp_path, audio_dir):
    """The Lambda bundle has no PyAV: sniffing and the WAV header still answer at request time."""
    import sys

    ogg = encode(english_wav, "ogg", audio_dir)
    monkeypatch.setitem(sys.modules, "av", None)  # `import av` now raises ImportError
    assert probe(english_wav, 600).duration == pytest.approx(9.9, abs=0.2)
    assert errors_of(english_wav, max_duration_s=5) == (400, "audio_too_long")
    (tmp_path / "notes.wav").write_text("not audio\n" * 20)
    assert errors_of(tmp_path / "notes.wav") == (415, "unsupported_audio_format")
    assert probe(ogg, 600).duration is None  # the worker checks it


def test_wav_with_chunks_after_data_is_accepted(tmp_path, english_wav):
    """LIST/id3 chunks after `data` are metadata, not hidden audio."""
    import struct

    tail = b"LIST" + struct.pack("<I", 26) + b"INFOISFT" + struct.pack("<I", 14) + b"espeak-ng 1.5\0"
    (tmp_path / "tagged.wav").write_bytes(english_wav.read_bytes() + tail)
    assert probe(tmp_path / "tagged.wav", 600).format == "wav"


def test_long_real_speech_passes_the_byte_rate_floor(tmp_path, english_wav, audio_dir):
    """40 s of speech in the smallest codec we take (Opus at its default rate) is plausible."""
    from helpers import concat

    long = concat(tmp_path / "long.wav", *[english_wav] * 4)
    info = probe(encode(long, "ogg", tmp_path), 600)
    assert info.duration > 30
