"""Apply found entities to a transcript: one `[PCI]`-style token per redacted span (timed from
its first word's start to its last word's end), and the time ranges to silence or beep.

A span never crosses a speaker change, so utterances keep their speakers. Ranges are padded
a little (word times are accurate to ~50 ms) and ranges of one class that nearly touch are
merged; ranges of different classes that overlap after padding meet halfway.
"""

from __future__ import annotations

from dataclasses import dataclass

PAD_S = 0.05
MERGE_GAP_S = 0.3
TOKENS = {"pii": "[PII]", "phi": "[PHI]", "pci": "[PCI]"}


@dataclass
class RedactedWords:
    words: list[dict]
    speakers: list | None  # per redacted word, when the words had speakers
    ranges: list[dict]  # {"entity", "start", "end"}, sorted, not overlapping


def turns_from(words: list[dict], speakers: list | None, pause_s: float = 1.0) -> list[int]:
    """Turn numbers for the engine: speaker changes when diarized, else pauses longer than `pause_s`."""
    turns, turn = [], 0
    for i, w in enumerate(words):
        if i and (speakers[i] != speakers[i - 1] if speakers else w["start"] - words[i - 1]["end"] > pause_s):
            turn += 1
        turns.append(turn)
    return turns


def redact_words(words: list[dict], classes: list[str | None], wanted: set[str], duration: float,
                 speakers: list | None = None) -> RedactedWords:
    """`classes[i]`: the class found for word i (None: none). Only `wanted` classes are redacted."""
    out_words, out_speakers, spans = [], [] if speakers is not None else None, []
    i = 0
    while i < len(words):
        cls = classes[i] if classes[i] in wanted else None
        j = i + 1
        if cls is not None:
            while j < len(words) and classes[j] == cls and (speakers is None or speakers[j] == speakers[i]):
                j += 1
            first, last = words[i], words[j - 1]
            tail = last["word"][len(last["word"].rstrip(".,;:!?")):]  # keep the sentence's punctuation
            out_words.append({"word": TOKENS[cls] + tail, "start": first["start"], "end": last["end"],
                              "confidence": None})
            spans.append((cls, first["start"], last["end"]))
        else:
            out_words.append(dict(words[i]))
        if out_speakers is not None:
            out_speakers.append(speakers[i])
        i = j
    return RedactedWords(out_words, out_speakers, time_ranges(spans, duration))


def time_ranges(spans: list[tuple[str, float, float]], duration: float) -> list[dict]:
    ranges: list[dict] = []
    for cls, start, end in sorted(spans, key=lambda s: s[1]):
        start, end = max(0.0, start - PAD_S), min(duration, end + PAD_S)
        if ranges and ranges[-1]["entity"] == cls and start - ranges[-1]["end"] <= MERGE_GAP_S:
            ranges[-1]["end"] = max(ranges[-1]["end"], end)
            continue
        if ranges and start < ranges[-1]["end"]:  # another class: meet halfway
            middle = (start + ranges[-1]["end"]) / 2
            ranges[-1]["end"], start = middle, middle
        ranges.append({"entity": cls, "start": start, "end": end})
    return [{"entity": r["entity"], "start": round(r["start"], 3), "end": round(r["end"], 3)}
            for r in ranges if r["end"] > r["start"]]
