"""Street addresses as callers say them ("1842 Harlow Street, unit 12", "418 West 129th Street",
"2100 Highway 9", "p o box 812", "rua das flores 28"), the town, state and zip code after them,
and the answer to "and the city?"."""

from __future__ import annotations

import re

from .. import lexicon
from ..tokens import MONTHS, WEEKDAYS, tokenize
from .base import CallRecognizer, token_result


class AddressRecognizer(CallRecognizer):
    """Street addresses ("1842 Harlow Street, unit 12", "418 West 129th Street", "2100 Highway 9",
    "rua das flores 28, third floor"), the city and state after them, and zip codes."""

    ENTITIES = ["STREET_ADDRESS", "LOCATION", "ZIP_CODE"]
    NAME = "address"

    def __init__(self, common_words=frozenset()):
        self.common_words = common_words
        super().__init__()

    def analyze(self, text, entities, nlp_artifacts=None):
        tokens = tokenize(text)
        cores = [t.core for t in tokens]
        results = []
        for i, t in enumerate(tokens):
            end = self._street(tokens, cores, i)
            if end is None:
                continue
            end = _unit_end(cores, end)
            first = i - 1 if i > 0 and t.core[:1].isdigit() and cores[i - 1] in _DIGIT_WORDS \
                and tokens[i - 1].turn == t.turn and tokens[i - 1].text[-1:].isalpha() else i
            first = _unit_before(tokens, cores, first)
            results.append(token_result("STREET_ADDRESS", tokens, first, end, 0.85, "address"))  # "three 31 maple"
            results.extend(self._tail(tokens, cores, end))
        for i in range(len(tokens)):  # "p o box 812", "rural route 2 box 147", a UK postcode "IV2 3AB"
            end = _box_end(cores, i)
            if end:
                results.append(token_result("STREET_ADDRESS", tokens, i, end, 0.85, "address"))
                results.extend(self._tail(tokens, cores, end))
            if i + 1 < len(tokens) and re.fullmatch(r"[a-z]{1,2}\d[a-z\d]?", cores[i]) and re.fullmatch(r"\d[a-z]{2}", cores[i + 1]):
                results.append(token_result("ZIP_CODE", tokens, i, i + 2, 0.85, "address"))
        if results:  # "and it's unit 206": on a call that gives an address, a unit said alone belongs to it
            for i in range(len(tokens) - 1):
                if cores[i] in ("unit", "apartment", "apt", "suite") and not tokens[i].text.endswith((".", "?", "!")) \
                        and tokens[i + 1].turn == tokens[i].turn and re.fullmatch(r"\d{1,5}[a-z]?|[a-z]\d{1,4}", cores[i + 1]):
                    results.append(token_result("STREET_ADDRESS", tokens, i, i + 2, 0.8, "address"))
        for i in range(2, len(tokens) - 1):  # "updated your address to 2290 Carnegie": the cue says it is one
            if "address" in cores[max(0, i - 3):i] and cores[i - 1] in ("to", "is", "at") \
                    and re.fullmatch(r"\d{1,6}[a-z]?", cores[i]) and tokens[i + 1].raw_core[:1].isupper() \
                    and tokens[i + 1].turn == tokens[i].turn and cores[i + 1] not in lexicon.NAME_STOP:
                end = i + 2
                while end < len(tokens) and end - i < 4 and tokens[end].raw_core[:1].isupper() \
                        and not tokens[end - 1].text.endswith((",", ".")) and tokens[end].turn == tokens[i].turn:
                    end += 1
                results.append(token_result("STREET_ADDRESS", tokens, i, end, 0.8, "address"))
        results.extend(self._city_answers(tokens, cores))
        for i in range(1, len(tokens) - 1):  # "second floor rear. in paterson. oh seven five oh one"
            if cores[i - 1] == "in" and cores[i].isalpha() and cores[i] not in lexicon.NAME_STOP \
                    and re.fullmatch(r"\d{5}", cores[i + 1]) and tokens[i + 1].turn == tokens[i].turn:
                results.append(token_result("LOCATION", tokens, i, i + 1, 0.75, "address"))
                results.append(token_result("ZIP_CODE", tokens, i + 1, i + 2, 0.8, "address"))
        for i, c in enumerate(cores):  # a state name, a zip code after it, a town before it
            zip_after = i + 1 < len(tokens) and bool(re.fullmatch(r"\d{5}(-?\d{4})?", cores[i + 1]))
            town_before = i > 1 and (cores[i - 2] in ("in", "from") or tokens[i - 1].text.endswith(",")) \
                and cores[i - 1].isalpha() and cores[i - 1] not in lexicon.NAME_STOP \
                and tokens[i - 1].turn == tokens[i].turn  # "an old address from hope arkansas", "wakefield, kansas"
            after_town = i > 0 and tokens[i - 1].text.endswith(",")
            code = tokens[i].raw_core in lexicon.STATE_CODES and (
                after_town or zip_after and tokens[i].raw_core not in lexicon.STATE_CODES_AS_WORDS)
            if code or c in lexicon.US_STATES and (tokens[i].raw_core[:1].isupper() or zip_after or town_before):
                results.append(token_result("LOCATION", tokens, i, i + 1, 0.6 if tokens[i].raw_core[:1].isupper() else 0.86,
                                       "address"))
                if zip_after:
                    results.append(token_result("ZIP_CODE", tokens, i + 1, i + 2, 0.86, "address"))
                if (zip_after or town_before) and i > 0 and cores[i - 1].isalpha() and cores[i - 1] not in lexicon.NAME_STOP \
                        and tokens[i - 1].turn == tokens[i].turn:
                    results.append(token_result("LOCATION", tokens, i - 1, i, 0.86, "address"))  # "chicago illinois 60618"
        return results

    @staticmethod
    def _city_answers(tokens, cores):
        """"And the city?" / "santa fe 87507": the answer to a question about the city is the town,
        up to a comma, a state or a zip code, and a zip code said right after it is one."""
        out = []
        for i, c in enumerate(cores):
            if c not in ("city", "town") or not tokens[i].text.endswith("?") or i + 1 >= len(tokens):
                continue
            j = k = i + 1
            while k < len(tokens) and k - j < 3 and tokens[k].turn == tokens[j].turn and cores[k].isalpha() \
                    and cores[k] not in lexicon.NAME_STOP and cores[k] not in lexicon.FILLERS and cores[k] not in lexicon.US_STATES:
                k += 1
                if tokens[k - 1].text.endswith((",", ".", "?")):
                    break
            if k == j or k - j > 2 and k < len(tokens) and not re.fullmatch(r"\d{5}", cores[k]):
                continue
            out.append(token_result("LOCATION", tokens, j, k, 0.75, "address"))
            if k < len(tokens) and re.fullmatch(r"\d{5}(-?\d{4})?", cores[k]) and tokens[k].turn == tokens[j].turn:
                out.append(token_result("ZIP_CODE", tokens, k, k + 1, 0.8, "address"))
        return out

    @staticmethod
    def _street(tokens, cores, i: int) -> int | None:
        """The end of a street address starting at token i, or None."""
        t = tokens[i]
        if cores[i] in lexicon.FOREIGN_STREET_WORDS:  # "rua das flores 28", "calle mayor 5"
            j = i + 1
            while j < len(tokens) and j - i <= 4 and tokens[j].turn == t.turn and cores[j].isalpha():
                j += 1
            if j > i + 1 and j < len(tokens) and tokens[j].turn == t.turn and re.fullmatch(r"\d{1,5}[a-z]?", cores[j]):
                return j + 1
            return None
        if not re.fullmatch(r"\d{1,6}[a-z]?", t.core) or (i > 0 and re.fullmatch(r"\d+", cores[i - 1])
                                                          and tokens[i - 1].turn == t.turn
                                                          and not tokens[i - 1].text.endswith((".", "?", "!", ","))
                                                          and _unit_before(tokens, cores, i - 1) == i - 1):
            return None  # "5 12 Elm Street" is no house number; "flat 4 27 withington road" is
        if i + 2 < len(tokens) and cores[i + 1] in lexicon.DIRECTIONS and re.fullmatch(r"\d{1,3}(st|nd|rd|th)", cores[i + 2]) \
                and tokens[i + 2].turn == t.turn:
            return i + 3 + (1 if i + 3 < len(tokens) and cores[i + 3] in lexicon.STREET_SUFFIXES else 0)  # "1745 West 8th"
        if i + 2 < len(tokens) and cores[i + 1] in lexicon.DIRECTIONS and cores[i + 2].isalpha() and len(cores[i + 2]) > 1 \
                and cores[i + 2] not in lexicon.NAME_STOP and tokens[i + 2].turn == t.turn:
            j = i + 3  # "1509 north kedzie, unit 4c": a Chicago-style street with no "avenue"
            while j < len(tokens) and j - i <= 4 and cores[j].isalpha() and cores[j] not in lexicon.NAME_STOP \
                    and cores[j] not in lexicon.UNIT_WORDS and cores[j] not in lexicon.STREET_SUFFIXES:
                j += 1
            if j < len(tokens) and cores[j] in lexicon.STREET_SUFFIXES:
                return j + 1
            if j >= len(tokens) or cores[j] in lexicon.UNIT_WORDS or tokens[j - 1].text.endswith(",") \
                    or tokens[j].turn != t.turn:
                return j
        if i + 2 < len(tokens) and cores[i + 1] in lexicon.ROUTE_WORDS and re.fullmatch(r"\d{1,4}[a-z]?", cores[i + 2]):
            return i + 3  # "2100 Highway 9"
        if i + 3 < len(tokens) and cores[i + 1].isalpha() and cores[i + 1] not in lexicon.NAME_STOP \
                and cores[i + 2] in lexicon.ROUTE_WORDS and re.fullmatch(r"\d{1,4}[a-z]?", cores[i + 3]) \
                and tokens[i + 3].turn == t.turn:
            return i + 4  # "2960 County Road 12", "4260 Navajo Route 12"
        if i + 2 < len(tokens) and cores[i + 1] in lexicon.FOREIGN_STREET_WORDS and tokens[i + 1].turn == t.turn:
            j = i + 2  # "118 calle del sol"
            while j < len(tokens) and j - i <= 4 and tokens[j].turn == t.turn and cores[j].isalpha() \
                    and cores[j] not in lexicon.UNIT_WORDS and not tokens[j - 1].text.endswith((",", ".", "?")):
                j += 1
            return j
        j = start = i + 1 + (1 if i + 2 < len(tokens) and cores[i + 1] in ("uh", "um") else 0)  # "fifty-seven, um, Amberson"
        while j < len(tokens) and j - i <= 5 and tokens[j].turn == t.turn and cores[j] not in lexicon.STREET_SUFFIXES \
                and (cores[j].isalpha() or re.fullmatch(r"\d{1,3}(st|nd|rd|th)", cores[j])) \
                and cores[j] not in lexicon.NAME_STOP and cores[j] not in _UNIT_NAMES:
            j += 1
        if j - i in (2, 3) and j < len(tokens) and cores[j] in _UNIT_NAMES and tokens[i + 1].raw_core[:1].isupper() \
                and not t.text.endswith((".", "?", "!", ",")):
            return j  # "418 Serramonte, unit 12": a street named without "street", then its unit
        if j == start or j >= len(tokens) or cores[j] not in lexicon.STREET_SUFFIXES:
            return None
        if j + 1 < len(tokens) and cores[j + 1] in lexicon.DIRECTIONS and len(cores[j + 1]) > 1:
            return j + 2  # "2217 kenyon street northwest"
        return j + 1

    def _tail(self, tokens, cores, start):
        """After an address: ", City, State 12345" within the next few words, even in the next
        turn; in lower-case speech a city is a word English has no other use for."""
        out, k = [], start
        while k < len(tokens) and k - start < 8:
            c = cores[k]
            if re.fullmatch(r"\d{5}(-?\d{4})?|\d{4}-\d{3}", c):
                out.append(token_result("ZIP_CODE", tokens, k, k + 1, 0.85, "address"))
                k += 1
                continue
            same_turn = tokens[k].turn == tokens[start - 1].turn
            if same_turn and k > start and _sentence_over(tokens[k - 1]):
                break  # "..., Portugal. Until June": a new sentence
            if same_turn and c in lexicon.TOWN_PREFIXES and k + 1 < len(tokens) and cores[k + 1].isalpha() \
                    and cores[k + 1] not in lexicon.NAME_STOP:
                out.append(token_result("LOCATION", tokens, k, k + 2, 0.7, "address"))  # "still saint paul"
                k += 2
                continue
            if c == "in" and same_turn and (town := self._town_after_in(tokens, cores, k + 1, right_after=k == start)):
                out.append(token_result("LOCATION", tokens, k + 1, town, 0.7, "address"))
                k = town
                continue
            placelike = c.isalpha() and c not in lexicon.NAME_STOP and c not in MONTHS and c not in WEEKDAYS
            listed = tokens[k - 1].text.endswith(",") and tokens[k].text.endswith((",", "."))  # ", lisbon,"
            zip_next = k + 1 < len(tokens) and bool(re.fullmatch(r"\d{5}(-?\d{4})?", cores[k + 1]))
            if same_turn and placelike and (tokens[k].raw_core[:1].isupper() or c not in self.common_words or listed
                                            or zip_next):  # "telegraph avenue oakland 94609"
                out.append(token_result("LOCATION", tokens, k, k + 1, 0.7, "address"))
            elif same_turn and c not in ("and", "in") and c not in lexicon.ZIP_WORDS \
                    and not tokens[k].text.endswith(("?", ".")):
                break  # a word of the same sentence: the address is over
            k += 1
        return out

    @staticmethod
    def _town_after_in(tokens, cores, j: int, right_after: bool = False) -> int | None:
        """"1412 larkspur court in elk grove 95757": up to three words after "in" that end at a
        zip code, a state, a comma or the end of the turn are the town; right after a street,
        so is one word before a word of grammar ("old mill road in orange is that still")."""
        k = j
        while k < len(tokens) and k - j < 3 and tokens[k].turn == tokens[j - 1].turn and cores[k].isalpha() \
                and cores[k] not in lexicon.NAME_STOP and cores[k] not in lexicon.FILLERS:
            k += 1
            if tokens[k - 1].text.endswith((",", ".", "?")):
                return k
        if k == j:
            return None
        if k >= len(tokens) or tokens[k].turn != tokens[j].turn or cores[k] in lexicon.US_STATES \
                or re.fullmatch(r"\d{5}(-?\d{4})?", cores[k]) or cores[k] in _DIGIT_WORDS | {"zero", "oh"}:
            return k
        if right_after and k == j + 1 and cores[k] in lexicon.NAME_STOP:
            return k
        return None


