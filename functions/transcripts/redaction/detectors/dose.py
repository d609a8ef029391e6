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
from ..spoken import DIGITS, NUMBER_WORDS
from ..tokens import strip_punct
from .schedule import TIMES, dose_end, frequency_at, number_word, phrase_at  # the schedule after a dose

LEAD_WORDS = 2  # words before the dose taken as the drug's name
UNSURE_LEAD_WORDS = 4  # the same, while the words are ones the recogniser was unsure of
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_SPOKEN = NUMBER_WORDS | {"hundred", "thousand", "half", "a"}


@lru_cache(maxsize=1)
def _stop() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    text = resources.files("transcripts.redaction").joinpath("data/dose_lead_stop.txt").read_text(encoding="utf-8")
    listed = {line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}
    return frozenset(listed) | frozenset(STOP_WORDS)


def _core(word: str) -> str:
    return strip_punct(word).lower()


def _is_number(core: str) -> bool:
    """A number in figures or words, "seventy-five" too."""
    return bool(_NUMBER.fullmatch(core)) or core in _SPOKEN or number_word(core)


def _number_end(cores: list[str], i: int) -> int:
    """End of the number (figures or spoken words) starting at i; i when none starts there."""
    j = i
    while j < len(cores) and _is_number(cores[j]) and cores[j] != "a":
        j += 1
    return j


def _dose_at(cores: list[str], i: int) -> int | None:
    """End of "NUMBER UNIT" starting at i ("20 milligrams", "two hundred mg"), else None. A
    percentage is a strength only when small ("1 percent cream", "2.5%"): "covers eighty percent",
    "adds twenty-five percent" are shares."""
    joined = _joined_dose(cores[i])  # "five-milligrams", "5-milligram", "10mg": as the recogniser writes them
    if joined:
        return i + 1 if joined[1] not in ("percent", "%") or _small([joined[0]]) else None
    j = _number_end(cores, i)
    if j > i and j < len(cores) and cores[j] in lexicon.DOSE_UNITS:
        if cores[j] in ("percent", "%") and not _small(cores[i:j]):
            return None
        return j + 1
    return None


_GLUED_DOSE = re.compile(r"(\d+(?:\.\d+)?)([a-z%]+)")  # "500mg"


def _joined_dose(core: str) -> tuple[str, str] | None:
    """(number, unit) of a strength written as one word: "seventy-five-milligram", "5-mg", "500mg"."""
    number, _, unit = core.rpartition("-")
    if not number:
        glued = _GLUED_DOSE.fullmatch(core)
        number, unit = glued.groups() if glued else ("", "")
    return (number, unit) if number and _is_number(number) and unit in lexicon.DOSE_UNITS else None


def _small(number: list[str]) -> bool:
    """A number of at most 10: "2.5", "one", "point five"; not "eighty", "25"."""
    if len(number) == 1 and _NUMBER.fullmatch(number[0]):
        return float(number[0]) <= 10
    return all(w in DIGITS or w in ("point", "half", "ten") for w in number)


def _scheduled_at(cores: list[str], i: int) -> int | None:
    """End of "NUMBER SCHEDULE" starting at i ("500 twice a day", "forty in the morning"): a
    strength said without its unit, then how often it is taken."""
    j = _number_end(cores, i)
    if j == i or j >= len(cores):
        return None
    j = next((k for k in range(i + 1, j) if frequency_at(cores, k)), j)  # "500 three times a day"
    end = dose_end(cores, j)
    return end if end > j and (frequency_at(cores, j) or phrase_at(cores, j, TIMES)) else None


def medication_spans(words: list[str], confidences: list[float | None] | None = None,
                     unsure_below: float = 0.5, common=frozenset()) -> list[tuple[int, int]]:
    """[first, end) word spans: the drug's name words and the dose. A strength said without its
    unit but with its schedule ("Glycomet 500 twice a day") counts when the one word before it is
    no English word (`common`): "he gets 1 in the morning" is not a drug."""
    cores = [_core(w) for w in words]
    stop = _stop()
    spans = []
    for i in range(1, len(cores)):
        if cores[i - 1] and _is_number(cores[i - 1]):
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
            spans.append((first, dose_end(cores, end)))
    return spans


