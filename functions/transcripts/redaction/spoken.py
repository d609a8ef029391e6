"""Spoken forms to written forms, with a map from every output character back to its word.

ASR writes what it hears: "four one one one", "oh one double two", "eighteen forty two",
"March fourteenth nineteen sixty two", "P as in Peter", "r dot alvarez at gmail dot com".
Recognisers (card numbers, dates, e-mails) expect "4111", "0122", "1842", "March 14 1962", "P",
"r.alvarez@gmail.com". This module rewrites the word sequence into such text and keeps, for
each stretch of the text, the words it was written from, so an entity found in the text maps
back to whole words (and through their timings, to audio).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial

from .lexicon import DIRECTIONS, FOREIGN_STREET_WORDS, STREET_SUFFIXES, UNIT_WORDS, word_list, word_set
from .tokens import MONTHS, strip_punct

DIGITS = {"zero": 0, "oh": 0, "o": 0, "nought": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
          "six": 6, "seven": 7, "eight": 8, "nine": 9, "niner": 9}
TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
         "seventeen": 17, "eighteen": 18, "nineteen": 19}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
NUMBER_WORDS = frozenset(DIGITS) | frozenset(TEENS) | frozenset(TENS)  # a number said in words ("oh", "o" too)
SPOKEN_DIGITS = frozenset("zero oh one two three four five six seven eight nine niner double triple".split())
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
            "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
            "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
            "twentieth": 20, "thirtieth": 30}
REPEAT = {"double": 2, "triple": 3}
# Words the recogniser writes for a digit inside a number read digit by digit: "ate" beside a
# digit, "for" between two ("7 for 2"), "to" only after three digits said one by one ("four five
# one nine oh oh to three"): "nine to five" is a range.
# In a run of four or more digit-like words with a true digit among them ("too seven won seven",
# "for oh six four") every one of them is a digit: that many such words in a row is not English.
_HEARD = [line.split() for line in word_list("heard_for_digits")]  # word, digit[, "preposition"]
HEARD_FOR_DIGITS = {fields[0]: fields[1] for fields in _HEARD}
_PREPOSITIONS = frozenset(fields[0] for fields in _HEARD if fields[2:] == ["preposition"])
_ANSWER_WORDS = word_set("answer_words") | word_set("fillers")
LOOSE_RUN_WORDS = 4
# "four eight three, uh, one oh": a hesitation between digits does not end the number.
HESITATIONS = word_set("hesitations")
# "seven three one, oh, and the pin": an "oh" before these words is a sigh, not a zero.
_AFTER_OH = word_set("after_oh")
TLDS = word_set("tlds")  # said after "dot" in an e-mail address


_GLUED = re.compile(r"(?<=[A-Za-z][.…])(?=\d)|(?<=\.\.\.)(?=[A-Za-z\d])")  # split after "...", before what follows

# Hosts said without their ending ("at gmail"): still an e-mail address.
MAIL_PROVIDERS = word_set("mail_providers")
_PROVIDER_DOMAINS = frozenset(m + ".com" for m in MAIL_PROVIDERS)


@dataclass(frozen=True)
class Piece:
    """A stretch of the text and the words it was written from: text[start:end] <- words[first:last]."""

    start: int
    end: int
    first: int
    last: int


@dataclass
class Normalized:
    text: str
    pieces: list[Piece]

    def words_of(self, start: int, end: int) -> list[int]:
        """Every word behind text[start:end]: all the words of each piece it touches, so "P"
        (from "P as in Peter") covers all four words."""
        found: set[int] = set()
        for piece in self.pieces:
            if piece.start < end and start < piece.end:
                found.update(range(piece.first, piece.last))
        return sorted(found)

    def written_as(self, word: int) -> str:
        """What a word became in the text: "x" of "x k w eight eight four" -> "XKW884"."""
        return " ".join(self.text[p.start:p.end] for p in self.pieces if p.first <= word < p.last)


def _core(word: str) -> str:
    return strip_punct(word).lower()


class _Builder:
    def __init__(self):
        self.chars: list[str] = []
        self.pieces: list[Piece] = []

    def emit(self, text: str, word_indices: list[int]) -> None:
        if self.chars:
            self.chars.append(" ")
        self.pieces.append(Piece(len(self.chars), len(self.chars) + len(text), word_indices[0], word_indices[-1] + 1))
        self.chars.extend(text)


def _two_digit(tokens: list[str], i: int) -> tuple[int, int] | None:
    """A number 10-99 spoken as "forty two", "forty", "eighteen": (value, words used)."""
    t = tokens[i] if i < len(tokens) else ""
    if t in TEENS:
        return TEENS[t], 1
    tens, _, unit = t.partition("-")  # "eighty-six"
    if tens in TENS and unit in DIGITS and DIGITS[unit] > 0 and unit not in ("oh", "o"):
        return TENS[tens] + DIGITS[unit], 1
    if t in TENS:
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if nxt in DIGITS and DIGITS[nxt] > 0 and nxt not in ("oh", "o"):
            return TENS[t] + DIGITS[nxt], 2
        return TENS[t], 1
    return None


def _number(tokens: list[str], i: int) -> tuple[str, int] | None:
    """A spoken number starting at tokens[i]: (digits, words used), or None."""
    t = tokens[i]
    # "one twenty fifth street": a hundreds ordinal
    if t in DIGITS and t not in ("o", "oh") and i + 2 < len(tokens) and tokens[i + 1] in TENS \
            and tokens[i + 2] in ORDINALS and ORDINALS[tokens[i + 2]] < 10:
        return _ordinal(DIGITS[t] * 100 + TENS[tokens[i + 1]] + ORDINALS[tokens[i + 2]]), 3
    # ordinals: "fourteenth", "twenty first"
    if t in ORDINALS:
        return _ordinal(ORDINALS[t]), 1
    if t in TENS and i + 1 < len(tokens) and tokens[i + 1] in ORDINALS and ORDINALS[tokens[i + 1]] < 10:
        return _ordinal(TENS[t] + ORDINALS[tokens[i + 1]]), 2
    tens, _, unit = t.partition("-")  # "twenty-fifth"
    if tens in TENS and unit in ORDINALS and ORDINALS[unit] < 10:
        return _ordinal(TENS[tens] + ORDINALS[unit]), 1
    if t == "a" and tokens[i + 1:i + 2] == ["hundred"]:
        j = i + 2 + (1 if tokens[i + 2:i + 3] == ["and"] else 0)
        rest = _two_digit(tokens, j) if j < len(tokens) else None
        if rest:
            return str(100 + rest[0]), j - i + rest[1]  # "a hundred and fifty milligrams"
        return "100", 2  # "sertraline, a hundred milligrams"
    if t in DIGITS and t not in ("o", "oh", "zero", "two") and tokens[i + 1:i + 2] == ["thousand"] \
            and not (i + 2 < len(tokens) and (tokens[i + 2] in DIGITS or tokens[i + 2] in TENS or tokens[i + 2] in TEENS
                                              or tokens[i + 2] in ("hundred", "and", "dollars"))):
        return str(DIGITS[t] * 1000), 2  # "metformin one thousand twice a day"
    if t == "a" and tokens[i + 1:i + 2] == ["thousand"] and tokens[i + 2:i + 3] != ["dollars"]:
        return "1000", 2  # "metformin a thousand milligrams"
    # "one hundred (and) twenty three"
    if t in DIGITS and i + 1 < len(tokens) and tokens[i + 1] == "hundred":
        used, value = 2, DIGITS[t] * 100
        j = i + 2 + (1 if i + 2 < len(tokens) and tokens[i + 2] == "and" else 0)
        rest = _two_digit(tokens, j) if j < len(tokens) else None
        if rest:
            return str(value + rest[0]), j - i + rest[1]
        if j < len(tokens) and tokens[j] in DIGITS and tokens[j] not in ("oh", "o") \
                and tokens[j + 1:j + 2] != ["times"]:  # "eight hundred three times a day"
            return str(value + DIGITS[tokens[j]]), j - i + 1
        return str(value), used
    # "two thousand nine", "two thousand and twenty"
    if t == "two" and i + 1 < len(tokens) and tokens[i + 1] == "thousand" \
            and "hundred" not in tokens[i + 2:i + 5]:  # a year; "four thousand two hundred" is money
        j = i + 2 + (1 if i + 2 < len(tokens) and tokens[i + 2] == "and" else 0)
        rest = _two_digit(tokens, j) if j < len(tokens) else None
        if rest:
            return str(DIGITS[t] * 1000 + rest[0]), j - i + rest[1]
        if j < len(tokens) and tokens[j] in DIGITS and tokens[j] not in ("oh", "o"):
            return str(DIGITS[t] * 1000 + DIGITS[tokens[j]]), j - i + 1
        return str(DIGITS[t] * 1000), 2
    # years and pairs: "eighteen forty two", "nineteen oh five", "twenty twenty four"
    first = _two_digit(tokens, i)
    if first and i + first[1] < len(tokens) and tokens[i + first[1]] == "hundred" and first[0] >= 11:
        return str(first[0] * 100), first[1] + 1  # "fifty five hundred", "twenty one hundred"
    if first:
        j = i + first[1]
        if j < len(tokens) and tokens[j] in ("oh", "o") and j + 1 < len(tokens) and tokens[j + 1] in DIGITS:
            return f"{first[0]}0{DIGITS[tokens[j + 1]]}", first[1] + 2
        second = _two_digit(tokens, j) if j < len(tokens) else None
        if second and j + second[1] < len(tokens) and tokens[j + second[1]] == "hundred":
            second = None  # "oh five ten, fifty one hundred": the second pair starts "fifty one hundred"
        if second and i > 0 and tokens[i - 1] in MONTHS and first[0] <= 31 and second[0] in (19, 20) \
                and j + second[1] < len(tokens) and _two_digit(tokens, j + second[1]):
            return str(first[0]), first[1]  # "April twenty-nine, nineteen forty-six": a day, then the year
        if second and 10 <= first[0] <= 12 and 10 <= second[0] <= 59 and i > 0 and tokens[i - 1] in _TIME_LEADS:
            return f"{first[0]}:{second[0]:02d}", first[1] + second[1]  # "at ten forty": a time of day
        if second and first[0] >= 10:
            return f"{first[0]}{second[0]:02d}", first[1] + second[1]
        return str(first[0]), first[1]
    return None


def _ordinal(n: int) -> str:
    """14 -> "14th": the suffix tells a date ("the 14th") from a count."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


