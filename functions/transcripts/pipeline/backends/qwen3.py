"""Qwen3-ASR through the `qwen-asr` package (GPU image only: its weights are baked there).

The library returns `ASRTranscription(language, text, time_stamps)` per input, where
`language` is an English name ("English", or "Chinese,English" for mixed speech) and
`time_stamps` a `ForcedAlignResult(items=[ForcedAlignItem(text, start_time, end_time)])` from
the Qwen3 forced aligner. It gives no probabilities: confidences are null, not invented.
`vocabulary` goes in as the model's context text, which Qwen3-ASR uses for biasing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..asr import AsrResult, DecodeSettings, Segment, Word
from ..decode import SAMPLE_RATE

# Qwen3-ASR's language names -> ISO 639-1 (the ones it supports that have a code).
LANGUAGE_CODES = {
    "Chinese": "zh", "English": "en", "Cantonese": "zh", "Arabic": "ar", "German": "de", "French": "fr",
    "Spanish": "es", "Portuguese": "pt", "Indonesian": "id", "Italian": "it", "Korean": "ko", "Russian": "ru",
    "Thai": "th", "Vietnamese": "vi", "Japanese": "ja", "Turkish": "tr", "Hindi": "hi", "Malay": "ms",
    "Dutch": "nl", "Swedish": "sv", "Danish": "da", "Finnish": "fi", "Polish": "pl", "Czech": "cs",
    "Filipino": "tl", "Persian": "fa", "Greek": "el", "Hungarian": "hu", "Macedonian": "mk", "Romanian": "ro",
}
NAMES = {code: name for name, code in reversed(list(LANGUAGE_CODES.items()))}


def to_asr_result(transcription, duration: float, language_given: str | None) -> AsrResult:
    """Map one `ASRTranscription` to our result types."""
    names = [n.strip() for n in (transcription.language or "").split(",") if n.strip()]
    language = language_given or next((LANGUAGE_CODES[n] for n in names if n in LANGUAGE_CODES), "")
    words = []
    stamps = getattr(transcription, "time_stamps", None)
    for item in (stamps.items if stamps is not None else []):
        start = max(0.0, float(item.start_time))
        words.append(Word(item.text.strip(), start, max(start, float(item.end_time)), None))
    text = (transcription.text or "").strip()
    segments = [Segment(words[0].start if words else 0.0, words[-1].end if words else duration, text, None, words)] if text else []
    return AsrResult(segments, language, 1.0 if language_given else (1.0 if language else 0.0))


class Qwen3AsrBackend:
    def __init__(self, model_dir: Path, device: str = "auto"):
        import torch
        from qwen_asr import Qwen3ASRModel

        cuda = device in ("auto", "cuda") and torch.cuda.is_available()
        aligner = model_dir / "forced-aligner"
        self.model = Qwen3ASRModel.from_pretrained(
            str(model_dir / "asr"), dtype=torch.bfloat16 if cuda else torch.float32,
            device_map="cuda:0" if cuda else "cpu",
            forced_aligner=str(aligner) if aligner.exists() else None,
            forced_aligner_kwargs={"dtype": torch.bfloat16 if cuda else torch.float32,
                                   "device_map": "cuda:0" if cuda else "cpu"},
        )

    def transcribe(self, audio, settings: DecodeSettings, *, language: str | None, word_timestamps: bool,
                   vocabulary: tuple[str, ...] = (), should_cancel: Callable[[], bool] = lambda: False,
                   on_segment: Callable[[float], None] | None = None) -> AsrResult:
        [result] = self.model.transcribe(
            audio=(audio, SAMPLE_RATE), context=", ".join(vocabulary), language=NAMES.get(language) if language else None,
            return_time_stamps=word_timestamps and self.model.forced_aligner is not None,
        )
        if on_segment is not None:  # one call per window: progress moves window by window
            on_segment(len(audio) / SAMPLE_RATE)
        return to_asr_result(result, len(audio) / SAMPLE_RATE, language)