def bare_doses(words: list[str]) -> list[tuple[int, int]]:
    """[first, end) spans of a dose said with no name before it ("the half milligram", "up from
    25 mg"), with its schedule: the engine takes one as the medication named shortly before."""
    cores = [_core(w) for w in words]
    spans = []
    for i in range(len(cores)):
        if i > 0 and cores[i - 1] and _is_number(cores[i - 1]):
            continue
        end = _dose_at(cores, i)
        if end is not None:
            spans.append((i, dose_end(cores, end)))
    return spans


def listed_strengths(words: list[str], common=frozenset()) -> list[tuple[int, int]]:
    """[first, end) spans of a word English does not know followed by a number ("Ecosprin
    seventy-five", "Metolar 25 twice a day", "Clavulin eight seventy-five"): a strength said
    without its unit or schedule. The engine takes one as a medication only beside another
    medication: in a list of drugs, the brands the dictionary lacks read like the ones it has."""
    cores = [_core(w) for w in words]
    stop = _stop()
    spans = []
    for i in range(1, len(cores)):
        lead = cores[i - 1]
        if len(lead) < 4 or not lead.replace("-", "").isalpha() or lead in stop or lead in common \
                or lead in lexicon.DOSE_UNITS or lead in lexicon.DOSE_FORMS \
                or words[i - 1].endswith((".", "?", "!", ",", ":", ";")):
            continue
        number = _number_end(cores, i)
        if number == i or number < len(cores) and cores[number] in lexicon.NOT_A_DOSE_AFTER:
            continue  # "Ecosprin for two weeks" is a count
        spans.append((i - 1, max(number, dose_end(cores, i))))
    return spans


SPLIT_PIECES = 7  # most pieces a drug's name is heard as ("ben dro flu me thigh a side": 7)
SPLIT_MIN_LETTERS = 7  # shorter joins match some name by chance
SPLIT_SIMILARITY = 0.82  # normalised Levenshtein similarity of the joined pieces to a dictionary name
SOUND_MIN_LETTERS = 5  # dictionary names compared by sound ("Flagyl" is six letters)
SOUND_MIN_KEY = 4  # Metaphone keys shorter than this match English words by chance
SOUND_FUZZY_KEY = 7  # keys this long may differ by Levenshtein (lansoprazole LNSPRSL, "lance of prazole" LNSFPRSL)
SOUND_SIMILARITY = 0.85


def _sound_key():
    """Metaphone through jellyfish (MIT), or None where it is not installed."""
    try:
        from jellyfish import metaphone
    except ImportError:
        return None
    return metaphone


