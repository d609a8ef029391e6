"""The speech pipeline, one module per stage: decode -> asr -> assemble.

Diarization and redaction plug in as further stages between asr and assemble.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ..domain import Options
from ..errors import JobFailed
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
    on_progress: Callable[[float, float], None] | None = None,
) -> PipelineOutput:
    """`on_progress(seconds_done, duration)` is called as speech recognition moves on."""
    audio = decode(audio_path, max_duration_s, keep_channels=options.multichannel)
    if options.multichannel and audio.channels is None:
        raise JobFailed("not_multichannel", "multichannel needs a recording with two or more channels; this one has one")
    # Speakers are assigned and entities redacted word by word, so both need word times even
    # when the client did not ask for them; subtitles cut cues at words too (settings say).
    if options.temperature is not None:
        settings = replace(settings, temperature=options.temperature)
    asr_options = replace(options, word_timestamps=options.word_timestamps or options.diarize or bool(options.redact)
                          or settings.subtitle_word_times)
    result = transcribe_windows(audio.samples, asr_options, models, settings, should_cancel,
                                _progress(on_progress, audio.duration))
    body = assemble(result, audio.duration, asr_options.word_timestamps)
    speakers = add_speakers(body, audio, options, models, settings) if options.diarize else None
    if options.redact:
        redact_body(body, speakers, options, models, audio.duration)
        body.segments = None  # the ASR segments' text is not redacted; the words are
    # The words stay in the stored result (subtitles need them); the API shows them only to
    # jobs that asked for word_timestamps.
    return PipelineOutput(body, result.language, result.language_confidence, audio.duration)


def _progress(on_progress: Callable[[float, float], None] | None, duration: float):
    if on_progress is None:
        return None
    return lambda seconds: on_progress(seconds, duration)


def redact_body(body: TranscriptBody, speakers: list[int] | None, options: Options, models: ModelCache,
                duration: float) -> None:
    """Replace every entity of the requested classes in words, text and utterances, and list
    the time ranges (the worker silences or beeps them in the stored recording)."""
    import logging
    import time

    from ..redaction.transcript import redact_words_of
    from .speakers import utterances

    started = time.monotonic()
    words = body.words or []
    out = redact_words_of(models.redactor(), words, speakers, set(options.redact), duration)
    body.words = out.words
    body.text = " ".join(w["word"] for w in out.words)
    body.redactions = out.ranges
    if speakers is not None:
        body.utterances = utterances(out.words, out.speakers)
    logging.getLogger(__name__).info("redaction done", extra={
        "seconds": round(time.monotonic() - started, 3), "words": len(words), "ranges": len(out.ranges)})


def add_speakers(body: TranscriptBody, audio, options: Options, models: ModelCache,
                 settings: DecodeSettings) -> list[int]:
    """Diarize the same decoded samples (or its channels), give each word a speaker, group
    the words into utterances; returns each word's speaker number."""
    import logging
    import time

    from .diarize import SpeakerHints
    from .speakers import assign_speakers, speaker_numbers, utterances

    samples = audio.samples
    started = time.monotonic()
    if options.multichannel:
        from .channels import diarize_channels

        diarization = diarize_channels(audio.channels, SAMPLE_RATE, settings.vad_threshold)
    else:
        diarizer = models.diarizer(settings.diarization_step, settings.diarization_threshold)
        diarization = diarizer.diarize(samples, SpeakerHints(options.speakers_expected, options.min_speakers,
                                                             options.max_speakers))
    logging.getLogger(__name__).info("diarization done", extra={
        "seconds": round(time.monotonic() - started, 3), "audio_seconds": round(len(samples) / SAMPLE_RATE, 3),
        "speakers": len({t.speaker for t in diarization.exclusive})})
    words = body.words or []
    speakers = speaker_numbers(assign_speakers(words, diarization.exclusive), labels_are_numbers=options.multichannel)
    body.utterances = utterances(words, speakers)
    if body.utterances:
        body.text = " ".join(u["text"] for u in body.utterances)
    return speakers


def transcribe_windows(samples, options: Options, models: ModelCache, settings: DecodeSettings,
                       should_cancel: Callable[[], bool],
                       on_progress: Callable[[float], None] | None = None) -> AsrResult:
    """Transcribe window by window; the language found in the first one holds for the rest.
    `on_progress(seconds)` hears how far into the recording decoding has come."""
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
            on_segment=(lambda end, offset=window.start / SAMPLE_RATE: on_progress(offset + end))
            if on_progress else None,
        )
        part.shift(window.start / SAMPLE_RATE)
        if merged is None:
            merged = part
        else:
            merged.segments.extend(part.segments)
    return merged
