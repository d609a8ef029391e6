"""What a call says about a value already typed: a correction ("nine twenty seven, no, twenty
eight"), a fix to part of it ("the end is one six", "the third one is a seven"), and the value
read back later, whole, as its last four, in groups or slightly misheard. Each function adds to
`typed` (token index -> (entity, span)), the answers `context.CallContextRecognizer` found."""

from __future__ import annotations

import re

from .. import lexicon
from ..spoken import DIGITS
from ..tokens import Span
from .answers import PIECE_GAP

READ_BACK_GAP = 8  # a three-digit value said again within this many tokens is read back
PARTIAL_GAP = 12  # "no sorry, the end is one six": a fix to a number follows it this closely


def corrections(tokens, candidates, typed) -> None:
    """"nine twenty seven, no, twenty eight", "two nine no sorry oh one niner two": a value
    said right after a correction word replaces the one before, and is the same entity."""
    starts = {span.first: span for span in candidates}
    for entity, span in sorted(typed.values(), key=lambda item: item[1].first):
        k, corrected = span.last, False
        while k < len(tokens) and k - span.last < 4 and tokens[k].core in lexicon.CORRECTION_WORDS:
            corrected = corrected or tokens[k].core in ("no", "sorry", "wait", "mean", "actually", "oops")
            k += 1
        nxt = starts.get(k)
        if corrected and nxt is not None and k not in typed and tokens[k].turn == tokens[span.first].turn:
            typed[k] = (entity, nxt)


def partial_corrections(tokens, runs, typed) -> None:
    """"the end is one six", "not a three. six six eight", "and then zero two": a few digits
    said just after a number, with words that fix or finish it, are part of that number."""
    for entity, span in sorted(typed.values(), key=lambda item: item[1].first):
        if span.kind != "run" or len(span.value) < 4 or entity in ("PERSON", "HEALTH_DATE"):
            continue
        for nxt in runs:
            if nxt.first < span.last or nxt.first in typed or nxt.first - span.last > PARTIAL_GAP:
                continue
            if not nxt.value.isdigit() or len(nxt.value) >= len(span.value) \
                    or tokens[nxt.first].turn - tokens[span.first].turn > 2:
                continue
            if tokens[nxt.first - 1].core == "not":
                continue  # "six six two four at the end, not four two": the wrong reading
            between = {t.core for t in tokens[span.last:nxt.first]}
            after = {t.core for t in tokens[nxt.last:nxt.last + 3]}
            if between & lexicon.FIXING_WORDS or after & {"end", "last"} \
                    or nxt.first - span.last <= 2 and between <= {"and", "then", "uh", "um"}:
                typed[nxt.first] = (entity, nxt)
            break  # only the first short number after it


def digit_fixes(tokens, typed) -> None:
    """"the third one is a seven", "the last two are one eight": a digit or two named by
    position just after a number fix that number, and give part of it away."""
    cores = [t.core for t in tokens]
    for entity, span in sorted(typed.values(), key=lambda item: item[1].first):
        if span.kind != "run" or len(span.value) < 4 or entity in ("PERSON", "HEALTH_DATE"):
            continue
        for k in range(span.last, min(len(tokens) - 2, span.last + 2 * PARTIAL_GAP)):
            if tokens[k].turn - tokens[span.first].turn > 2:
                break
            m = _DIGIT_FIX.match(" ".join(cores[k:k + 6]))
            if not m:
                continue
            at = k + len(m.group(0).split())
            while at < len(tokens) and (cores[at] in DIGITS or cores[at].isdigit() and len(cores[at]) <= 2) \
                    and at not in typed and at - k < 8:
                typed[at] = (entity, Span(at, at + 1, str(DIGITS.get(cores[at], cores[at])), "run"))
                at += 1
                if m.group(1) in ("one's", "one", "digit", "number"):
                    break  # one digit named