LETTER_NAMES = {"zed": "z", "zee": "z"}
_TIME_LEADS = word_set("time_leads")


def _spelled(tokens: list[str], i: int) -> tuple[str, int] | None:
    """"P as in Peter" -> "P"; also "zed as in zebra", "m like mother", "m for mary"."""
    letter = LETTER_NAMES.get(tokens[i], tokens[i])
    if not (len(letter) == 1 and letter.isalpha()) or i + 2 >= len(tokens):
        return None
    if tokens[i + 1: i + 3] == ["as", "in"] and i + 3 < len(tokens):
        return letter.upper(), 4
    if tokens[i + 1] in ("like", "for") and tokens[i + 2].startswith(letter) and len(tokens[i + 2]) > 2:
        return letter.upper(), 3
    if tokens[i + 1] in ("like", "for") and NATO.get("-".join(tokens[i + 2:i + 4])) == letter.upper():
        return letter.upper(), 4  # "x for x ray": the one spelling word written as two
    return None


# Abbreviations said letter by letter that are cues or medical terms: "m r n", "r x", "b m p".
ACRONYMS = word_set("acronyms")
MEDICAL_ACRONYMS = word_set("medical_acronyms")
CUE_ACRONYMS = word_set("cue_acronyms")  # followed by the number they name


