"""Silero VAD over a stream, cut into utterances: speech starts when a 32 ms frame's speech
probability reaches the threshold, and ends after `min_silence_s` below it. Silence is never
decoded, so it never turns into text.

The model is the Silero VAD v6 ONNX file faster-whisper ships (already a dependency); one
ONNX session per process serves every stream (`run` is thread-safe), each stream keeping its
own last frame as context.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FRAME = 512  # samples at 16 kHz: Silero's frame
CONTEXT = 64


def _model():
    from faster_whisper.vad import get_vad_model

    return get_vad_model()


class SpeechProbabilities:
    """Speech probability of each whole 512-sample frame, as audio arrives."""

    def __init__(self, model=None):
        self._model = model or _model()
        self._pending = np.zeros(0, np.float32)
        self._context = np.zeros(CONTEXT, np.float32)
        self._state = (np.zeros((1, 1, 128), np.float32), np.zeros((1, 1, 128), np.float32))

    def feed(self, samples: np.ndarray) -> np.ndarray:
        data = np.concatenate([self._pending, samples]) if self._pending.size else samples
        whole = data.size - data.size % FRAME
        self._pending = data[whole:].copy()
        if whole == 0:
            return np.zeros(0, np.float32)
        frames = data[:whole].reshape(-1, FRAME)
        contexts = np.concatenate([self._context[None], frames[:-1, -CONTEXT:]], axis=0)
        self._context = frames[-1, -CONTEXT:].copy()
        batch = np.concatenate([contexts, frames], axis=1).astype(np.float32)
        h, c = self._state
        out, h, c = self._model.session.run(None, {"input": batch, "h": h, "c": c})
        self._state = (h, c)
        return np.asarray(out, np.float32).reshape(-1)


@dataclass(frozen=True)
class Cut:
    """A change of state at a frame boundary, in samples from the stream's start."""

    kind: str  # "start" | "end"
    sample: int


class Endpointer:
    """Turns frame probabilities into utterance starts and ends (pure; no model)."""

    def __init__(self, threshold: float = 0.5, min_silence_s: float = 0.5, pad_s: float = 0.2, rate: int = 16_000):
        self.threshold = threshold
        self.off_threshold = max(0.01, threshold - 0.15)
        self.min_silence_frames = max(1, round(min_silence_s * rate / FRAME))
        self.pad = int(pad_s * rate)
        self.in_speech = False
        self._silent = 0
        self._frames = 0

    def update(self, probabilities: np.ndarray) -> list[Cut]:
        cuts = []
        for p in probabilities:
            self._frames += 1
            if not self.in_speech:
                if p >= self.threshold:
                    self.in_speech, self._silent = True, 0
                    cuts.append(Cut("start", max(0, (self._frames - 1) * FRAME - self.pad)))
            elif p < self.off_threshold:
                self._silent += 1
                if self._silent >= self.min_silence_frames:
                    self.in_speech = False
                    end = (self._frames - self._silent) * FRAME + self.pad
                    cuts.append(Cut("end", min(end, self._frames * FRAME)))
            else:
                self._silent = 0
        return cuts
