"""A finished transcript in the shapes OpenAI's `audio.transcriptions` answers with.

`json` is `{"text"}`, `text` the bare text, `srt`/`vtt` our subtitle cues, `verbose_json` adds
`task`, `language` (Whisper's English name, as OpenAI gives it), `duration`, `segments` and,
with `timestamp_granularities[]=word`, `words`. Segment fields we do not keep are computed the
way Whisper does (`compression_ratio`, `seek`) or left empty (`tokens`).
"""

from __future__ import annotations

import json
import zlib
from functools import lru_cache
from pathlib import Path

from . import subtitles

FORMATS = ("json", "text", "srt", "vtt", "verbose_json")
MEDIA_TYPES = {"json": "application/json", "verbose_json": "application/json", "text": "text/plain",
               "srt": "application/x-subrip", "vtt": "text/vtt"}


@lru_cache(maxsize=1)
def _language_names() -> dict[str, str]:
    return json.loads((Path(__file__).parent / "data" / "whisper_language_names.json").read_text())


def language_name(code: str | None) -> str | None:
    return _language_names().get(code or "", code) if code else None


def _compression_ratio(text: str) -> float:
    raw = text.encode()
    return round(len(raw) / len(zlib.compress(raw)), 4) if raw else 0.0


def _segments(body: dict) -> list[dict]:
    out = []
    for i, seg in enumerate(body.get("segments") or []):
        out.append({
            "id": i, "seek": int(seg["start"] * 100), "start": seg["start"], "end": seg["end"],
            "text": " " + seg["text"] if seg["text"] else "", "tokens": [],
            "temperature": seg.get("temperature") if seg.get("temperature") is not None else 0.0,
            "avg_logprob": seg.get("avg_logprob"), "compression_ratio": _compression_ratio(seg["text"]),
            "no_speech_prob": seg.get("no_speech_prob"),
        })
    return out


def render(fmt: str, transcript: dict, body: dict, word_granularity: bool) -> str | dict:
    """`transcript` is the transcript object; `body` the stored result (segments, words)."""
    text = transcript.get("text") or ""
    usage = {"type": "duration", "seconds": round(transcript.get("duration") or 0.0)}
    if fmt == "json":
        return {"text": text, "usage": usage}
    if fmt == "text":
        return text + "\n"
    if fmt in subtitles.FORMATS:
        to_text, _ = subtitles.FORMATS[fmt]
        return to_text(subtitles.cues(subtitles.timed_words(body)))
    out = {"task": "transcribe", "language": language_name(transcript.get("language")),
           "duration": transcript.get("duration"), "text": text, "segments": _segments(body), "usage": usage}
    if word_granularity:
        out["words"] = [{"word": w["word"], "start": w["start"], "end": w["end"]} for w in body.get("words") or []]
    return out
