"""Spoken forms to written forms, with a map from every output character back to its word.

ASR writes what it hears: "four one one one", "oh one double two", "eighteen forty two",
"March fourteenth nineteen sixty two", "P as in Peter", "r dot alvarez at gmail dot com".
Recognisers (card numbers, dates, e-mails) expect "4111", "0122", "1842", "March 14 1962", "P",
"r.alvarez@gmail.com". This module rewrites the word sequence into such text and keeps, for
each character of the text, the index of the word it came from, so an entity found in the text
maps back to whole words (and through their timings, to audio).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DIGITS = {"zero": 0, "oh": 0, "o": 0, "nought": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
          "six": 6, "seven": 7, "eight": 8, "nine": 9}
TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
         "seventeen": 17, "eighteen": 18, "nineteen": 19}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
            "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
            "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
            "twentieth": 20, "thirtieth": 30}
REPEAT = {"double": 2, "triple": 3}
TLDS = {"com", "org", "net", "edu", "gov", "io", "co", "us", "uk", "ca", "info", "biz"}
_PUNCT = re.compile(r"^[\"'(\[]*(.*?)[\"')\].,;:!?]*$")


@dataclass
class Normalized:
    text: str
    source: list[int]  # source[i]: index of the word that produced text[i]; -1 for a separator

    def words_of(self, start: int, end: int) -> list[int]:
        """The word indices behind text[start:end]."""
        return sorted({i for i in self.source[start:end] if i >= 0})


def _core(word: str) -> str:
    return _PUNCT.match(word).group(1).lower()


class _Builder:
    def __init__(self):
        self.chars: list[str] = []
        self.source: list[int] = []

    def emit(self, text: str, word_indices: list[int], space: bool = True) -> None:
        if space and self.chars:
            self.chars.append(" ")
            self.source.append(-1)
        span = max(1, len(text))
        for k, ch in enumerate(text):
            self.chars.append(ch)
            # spread the characters over the words that produced them, in order
            self.source.append(word_indices[min(len(word_indices) - 1, k * len(word_indices) // span)])


def _two_digit(tokens: list[str], i: int) -> tuple[int, int] | None:
    """A number 10-99 spoken as "forty two", "forty", "eighteen": (value, words used)."""
    t = tokens[i] if i < len(tokens) else ""
    if t in TEENS:
        return TEENS[t], 1
    if t in TENS:
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if nxt in DIGITS and DIGITS[nxt] > 0 and nxt not in ("oh", "o"):
            return TENS[t] + DIGITS[nxt], 2
        return TENS[t], 1
    return None


def _number(tokens: list[str], i: int) -> tuple[str, int] | None:
    """A spoken number starting at tokens[i]: (digits, words used), or None."""
    t = tokens[i]
    # ordinals: "fourteenth", "twenty first"
    if t in ORDINALS:
        return str(ORDINALS[t]), 1
    if t in TENS and i + 1 < len(tokens) and tokens[i + 1] in ORDINALS and ORDINALS[tokens[i + 1]] < 10:
        return str(TENS[t] + ORDINALS[tokens[i + 1]]), 2
    # "one hundred (and) twenty three"
    if t in DIGITS and i + 1 < len(tokens) and tokens[i + 1] == "hundred":
        used, value = 2, DIGITS[t] * 100
        j = i + 2 + (1 if i + 2 < len(tokens) and tokens[i + 2] == "and" else 0)
        rest = _two_digit(tokens, j) if j < len(tokens) else None
        if rest:
            return str(value + rest[0]), j - i + rest[1]
        if j < len(tokens) and tokens[j] in DIGITS and tokens[j] not in ("oh", "o"):
            return str(value + DIGITS[tokens[j]]), j - i + 1
        return str(value), used
    # years and pairs: "eighteen forty two", "nineteen oh five", "twenty twenty four"
    first = _two_digit(tokens, i)
    if first:
        j = i + first[1]
        if j < len(tokens) and tokens[j] in ("oh", "o") and j + 1 < len(tokens) and tokens[j + 1] in DIGITS:
            return f"{first[0]}0{DIGITS[tokens[j + 1]]}", first[1] + 2
        second = _two_digit(tokens, j) if j < len(tokens) else None
        if second and first[0] >= 10:
            return f"{first[0]}{second[0]:02d}", first[1] + second[1]
        return str(first[0]), first[1]
    return None


def _spelled(tokens: list[str], i: int) -> tuple[str, int] | None:
    """"P as in Peter" -> "P"."""
    if len(tokens[i]) == 1 and tokens[i].isalpha() and tokens[i + 1: i + 3] == ["as", "in"] and i + 3 < len(tokens):
        return tokens[i].upper(), 4
    return None


def _digit_run(tokens: list[str], i: int) -> tuple[str, int] | None:
    """Digits spoken one by one: "four one one one", "oh one double two". A lone "two" stays a
    word; "o" is a zero only beside other digits and not in "o clock"."""
    run, j = "", i
    while j < len(tokens):
        tj = tokens[j]
        if tj in REPEAT and j + 1 < len(tokens) and tokens[j + 1] in DIGITS:
            run += str(DIGITS[tokens[j + 1]]) * REPEAT[tj]
            j += 2
        elif tj in DIGITS and not (tj in ("o", "oh") and (not run and not _next_is_digit(tokens, j)
                                                          or j + 1 < len(tokens) and tokens[j + 1] == "clock")):
            if j + 1 < len(tokens) and tokens[j + 1] == "hundred":
                break
            run += str(DIGITS[tj])
            j += 1
        elif tj.isdigit():
            run += tj
            j += 1
        else:
            break
    return (run, j - i) if len(run) >= 2 or (run and tokens[i].isdigit()) else None


def normalize(words: list[str]) -> Normalized:
    tokens = [_core(w) for w in words]
    out = _Builder()
    i = 0
    while i < len(tokens):
        for match in MATCHERS:
            found = match(tokens, i)
            if found:
                text, used = found
                out.emit(text, list(range(i, i + used)))
                i += used
                break
        else:
            out.emit(_PUNCT.match(words[i]).group(1) or words[i], [i])
            i += 1
    return Normalized("".join(out.chars), out.source)


def _next_is_digit(tokens: list[str], j: int) -> bool:
    return j + 1 < len(tokens) and (tokens[j + 1] in DIGITS or tokens[j + 1] in REPEAT)


def _email(tokens: list[str], i: int) -> tuple[str, int] | None:
    """`name (dot name)* at host (dot host)* dot tld` -> ("name.name@host.tld", words used)."""
    def part(j):  # a word that can be part of an address
        return j < len(tokens) and re.fullmatch(r"[a-z0-9][a-z0-9_\-]*", tokens[j]) and tokens[j] not in ("at", "dot")

    if not part(i):
        return None
    local, j = [tokens[i]], i + 1
    while j + 1 < len(tokens) and tokens[j] in ("dot", "underscore", "dash") and part(j + 1):
        local.append({"dot": ".", "underscore": "_", "dash": "-"}[tokens[j]] + tokens[j + 1])
        j += 2
    if j >= len(tokens) or tokens[j] != "at" or not part(j + 1):
        return None
    host, k = [tokens[j + 1]], j + 2
    while k + 1 < len(tokens) and tokens[k] == "dot" and part(k + 1):
        host.append("." + tokens[k + 1])
        k += 2
    if len(host) < 2 or host[-1].lstrip(".") not in TLDS:
        return None
    return "".join(local) + "@" + "".join(host), k - i


# Tried in this order at each word; the first that matches consumes its words.
MATCHERS = (_spelled, _email, _digit_run, _number)