def _day_after_month(tokens: list[str], i: int) -> tuple[str, int] | None:
    """"march nine nineteen thirty eight": a lone digit word after a month is the day."""
    if i > 0 and tokens[i - 1] in MONTHS and tokens[i] in DIGITS and tokens[i] not in ("o", "oh", "zero") \
            and not _next_is_digit(tokens, i) and tokens[i + 1:i + 2] not in (["thousand"], ["hundred"]):
        return str(DIGITS[tokens[i]]), 1
    return None


_BIRTH_WORDS = word_set("birth_words")
_MONTH_NUMBERS = {**{w: v for w, v in DIGITS.items() if v > 0 and w not in ("o", "oh")}, "ten": 10, "eleven": 11, "twelve": 12}


def _small_number(tokens: list[str], i: int, top: int) -> tuple[int, int] | None:
    """A number 1..top said as digits, a digit word or "twenty one": (value, words used)."""
    t = tokens[i] if i < len(tokens) else ""
    if t.isdigit() and 1 <= int(t) <= top and len(t) <= 2:
        return int(t), 1
    if t in DIGITS and t not in ("o", "oh", "zero"):
        return DIGITS[t], 1
    pair = _two_digit(tokens, i) if t else None
    return pair if pair and pair[0] <= top else None


def _spoken_mdy(tokens: list[str], i: int, earlier: tuple[str, ...] = ()) -> tuple[str, int] | None:
    """"eleven nine ninety", "three nineteen, uh, ninety four", "3 4 38": a date of birth read
    as month, day and year numbers, where a birth word or a month was just said (in this turn
    or in `earlier`, the words of the turns before)."""
    before = (list(earlier) + tokens[:i])[-20:]
    if not (_BIRTH_WORDS & set(before) or any(t in MONTHS for t in before[-12:])):
        return None
    month = _MONTH_NUMBERS.get(tokens[i]) or (int(tokens[i]) if tokens[i].isdigit() and 1 <= int(tokens[i]) <= 12
                                              and len(tokens[i]) <= 2 else None)
    if not month:
        return None
    day = _small_number(tokens, i + 1, 31)
    if not day:
        return None
    k = _past_hesitations(tokens, i + 1 + day[1])
    if k >= len(tokens):
        return None
    year = tokens[k] if tokens[k].isdigit() else None
    used = 1
    if year is None:
        spoken = _number(tokens, k)
        if not spoken:
            return None
        year, used = spoken
    if not (len(year) == 2 or len(year) == 4 and year[:2] in ("19", "20")):
        return None
    after = k + used
    if after < len(tokens) and (tokens[after] in DIGITS or tokens[after].isdigit() or tokens[after] in TENS):
        return None  # a longer number
    return f"{month}/{day[0]}/{year}", after - i


def _house_number(tokens: list[str], i: int) -> tuple[str, int] | None:
    """"four eighteen Serramonte, unit 12", "one eighteen calle del sol": a house number said as a
    digit and a pair, when a street follows."""
    t = tokens[i]
    if t not in DIGITS or t in ("o", "oh", "zero") or i > 0 and (
            tokens[i - 1] in DIGITS or tokens[i - 1].isdigit() or tokens[i - 1] in TEENS or tokens[i - 1] in TENS):
        return None
    pair = _two_digit(tokens, i + 1)
    if not pair or pair[0] < 10:
        return None
    k = i + 1 + pair[1]
    if k >= len(tokens) or not tokens[k].isalpha() or tokens[k] in DIGITS or tokens[k] in TENS or tokens[k] in TEENS \
            or tokens[k] in ORDINALS:
        return None  # "one twenty fifth street" is 125th
    ahead = tokens[k:k + 4]
    if tokens[k] in FOREIGN_STREET_WORDS or tokens[k] in DIRECTIONS and len(tokens[k]) > 1 \
            or any(w in STREET_SUFFIXES or w in UNIT_WORDS and w not in ("no", "number", "#") for w in ahead[1:]):
        return str(DIGITS[t] * 100 + pair[0]), k - i
    return None


def _international(tokens: list[str], i: int) -> tuple[str, int] | None:
    """"plus eight one, ninety, four two six six" -> "+8190 4266...": a number with a country code."""
    if tokens[i] != "plus" or i + 1 >= len(tokens):
        return None
    digits, j = "", i + 1
    while j < len(tokens):
        part = _digit_run(tokens, j) or _number(tokens, j)
        if part and part[0].isdigit():
            digits, j = digits + part[0], j + part[1]
        elif tokens[j] in HESITATIONS and digits:
            j += 1
        else:
            break
    return ("+" + digits, j - i) if len(digits) >= 8 else None


