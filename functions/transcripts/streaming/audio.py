"""Client audio in: little-endian signed 16-bit mono PCM at the client's rate, out as 16 kHz
float32 (what Silero VAD and Whisper read). Resampling is PyAV's (FFmpeg's swresample), which
keeps its filter state between frames, so frame edges leave no clicks."""

from __future__ import annotations

import numpy as np

RATE = 16_000


class PcmConverter:
    def __init__(self, sample_rate: int):
        self.sample_rate = sample_rate
        self._odd = b""  # a frame may end half-way through a sample
        self._resampler = None
        if sample_rate != RATE:
            import av

            self._resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)

    def convert(self, pcm: bytes) -> np.ndarray:
        data = self._odd + pcm
        whole = len(data) - len(data) % 2
        self._odd = data[whole:]
        samples = np.frombuffer(data[:whole], dtype="<i2")
        if self._resampler is None or samples.size == 0:
            return samples.astype(np.float32) / 32768.0
        return self._resample(samples)

    def _resample(self, samples: np.ndarray | None) -> np.ndarray:
        import av

        frame = None
        if samples is not None:
            frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
            frame.sample_rate = self.sample_rate
        out = [f.to_ndarray().reshape(-1) for f in self._resampler.resample(frame)]
        if not out:
            return np.zeros(0, np.float32)
        return np.concatenate(out).astype(np.float32) / 32768.0

    def drain(self) -> np.ndarray:
        """What the resampler still holds at the end of the stream."""
        if self._resampler is None:
            return np.zeros(0, np.float32)
        return self._resample(None)
