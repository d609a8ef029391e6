"""A word or two right before a dose and its unit is a medication, whatever the word.

The recogniser turns drug names it does not know into ordinary English or splits them ("lice in a
pril 20 milligrams", "back lo fen 10 mg"); the dose after them is the firm signal. The one or two
words before a number and a dose unit (lexicon.DOSE_UNITS) are taken, with the dose, as a
medication, unless they are stop words or verbs that lead a dose (`data/dose_lead_stop.txt`). A word
the recogniser was unsure of (low word probability) extends the name further back.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from .. import lexicon
from ..spoken import DIGITS, TEENS, TENS
from ..tokens import strip_punct
from .medical import _TIMES, _dose_end, _frequency_at, _phrase_at  # the schedule after a dose ("twice a day")

LEAD_WORDS = 2  # words before the dose taken as the drug's name
UNSURE_LEAD_WORDS = 4  # the same, while the words are ones the recogniser was unsure of
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_SPOKEN = frozenset(DIGITS) | frozenset(TEENS) | frozenset(TENS) | {"hundred", "thousand", "half", "a"}


@lru_cache(maxsize=1)
def _stop() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    text = resources.files("transcripts.redaction").joinpath("data/dose_lead_stop.txt").read_text(encoding="utf-8")
    listed = {line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}
    return frozenset(listed) | frozenset(STOP_WORDS)


def _core(word: str) -> str:
    return strip_punct(word).lower()


def _number_end(cores: list[str], i: int) -> int:
    """End of the number (figures or spoken words) starting at i; i when none starts there."""
    j = i
    while j < len(cores) and (_NUMBER.fullmatch(cores[j]) or cores[j] in _SPOKEN and cores[j] != "a"):
        j += 1
    return j


def _dose_at(cores: list[str], i: int) -> int | None:
    """End of "NUMBER UNIT" starting at i ("20 milligrams", "two hundred mg"), else None."""
    j = _number_end(cores, i)
    if j > i and j < len(cores) and cores[j] in lexicon.DOSE_UNITS:
        return j + 1
    return None


def _scheduled_at(cores: list[str], i: int) -> int | None:
    """End of "NUMBER SCHEDULE" starting at i ("500 twice a day", "forty in the morning"): a
    strength said without its unit, then how often it is taken."""
    j = _number_end(cores, i)
    if j == i or j >= len(cores):
        return None
    end = _dose_end(cores, j)
    return end if end > j and (_frequency_at(cores, j) or _phrase_at(cores, j, _TIMES)) else None


def medication_spans(words: list[str], confidences: list[float | None] | None = None,
                     unsure_below: float = 0.5, common=frozenset()) -> list[tuple[int, int]]:
    """[first, end) word spans: the drug's name words and the dose. A strength said without its
    unit but with its schedule ("Glycomet 500 twice a day") counts when the one word before it is
    no English word (`common`): "he gets 1 in the morning" is not a drug."""
    cores = [_core(w) for w in words]
    stop = _stop()
    spans = []
    for i in range(1, len(cores)):
        if cores[i - 1] and (_NUMBER.fullmatch(cores[i - 1]) or cores[i - 1] in _SPOKEN):
            continue  # not the dose's first number
        end = _dose_at(cores, i)
        if end is None:
            end = _scheduled_at(cores, i)
            lead = cores[i - 1]
            if end is not None and lead.isalpha() and lead not in stop and lead not in common \
                    and not words[i - 1].endswith((".", "?", "!", ",")):
                spans.append((i - 1, end))
            continue
        first = i
        while first > 0 and i - first < UNSURE_LEAD_WORDS:
            k = first - 1
            word_ends_sentence = words[k].endswith((".", "?", "!", ","))
            unsure = confidences is not None and confidences[k] is not None and confidences[k] < unsure_below
            if word_ends_sentence or not cores[k] or (len(cores[k]) == 1 or cores[k] in stop) and not unsure \
                    or i - first >= LEAD_WORDS and not unsure or _NUMBER.fullmatch(cores[k]):
                break
            first = k  # a letter said alone is no drug's name: "h k seven g ..." spells a code
        if first < i:
            spans.append((first, _dose_end(cores, end)))
    return spans


def bare_doses(words: list[str]) -> list[tuple[int, int]]:
    """[first, end) spans of a dose said with no name before it ("the half milligram", "up from
    25 mg"), with its schedule: the engine takes one as the medication named shortly before."""
    cores = [_core(w) for w in words]
    spans = []
    for i in range(len(cores)):
        if i > 0 and cores[i - 1] and (_NUMBER.fullmatch(cores[i - 1]) or cores[i - 1] in _SPOKEN):
            continue
        end = _dose_at(cores, i)
        if end is not None:
            spans.append((i, _dose_end(cores, end)))
    return spans