_SPOKEN_TERMS = {("a", "one", "c"): "A1C", ("h", "b", "a", "one", "c"): "HbA1c"}  # said with a digit inside


def _acronym(tokens: list[str], i: int) -> tuple[str, int] | None:
    """"m r n" -> "MRN": only the exact letters of a known abbreviation, not part of a longer spelling."""
    for words, term in _SPOKEN_TERMS.items():
        if tuple(tokens[i:i + len(words)]) == words:
            return term, len(words)
    if "-" in tokens[i] and tokens[i].replace("-", "") in MEDICAL_ACRONYMS and all(len(p) == 1 for p in tokens[i].split("-")):
        return tokens[i].replace("-", "").upper(), 1  # "C-O-P-D" is spelled, but not a name
    j = i
    while j < len(tokens) and len(tokens[j]) == 1 and tokens[j].isalpha():
        j += 1
    word = "".join(tokens[i:j])
    if i > 0 and (tokens[i - 1].isdigit() or tokens[i - 1] in DIGITS):
        return None  # "five five oh one nine R X" is a code's letters
    if word not in CUE_ACRONYMS and j < len(tokens) and (tokens[j].isdigit() or tokens[j] in DIGITS):
        return None  # "the iban is P T 5 0": letters of a code, not physical therapy
    if j - i >= 2 and word in ACRONYMS and (i == 0 or tokens[i - 1] in ("a", "i")
                                            or not (len(tokens[i - 1]) == 1 and tokens[i - 1].isalpha())):
        return word.upper(), j - i
    return None


def _digit_run(tokens: list[str], i: int) -> tuple[str, int] | None:
    """Digits spoken one by one: "four one one one", "oh one double two". A lone "two" stays a
    word; "o" is a zero only beside other digits and not in "o clock"; the "four" of "the last
    four" is a count."""
    if i > 0 and tokens[i - 1] in ("last", "first") and tokens[i] in DIGITS:
        return None
    if tokens[i].isdigit() and (i > 0 and tokens[i - 1] in MONTHS and len(tokens[i]) <= 2
                                or i > 1 and tokens[i - 2] in MONTHS and re.fullmatch(r"\d{1,2}", tokens[i - 1])):
        return None  # "june 7 1992": a day and a year, not one number
    run, j = "", i
    loose_end = _loose_run_end(tokens, i)
    while j < len(tokens):
        tj = tokens[j]
        if j < loose_end and (tj in HEARD_FOR_DIGITS or tj in ("o", "oh") and j + 1 < loose_end):
            run += HEARD_FOR_DIGITS.get(tj, "0")
            j += 1
        elif tj in REPEAT and j + 1 < len(tokens) and tokens[j + 1] in DIGITS:
            run += str(DIGITS[tokens[j + 1]]) * REPEAT[tj]
            j += 2
        elif tj in DIGITS and not (tj in ("o", "oh") and (not run and not _next_is_digit(tokens, j)
                                                          and not (tokens[j + 1:j + 2] == ["ate"] and _digit_follows(tokens, j))
                                                          or j + 1 < len(tokens) and tokens[j + 1] in _AFTER_OH
                                                          and not (run and _number_after_hesitations(tokens, j + 1)))):
            if j + 1 < len(tokens) and tokens[j + 1] == "hundred":
                break
            run += str(DIGITS[tj])
            j += 1
        elif tj.isdigit():
            if run and j + 1 < len(tokens) and tokens[j + 1] in _units():
                break  # "2301, 40 dollars": a figure before a unit is its quantity, not the number's last group
            run += tj
            j += 1
        elif tj in ("ate", "for") and _digit_follows(tokens, j) and tokens[j + 2:j + 3] not in (["hundred"], ["thousand"]) \
                and not (j + 2 < len(tokens) and tokens[j + 1].isdigit() and tokens[j + 2] in _units()) and (
                run or tj == "ate" and _digit_follows(tokens, j + 1)) \
                or tj in ("to", "too") and len(run) >= 3 and tokens[j - 1] in DIGITS and j + 1 < len(tokens) \
                and tokens[j + 1] in DIGITS:  # "ate ate 1 8 8", not "I ate 2 eggs"; "4 5 1 9 oh oh to 3"
            run += HEARD_FOR_DIGITS[tj]  # "five ate oh seven", "7 for 2": the recogniser's word for a digit
            j += 1
        elif tj in HESITATIONS and run and _digit_after_hesitations(tokens, j):
            j += 1
        else:
            break
    if len(run) == 1 and j - i == 1 and (_code_letter(tokens, j) or _code_letter(tokens, i - 1)) \
            and not (tokens[i] == "one" and i > 0 and tokens[i - 1] in _BEFORE_PRONOUN_ONE):
        return run, 1  # "six w n three": a digit of a code, beside its letters
    return (run, j - i) if len(run) >= 2 or (run and tokens[i].isdigit()) else None


def _units() -> frozenset[str]:
    """The net's units (a quantity's words); imported here, as number_net imports this module."""
    from .detectors.number_net import units

    return units()


def _digit_like(word: str) -> bool:
    return word in DIGITS or word.isdigit() or word in HEARD_FOR_DIGITS


