"""Decode any supported recording once, to 16 kHz mono float32: what every later stage reads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import JobFailed

SAMPLE_RATE = 16_000


@dataclass
class DecodedAudio:
    samples: "object"  # numpy.ndarray, float32, mono, SAMPLE_RATE
    duration: float
    channels: "object" = None  # (channels, samples) when asked for and there are several


def decode(path: Path, max_duration_s: float, keep_channels: bool = False) -> DecodedAudio:
    """Mono 16 kHz float32; with `keep_channels`, each channel as well (for diarization by
    channel), from the same single decode."""
    import av
    import numpy as np

    max_samples = int(max_duration_s * SAMPLE_RATE)
    chunks: list = []
    total = 0
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise JobFailed("no_audio_stream", "the recording has no audio stream")
            stream = container.streams.audio[0]
            declared = container.duration / av.time_base if container.duration else None
            layout = stream.layout.name if keep_channels and stream.channels > 1 else "mono"
            resampler = av.AudioResampler(format="fltp", layout=layout, rate=SAMPLE_RATE)
            frames = container.decode(stream)
            while True:
                try:
                    frame = next(frames)
                except StopIteration:
                    break
                except av.error.InvalidDataError as exc:
                    if total:
                        raise JobFailed("audio_truncated", "the recording ends in the middle of its data") from exc
                    raise
                frame.pts = None
                for out in resampler.resample(frame):
                    data = out.to_ndarray()  # (channels, samples)
                    chunks.append(data)
                    total += data.shape[1]
                if total > max_samples:
                    raise JobFailed("audio_too_long", f"the recording is longer than {max_duration_s:.0f} s")
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray())
    except av.FFmpegError as exc:
        raise JobFailed("audio_decode_failed", "the recording could not be decoded") from exc
    planes = np.concatenate(chunks, axis=1).astype(np.float32, copy=False) if chunks else np.zeros((1, 0), np.float32)
    samples = planes[0] if planes.shape[0] == 1 else planes.mean(axis=0)
    if samples.size == 0:
        raise JobFailed("audio_decode_failed", "the recording holds no audio samples")
    duration = samples.size / SAMPLE_RATE
    if declared and declared > 2.0 and duration < 0.9 * declared - 0.5:
        raise JobFailed("audio_truncated", f"the recording holds {duration:.1f} s of its declared {declared:.1f} s")
    return DecodedAudio(samples=samples, duration=round(duration, 3),
                        channels=planes if planes.shape[0] > 1 else None)