_DIGIT_WORDS = frozenset("one two three four five six seven eight nine".split())
_UNIT_LEADS = lexicon.word_set("home_words")  # "flat", "plot", "door", "unit": said before a home's number


def _unit_before(tokens, cores, first: int) -> int:
    """Where an address begins that has its flat, unit or plot said before the house number:
    "flat 4, 27 Withington Road", "unit 6 22 Chester Street", "door number 14, North Main Street"."""
    k = first - 1
    if k >= 0 and (tokens[k].text.endswith(("?", "!")) or tokens[k].text.endswith(".") and len(cores[k]) > 3):
        return first  # "I always forget the unit. 2417 Fulton Avenue"
    if k >= 1 and tokens[k].turn == tokens[first].turn and (re.fullmatch(r"\d{1,5}[a-z]?|[a-z]\d{0,4}", cores[k])
                                                         or cores[k] in _DIGIT_WORDS):
        lead = k - 1
        if lead >= 1 and cores[lead] in ("number", "no") and cores[lead - 1] in _UNIT_LEADS:
            return lead - 1
        if cores[lead] in _UNIT_LEADS and tokens[lead].turn == tokens[first].turn:
            return lead
    if k >= 0 and cores[k] in _UNIT_LEADS and tokens[k].turn == tokens[first].turn and cores[first][:1].isdigit():
        return k  # "plot 14 Admiralty Way"
    if k >= 1 and cores[k] in ("number", "no") and cores[k - 1] in _UNIT_LEADS:
        return k - 1  # "door number 14, North Main Street"
    return first