def _loose_run_end(tokens: list[str], i: int) -> int:
    """The end of a run from i of LOOSE_RUN_WORDS or more digit-like words (hesitations between them
    not counted) holding a true digit, whose homophones are then digits; else i. "too seven won
    seven" is 2717; "room for two", "nine to five", "fax it to 5 0 8" keep their words. A preposition
    ends a run only before an answer word ("seven too, yes"), and a homophone begins one only when
    another homophone is in it."""
    j = i
    while j < len(tokens):
        if _digit_like(tokens[j]):
            j += 1
        elif tokens[j] in REPEAT and j + 1 < len(tokens) and _digit_like(tokens[j + 1]):
            j += 1
        elif j > i and tokens[j] in HESITATIONS and j + 1 < len(tokens) and _digit_like(tokens[j + 1]):
            j += 1
        else:
            break
    words = [k for k in range(i, j) if _digit_like(tokens[k])]
    if words and tokens[words[-1] + 1:words[-1] + 2] in (["hundred"], ["thousand"]):
        words.pop()  # "... 9162, for four hundred and sixty dollars": the last digit begins an amount
    while words and tokens[words[-1]] in _PREPOSITIONS and words[-1] + 1 < len(tokens) \
            and tokens[words[-1] + 1] not in _ANSWER_WORDS and tokens[words[-1] + 1] not in HESITATIONS:
        words.pop()  # "... 3385 for thirty dollars", "... 8206 for the lockbox": a word after the number
    if words and tokens[words[0]] in HEARD_FOR_DIGITS and not any(
            tokens[k] in HEARD_FOR_DIGITS for k in words[1:]):
        words.pop(0)  # "fax it to 5 0 8 ...": a word before digits; "too seven won seven": a digit among its like
    if len(words) < LOOSE_RUN_WORDS or not any(
            tokens[k].isdigit() or tokens[k] in DIGITS and tokens[k] not in ("o", "oh") for k in words):
        return i
    if words[-1] + 1 < len(tokens) and tokens[words[-1] + 1] in _units():
        return i  # "for two to three days": a quantity with its unit, not a number read out
    return words[-1] + 1 if words[0] == i else i


def _homophone_before_card(tokens: list[str], i: int) -> tuple[str, int] | None:
    """A word the recogniser wrote for a card number's first digit: "The number is for 216, 5503,
    8127, 4900." (Whisper wrote "4216" as "for 216"). The word is that digit when the digits after it
    make no card number and, with it, a card network's number (16 digits starting with 4, Luhn at a
    card's length): a word before a number ("for 216 dollars") seldom completes a checksum."""
    if tokens[i] not in HEARD_FOR_DIGITS or i + 1 >= len(tokens):
        return None
    rest = _digit_run(tokens, i + 1)
    if not rest:
        return None
    from .detectors.patterns import card_number

    digits = HEARD_FOR_DIGITS[tokens[i]] + rest[0]
    if card_number(digits) and not card_number(rest[0]):
        return digits, rest[1] + 1
    return None


ANSWER_CUE_REACH = 6  # words before a run (the turn's, then the previous turn's) in which a number was asked for
ANSWER_RUN_WORDS = 3  # digit-like words an answer needs to be read as a number by itself
_ANSWER_LEADS = word_set("answer_leads")  # "it's", "um": said before the value


def _answered_homophones(tokens: list[str], i: int, earlier: tuple[str, ...] = ()) -> tuple[str, int] | None:
    """Words the recogniser wrote for digits, nothing else, said right after a number was asked
    for: "and the code is ate too for won.", "Security code for for to.", "the three on the back?" /
    "ate ate em seven". A question for a number (a cue of the net, `data/net_cues.tsv`) is answered
    by a number, so a run of three or more digit-like words that ends its sentence is one, with no
    true digit needed; one that begins with true digits reads its homophones as digits when the
    whole has three digits or more ("the code on the back?" / "8 to 7.", "60 to."). Elsewhere such
    words stay words ("for two to three days")."""
    true_start = tokens[i] in DIGITS and tokens[i] not in ("o", "oh") or tokens[i].isdigit()
    if tokens[i] not in HEARD_FOR_DIGITS and tokens[i] not in ("o", "oh") and not true_start:
        return None
    j, said = i, 0
    while j < len(tokens):
        if _digit_like(tokens[j]):
            said += 1
        elif not (said and tokens[j] in HESITATIONS):
            break
        j += 1
    while j > i and tokens[j - 1] in HESITATIONS:
        j -= 1
    if (true_start or tokens[i] in HEARD_FOR_DIGITS) and not any(t in HEARD_FOR_DIGITS for t in tokens[i + 1:j]):
        return None  # digits alone (`_digit_run` reads them); "a group number too, one one four": a word before digits
    digits = sum(len(t) if t.isdigit() else 1 for t in tokens[i:j] if _digit_like(t))
    if (digits if true_start else said) < ANSWER_RUN_WORDS or j < len(tokens) and tokens[j] not in _ANSWER_WORDS:
        return None  # it must end the sentence: "for four to six weeks" goes on
    before = list(tokens[max(0, i - ANSWER_CUE_REACH):i])
    if len(before) < ANSWER_CUE_REACH and all(w in _ANSWER_WORDS or w in _ANSWER_LEADS for w in before):
        before = list(earlier[-(ANSWER_CUE_REACH - len(before)):]) + before  # the question was the turn before
    from .detectors.number_net import cue_entity

    if cue_entity(before) == "NUMBER":
        return None
    run = "".join(HEARD_FOR_DIGITS.get(t, "0" if t in ("o", "oh") else str(DIGITS.get(t, t)))
                  for t in tokens[i:j] if _digit_like(t))
    return run, j - i


# "the second one y as in yellow": "one" after these is a pronoun, not a digit of the code beside it
_BEFORE_PRONOUN_ONE = frozenset(ORDINALS) | word_set("before_pronoun_one")