def read_backs(runs, typed) -> None:
    """A value read back later (or earlier), whole or as its last four, is the same thing;
    a short one ("three oh eight" ... "three zero eight") only right after it."""
    known = {span.value: entity for entity, span in typed.values() if span.kind == "run" and len(span.value) >= 4}
    ordered = sorted((span.first, span.value, entity) for entity, span in typed.values() if span.kind == "run")
    for (_, a, e1), (_, b, e2) in zip(ordered, ordered[1:]):  # "4265 8812" ... "3049 7716" ... "4265881230497716"
        if e1 == e2 and len(a + b) >= 8:
            known.setdefault(a + b, e1)
    _pieces_of_known(runs, typed, known)
    recent = [(span.value, span.last, entity) for entity, span in typed.values() if span.kind == "run"]
    for span in runs:
        if span.first in typed:
            continue
        if len(span.value) == 3 and span.value.isdigit():
            entity = next((e for v, last, e in recent if v == span.value and 0 <= span.first - last <= READ_BACK_GAP), None)
            if entity:
                typed[span.first] = (entity, span)
            continue
        if len(span.value) < 4:
            continue
        entity = known.get(span.value)
        if entity is None and span.value.isdigit() and len(span.value) == 4:  # "the last four, 4472"
            entity = next((e for v, e in known.items() if len(v) > 4 and v.endswith(span.value)), None)
        if entity is None and len(span.value) >= 6:  # read back with a digit or two corrected, or begun
            entity = next((e for v, e in known.items() if _near_reading(span.value, v)), None)
        if entity:
            typed[span.first] = (entity, span)


_DIGIT_FIX = re.compile(r"(?:the )?(?:first|last|middle|\d{1,2}(?:st|nd|rd|th))"
                        r" (one's|one|digit|number|two|three|four|ones|digits) (?:is |are |should be )?(?:an? )?(?=\S)")


def _shape(value: str) -> str:
    return re.sub(r"[A-Z]", "A", re.sub(r"\d", "9", value))


def same_shapes(runs, typed) -> None:
    """"the British one now, it's five three one, two oh seven, niner four six": an identifier
    said with no question before it, of exactly the shape of one typed earlier in the call
    (nine digits after a nine-digit passport), is another of the same kind."""
    shapes = {}
    for entity, span in sorted(typed.values(), key=lambda item: item[1].first):
        if span.kind == "run" and entity not in ("PERSON", "HEALTH_DATE") and len(span.value) >= 7 \
                and sum(c.isdigit() for c in span.value) >= 5:
            shapes.setdefault(_shape(span.value), (entity, span.first))
    for span in runs:
        known = shapes.get(_shape(span.value))
        if known and span.first not in typed and span.first > known[1]:
            typed[span.first] = (known[0], span)


def _pieces_of_known(runs, typed, known) -> None:
    """"five two eight" / mhm / "four one" / mhm / "seven seven oh nine" ... "so 528-41-7709": groups
    said one after another that together are a value read whole elsewhere are that value."""
    digit_runs = [r for r in runs if r.value.isdigit()]
    for a in range(len(digit_runs)):
        if digit_runs[a].first in typed:
            continue
        joined, group = "", []
        for r in digit_runs[a:]:
            if group and r.first - group[-1].last > PIECE_GAP:
                break
            joined, group = joined + r.value, group + [r]
            if len(group) > 1 and joined in known:
                for piece in group:
                    typed.setdefault(piece.first, (known[joined], piece))
                break
            if len(joined) >= 19:
                break


def _near_reading(said: str, known: str) -> bool:
    """Whether `said` is another reading of `known`: a digit or two changed ("oh one eight" for
    "oh one seven eight"), one dropped or added, or its first part before a correction."""
    if len(said) == len(known):
        return sum(a != b for a, b in zip(said, known)) <= (2 if len(known) >= 8 else 1)
    if abs(len(said) - len(known)) == 1:
        short, long_ = sorted((said, known), key=len)
        return any(long_[:k] + long_[k + 1:] == short for k in range(len(long_)))
    return len(said) >= 6 and known.startswith(said)