class SplitNames:
    """A drug's name the recogniser heard as ordinary words ("met for men 500 twice a day", "ben dro
    flu me thigh a side 2.5 milligrams"): the pieces, joined, are within a few letters of a name in
    the drug dictionary. Right before a dose, where a name is expected (`spans`); elsewhere only on
    a call about care and only pieces that look like a name (`said_alone`). RapidFuzz computes the
    distances."""

    def __init__(self, medications):
        from rapidfuzz import process  # imported here: only the engine needs it, not every importer of dose
        from rapidfuzz.distance import Levenshtein

        self._extract_one, self._similarity_of = process.extractOne, Levenshtein.normalized_similarity
        self.medications = medications
        by_letter: dict[str, list[str]] = {}
        for name in medications:
            if " " not in name and len(name) >= SPLIT_MIN_LETTERS and name.isalpha():
                by_letter.setdefault(name[0], []).append(name)
        self.by_letter = by_letter
        self._sound = _sound_key()
        sounds: dict[str, set[str]] = {}
        if self._sound:
            for name in medications:
                if " " not in name and len(name) >= SOUND_MIN_LETTERS and name.isalpha():
                    key = self._sound(name)
                    if len(key) >= SOUND_MIN_KEY:
                        sounds.setdefault(key[0], set()).add(key)
        self.sounds = {first: sorted(keys) for first, keys in sounds.items()}

    def _similarity(self, joined: str, by_sound: bool = False) -> float | None:
        """How close the joined pieces come to a dictionary name, in letters or in sound (None: not
        within SPLIT_SIMILARITY, or too short to compare). The sound is the name's Metaphone key:
        "flag ill" and Flagyl, "new row fen" and Nurofen, "a tour of a statin" and atorvastatin
        sound alike where their letters differ too much. By sound only where `by_sound` (right
        before a strength with its unit or schedule): a key matches English words by chance."""
        if len(joined) < SPLIT_MIN_LETTERS:
            return None
        candidates = self.by_letter.get(joined[0])
        match = candidates and self._extract_one(joined, candidates, scorer=self._similarity_of,
                                                 score_cutoff=SPLIT_SIMILARITY)
        if match:
            return match[1]
        key = self._sound(joined) if self._sound and by_sound else ""
        keys = self.sounds.get(key[:1])
        if len(key) < SOUND_MIN_KEY or not keys:
            return None
        cutoff = 1.0 if len(key) < SOUND_FUZZY_KEY else SOUND_SIMILARITY
        match = self._extract_one(key, keys, scorer=self._similarity_of, score_cutoff=cutoff)
        return match[1] * SPLIT_SIMILARITY if match else None

    def spans(self, words: list[str], near_medication=lambda i: False) -> list[tuple[int, int]]:
        """[first, end) spans of split names with their dose; a number with no unit or schedule
        counts where `near_medication(i)` (a strength in a list of drugs)."""
        cores = [_core(w) for w in words]
        spans = []
        for i in range(2, len(cores)):
            if _is_number(cores[i - 1]):
                continue
            end = _dose_at(cores, i) or _scheduled_at(cores, i)
            by_sound = end is not None
            if end is None:
                number = _number_end(cores, i)
                if number == i or number < len(cores) and cores[number] in lexicon.NOT_A_DOSE_AFTER \
                        or not near_medication(i):
                    continue
                end = number
            best = None
            for size in range(2, min(SPLIT_PIECES, i) + 1):
                pieces = cores[i - size:i]
                if not all(p.isalpha() for p in pieces) or any(w.endswith((".", "?", "!", ",", ":", ";"))
                                                                for w in words[i - size:i]):
                    break  # "420, Minh Tran, seventy-four": a name and an age
                if pieces[0] in _stop():
                    continue  # "on allopurinol 300": a name begins with none of "on", "the", "a"
                sound = by_sound and pieces[-1] not in _stop() and not any(p in self.medications for p in pieces)
                score = self._similarity("".join(pieces), sound)  # not "goes in at six", "sertraline yeah 50 mg"
                if score is not None and (best is None or score > best[0]):
                    best = (score, i - size)
            if best:
                spans.append((best[1], dose_end(cores, end)))
        return spans

    def said_alone(self, words: list[str], common=frozenset(), names=frozenset()) -> list[tuple[int, int]]:
        """[first, end) spans of split names with no dose after them ("still on the met for men, is
        that staying", "the pro prana lol, I take"), for a call about care only. Without a dose to
        expect a name, the pieces must look like one: neither end a letter spelled ("b r e n n a n")
        or a function word ("digit is", "clinic in"), the first no English word of five letters or
        more ("transfer PIN"), the last no name written as one ("Hi Colin", "Minh Tran"), and no
        piece a drug's name already."""
        cores = [_core(w) for w in words]
        stop = _stop()
        spans = []
        for i in range(len(cores)):
            best = None
            for size in range(min(SPLIT_PIECES, i + 1), 1, -1):
                first = i - size + 1
                pieces = cores[first:i + 1]
                if not all(p.isalpha() for p in pieces) \
                        or any(w.endswith((".", "?", "!", ",", ":", ";")) for w in words[first:i]):
                    continue
                if len(pieces[0]) < 2 or len(pieces[-1]) < 2 or pieces[0] in stop or pieces[-1] in stop \
                        or len(pieces[0]) >= 5 and pieces[0] in common \
                        or pieces[-1] in names and words[i][:1].isupper() or any(p in self.medications for p in pieces):
                    continue
                score = self._similarity("".join(pieces))
                if score is not None and (best is None or score > best[0]):
                    best = (score, first)
            if best:
                spans.append((best[1], i + 1))
        return spans
