"""faster-whisper (CTranslate2): int8 on CPU, float16 on a GPU."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ...errors import JobCancelled
from ..asr import AsrResult, DecodeSettings, Segment, Word


def pick_device(device: str) -> tuple[str, str]:
    """(device, compute_type): "auto" takes the GPU when CTranslate2 sees one."""
    if device == "auto":
        import ctranslate2

        device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    return device, ("float16" if device == "cuda" else "int8")


class FasterWhisperBackend:
    def __init__(self, model_dir: Path, cpu_threads: int, num_workers: int = 1, device: str = "auto"):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from faster_whisper import WhisperModel

        self.device, compute_type = pick_device(device)
        self.model = WhisperModel(str(model_dir), device=self.device, compute_type=compute_type,
                                  cpu_threads=cpu_threads, num_workers=num_workers)

    def transcribe(self, audio, settings: DecodeSettings, *, language: str | None, word_timestamps: bool,
                   vocabulary: tuple[str, ...] = (), should_cancel: Callable[[], bool] = lambda: False) -> AsrResult:
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
            words = [Word(w.word.strip(), float(w.start), float(w.end), float(w.probability)) for w in (seg.words or [])]
            segments.append(Segment(float(seg.start), float(seg.end), seg.text.strip(), float(seg.avg_logprob), words))
        return AsrResult(segments, info.language, float(info.language_probability))
