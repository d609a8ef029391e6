"""The redacted copy of a recording: real audio written with numpy, the stdlib `wave` module and
PyAV's encoders; the copy is read back with `wave` and compared sample by sample."""

from __future__ import annotations

import math
import os
import time
import tracemalloc
import wave
from pathlib import Path

import av
import numpy as np
import pytest

from functions.transcripts.redaction.audio import (
    BEEP_AMPLITUDE,
    BEEP_HZ,
    RedactedAudio,
    decode_pcm16,
    redact_audio,
    sample_ranges,
)


def signal(frames: int, rate: int, channels: int = 1, seed: int = 0) -> np.ndarray:
    """Noise plus a different tone per channel, (frames, channels) int16."""
    rng = np.random.default_rng(seed)
    t = np.arange(frames) / rate
    cols = [0.3 * np.sin(2 * np.pi * (220 + 330 * c) * t) + 0.1 * rng.standard_normal(frames) for c in range(channels)]
    return (np.clip(np.stack(cols, axis=1), -1, 1) * 32767).astype(np.int16)


def write_wav(path: Path, pcm: np.ndarray, rate: int) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(pcm.shape[1])
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.astype("<i2").tobytes())
    return path


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as w:
        assert w.getsampwidth() == 2 and w.getcomptype() == "NONE"
        data = np.frombuffer(w.readframes(w.getnframes()), "<i2")
        return data.reshape(-1, w.getnchannels()), w.getframerate()


def encode(path: Path, pcm: np.ndarray, rate: int, fmt: str, codec: str) -> Path:
    """Encode int16 PCM with one of PyAV's encoders."""
    layout = "mono" if pcm.shape[1] == 1 else "stereo"
    with av.open(str(path), "w", format=fmt) as out:
        stream = out.add_stream(codec, rate=48000 if codec == "libopus" else rate)
        stream.layout = layout
        resampler = av.AudioResampler(format=stream.codec_context.codec.audio_formats[0].name, layout=layout,
                                      rate=stream.rate)
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(pcm).reshape(1, -1), format="s16", layout=layout)
        frame.sample_rate = rate
        for f in resampler.resample(frame) + resampler.resample(None):
            for packet in stream.encode(f):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def tone(first: int, last: int, rate: int) -> np.ndarray:
    """The beep, computed sample by sample from the absolute index."""
    return np.array([round(0.2 * 32767 * math.sin(2 * math.pi * 1000.0 * n / rate)) for n in range(first, last)],
                    np.int16)


def mask(total: int, spans: list[tuple[int, int]]) -> np.ndarray:
    inside = np.zeros(total, bool)
    for first, last in spans:
        inside[first:last] = True
    return inside


def check(src: Path, dst: Path, result: RedactedAudio, mode: str = "beep") -> np.ndarray:
    """The copy equals the reference decoding outside the ranges and holds the beep (or zeros)
    inside, on every channel."""
    ref, rate = decode_pcm16(src)
    out, out_rate = read_wav(dst)
    assert (out_rate, out.shape) == (rate, ref.shape)
    assert (result.sample_rate, result.channels, result.frames) == (rate, ref.shape[1], len(ref))
    inside = mask(len(ref), result.ranges)
    assert np.array_equal(out[~inside], ref[~inside])
    for first, last in result.ranges:
        want = tone(first, last, rate) if mode == "beep" else np.zeros(last - first, np.int16)
        for c in range(out.shape[1]):
            assert np.array_equal(out[first:last, c], want)
    return out


def frame_ends(path: Path) -> list[int]:
    """Cumulative sample counts at the decoder's frame boundaries."""
    ends, n = [], 0
    with av.open(str(path)) as c:
        for frame in c.decode(audio=0):
            n += frame.samples
            ends.append(n)
    return ends


def test_constants():
    assert (BEEP_HZ, BEEP_AMPLITUDE) == (1000.0, 0.2)


def test_beep_mono_16k_wav(tmp_path):
    rate = 16000
    src = write_wav(tmp_path / "in.wav", signal(rate * 3, rate), rate)
    result = redact_audio(src, tmp_path / "out.wav", [(0.5, 0.75), (1.2001, 2.0)])
    assert result.ranges == [(8000, 12000), (19201, 32000)]
    out = check(src, tmp_path / "out.wav", result)
    ref, _ = decode_pcm16(src)
    assert np.array_equal(ref, signal(rate * 3, rate))  # a 16-bit WAV decodes to itself
    assert not np.array_equal(out, ref)
    assert np.abs(out[8000:12000]).max() == round(0.2 * 32767)  # 16 samples a period hit the peak


def test_silence_mode(tmp_path):
    rate = 16000
    src = write_wav(tmp_path / "in.wav", signal(rate * 2, rate), rate)
    result = redact_audio(src, tmp_path / "out.wav", [(0.1, 0.3), (1.5, 1.6)], mode="silence")
    out = check(src, tmp_path / "out.wav", result, mode="silence")
    assert not out[1600:4800].any() and not out[24000:25600].any()


