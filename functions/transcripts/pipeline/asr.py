"""Speech recognition: the result types every backend returns, decoding settings, and the
per-process cache of loaded models. The backends themselves are in `backends/`."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from pathlib import Path



@dataclass
class Word:
    word: str
    start: float
    end: float
    confidence: float | None


@dataclass
class Segment:
    start: float
    end: float
    text: str
    avg_logprob: float | None  # None: the backend gives no score
    words: list[Word] = field(default_factory=list)
    no_speech_prob: float | None = None
    temperature: float | None = None  # the decoding temperature that produced it


@dataclass
class AsrResult:
    segments: list[Segment]
    language: str
    language_confidence: float

    def shift(self, seconds: float) -> None:
        """Move every time by `seconds`: a window's times become the recording's."""
        if not seconds:
            return
        for seg in self.segments:
            seg.start += seconds
            seg.end += seconds
            for w in seg.words:
                w.start += seconds
                w.end += seconds


@dataclass(frozen=True)
class DecodeSettings:
    """Everything that shapes decoding; the bench passes the same to bare faster-whisper."""

    beam_size: int = 5
    vad_threshold: float = 0.3
    language_detection_threshold: float = 0.5
    language_detection_segments: int = 3
    max_window_s: float = 300.0  # memory bound per transcribe() call; see windows.py
    batch_size: int = 0  # > 1: decode clips cut in pauses in batches (clips.py); 0: sequential
    diarization_step: float = 0.5
    diarization_threshold: float = 0.65
    subtitle_word_times: bool = True  # time words for every job (subtitle cues), shown only when asked
    temperature: float | None = None  # None: faster-whisper's fallback schedule (0.0, 0.2, ... 1.0)

    @classmethod
    def from_settings(cls, settings) -> "DecodeSettings":
        return cls(
            beam_size=settings.beam_size, vad_threshold=settings.vad_threshold,
            language_detection_threshold=settings.language_detection_threshold, max_window_s=settings.window_s,
            batch_size=settings.batch_size, diarization_step=settings.diarization_step,
            diarization_threshold=settings.diarization_threshold,
            subtitle_word_times=settings.subtitle_word_times,
        )

    def kwargs(self) -> dict:
        return {
            "beam_size": self.beam_size,
            "vad_filter": True,
            "vad_parameters": {"threshold": self.vad_threshold},
            "language_detection_threshold": self.language_detection_threshold,
            "language_detection_segments": self.language_detection_segments,
            **({"temperature": self.temperature} if self.temperature is not None else {}),
        }


class ModelCache:
    """One loaded model per name and process; loading happens on first use, under a lock.

    `check()` finds every served model's weights without loading them, so a deployment
    that names a model it lacks fails when it starts, not at a client's request.
    """

    def __init__(self, cache_dir: Path, cpu_threads: int, num_workers: int = 1, models_root: Path | None = None,
                 device: str = "auto"):
        self.cache_dir = cache_dir
        self.models_root = models_root
        self.cpu_threads = cpu_threads
        self.num_workers = num_workers
        self.device = device
        self._models: dict[str, object] = {}
        self._lock = threading.Lock()

    def diarizer(self, step: float, threshold: float):
        """The diarization pipeline, loaded on first use and kept for the process."""
        with self._lock:
            if "__diarizer__" not in self._models:
                from .diarize import Diarizer

                self._models["__diarizer__"] = Diarizer(segmentation_step=step, threshold=threshold,
                                                        models_root=self.models_root)
            return self._models["__diarizer__"]

    def redactor(self):
        """The redaction engine (spaCy model, Presidio recognisers), loaded on first use."""
        with self._lock:
            if "__redactor__" not in self._models:
                from ..redaction.engine import Redactor

                self._models["__redactor__"] = Redactor()
            return self._models["__redactor__"]

    def check(self, names) -> None:
        from ..models import locate_weights

        for name in names:
            locate_weights(name, self.cache_dir, self.models_root)

    def get(self, name: str):
        with self._lock:
            if name not in self._models:
                from ..models import REGISTRY, locate_weights
                from .backends import load_backend

                path = locate_weights(name, self.cache_dir, self.models_root)
                self._models[name] = load_backend(REGISTRY[name], path, self)
            return self._models[name]


def segment_confidence(avg_logprob: float | None) -> float | None:
    return None if avg_logprob is None else min(1.0, max(0.0, math.exp(avg_logprob)))