def _code_letter(tokens: list[str], k: int) -> bool:
    return 0 <= k < len(tokens) and (len(tokens[k]) == 1 and tokens[k].isalpha() and tokens[k] not in ("a", "i", "o")
                                     or tokens[k] in LETTER_NAMES)


def normalize(words: list[str], earlier: list[str] = ()) -> Normalized:
    """A spoken form never runs over the end of a sentence: in "three oh eight. Three zero
    eight." the second "three" starts a new number. `earlier` are the words said just before
    (the previous turns), which only give context ("your birthday?" / "eleven nine ninety")."""
    tokens = [_core(w) for w in words]
    context = tuple(_core(w) for w in earlier[-20:])
    matchers = [partial(m, earlier=context) if m in (_spoken_mdy, _answered_homophones) else m for m in MATCHERS]
    out = _Builder()
    i, sentence, sentence_end = 0, tokens, -1
    while i < len(tokens):
        if i > sentence_end:
            sentence_end = next((k for k in range(i, len(words)) if words[k].endswith((".", "?", "!"))
                                 and not words[k].endswith(("...", "…"))), len(words) - 1)  # "two... um, one three"
            sentence = tokens[:sentence_end + 1]
        for match in matchers:
            found = match(sentence, i)
            if found:
                text, used = found
                trail = _trailing(words[i + used - 1])
                if trail == "," and match is _spelled and _starts_number(sentence, i + used):
                    trail = ""  # "A as in apple, zero three ...": the letter begins the code
                out.emit(text + trail, list(range(i, i + used)))
                i += used
                break
        else:
            for part in _GLUED.split(words[i]) if _GLUED.search(words[i]) else [words[i]]:
                out.emit(part, [i])  # "card...4111": ASR glued a word and a number; both map to this word
            i += 1
    return Normalized("".join(out.chars), out.pieces)


def _trailing(word: str) -> str:
    """Punctuation after a rewritten form ("seven three seven." -> "737."), kept so the NLP
    model still sees sentence and clause ends; commas inside a spoken run go with the run."""
    tail = word[len(word.rstrip(".,;:!?…—")):]
    # "zero... hold on", "the PIN is 1 9—": a pause or speech broken off, not a full stop
    return "..." if tail.endswith(("...", "…", "—")) else tail[:1]


def _digit_after_hesitations(tokens: list[str], j: int) -> bool:
    """After the hesitations from j on, a digit follows ("four uh oh uh nine", "one uh um eight");
    an "oh" only when a digit follows it too ("uh oh" alone is no zero)."""
    k = _past_hesitations(tokens, j)
    if k >= len(tokens):
        return False
    if tokens[k] in ("o", "oh"):
        return _digit_after_hesitations(tokens, k + 1) if k + 1 < len(tokens) and tokens[k + 1] in HESITATIONS \
            else _next_is_digit(tokens, k)
    return _starts_number(tokens, k)


def _past_hesitations(tokens: list[str], j: int) -> int:
    """The first position from j on that is not a hesitation."""
    while j < len(tokens) and tokens[j] in HESITATIONS:
        j += 1
    return j


def _starts_number(tokens: list[str], j: int) -> bool:
    return j < len(tokens) and (tokens[j] in DIGITS or tokens[j].isdigit() or tokens[j] in REPEAT)


def _number_after_hesitations(tokens: list[str], j: int) -> bool:
    """Also a spoken pair: "seven seven two oh, uh, thirty nine": that "oh" is a zero."""
    k = _past_hesitations(tokens, j)
    return _digit_after_hesitations(tokens, j) or k > j and k < len(tokens) and (tokens[k] in TENS or tokens[k] in TEENS)


def _digit_follows(tokens: list[str], j: int) -> bool:
    """A digit (a word, a figure, or "ate" before one) comes next: "ate ate 1 8", "7 for 2"."""
    k = j + 1
    while k < len(tokens) and tokens[k] == "ate":
        k += 1
    return k < len(tokens) and (tokens[k] in DIGITS or tokens[k] in REPEAT or tokens[k].isdigit())


def _next_is_digit(tokens: list[str], j: int) -> bool:
    return j + 1 < len(tokens) and (tokens[j + 1] in DIGITS or tokens[j + 1] in REPEAT)


def _part(tokens: list[str], j: int) -> bool:
    """A word that can be part of an address: "alvarez", "gmail", "r", "81"."""
    return j < len(tokens) and bool(re.fullmatch(r"[a-z0-9][a-z0-9_\-]*", tokens[j])) and tokens[j] not in ("at", "dot")


_JOINERS = {"dot": ".", "underscore": "_", "dash": "-", "hyphen": "-"}
_NOT_BEFORE_EMAIL = word_set("not_before_email")


def _address_part(tokens: list[str], j: int) -> tuple[str, int] | None:
    """One part of an e-mail's local part: a word, or a spoken number glued to it ("okafor eighty one")."""
    if not _part(tokens, j):
        return None
    number = _digit_run(tokens, j) or _number(tokens, j)
    return number if number else (tokens[j], 1)


