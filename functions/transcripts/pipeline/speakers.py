"""Words to speakers, then utterances: the step that decides who said each word.

Each word goes to the speaker whose (exclusive) turn overlaps it most; a word in a gap between
turns goes to the nearest turn. Consecutive words of one speaker form an utterance; speakers
are numbered 0, 1, ... in order of first appearance. No word is lost or duplicated, so the
utterances' texts joined are the transcript's text.
"""

from __future__ import annotations

from .diarize import Turn


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def assign_speakers(words: list[dict], turns: list[Turn]) -> list[str | None]:
    if not turns:
        return [None] * len(words)
    labels = []
    for w in words:
        best, best_overlap = None, 0.0
        for t in turns:
            o = _overlap(w["start"], w["end"], t.start, t.end)
            if o > best_overlap:
                best, best_overlap = t.speaker, o
        if best is None:  # in a gap: nearest turn by distance to the word's middle
            mid = (w["start"] + w["end"]) / 2
            best = min(turns, key=lambda t: 0.0 if t.start <= mid <= t.end else min(abs(mid - t.start), abs(mid - t.end))).speaker
        labels.append(best)
    return labels


def speaker_numbers(labels: list[str | None], labels_are_numbers: bool = False) -> list[int]:
    """Speakers numbered 0, 1, ... by first appearance; `labels_are_numbers`: the labels are the
    numbers already (channel indices)."""
    numbers: dict[str | None, int] = {}
    return [int(label) if labels_are_numbers else numbers.setdefault(label, len(numbers)) for label in labels]


def utterances(words: list[dict], speakers: list[int]) -> list[dict]:
    """Consecutive words of one speaker (numbers from `speaker_numbers`) as one utterance."""
    out: list[dict] = []
    for w, speaker in zip(words, speakers):
        if out and out[-1]["speaker"] == speaker:
            u = out[-1]
            u["end"] = w["end"]
            u["_words"].append(w)
        else:
            out.append({"speaker": speaker, "start": w["start"], "end": w["end"], "_words": [w]})
    for u in out:
        ws = u.pop("_words")
        u["text"] = " ".join(w["word"] for w in ws)
        scored = [w["confidence"] for w in ws if w["confidence"] is not None]
        u["confidence"] = round(sum(scored) / len(scored), 4) if scored else None
    return [{"speaker": u["speaker"], "start": u["start"], "end": u["end"], "text": u["text"],
             "confidence": u["confidence"]} for u in out]
