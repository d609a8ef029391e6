"""The redacted copy of a recording: each redacted time range holds only a beep (or silence).

When a transcript is redacted, its stored recording is replaced by this copy, so the spoken
PII is gone from the audio too. The copy is PCM 16-bit WAV: every sample outside the ranges
is bit-identical to the decoded original (a lossy re-encode would alter them all), and any
player opens it. The recording's own sample rate and channels are kept (call-centre audio is
often 8 kHz stereo, one speaker per channel). It is written as the source is decoded, frame by
frame, so memory does not grow with the recording's length.
"""

from __future__ import annotations

import math
import os
import tempfile
import wave
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy

BEEP_HZ = 1000.0
BEEP_AMPLITUDE = 0.2  # of full scale
MODES = ("beep", "silence")


@dataclass(frozen=True)
class RedactedAudio:
    sample_rate: int
    channels: int
    frames: int  # samples per channel written
    ranges: list[tuple[int, int]]  # the [first, last) sample ranges replaced, after clamping and merging


def sample_ranges(
    ranges: list[tuple[float, float]], sample_rate: int, total: int | None = None
) -> list[tuple[int, int]]:
    """Seconds to [first, last) sample indices: first = floor(start*sr), last = ceil(end*sr);
    clamped to [0, total] when total is known; sorted; overlapping or touching ranges merged;
    empty ones dropped."""
    spans = []
    for start, end in ranges:
        first, last = max(0, math.floor(start * sample_rate)), math.ceil(end * sample_rate)
        if total is not None:
            last = min(last, total)
        if last > first:
            spans.append((first, last))
    merged: list[tuple[int, int]] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


@contextmanager
def _pcm16(path):
    """Open the first audio stream; yields (sample_rate, channels, blocks), blocks iterating the
    audio as (frames, channels) int16 arrays at the stream's own rate and layout."""
    import av

    with av.open(str(path), metadata_errors="ignore") as container:
        if not container.streams.audio:
            raise ValueError(f"{path} has no audio stream")
        stream = container.streams.audio[0]
        rate, channels = stream.rate, stream.channels

        def blocks():
            resampler = av.AudioResampler(format="s16", layout=stream.layout, rate=rate)
            for frame in container.decode(stream):
                frame.pts = None
                for out in resampler.resample(frame):
                    yield out.to_ndarray().reshape(-1, channels)
            for out in resampler.resample(None):
                yield out.to_ndarray().reshape(-1, channels)

        yield rate, channels, blocks()


def decode_pcm16(path) -> tuple[numpy.ndarray, int]:
    """The whole recording as (frames, channels) int16, and its sample rate: the reference
    decoding that the redacted copy matches outside its ranges."""
    import numpy as np

    with _pcm16(path) as (rate, channels, blocks):
        chunks = list(blocks)
    pcm = np.concatenate(chunks) if chunks else np.zeros((0, channels), np.int16)
    return pcm, rate


def _fill(block, offset: int, spans: list[tuple[int, int]], rate: int, mode: str) -> None:
    """Replace, in place, the samples of `block` (starting at absolute index `offset`) that fall
    inside `spans`."""
    import numpy as np

    end = offset + len(block)
    for first, last in spans:
        lo, hi = max(first, offset), min(last, end)
        if lo >= hi:
            continue
        if mode == "silence":
            block[lo - offset:hi - offset] = 0
        else:
            n = np.arange(lo, hi, dtype=np.float64)
            tone = np.round(BEEP_AMPLITUDE * 32767 * np.sin(2 * np.pi * BEEP_HZ * n / rate))
            block[lo - offset:hi - offset] = tone.astype(np.int16)[:, None]


def redact_audio(src_path, dst_path, ranges: list[tuple[float, float]], mode: str = "beep") -> RedactedAudio:
    """Write to `dst_path` a PCM 16-bit WAV copy of `src_path` in which each time range (seconds)
    holds only a beep (a sine at BEEP_HZ whose phase follows the absolute sample index, the same
    on every channel) or digital silence; every other sample is the decoded original's.
    The file appears at `dst_path` only when complete. av.FFmpegError propagates."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    src, dst = Path(src_path), Path(dst_path)
    if os.path.realpath(src) == os.path.realpath(dst) or (src.exists() and dst.exists() and os.path.samefile(src, dst)):
        raise ValueError("the redacted copy cannot overwrite its source")
    fd, tmp = tempfile.mkstemp(prefix=f".{dst.name}.", suffix=".tmp", dir=dst.parent)
    try:
        with os.fdopen(fd, "wb") as fh, _pcm16(src) as (rate, channels, blocks):
            spans = sample_ranges(ranges, rate)
            frames = 0
            with wave.open(fh, "wb") as out:
                out.setnchannels(channels)
                out.setsampwidth(2)
                out.setframerate(rate)
                for block in blocks:
                    _fill(block, frames, spans, rate, mode)
                    out.writeframesraw(block.astype("<i2", copy=False).tobytes())
                    frames += len(block)
        os.replace(tmp, dst)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    done = [(first, min(last, frames)) for first, last in spans if first < frames]
    return RedactedAudio(sample_rate=rate, channels=channels, frames=frames, ranges=done)
