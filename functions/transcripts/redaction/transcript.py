"""One redaction path for a job's words and for a transcript a user already has.

`redact_words_of` is what a job with `redact` runs (pipeline/__init__.py); `redact_transcript` runs the
same on a transcript object (this API's JSON, or shaped like it: `words` with `word`/`start`/`end`,
optional `confidence`, optional `utterances` with `speaker`), for `transcripts redact`.
"""

from __future__ import annotations

from .apply import RedactedWords, redact_words, turns_from
from .policy import CLASSES, token_class


class TranscriptShapeError(ValueError):
    """The object is not shaped like a transcript; the message says what is missing."""

    def __init__(self, message: str, param: str):
        super().__init__(message)
        self.param = param


def redact_words_of(redactor, words: list[dict], speakers: list | None, wanted: set[str],
                    duration: float) -> RedactedWords:
    labels = redactor.label([w["word"] for w in words], turns_from(words, speakers),
                            [w.get("confidence") for w in words])
    classes = [token_class(lab.entity, wanted) if lab else None for lab in labels]
    return redact_words(words, classes, wanted, duration, speakers)


def _speakers_from(words: list[dict], utterances: list[dict]) -> list:
    """Each word's speaker: the utterance whose time range holds the word's middle (else the nearest)."""
    out = []
    for w in words:
        middle = (w["start"] + w["end"]) / 2
        best = min(utterances, key=lambda u: 0.0 if u["start"] <= middle <= u["end"]
                   else min(abs(u["start"] - middle), abs(u["end"] - middle)))
        out.append(best["speaker"])
    return out


def _checked_words(obj) -> list[dict]:
    if not isinstance(obj, dict):
        raise TranscriptShapeError("the input is not a JSON object", "FILE")
    words = obj.get("words")
    if not isinstance(words, list) or not words and obj.get("text"):
        raise TranscriptShapeError("the transcript has no `words` list: redaction needs words with times "
                                   "(create the job with word_timestamps=true)", "words")
    for k, w in enumerate(words):
        if not isinstance(w, dict) or not isinstance(w.get("word"), str) \
                or not all(isinstance(w.get(t), (int, float)) for t in ("start", "end")):
            raise TranscriptShapeError(f"words[{k}] needs `word` (string), `start` and `end` (seconds)", f"words[{k}]")
    return [{**w, "confidence": w.get("confidence")} for w in words]


def check_transcript(obj, classes: list[str]) -> list[dict]:
    """The object's words, when it is shaped like a transcript and the classes are known; else
    TranscriptShapeError saying what to fix (before any engine loads)."""
    unknown = [c for c in classes if c not in CLASSES]
    if not classes or unknown:
        raise TranscriptShapeError(f"redact classes must be a non-empty subset of {', '.join(CLASSES)}", "redact")
    return _checked_words(obj)


def redact_transcript(obj: dict, classes: list[str], redactor) -> dict:
    """The transcript redacted exactly as a job with `redact` produces it: `text`, `words`,
    `utterances` (when it had them) and `redactions` replaced; every other field kept."""
    words = check_transcript(obj, classes)
    utterances = obj.get("utterances")
    speakers = _speakers_from(words, utterances) if isinstance(utterances, list) and utterances else None
    duration = obj.get("duration") if isinstance(obj.get("duration"), (int, float)) else \
        max((w["end"] for w in words), default=0.0)
    out = redact_words_of(redactor, words, speakers, set(classes), float(duration))
    result = dict(obj)
    result["words"] = out.words
    result["text"] = " ".join(w["word"] for w in out.words)
    result["redactions"] = out.ranges
    result["redact"] = sorted(set(classes), key=CLASSES.index)
    if speakers is not None:
        from ..pipeline.speakers import utterances as group

        result["utterances"] = group(out.words, out.speakers)
    return result
