"""Speech recognition backends behind one interface.

A backend turns 16 kHz mono float32 samples into an `AsrResult` (segments, words, language,
probabilities). Each imports its heavy library only when loaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from ..asr import AsrResult, DecodeSettings


class Backend(Protocol):
    def transcribe(self, audio, settings: DecodeSettings, *, language: str | None, word_timestamps: bool,
                   vocabulary: tuple[str, ...] = (), should_cancel=lambda: False,
                   on_segment=None) -> AsrResult:
        """`on_segment(end_seconds)` after each decoded segment (progress), where the backend
        decodes segment by segment."""


def load_backend(spec, weights: Path, cache) -> Backend:
    if spec.backend == "faster-whisper":
        from .whisper import FasterWhisperBackend

        return FasterWhisperBackend(weights, cpu_threads=cache.cpu_threads, num_workers=cache.num_workers,
                                    device=cache.device)
    if spec.backend == "qwen3-asr":
        from .qwen3 import Qwen3AsrBackend

        return Qwen3AsrBackend(weights, device=cache.device)
    raise ValueError(f"unknown backend {spec.backend!r}")
