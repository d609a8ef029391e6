"""Cheap checks of an upload at request time: is it audio we can decode, and how long is it.

Reads headers only (PyAV opens the container without decoding), so a 1 GB file is checked
in milliseconds. The worker's full decode (`pipeline/decode.py`) catches what headers hide.
Where PyAV is not installed (the Lambda bundle leaves its 100 MB out), the request-time check
is the content sniff and the WAV header; the worker runs the same `probe()` with PyAV before
decoding, so every check still happens, as a job `error` with the same code.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from .errors import ApiError

FORMATS = "wav, mp3, m4a/mp4/aac, ogg/opus, flac, webm"
# Below these no real recording of speech is made: a lower sample rate cannot carry speech,
# and fewer bytes per second of declared audio (1.6 kbit/s, under every speech codec's floor)
# mean a header that promises hours the file does not hold, at hours of decode cost.
MIN_SAMPLE_RATE = 4000
MIN_BYTES_PER_SECOND = 200
BYTE_RATE_CHECK_AFTER_S = 30.0


@dataclass(frozen=True)
class AudioInfo:
    format: str
    duration: float | None
    channels: int | None = None


def sniff(head: bytes) -> str | None:
    """The container format from the first bytes, or None for anything we do not accept."""
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"  # also ADTS AAC (0xFFF), which the same decoder path handles
    if head[:4] == b"fLaC":
        return "flac"
    if head[:4] == b"OggS":
        return "ogg"
    if head[4:8] == b"ftyp":
        return "mp4"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "webm"
    return None


@dataclass(frozen=True)
class WavHeader:
    truncated: bool
    duration: float | None
    sample_rate: int | None = None
    unaccounted: int = 0  # bytes after the `data` chunk that are no RIFF chunk: audio the header hides
    byte_rate: int | None = None


def _unaccounted_after(f, end: int, size: int) -> int:
    """Walk the chunks after `data` (LIST, id3 ...); whatever does not parse as one is counted."""
    pos = end
    while pos + 8 <= size:
        f.seek(pos)
        header = f.read(8)
        chunk_id, chunk_size = header[:4], struct.unpack("<I", header[4:])[0]
        if not all(32 <= b < 127 for b in chunk_id) or pos + 8 + chunk_size > size:
            return size - pos
        pos += 8 + chunk_size + (chunk_size & 1)
    return 0


def read_wav_header(path: Path) -> WavHeader:
    """Walk the RIFF chunks: is the `data` chunk whole, and how long is the audio."""
    size = path.stat().st_size
    byte_rate = sample_rate = None
    with path.open("rb") as f:
        f.seek(12)
        while True:
            header = f.read(8)
            if len(header) < 8:
                return WavHeader(False, None)
            chunk_id, chunk_size = header[:4], struct.unpack("<I", header[4:])[0]
            if chunk_id == b"fmt " and chunk_size >= 16:
                fmt = f.read(16)
                sample_rate = struct.unpack("<I", fmt[4:8])[0]
                byte_rate = struct.unpack("<I", fmt[8:12])[0] or None
                f.seek(chunk_size - 16 + (chunk_size & 1), 1)
                continue
            if chunk_id == b"data":
                # 0 and 0xFFFFFFFF mark streamed WAVs whose writer never filled the size in.
                streamed = chunk_size in (0, 0xFFFFFFFF)
                duration = chunk_size / byte_rate if byte_rate and not streamed else None
                truncated = not streamed and f.tell() + chunk_size > size
                end = f.tell() + chunk_size + (chunk_size & 1)
                hidden = 0 if streamed or end >= size else _unaccounted_after(f, end, size)
                return WavHeader(truncated, duration, sample_rate, hidden, byte_rate)
            f.seek(chunk_size + (chunk_size & 1), 1)


def probe(path: Path, max_duration_s: float, param: str = "audio_file") -> AudioInfo:
    """Raise a 4xx ApiError for an upload we cannot or will not transcribe."""
    with path.open("rb") as f:
        head = f.read(64)
    if not head:
        raise ApiError(400, "empty_file", f"{param} is empty", param)
    fmt = sniff(head)
    if fmt is None:
        raise ApiError(415, "unsupported_audio_format", f"{param} is not a supported audio file ({FORMATS})", param)
    duration = sample_rate = None
    if fmt == "wav":
        wav = read_wav_header(path)
        if wav.truncated:
            raise ApiError(400, "audio_truncated",
                           f"{param} is truncated: its WAV header declares more audio than the file holds", param)
        if wav.unaccounted > max(4096, wav.byte_rate or 0):
            raise ApiError(400, "audio_length_mismatch",
                           f"{param}'s WAV header declares {wav.duration or 0:.1f} s of audio, but {wav.unaccounted} "
                           "more bytes follow its data: fix the header (re-encode the file) so all of it is "
                           "transcribed", param)
        duration, sample_rate = wav.duration, wav.sample_rate
    try:
        import av
    except ImportError:
        av = None
    channels = None
    if av is not None:
        container_duration, channels, stream_rate = _container_info(av, path, fmt, param)
        duration = container_duration or duration
        sample_rate = stream_rate or sample_rate
    _check_plausible(path, param, duration, sample_rate)
    if duration is not None and duration > max_duration_s:
        raise ApiError(
            400, "audio_too_long", f"{param} lasts {duration:.0f} s; this deployment accepts at most {max_duration_s:.0f} s", param
        )
    return AudioInfo(format=fmt, duration=duration, channels=channels)


def _check_plausible(path: Path, param: str, duration: float | None, sample_rate: int | None) -> None:
    """Refuse audio whose rate or size no real recording has: it would hold a worker for hours."""
    if sample_rate is not None and sample_rate < MIN_SAMPLE_RATE:
        raise ApiError(400, "unsupported_sample_rate", f"{param} is sampled at {sample_rate} Hz; recordings must "
                       f"be sampled at {MIN_SAMPLE_RATE} Hz or more", param)
    size = path.stat().st_size
    if duration and duration > BYTE_RATE_CHECK_AFTER_S and size / duration < MIN_BYTES_PER_SECOND:
        raise ApiError(400, "implausible_audio", f"{param} declares {duration:.0f} s of audio in {size} bytes "
                       f"({size / duration:.0f} bytes/s); a recording carries at least {MIN_BYTES_PER_SECOND} "
                       "bytes per second", param)


def _container_info(av, path: Path, fmt: str, param: str) -> tuple[float | None, int | None, int | None]:
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            streams = container.streams.audio
            if not streams:
                raise ApiError(400, "no_audio_stream", f"{param} has no audio stream", param)
            duration = None
            if container.duration is not None:
                duration = container.duration / av.time_base
            elif streams[0].duration is not None and streams[0].time_base is not None:
                duration = float(streams[0].duration * streams[0].time_base)
            channels = streams[0].channels
            rate = streams[0].sample_rate or None
    except av.FFmpegError as exc:
        raise ApiError(400, "invalid_audio", f"{param} could not be read as {fmt} audio", param) from exc
    return duration, channels, rate
