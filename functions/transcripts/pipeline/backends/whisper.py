"""faster-whisper (CTranslate2): int8 on CPU, float16 on a GPU."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ...errors import JobCancelled
from ..asr import AsrResult, DecodeSettings, Segment, Word
from .whisper_tokens import repaired_once


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
        # The vocabulary prompt (hotwords) is text the tokenizer encodes: with a merge lost from the
        # shipped tokenizer.json, " the" came out as " " + "the" (whisper_tokens.py).
        self.model.hf_tokenizer = repaired_once(self.model.hf_tokenizer)
        self._batched = None

    def transcribe(self, audio, settings: DecodeSettings, *, language: str | None, word_timestamps: bool,
                   vocabulary: tuple[str, ...] = (), should_cancel: Callable[[], bool] = lambda: False,
                   on_segment: Callable[[float], None] | None = None) -> AsrResult:
        hotwords = ", ".join(vocabulary) if vocabulary else None  # in the prompt of every window
        if settings.batch_size > 1:
            from ..clips import plan_clips
            from ..decode import SAMPLE_RATE

            clips = plan_clips(audio, SAMPLE_RATE, settings.vad_threshold)
            if not clips:  # no speech: decode nothing rather than let the model invent words
                return AsrResult([], language or "", 1.0 if language else 0.0)
            segments_iter, info = self._transcribe_batched(audio, clips, settings, language, word_timestamps, hotwords)
        else:
            segments_iter, info = self.model.transcribe(
                audio, language=language, word_timestamps=word_timestamps, hotwords=hotwords, **settings.kwargs())
        segments = []
        for seg in segments_iter:
            if should_cancel():
                raise JobCancelled()
            words = whitespace_words(seg.words or [])
            segments.append(Segment(float(seg.start), float(seg.end), seg.text.strip(), float(seg.avg_logprob), words,
                                    no_speech_prob=_float(getattr(seg, "no_speech_prob", None)),
                                    temperature=_float(getattr(seg, "temperature", None))))
            if on_segment is not None:
                on_segment(float(seg.end))
        return AsrResult(segments, info.language, float(info.language_probability))

    def _transcribe_batched(self, audio, clips, settings: DecodeSettings, language, word_timestamps, hotwords):
        """Clips cut in pauses (see clips.py), decoded `batch_size` at a time."""
        from faster_whisper import BatchedInferencePipeline

        if self._batched is None:
            self._batched = BatchedInferencePipeline(self.model)
        clips = [{"start": c.start, "end": c.end} for c in clips]
        kwargs = settings.kwargs()
        kwargs.pop("vad_filter"), kwargs.pop("vad_parameters")
        return self._batched.transcribe(
            audio, language=language, word_timestamps=word_timestamps, hotwords=hotwords,
            clip_timestamps=clips, batch_size=settings.batch_size, **kwargs)


def _float(value) -> float | None:
    return None if value is None else float(value)


def whitespace_words(pieces) -> list[Word]:
    """Whisper's words as the text spells them: a piece without a leading space that starts with a
    digit or a sign ("420" after "$18,", ".com" after "fastmail", "-ray" after "X") continues the word
    before it (letters alone never join: languages written without spaces keep their words), so `words` and `text` agree and the
    redaction engine sees "fastmail.com", not two words. The joined word is as sure as its least
    sure piece."""
    words: list[Word] = []
    for w in pieces:
        text = w.word
        if words and text and not text[0].isspace() and (not text[0].isalpha() or words[-1].word[-1:] in "-@./'"):
            last = words[-1]
            words[-1] = Word(last.word + text.strip(), last.start, float(w.end), min(last.confidence, float(w.probability)))
        elif text.strip():
            words.append(Word(text.strip(), float(w.start), float(w.end), float(w.probability)))
    return words