def test_stereo_8k_keeps_rate_and_channels(tmp_path):
    rate = 8000
    pcm = signal(rate * 4, rate, channels=2, seed=3)
    assert not np.array_equal(pcm[:, 0], pcm[:, 1])
    src = write_wav(tmp_path / "call.wav", pcm, rate)
    result = redact_audio(src, tmp_path / "out.wav", [(1.0, 1.5), (3.25, 3.5)])
    assert (result.sample_rate, result.channels, result.frames) == (8000, 2, rate * 4)
    out = check(src, tmp_path / "out.wav", result)
    inside = mask(len(pcm), result.ranges)
    for c in range(2):
        assert np.array_equal(out[~inside, c], pcm[~inside, c])
        assert np.array_equal(out[8000:12000, c], tone(8000, 12000, rate))


@pytest.mark.parametrize("fmt,codec,suffix", [
    ("mp3", "libmp3lame", ".mp3"),
    ("ogg", "libopus", ".ogg"),
    ("flac", "flac", ".flac"),
    ("wav", "pcm_f32le", ".wav"),  # float samples, converted to s16 on the way
])
def test_compressed_and_float_sources(tmp_path, fmt, codec, suffix):
    codecs = av.codecs_available
    if codec not in codecs:
        pytest.skip(f"this PyAV build has no {codec} encoder")
    rate = 16000
    src = encode(tmp_path / f"in{suffix}", signal(rate * 3, rate, channels=2, seed=5), rate, fmt, codec)
    result = redact_audio(src, tmp_path / "out.wav", [(0.4, 0.9), (2.0, 2.1)])
    check(src, tmp_path / "out.wav", result)
    assert result.channels == 2
    assert result.sample_rate == (48000 if codec == "libopus" else rate)  # opus decodes at 48 kHz


def test_float_wav_round_trips(tmp_path):
    """s16 -> float32 (x / 32768) -> s16 is lossless, so a float copy of a 16-bit recording
    decodes to the original samples."""
    rate = 16000
    pcm = signal(rate, rate)
    src = encode(tmp_path / "f.wav", pcm, rate, "wav", "pcm_f32le")
    ref, _ = decode_pcm16(src)
    assert np.array_equal(ref, pcm)


def test_sample_ranges():
    sr = 8000
    assert sample_ranges([], sr) == []
    assert sample_ranges([(0.10001, 0.2)], sr) == [(800, 1600)]  # floor(800.08), ceil(1600)
    assert sample_ranges([(0.1, 0.20001)], sr) == [(800, 1601)]
    assert sample_ranges([(2.0, 3.0), (0.0, 0.5)], sr) == [(0, 4000), (16000, 24000)]  # sorted
    assert sample_ranges([(0.0, 1.0), (0.5, 2.0)], sr) == [(0, 16000)]  # overlapping
    assert sample_ranges([(0.0, 1.0), (1.0, 2.0)], sr) == [(0, 16000)]  # touching
    assert sample_ranges([(0.0, 1.0), (1.0001, 2.0)], sr) == [(0, 16000)]  # touching once rounded outwards
    assert sample_ranges([(0.0, 0.5), (0.2, 0.3)], sr) == [(0, 4000)]  # contained
    assert sample_ranges([(1.0, 1.0), (2.0, 1.0)], sr) == []  # empty, inverted
    assert sample_ranges([(-1.0, 0.5)], sr) == [(0, 4000)]
    assert sample_ranges([(0.5, 10.0)], sr, total=6000) == [(4000, 6000)]
    assert sample_ranges([(0.5, 10.0), (0.9, 0.95)], sr, total=6000) == [(4000, 6000)]
    assert sample_ranges([(1.0, 2.0)], sr, total=6000) == []  # wholly past the end
    assert sample_ranges([(0.25, 0.5)], sr) == sample_ranges([(0.25, 0.5)], sr, total=None)


@pytest.mark.parametrize("kind", ["wav", "mp3"])
def test_ranges_across_frames_at_zero_and_past_the_end(tmp_path, kind):
    rate = 16000
    pcm = signal(rate * 2 + 123, rate, seed=7)
    src = write_wav(tmp_path / "in.wav", pcm, rate)
    if kind == "mp3":
        src = encode(tmp_path / "in.mp3", pcm, rate, "mp3", "libmp3lame")
    ends = frame_ends(src)
    total = ends[-1]
    assert len(ends) > 5
    b1, b2, b5 = ends[1], ends[2], ends[5]
    ranges = [
        (0.0, 9.5 / rate),  # from sample 0 (half-sample times, so floor and ceil are unambiguous)
        ((b1 - 2.5) / rate, (b1 + 3.5) / rate),  # a few samples either side of one boundary
        ((b2 - 0.5) / rate, (b5 + 0.5) / rate),  # across several frames
        ((total - 100.5) / rate, total / rate + 5.0),  # past the end
    ]
    result = redact_audio(src, tmp_path / "out.wav", ranges)
    assert result.ranges == [(0, 10), (b1 - 3, b1 + 4), (b2 - 1, b5 + 1), (total - 101, total)]
    out = check(src, tmp_path / "out.wav", result)
    assert len(out) == total


