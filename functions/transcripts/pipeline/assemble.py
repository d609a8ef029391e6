"""Turn ASR segments into the transcript body the API returns (text, words, confidence)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .asr import AsrResult, segment_confidence


@dataclass
class TranscriptBody:
    """The heavy part of a transcript, stored as the job's result blob."""

    text: str
    confidence: float | None
    words: list[dict] | None
    utterances: list[dict] | None = None
    redactions: list[dict] | None = None
    segments: list[dict] | None = None  # ASR segments (start, end, text): subtitles without word times


    def to_dict(self) -> dict:
        return asdict(self)


def _ms(value: float) -> float:
    return round(value, 3)


def clean_words(result: AsrResult, duration: float) -> list[dict]:
    """Words inside [0, duration], each starting no earlier than the previous one ended."""
    words, cursor = [], 0.0
    for seg in result.segments:
        for w in seg.words:
            if not w.word:
                continue
            start = min(max(w.start, cursor), duration)
            end = min(max(w.end, start), duration)
            confidence = None if w.confidence is None else round(min(max(w.confidence, 0.0), 1.0), 4)
            words.append({"word": w.word, "start": _ms(start), "end": _ms(end), "confidence": confidence})
            cursor = end
    return words


def _score(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def assemble(result: AsrResult, duration: float, word_timestamps: bool) -> TranscriptBody:
    text = " ".join(seg.text for seg in result.segments if seg.text).strip()
    words = clean_words(result, duration) if word_timestamps else None
    scored = [w["confidence"] for w in words or [] if w["confidence"] is not None]
    if scored:
        confidence = sum(scored) / len(scored)
    else:  # no word scores: the segments' scores, weighted by their length (None if the backend has none)
        spans = [(max(seg.end - seg.start, 0.01), segment_confidence(seg.avg_logprob)) for seg in result.segments
                 if seg.avg_logprob is not None]
        total = sum(span for span, _ in spans)
        confidence = sum(span * c for span, c in spans) / total if total else None
    return TranscriptBody(
        text=text,
        confidence=round(confidence, 4) if confidence is not None else None,
        words=words,
        segments=[{"start": _ms(seg.start), "end": _ms(min(seg.end, duration)), "text": seg.text,
                   "avg_logprob": _score(seg.avg_logprob), "no_speech_prob": _score(seg.no_speech_prob),
                   "temperature": seg.temperature}
                  for seg in result.segments if seg.text],
    )