def _host(tokens: list[str], j: int, two_words: bool = False) -> tuple[str, int] | None:
    """`name (dot name)* dot tld` -> ("name.tld", words used); after an "at", the first name
    may be said as two words ("proton mail dot me")."""
    if not _part(tokens, j):
        return None
    host, k = [tokens[j]], j + 1
    if two_words and k + 1 < len(tokens) and _part(tokens, k) and tokens[k + 1] == "dot":
        host[0] += tokens[k]
        k += 1
    while k + 1 < len(tokens) and tokens[k] == "dot" and _part(tokens, k + 1):
        m = k + 1
        while m < len(tokens) and len(tokens[m]) == 1 and tokens[m].isalpha():
            m += 1
        if m - k > 2 and "".join(tokens[k + 1:m]) in TLDS:  # "dot e d u"
            host.append("." + "".join(tokens[k + 1:m]))
            k = m
            break
        host.append("." + tokens[k + 1])
        k += 2
    if len(host) == 1 and host[0] in MAIL_PROVIDERS:
        return host[0] + ".com", k - j  # "deepika dot r92 at gmail"
    if len(host) < 2 or host[-1].lstrip(".") not in TLDS:
        return None
    return "".join(host), k - j


def _email(tokens: list[str], i: int) -> tuple[str, int] | None:
    """`name (dot name)* at host (dot host)* dot tld` -> ("name.name@host.tld", words used).
    Not after "the"/"your" ("track the wire at harborviewbank dot com"), nor when a path
    follows the host (that is a web address)."""
    if i > 0 and tokens[i - 1] in _NOT_BEFORE_EMAIL:
        return None
    first = _address_part(tokens, i)
    if not first:
        return None
    local, j = [first[0]], i + first[1]
    while j < len(tokens):
        if tokens[j] in _JOINERS and (nxt := _address_part(tokens, j + 1)):
            local.append(_JOINERS[tokens[j]] + nxt[0])
            j += 1 + nxt[1]
        elif tokens[j] != "at" and (nxt := _address_part(tokens, j)) and (
                nxt[0].isdigit() or len(nxt[0]) == 1 and (len(local) > 1 or len(local[-1]) == 1)
                or len(local[-1].lstrip("._-")) == 1 and len(local) > 1
                or len(local) == 1 and len(local[0]) == 1 and local[0] not in ("a", "i")):
            # "okafor eighty one", "d e e p", "dot h portillo", "f haddad dot eighty six"
            local.append(nxt[0])
            j += nxt[1]
        else:
            break
    if j >= len(tokens) or tokens[j] != "at":
        return None
    host = _host(tokens, j + 1, two_words=True)
    if not host or j + 1 + host[1] < len(tokens) and tokens[j + 1 + host[1]] == "slash":
        return None
    return "".join(local) + "@" + host[0], j + 1 + host[1] - i


_WRITTEN_HOST = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)+")


def _url(tokens: list[str], i: int) -> tuple[str, int] | None:
    """"northwindhealth dot com slash member" -> "northwindhealth.com/member"; a mail
    provider's own name ("is that yahoo dot com") identifies nobody."""
    host = _host(tokens, i)
    if not host and _WRITTEN_HOST.fullmatch(tokens[i]) and tokens[i].rsplit(".", 1)[-1] in TLDS \
            and tokens[i + 1:i + 2] == ["slash"] and _part(tokens, i + 2):
        host = tokens[i], 1  # "rx.fabrikampharmacy.com slash track": the host written, its path said
    if not host or host[0] in _PROVIDER_DOMAINS and i + host[1] < len(tokens) \
            and tokens[i + host[1]] != "slash":
        return None
    text, j = host[0], i + host[1]
    while j + 1 < len(tokens) and tokens[j] == "slash" and _part(tokens, j + 1):
        text += "/" + tokens[j + 1]
        j += 2
    return text, j - i


def _octet(tokens: list[str], i: int) -> tuple[int, int] | None:
    """0-255 as said in an IP address: "one ninety eight", "one hundred", "fifty one", "seven"."""
    if i >= len(tokens):
        return None
    t = tokens[i]
    if t.isdigit():
        return int(t), 1
    if t in DIGITS and t not in ("o", "oh") and i + 1 < len(tokens) and tokens[i + 1] != "hundred":
        rest = _two_digit(tokens, i + 1)
        if rest and rest[0] >= 10:
            return DIGITS[t] * 100 + rest[0], 1 + rest[1]
    number = _number(tokens, i) or _digit_run(tokens, i)
    if number and number[0].isdigit() and int(number[0]) <= 255:
        return int(number[0]), number[1]
    if t in DIGITS:
        return DIGITS[t], 1
    return None


def _slashed(tokens: list[str], i: int) -> tuple[str, int] | None:
    """"oh four slash twenty nine slash forty six" -> "04/29/46"; "eleven slash twenty seven" -> "11/27";
    "six slash twenty seven oh six" -> "6/27" (after a slash, "twenty seven" is one part)."""
    parts, j = [], i
    while j < len(tokens):  # "oh nine slash" may end a turn
        pair = _two_digit(tokens, j) if parts and tokens[j] in TENS else None
        number = (f"{pair[0]:02d}", pair[1]) if pair else _digit_run(tokens, j) or _number(tokens, j)
        if not number and tokens[j] in DIGITS and tokens[j + 1:j + 2] == ["slash"]:
            number = (str(DIGITS[tokens[j]]), 1)  # "six slash twenty seven": a month said as one digit
        if not number or not number[0].isdigit():
            return None
        parts.append(number[0])
        j += number[1]
        if len(parts) == 3 or j >= len(tokens) or tokens[j] != "slash":
            break
        j += 1
    return ("/".join(parts), j - i) if len(parts) >= 2 else None


