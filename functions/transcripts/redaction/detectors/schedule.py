"""How far a medication runs after its name: its release form ("Duo Forte"), strength and unit,
form, route, frequency ("up to three a day", "every 4 to 6 hours") and the times of day it is
taken at, with the other amounts of a split dose ("30 units in the morning and 20 at night").
LABELLING.md counts all of these as the medication."""

from __future__ import annotations

import re

from .. import lexicon
from ..spoken import DIGITS, TEENS, TENS


def dose_end(cores, end: int) -> int:
    """Extend a medication over its dose: "metformin 500 milligrams", "oxycodone five mg",
    "Vyvanse 30", "Eliquis 2 point 5 twice a day", "24 26 milligrams one tablet twice a day at night"."""
    j = end
    while j < len(cores) and j - end < 2 and cores[j] in RELEASE_SUFFIXES:
        j += 1  # "Augmentin Duo Forte", "metformin ER 500", "Calcichew D3 Forte"
    end = j
    if j < len(cores) and cores[j] in lexicon.DOSE_FORMS:
        j += 1  # "albuterol inhaler, two puffs as needed"
        end = j
    if j + 1 < len(cores) and cores[j] in ("uh", "um") and re.fullmatch(r"\d+(\.\d+)?", cores[j + 1]):
        j += 1  # "the Lialda, um, 4 point 8 grams a day"
    while j < len(cores) and not frequency_at(cores, j) and (
            re.fullmatch(r"\d+(\.\d+)?(mg|mcg|ml)?|\d+/\d+", cores[j]) or number_word(cores[j])
            or cores[j] in ("hundred", "point") or cores[j] in ("uh", "um", "to", "or") and j > end):
        j += 1  # "Sinemet sixty-two point five", "Tylenol Three, one or two every six hours"
    while j > end and cores[j - 1] in ("uh", "um", "point", "to", "or"):
        j -= 1  # also drops a hesitation taken before a number that did not come
    if j > end and j < len(cores) and cores[j] in lexicon.DOSE_UNITS:
        j += 1
        if j + 1 < len(cores) and cores[j] == "per" and cores[j + 1] in lexicon.DOSE_UNITS:
            j += 2  # "20 milligrams per ml"
        elif j + 1 < len(cores) and cores[j] == "per" and re.fullmatch(r"\d+", cores[j + 1]):
            j += 2  # "400 milligrams per 5, 5 mls twice a day"
            if j < len(cores) and cores[j] in lexicon.DOSE_UNITS:
                j += 1
            if j + 1 < len(cores) and re.fullmatch(r"\d+(\.\d+)?", cores[j]) and cores[j + 1] in lexicon.DOSE_UNITS:
                j += 2
        if j < len(cores) and cores[j] in lexicon.DOSE_FORMS:
            j += 1  # "fifty milligram pen once a week"
    elif j > end and (j >= len(cores) or cores[j] in lexicon.NOT_A_DOSE_AFTER):
        return end  # "Advil 2 days ago": a count, not a dose
    if j + 1 < len(cores) and (cores[j].isdigit() or cores[j] in DIGITS) and cores[j + 1] in lexicon.DOSE_FORMS:
        j += 2  # "one tablet"
    if j > end and j < len(cores) and cores[j] in lexicon.DOSE_FORMS:
        j += 1  # "senna 2 tabs at bedtime"
    j += phrase_at(cores, j, _ROUTES)  # "0.25 ml under the tongue every two hours"
    if cores[j:j + 2] == ["up", "to"] and frequency_at(cores, j + 2):
        j += 2  # "up to three times a day": a limit is a frequency too
    frequency = frequency_at(cores, j)
    j += frequency
    if not frequency:
        frequency = phrase_at(cores, j, _AS_NEEDED)  # "two puffs when needed"
        j += frequency
    j += phrase_at(cores, j, _AS_NEEDED)  # "every six hours as needed"
    j = _times_end(cores, j, bool(frequency))  # "once a day in the morning", "in the morning and 20 at night"
    j += phrase_at(cores, j, _ROUTES)  # "at night in both eyes"
    return j


def _times_end(cores, j: int, scheduled: bool = False) -> int:
    """The end of the time of day a dose is taken at, from j ("in the morning"), and of the other
    amounts of a split dose joined to it, each with its own time ("30 units in the morning and 20
    at night", "eighty in the morning and forty at two p.m."). `scheduled`: a frequency ends right
    before j, and the split may follow it. Times joined bare ("morning and night") are left: the
    labelled calls disagree on them."""
    first = phrase_at(cores, j, TIMES)
    if not first and not scheduled:
        return j
    j += first
    while j + 1 < len(cores) and cores[j] in ("and", "or"):
        amount = _amount_at(cores, j + 1)
        said = _time_at(cores, j + 1 + amount) if amount else 0
        if not said:
            break
        j += 1 + amount + said
    return j