_UNIT_NAMES = lexicon.word_set("unit_names")


def _sentence_over(token) -> bool:
    return token.text.endswith((".", "?", "!")) and token.core not in lexicon.UNIT_WORDS | {"st", "ave", "rd", "dr"}


def _box_end(cores, i: int) -> int | None:
    """The end of "po box 812", "p o box 812", "post office box 812", "rural route 2 (box 147)"."""
    j = None
    if cores[i] in ("po", "p.o") and cores[i + 1:i + 2] == ["box"]:
        j = i + 2
    elif cores[i:i + 3] == ["p", "o", "box"] or cores[i:i + 3] == ["post", "office", "box"]:
        j = i + 3
    elif cores[i:i + 2] == ["rural", "route"] and i + 2 < len(cores) and cores[i + 2].isdigit():
        j = i + 3
        if cores[j:j + 1] == ["box"] and j + 1 < len(cores) and cores[j + 1].isdigit():
            return j + 2
        return j
    if j is not None and j < len(cores) and cores[j].isdigit():
        return j + 1
    return None


def _unit_end(cores, end: int) -> int:
    """Extend over "apt 4C", "unit B", "suite 200", "third floor", ", 5D"."""
    if end < len(cores) and re.fullmatch(r"\d{1,4}[a-z]", cores[end]):
        return end + 1  # "2270 Linden Ridge Drive, 5D"
    if end + 2 < len(cores) and cores[end] in lexicon.UNIT_WORDS and cores[end + 1] in ("uh", "um") \
            and re.fullmatch(r"\d{1,5}[a-z]?", cores[end + 2]):  # "apartment uh 2 d"
        letter_after = cores[end + 2].isdigit() and end + 3 < len(cores) and re.fullmatch(r"[a-z]", cores[end + 3])
        return end + (4 if letter_after else 3)
    if end + 1 < len(cores) and cores[end] in lexicon.UNIT_WORDS and re.fullmatch(r"[0-9a-z#\-]+", cores[end + 1]) \
            and (cores[end] not in ("no", "number") or any(c.isdigit() for c in cores[end + 1])):  # not "east, no, we"
        if end + 2 < len(cores) and (cores[end + 1].isdigit() or cores[end + 1] in _DIGIT_WORDS) \
                and re.fullmatch(r"[a-z]", cores[end + 2]):
            return end + 3  # "unit 4 c"
        return end + 2
    if end + 1 < len(cores) and cores[end + 1] == "floor" and (re.fullmatch(r"\d{1,3}(st|nd|rd|th)", cores[end])
                                                            or cores[end] in lexicon.ORDINAL_WORDS):
        return end + 2
    return end