def test_corrupt_source_leaves_nothing(tmp_path):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    garbage = tmp_path / "garbage.wav"
    garbage.write_bytes(np.random.default_rng(0).bytes(5000))
    with pytest.raises(av.FFmpegError):
        redact_audio(garbage, out_dir / "out.wav", [(0.0, 1.0)])
    assert list(out_dir.iterdir()) == []

    # fails mid-stream, once part of the copy has been written
    rate = 16000
    good = encode(tmp_path / "good.mp3", signal(rate * 3, rate), rate, "mp3", "libmp3lame")
    data = bytearray(good.read_bytes())
    mid = len(data) // 2
    data[mid:mid + 2000] = b"\xff" * 2000
    broken = tmp_path / "broken.mp3"
    broken.write_bytes(bytes(data))
    with pytest.raises(av.FFmpegError):
        redact_audio(broken, out_dir / "out.wav", [(0.0, 1.0)])
    assert list(out_dir.iterdir()) == []


def test_failure_keeps_an_existing_copy(tmp_path):
    rate = 8000
    src = write_wav(tmp_path / "in.wav", signal(rate, rate), rate)
    dst = tmp_path / "out.wav"
    redact_audio(src, dst, [(0.1, 0.2)])
    before = dst.read_bytes()
    garbage = tmp_path / "garbage.wav"
    garbage.write_bytes(b"RIFF" + bytes(100))
    with pytest.raises(av.FFmpegError):
        redact_audio(garbage, dst, [(0.1, 0.2)])
    assert dst.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["garbage.wav", "in.wav", "out.wav"]


def test_bad_arguments(tmp_path):
    rate = 8000
    src = write_wav(tmp_path / "in.wav", signal(rate, rate), rate)
    original = src.read_bytes()
    with pytest.raises(ValueError):
        redact_audio(src, src, [(0.1, 0.2)])
    with pytest.raises(ValueError):
        redact_audio(src, tmp_path / "." / "in.wav", [(0.1, 0.2)])
    os.link(src, tmp_path / "hardlink.wav")
    with pytest.raises(ValueError):
        redact_audio(src, tmp_path / "hardlink.wav", [(0.1, 0.2)])
    with pytest.raises(ValueError):
        redact_audio(src, tmp_path / "out.wav", [(0.1, 0.2)], mode="bleep")
    assert src.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hardlink.wav", "in.wav"]


def test_no_ranges_is_an_exact_copy(tmp_path):
    rate = 8000
    pcm = signal(rate * 2, rate, channels=2)
    src = write_wav(tmp_path / "in.wav", pcm, rate)
    result = redact_audio(src, tmp_path / "out.wav", [])
    assert result.ranges == []
    assert np.array_equal(read_wav(tmp_path / "out.wav")[0], pcm)


def test_memory_does_not_grow_with_length(tmp_path):
    """A 20-minute 44.1 kHz stereo WAV (about 210 MB of samples) is redacted in bounded memory."""
    rate, minutes = 44100, 20
    block = signal(rate * 10, rate, channels=2, seed=11)
    src = tmp_path / "long.wav"
    with wave.open(str(src), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(rate)
        for i in range(minutes * 6):
            w.writeframes(np.roll(block, i * 997, axis=0).tobytes())
    total = rate * 60 * minutes
    ranges = [(1.0, 2.5), (599.5, 600.25), (1199.0, 1300.0)]
    tracemalloc.start()
    started = time.monotonic()
    try:
        result = redact_audio(src, tmp_path / "out.wav", ranges)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.monotonic() - started
    assert result.frames == total
    assert result.ranges == [(44100, 110250), (26437950, 26471025), (52875900, total)]
    assert peak < 30 * 2**20, f"peak {peak / 2**20:.1f} MiB"
    print(f"20 min 44.1 kHz stereo: {elapsed:.1f} s, traced peak {peak / 2**20:.2f} MiB")

    # spot checks around the middle range, against the source read directly
    with wave.open(str(src), "rb") as a, wave.open(str(tmp_path / "out.wav"), "rb") as b:
        assert (b.getnchannels(), b.getframerate(), b.getnframes()) == (2, rate, total)
        first, last = result.ranges[1]
        a.setpos(first - 1000)
        b.setpos(first - 1000)
        want = np.frombuffer(a.readframes(last - first + 2000), "<i2").reshape(-1, 2).copy()
        got = np.frombuffer(b.readframes(last - first + 2000), "<i2").reshape(-1, 2)
    want[1000:1000 + last - first] = tone(first, last, rate)[:, None]
    assert np.array_equal(got, want)