def _time_at(cores, j: int) -> int:
    """Words of one time of day at j: a listed one (`dose_times.txt`) or a clock time after "at"
    ("at 5:00 p.m.", "at two p.m."); else 0."""
    listed = phrase_at(cores, j, TIMES)
    if listed:
        return listed
    if j + 1 < len(cores) and cores[j] == "at":
        if re.fullmatch(r"\d{1,2}:\d\d(am|pm|a\.m|p\.m)?|\d{1,2}(am|pm|a\.m|p\.m)", cores[j + 1]):
            return 2 + (j + 2 < len(cores) and cores[j + 2] in _MERIDIEM)
        if (cores[j + 1].isdigit() or number_word(cores[j + 1])) and j + 2 < len(cores) and cores[j + 2] in _MERIDIEM:
            return 3
    return 0


def _amount_at(cores, j: int) -> int:
    """Words of the amount of a split dose at j ("20", "forty", "ten units"); else 0."""
    if j >= len(cores) or not (re.fullmatch(r"\d+(\.\d+)?", cores[j]) or number_word(cores[j])):
        return 0
    return 2 if j + 1 < len(cores) and (cores[j + 1] in lexicon.DOSE_UNITS or cores[j + 1] in lexicon.DOSE_FORMS) else 1


def _phrases(phrases) -> list[tuple[str, ...]]:
    """Phrases as word tuples, longest first, for `phrase_at`."""
    return sorted((tuple(p.split()) for p in phrases), key=len, reverse=True)


_FREQUENCIES = _phrases(lexicon.DOSE_FREQUENCY)
_ROUTES = _phrases(lexicon.DOSE_ROUTES)
TIMES = _phrases(lexicon.DOSE_TIMES)
_AS_NEEDED = _phrases(lexicon.word_list("as_needed"))


def phrase_at(cores, j: int, phrases: list[tuple[str, ...]]) -> int:
    """The number of words of the first of `phrases` said at j, or 0."""
    return next((len(words) for words in phrases if tuple(cores[j:j + len(words)]) == words), 0)


def number_word(word: str) -> bool:
    """A number said in words: "five", "fifteen", "seventy", "seventy-five"."""
    if "-" in word:
        tens, _, unit = word.partition("-")
        return tens in TENS and unit in DIGITS
    return word in DIGITS or word in TEENS or word in TENS


_PERIODS = frozenset("hour hours day days week weeks month months night nights morning mornings evening".split())
_PER = frozenset({"a", "per", "each", "every"})
_TIMES_WORDS = frozenset({"once", "twice", "thrice"})
RELEASE_SUFFIXES = lexicon.word_set("release_suffixes")
_MERIDIEM = frozenset({"am", "pm", "a.m", "p.m"})
_HEARD_COUNTS = frozenset({"to", "too", "for", "fore"})  # "two", "four" as the recogniser writes them


def _count(cores, j: int) -> int:
    """Words of a small count at j: "4", "four", "two to three", "one or two", "4-6"; else 0. The
    recogniser's homophones count right before "times" or a period ("to times a day", "every for
    hours")."""
    def one(k: int) -> bool:
        return k < len(cores) and (bool(re.fullmatch(r"\d{1,2}(-\d{1,2})?", cores[k])) or cores[k] in DIGITS
                                   and cores[k] not in ("o", "oh") or cores[k] in TEENS)
    if j + 1 < len(cores) and cores[j] in _HEARD_COUNTS and (cores[j + 1] == "times" or cores[j + 1] in _PERIODS):
        return 1
    if not one(j):
        return 0
    if j + 2 < len(cores) and cores[j + 1] in ("to", "or") and one(j + 2):
        return 3
    return 1


def frequency_at(cores, j: int) -> int:
    """The number of words of a dose frequency starting at j, or 0: the listed ones ("twice a day",
    "as needed", `dose_frequency.txt`) and any of the schedule grammar "N times a day", "once a
    week", "every N hours", "every 4 to 6 hours", "three times daily", whatever the count."""
    listed = phrase_at(cores, j, _FREQUENCIES)
    k = j
    if k < len(cores) and cores[k] == "every":
        k += 1 + _count(cores, k + 1)
        return max(listed, k + 1 - j if k < len(cores) and cores[k] in _PERIODS else 0)
    counted = _count(cores, k)
    if counted and k + counted < len(cores) and cores[k + counted] == "times":
        k += counted + 1
    elif counted and k + counted + 1 < len(cores) and cores[k + counted] in _PER and cores[k + counted + 1] in _PERIODS:
        k += counted  # "up to three a day", "two a day"
    elif k < len(cores) and cores[k] in _TIMES_WORDS:
        k += 1
    else:
        return listed
    if k + 1 < len(cores) and cores[k] in _PER and cores[k + 1] in _PERIODS:
        return max(listed, k + 2 - j)
    if k < len(cores) and cores[k] in ("daily", "weekly", "monthly", "nightly"):
        return max(listed, k + 1 - j)
    return listed
