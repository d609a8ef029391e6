"""Where a condition or procedure is, and how far it runs: the body site said after it ("a CT of my
abdomen", "eczema behind his knees and on his elbows", "a crown on the upper right four"), the
parts said straight after a scan ("CT chest, abdomen and pelvis"), and a condition's stage
("chronic kidney disease stage three B"). Each returns the end of the words it takes."""

from __future__ import annotations

import re

from .. import lexicon
from ..spoken import DIGITS

STAGE_WORDS = frozenset("one two three four five i ii iii iv 3a 3b".split())
_STAGE_NAMES = frozenset({"stage", "grade", "class", "type"})


def site_end(cores, end: int, procedure: bool = True) -> int:
    """Extend a procedure over where it was done: "a CT of my abdomen", "MRI of the lumbar
    spine", "root canal on tooth 19", "a herniated disc at L5-S1"."""
    if end + 1 < len(cores) and cores[end] == "at" and re.fullmatch(r"[lcts]\d(-[lcts]?\d)?", cores[end + 1]):
        return end + 2
    if procedure and end < len(cores) and cores[end - 1] in _IMAGING and cores[end] in lexicon.BODY_PARTS \
            and cores[end] not in _ADVERB_PARTS:
        return _bare_sites_end(cores, end)  # "a CT chest, abdomen and pelvis with contrast"
    k = _one_site_end(cores, end)
    if k == end:
        return end  # "a stent in her bile duct", "neuropathy in his feet"
    if k < len(cores) and cores[k - 1] in ("tooth", "teeth") and re.fullmatch(r"\d{1,2}", cores[k]):
        k += 1  # "tooth 19"
    while k + 1 < len(cores) and cores[k] in ("and", "or"):
        if cores[k + 1] in lexicon.BODY_PARTS:
            k += 2  # "of the abdomen and pelvis"
        elif _one_site_end(cores, k + 1) > k + 1:
            k = _one_site_end(cores, k + 1)  # "eczema behind his knees and on his elbows"
        else:
            break
    if k + 1 < len(cores) and cores[k] in ("with", "without") and cores[k + 1] == "contrast":
        k += 2
    return k


def stage_end(cores, end: int) -> int:
    """Extend a condition over its stage or grade said after it: "chronic kidney disease stage
    three B", "diabetes type 2", "a sprain, grade two"."""
    if end + 1 >= len(cores) or cores[end] not in _STAGE_NAMES:
        return end
    value = cores[end + 1]
    if not (value.isdigit() and len(value) == 1 or value in STAGE_WORDS or re.fullmatch(r"[1-4][a-c]|[a-z]+-[abc]", value)):
        return end
    k = end + 2
    if k < len(cores) and cores[k] in ("a", "b", "c") and (value.isdigit() or value in STAGE_WORDS):
        k += 1  # "stage three B"
    return k


def _one_site_end(cores, end: int) -> int:
    """The end of one body site said at `end` ("in your fingertips", "on the left big toe",
    "behind his knees", "in that knee"): a preposition of place, at most one determiner, and up
    to three words of sides and body parts ending in a part; else `end`."""
    if end >= len(cores) or cores[end] not in _SITE_PREPOSITIONS:
        return end
    j = end + 1 + (1 if end + 1 < len(cores) and (cores[end + 1] in lexicon.POSSESSIVES
                                                  or cores[end + 1] in lexicon.DETERMINERS) else 0)
    k = j
    while k < len(cores) and k - j < 3 and (_body_part(cores[k]) or cores[k] in lexicon.BODY_SIDES):
        k += 1
    if k > j and k < len(cores) and cores[k - 1] in lexicon.BODY_SIDES:
        if cores[k] in ("side", "sides"):
            return k + 1  # "frozen shoulder on the left side"
        if k - j >= 2 and (re.fullmatch(r"[1-8]", cores[k]) or 1 <= DIGITS.get(cores[k], 0) <= 8):
            return k + 1  # "a crown on the upper right four": a tooth by its quadrant
    while k > j and cores[k - 1] in lexicon.BODY_SIDES:
        k -= 1  # "of the kidneys. Right, ...": a side after the site starts the next sentence
    return end if k == j else k


def _body_part(word: str) -> bool:
    """A part of the body, singular or plural ("elbow", "elbows", "fingertips")."""
    return word in lexicon.BODY_PARTS or len(word) > 3 and word.endswith("s") and word[:-1] in lexicon.BODY_PARTS


_SITE_PREPOSITIONS = lexicon.word_set("site_prepositions")
_ADVERB_PARTS = lexicon.word_set("not_bare_sites")
_IMAGING = lexicon.word_set("imaging_words")


def _bare_sites_end(cores, k: int) -> int:
    """The end of the body parts said straight after a scan or test, with "and" between them and
    its contrast after: "CT chest, abdomen, pelvis with contrast", "MRI brain and spine"."""
    while k < len(cores) and (cores[k] in lexicon.BODY_PARTS or cores[k] in lexicon.BODY_SIDES
                              or cores[k] == "and" and k + 1 < len(cores) and cores[k + 1] in lexicon.BODY_PARTS):
        k += 1
    if k + 1 < len(cores) and cores[k] in ("with", "without") and cores[k + 1] == "contrast":
        k += 2
    return k
