"""Speech recognition with faster-whisper (CTranslate2), loaded once per process and model."""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import JobCancelled


@dataclass
class Word:
    word: str
    start: float
    end: float
    confidence: float


@dataclass
class Segment:
    start: float
    end: float
    text: str
    avg_logprob: float
    words: list[Word] = field(default_factory=list)


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

    @classmethod
    def from_settings(cls, settings) -> "DecodeSettings":
        return cls(
            beam_size=settings.beam_size, vad_threshold=settings.vad_threshold,
            language_detection_threshold=settings.language_detection_threshold, max_window_s=settings.window_s,
        )

    def kwargs(self) -> dict:
        return {
            "beam_size": self.beam_size,
            "vad_filter": True,
            "vad_parameters": {"threshold": self.vad_threshold},
            "language_detection_threshold": self.language_detection_threshold,
            "language_detection_segments": self.language_detection_segments,
        }


class WhisperTranscriber:
    def __init__(self, model_dir: Path, cpu_threads: int, num_workers: int = 1):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from faster_whisper import WhisperModel

        self.model = WhisperModel(
            str(model_dir), device="cpu", compute_type="int8", cpu_threads=cpu_threads, num_workers=num_workers
        )

    def transcribe(
        self,
        audio,
        settings: DecodeSettings,
        *,
        language: str | None,
        word_timestamps: bool,
        vocabulary: tuple[str, ...] = (),
        should_cancel: Callable[[], bool] = lambda: False,
    ) -> AsrResult:
        segments_iter, info = self.model.transcribe(
            audio,
            language=language,
            word_timestamps=word_timestamps,
            # hotwords go into the prompt of every 30 s window, not only the first one.
            hotwords=", ".join(vocabulary) if vocabulary else None,
            **settings.kwargs(),
        )
        segments = []
        for seg in segments_iter:
            if should_cancel():
                raise JobCancelled()
            words = [
                Word(w.word.strip(), float(w.start), float(w.end), float(w.probability)) for w in (seg.words or [])
            ]
            segments.append(Segment(float(seg.start), float(seg.end), seg.text.strip(), float(seg.avg_logprob), words))
        return AsrResult(segments, info.language, float(info.language_probability))


class ModelCache:
    """One loaded model per name and process; loading happens on first use, under a lock."""

    def __init__(self, cache_dir: Path, cpu_threads: int, num_workers: int = 1):
        self.cache_dir = cache_dir
        self.cpu_threads = cpu_threads
        self.num_workers = num_workers
        self._models: dict[str, WhisperTranscriber] = {}
        self._lock = threading.Lock()

    def get(self, name: str) -> WhisperTranscriber:
        with self._lock:
            if name not in self._models:
                from ..models import weights_dir

                path = weights_dir(name, self.cache_dir)
                self._models[name] = WhisperTranscriber(path, self.cpu_threads, self.num_workers)
            return self._models[name]


def segment_confidence(avg_logprob: float) -> float:
    return min(1.0, max(0.0, math.exp(avg_logprob)))