def _ip(tokens: list[str], i: int) -> tuple[str, int] | None:
    """"one ninety eight dot fifty one dot one hundred dot seven" -> "198.51.100.7"."""
    parts, j = [], i
    while True:
        octet = _octet(tokens, j)
        if not octet or octet[0] > 255:
            return None
        parts.append(str(octet[0]))
        j += octet[1]
        if len(parts) == 4:
            return ".".join(parts), j - i
        j = _past_hesitations(tokens, j)  # "one six eight, uh, dot one"
        if j >= len(tokens) or tokens[j] != "dot":
            return None
        j += 1


NATO = {"alfa": "A", "alpha": "A", "bravo": "B", "charlie": "C", "delta": "D", "echo": "E", "foxtrot": "F",
        "golf": "G", "hotel": "H", "india": "I", "juliet": "J", "juliett": "J", "kilo": "K", "lima": "L",
        "mike": "M", "november": "N", "oscar": "O", "papa": "P", "quebec": "Q", "romeo": "R", "sierra": "S",
        "tango": "T", "uniform": "U", "victor": "V", "whiskey": "W", "whisky": "W", "x-ray": "X", "xray": "X",
        "yankee": "Y", "zulu": "Z"}


def _code_letters(tokens: list[str], i: int) -> tuple[str, int] | None:
    """Letters of a code said as NATO words next to its digits: "kilo four two oh" -> "K" (the
    digits follow as their own run), "tango romeo four one seven" -> "TR"."""
    letters, j = "", i
    while j < len(tokens) and tokens[j] in NATO:
        letters += NATO[tokens[j]]
        j += 1
    if not letters or tokens[i:j] == ["november"]:  # "november 2028" is a month
        return None
    beside_digits = j < len(tokens) and (tokens[j] in DIGITS or tokens[j].isdigit() or tokens[j] in REPEAT) \
        or i > 0 and (tokens[i - 1] in DIGITS or tokens[i - 1].isdigit())
    return (letters, j - i) if beside_digits and tokens[j:j + 1] != ["hundred"] else None


LETTER_NAMES = {name: letter.upper() for name, letter in (line.split() for line in word_list("letter_names"))}
CODE_LETTERS_MIN = 2  # letters said one by one that, with digits beside them, make one code
CODE_DIGITS_MIN = 3
_LETTERS = re.compile(r"[a-z](-[a-z])*")  # "s", "h-c"
_CODE_JOINERS = {"slash": "/", "dash": "-", "hyphen": "-", "stroke": "/"}


def _flush(parts: list[str], aids: list[str]) -> bool:
    """Letters said with spelling words join the code, unless they restate the letters just
    before them ("two x y, x for x ray, y for yankee" is "2XY", said twice). True when added."""
    said, added = "".join(aids), False
    if said and not "".join(parts).endswith(said):
        parts.append(said)
        added = True
    aids.clear()
    return added


def _lettered_code(tokens: list[str], i: int) -> tuple[str, int] | None:
    """Letters said one by one with the digits of the same code: "S H I, two zero two four five
    one" -> "SHI202451", "H-C, seven seven one, four zero two B" -> "HC771402B", "H, Y, G, slash,
    L, A, G, slash, 0-0-4-1-2-7" -> "HYG/LAG/004127". Written as one code, the letters go with the
    digits wherever those are redacted; left apart, they stay in the clear. Needs two letters or
    more (three when the first is "a" or "i", which are words) and three digits or more."""
    if not (_LETTERS.fullmatch(tokens[i]) or tokens[i] in LETTER_NAMES):
        return None
    parts, aids, j, letters, digits = [], [], i, 0, 0
    while j < len(tokens):
        t = tokens[j]
        if parts and (aid := _spelled(tokens, j)) is not None:
            aids.append(aid[0])  # "two x y, x for x ray": the spelling word is not a word of the call
            j += aid[1]
            continue
        if aids and _flush(parts, aids):
            letters += len(parts[-1])
        if _LETTERS.fullmatch(t) and t not in ("o",) and not (t in ("a", "i") and j > i and not letters) \
                or t in LETTER_NAMES:  # "kay one pee, five jay two" is K1P5J2
            parts.append(LETTER_NAMES.get(t) or t.replace("-", "").upper())
            letters += len(parts[-1])
            j += 1
        elif t in _CODE_JOINERS and parts and j + 1 < len(tokens):
            parts.append(_CODE_JOINERS[t])
            j += 1
        elif re.fullmatch(r"\d+(-\d+)+", t):
            parts.append(t.replace("-", ""))
            digits += len(parts[-1])
            j += 1
        elif (run := _digit_run(tokens, j)) is not None:
            parts.append(run[0])
            digits += len(run[0])
            j += run[1]
        else:
            break
    if aids and _flush(parts, aids):
        letters += len(parts[-1])
    while parts and parts[-1] in _CODE_JOINERS.values():
        parts.pop()
        j -= 1
    lead = next((k for k in range(i, j) if not (_LETTERS.fullmatch(tokens[k]) or tokens[k] in LETTER_NAMES)), j) - i
    if letters < CODE_LETTERS_MIN or digits < CODE_DIGITS_MIN or lead < (3 if tokens[i] in ("a", "i") else 1):
        return None
    if lead == 1 and len(tokens[i]) == 1:
        return None  # one letter before digits: `_digit_run` keeps "six w n three"'s own way
    return "".join(parts), j - i


# Tried in this order at each word; the first that matches consumes its words.
MATCHERS = (_spelled, _acronym, _international, _day_after_month, _spoken_mdy, _house_number, _email, _ip, _url, _slashed, _code_letters, _lettered_code, _answered_homophones, _homophone_before_card, _digit_run, _number)
