"""The speech pipeline, one module per stage: decode -> asr -> assemble.

Diarization and redaction plug in as further stages between asr and assemble.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..domain import Options
from .asr import AsrResult, DecodeSettings, ModelCache
from .assemble import TranscriptBody, assemble
from .decode import SAMPLE_RATE, decode
from .windows import plan_windows


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
    result = transcribe_windows(audio.samples, options, models, settings, should_cancel)
    body = assemble(result, audio.duration, options.word_timestamps)
    return PipelineOutput(body, result.language, result.language_confidence, audio.duration)


def transcribe_windows(samples, options: Options, models: ModelCache, settings: DecodeSettings,
                       should_cancel: Callable[[], bool]) -> AsrResult:
    """Transcribe window by window; the language found in the first one holds for the rest."""
    transcriber = models.get(options.model)
    merged: AsrResult | None = None
    for window in plan_windows(samples, SAMPLE_RATE, settings.max_window_s):
        part = transcriber.transcribe(
            samples[window.start:window.end],
            settings,
            language=options.language or (merged.language if merged else None),
            word_timestamps=options.word_timestamps,
            vocabulary=options.vocabulary,
            should_cancel=should_cancel,
        )
        part.shift(window.start / SAMPLE_RATE)
        if merged is None:
            merged = part
        else:
            merged.segments.extend(part.segments)
    return merged
