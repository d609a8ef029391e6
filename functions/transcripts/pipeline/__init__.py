"""The speech pipeline, one module per stage: decode -> asr -> assemble.

Diarization and redaction plug in as further stages between asr and assemble.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..domain import Options
from .asr import DecodeSettings, ModelCache
from .assemble import TranscriptBody, assemble
from .decode import decode


@dataclass
class PipelineOutput:
    body: TranscriptBody
    language: str
    language_confidence: float
    duration: float


def run_pipeline(
    audio_path: Path,
    options: Options,
    models: ModelCache,
    settings: DecodeSettings,
    max_duration_s: float,
    should_cancel: Callable[[], bool],
) -> PipelineOutput:
    audio = decode(audio_path, max_duration_s)
    transcriber = models.get(options.model)
    result = transcriber.transcribe(
        audio.samples,
        settings,
        language=options.language,
        word_timestamps=options.word_timestamps,
        vocabulary=options.vocabulary,
        should_cancel=should_cancel,
    )
    body = assemble(result, audio.duration, options.word_timestamps)
    return PipelineOutput(body, result.language, result.language_confidence, audio.duration)
