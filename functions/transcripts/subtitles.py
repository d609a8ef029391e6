"""Subtitles: a completed transcript's words as SRT or WebVTT cues.

Pure functions of the stored result, so the API on either deployment renders them without
the model. A cue ends at a word boundary: before the word that would take it past
`chars_per_caption` characters or `max_caption_seconds` seconds, or where the speaker changes
(diarized transcripts carry the speaker into the cue). Redaction tokens (`[PII]`) are words
like any other and stay. When a result has no word times (jobs from before they were kept, or
a deployment that turns them off), the words of each ASR segment are timed by their share of
the segment's characters; a result with neither words nor segments has no subtitles.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_CHARS_PER_CAPTION = 80
DEFAULT_MAX_CAPTION_SECONDS = 6.0


@dataclass(frozen=True)
class Cue:
    index: int  # from 1
    start: float
    end: float
    text: str
    speaker: int | None = None


class NoTimings(Exception):
    """The result keeps neither word nor segment times."""


def timed_words(body: dict) -> list[dict]:
    """Words with times, each with its speaker (or None), from a stored result."""
    words = body.get("words")
    if not words:
        words = _words_from_segments(body.get("segments"))
    if not words and not (body.get("text") or "").strip():
        return []  # nothing was said: no cues
    if not words:
        raise NoTimings()
    utterances = body.get("utterances") or []
    return [{**w, "speaker": s} for w, s in zip(words, _speakers(words, utterances))]


def _words_from_segments(segments: list[dict] | None) -> list[dict]:
    out = []
    for seg in segments or []:
        tokens = seg["text"].split()
        total = sum(len(t) for t in tokens) or 1
        span, at = max(seg["end"] - seg["start"], 0.0), seg["start"]
        for t in tokens:
            end = at + span * len(t) / total
            out.append({"word": t, "start": round(at, 3), "end": round(end, 3)})
            at = end
    return out


def _speakers(words: list[dict], utterances: list[dict]) -> list[int | None]:
    """Utterances are runs of consecutive words of one speaker: walk both in order."""
    if not utterances:
        return [None] * len(words)
    out, k, taken = [], 0, 0
    for w in words:
        while k + 1 < len(utterances) and taken and w["start"] >= utterances[k + 1]["start"] \
                and w["start"] >= utterances[k]["end"]:
            k, taken = k + 1, 0
        out.append(utterances[k]["speaker"])
        taken += 1
    return out


def cues(words: list[dict], chars_per_caption: int = DEFAULT_CHARS_PER_CAPTION,
         max_caption_seconds: float = DEFAULT_MAX_CAPTION_SECONDS) -> list[Cue]:
    groups: list[list[dict]] = []
    for w in words:
        text = w["word"].strip()
        if not text:
            continue
        current = groups[-1] if groups else None
        if current is not None:
            length = sum(len(x["word"].strip()) + 1 for x in current) + len(text)
            if (w.get("speaker") != current[0].get("speaker") or length > chars_per_caption
                    or w["end"] - current[0]["start"] > max_caption_seconds):
                current = None
        if current is None:
            groups.append([w])
        else:
            current.append(w)
    return [Cue(i, g[0]["start"], max(g[-1]["end"], g[0]["start"]), " ".join(x["word"].strip() for x in g),
                g[0].get("speaker"))
            for i, g in enumerate(groups, start=1)]


def _clock(seconds: float, sep: str) -> str:
    ms = max(0, round(seconds * 1000))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def to_srt(items: list[Cue]) -> str:
    blocks = []
    for c in items:
        text = f"Speaker {c.speaker}: {c.text}" if c.speaker is not None else c.text
        blocks.append(f"{c.index}\n{_clock(c.start, ',')} --> {_clock(c.end, ',')}\n{text}\n")
    return "\n".join(blocks)


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_vtt(items: list[Cue]) -> str:
    blocks = ["WEBVTT\n"]
    for c in items:
        text = _vtt_escape(c.text)
        if c.speaker is not None:
            text = f"<v Speaker {c.speaker}>{text}"
        blocks.append(f"{c.index}\n{_clock(c.start, '.')} --> {_clock(c.end, '.')}\n{text}\n")
    return "\n".join(blocks)


FORMATS = {"srt": (to_srt, "application/x-subrip"), "vtt": (to_vtt, "text/vtt")}
