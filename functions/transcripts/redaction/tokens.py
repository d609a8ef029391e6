"""The normalised call text as tokens, with the shapes the recognisers reason about: value
runs (what a caller reads out: "4111 1111", "L 521408773", "N W H 441827 90"), dates, cues.

Turns are separated by a newline in the text, so a run never joins the words of two speakers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import CUES, ESTIMATE_WORDS, NOT_AN_ID_AFTER, OTHER_CARDS, STREET_SUFFIXES, other_card, word_list, word_set

MONTHS = {m: i + 1 for i, m in enumerate(
    "january february march april may june july august september october november december".split())}
MONTHS.update({"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
               "oct": 10, "nov": 11, "dec": 12})
_NOT_AFTER_ORDINAL = word_set("not_after_ordinal")  # "the third time" is no date
_DAY_WORDS = frozenset("one two three four five six seven eight nine".split())  # a day left as a word
WEEKDAYS = word_set("weekdays")
_STRIP = re.compile(r"^[\"'(\[.,;:!?…]*(.*?)[\"')\].,;:!?…—–]*$")  # "five—": a number broken off
_ORDINAL = re.compile(r"(\d{1,2})(st|nd|rd|th)")
SPELLED = re.compile(r"[A-Za-z](?:-[A-Za-z]){2,}")
_NUMERIC_DATE = re.compile(r"(\d{1,2})[/-](\d{1,2})(?:[/-](\d{2}|\d{4}))?")


def strip_punct(word: str) -> str:
    """The word without the punctuation around it ("(Peter)," -> "Peter")."""
    return _STRIP.match(word).group(1)


def strip_possessive(word: str) -> str:
    """"okonkwo's" -> "okonkwo": a name said with its possessive is still that name."""
    return word[:-2] if word.endswith("'s") else word


@dataclass(frozen=True)
class Token:
    index: int
    text: str  # as in the normalised text, punctuation included
    core: str  # lower case, outer punctuation stripped
    start: int
    end: int
    turn: int

    @property
    def raw_core(self) -> str:
        """The stripped token in its own case."""
        return strip_punct(self.text)


@lru_cache(maxsize=4)
def tokenize(text: str) -> tuple[Token, ...]:
    """Cached: every call recogniser tokenises the same text of one `analyze`."""
    tokens, turn = [], 0
    for i, m in enumerate(re.finditer(r"\S+|\n", text)):
        if m.group() == "\n":
            turn += 1
            continue
        core = strip_punct(m.group()).lower()
        tokens.append(Token(len(tokens), m.group(), core, m.start(), m.end(), turn))
    return tuple(tokens)


@dataclass(frozen=True)
class Span:
    """tokens[first:last] as a candidate value."""

    first: int
    last: int
    value: str  # upper-case letters and digits only
    kind: str  # "run" or "date"
    weak: bool = False  # a date that is only a month or "the 9th"


def currency_sign(ch: str) -> bool:
    """Any currency sign Unicode knows (category Sc): "$45", "₱1,200", "₦3,750", "€9"."""
    return bool(ch) and unicodedata.category(ch[0]) == "Sc"


def _is_money_or_measure(tokens: list[Token], i: int) -> bool:
    t = tokens[i]
    nxt = tokens[i + 1].core if i + 1 < len(tokens) and tokens[i + 1].turn == t.turn else ""
    before = tokens[i - 1].core if i > 0 and tokens[i - 1].turn == t.turn else ""
    return currency_sign(t.text[:1]) or "%" in t.text or ":" in t.core or nxt in NOT_AN_ID_AFTER \
        or before in ESTIMATE_WORDS  # "your share will be about 1260"


def _value_token(tokens: list[Token], i: int) -> bool:
    t = tokens[i]
    core = t.raw_core
    if not core or _is_money_or_measure(tokens, i) or _ORDINAL.fullmatch(core.lower()):
        return False
    if any(c.isdigit() for c in core):
        return bool(re.fullmatch(r"[A-Za-z0-9\-/.#]+", core))
    if len(core) == 1 and core.isalpha() and core.isupper():
        if core in ("I", "A"):  # words, unless spelled among other letters ("A S Q U E Z")
            return any(0 <= k < len(tokens) and tokens[k].turn == t.turn and len(tokens[k].raw_core) == 1
                       and tokens[k].raw_core.isupper() and tokens[k].raw_core not in ("I", "A") for k in (i - 1, i + 1))
        return True  # a spelled letter ("K", "N W H")
    return bool(SPELLED.fullmatch(core)) or _lower_letter(core)  # "P-A-T-E-L"


def _lower_letter(core: str) -> bool:
    """A letter as lower-case speech writes it ("h x k 922"); kept in a run only beside digits."""
    return len(core) == 1 and core.isalpha() and core.islower() and core not in ("a", "i")


def _letter_prefix(tokens: list[Token], i: int) -> bool:
    """A short all-caps code glued to a number ("RX 7704213", "CL 2309"), or "I"/"A" inside a run."""
    core = tokens[i].raw_core
    if not (1 <= len(core) <= 4 and core.isalpha() and core.isupper()):
        return False
    if core.lower() not in CUE_WORDS:
        return True
    nxt = tokens[i + 1].raw_core if i + 1 < len(tokens) and tokens[i + 1].turn == tokens[i].turn else ""
    return len(core) == 1 and len(nxt) >= 4 and nxt.isdigit()  # "A 03771529" ("A as in apple, zero three ...")


def _sentence_end(token: Token) -> bool:
    return token.text.endswith((".", "?", "!")) and not token.text.endswith("...")


_JOINING = word_set("joining")  # inside a code: a separator or a hesitation


def value_runs(tokens: list[Token]) -> list[Span]:
    runs, i = [], 0
    while i < len(tokens):
        if not (_value_token(tokens, i) or _letter_prefix(tokens, i) and i + 1 < len(tokens)
                and _value_token(tokens, i + 1)):
            i += 1
            continue
        j = i + 1
        while j < len(tokens) and tokens[j].turn == tokens[i].turn and not _sentence_end(tokens[j - 1]) and (
                _value_token(tokens, j) or _letter_prefix(tokens, j) and j + 1 < len(tokens)
                and _value_token(tokens, j + 1)
                or tokens[j].core in _JOINING and j + 1 < len(tokens) and tokens[j + 1].turn == tokens[j].turn
                and _value_token(tokens, j + 1)):
            j += 1  # "K 420 dash 5512 dash 398" is one code, and so is "X E Q, uh, 947"
        value = re.sub(r"[^A-Za-z0-9]", "", "".join(t.raw_core for t in tokens[i:j] if t.core not in _JOINING)).upper()
        if all(_lower_letter(t.raw_core) for t in tokens[i:j]):
            pass  # lower-case letters alone are words or a spelling, not a code
        elif value and not (j - i == 1 and value in ("I", "A")):
            runs.append(Span(i, j, value, "run"))
        i = j
    return runs


def _day(core: str) -> int | None:
    m = _ORDINAL.fullmatch(core) or re.fullmatch(r"(\d{1,2})", core)
    return int(m.group(1)) if m and 1 <= int(m.group(1)) <= 31 else None


def _year(core: str) -> bool:
    return bool(re.fullmatch(r"(19|20)\d\d|\d\d", core))


def _past_hesitations(tokens: list[Token], k: int) -> int:
    while k < len(tokens) and tokens[k].core in ("uh", "um", "er", "erm"):
        k += 1
    return k


def _month_number_at(core, k: int) -> int | None:
    """The end of "of the 11th [48]" at k (a month by its number, as much of the world says a
    date: "the third of the eleventh forty eight"), else None."""
    month = _ORDINAL.fullmatch(core(k + 2))
    if core(k) != "of" or core(k + 1) != "the" or not month or not 1 <= int(month.group(1)) <= 12:
        return None
    return k + 4 if _year(core(k + 3).lstrip("'")) else k + 3


def _relative_month_end(core, k: int) -> int | None:
    """The end of "of this month" ("next", "last") at k, else None."""
    return k + 3 if core(k) == "of" and core(k + 1) in ("this", "next", "last") and core(k + 2) == "month" else None


def dates(tokens: list[Token]) -> list[Span]:
    """Dates as ASR writes them after normalisation: "March 14th, 1981", "the 12th of June 1949",
    "Tuesday, November 14th", "Wednesday the 15th", "12/27", "11/04/1976", "December 27",
    "March 2029"; weak ones: "the 9th", "September"."""
    found, i = [], 0
    n = len(tokens)

    def core(k: int) -> str:
        return tokens[k].core if k < n else ""

    while i < n:
        c = core(i)
        start, end, weak = i, None, False
        if c in ("last", "next", "this") and (core(i + 1) in WEEKDAYS or core(i + 1) in MONTHS and core(i + 1) != "may"):
            i += 1  # "last tuesday", "last march": the span starts at "last"
            c = core(i)
        if c in WEEKDAYS:
            end = i + 1
            if core(end) in MONTHS:
                c, i = core(end), end
            elif core(end) == "the" and _day(core(end + 1)) and _ORDINAL.fullmatch(core(end + 1)):
                end += 2
                if core(end) == "of" and core(end + 1) in MONTHS:
                    end += 2  # "Tuesday the 2nd of December"
            elif _ORDINAL.fullmatch(core(end)) and (_day(core(end)) or 0) >= 3 and core(end + 1) not in _NOT_AFTER_ORDINAL:
                end += 1  # "Tuesday, 16th", "saturday 19th": the day with no "the", as much of the world says it
                # (not "first" or "second": after a weekday those count options, "Friday, first shift")
                if core(end) == "of" and core(end + 1) in MONTHS:
                    end += 2
        if c in MONTHS and (c != "may" or _day(core(i + 1)) or _year(core(i + 1))):
            end = i + 1
            weak = True
            while core(end) in ("uh", "um") and (_day(core(end + 1)) or core(end + 1) in ("the", "uh", "um")):
                end += 1  # "February, uh, the ninth"
            if core(end) == "the" and core(end + 1) in ("uh", "um") and _ORDINAL.fullmatch(core(end + 2)):
                end += 1  # "March the, um, third": the hesitation is dropped below
            if _day(core(end)):
                end, weak = end + 1, False
            elif core(end) == "the" and _ORDINAL.fullmatch(core(end + 1)) and _day(core(end + 1)):
                end, weak = end + 2, False  # "June the third"
            elif core(end - 1) == "the" and core(end) in ("uh", "um") and _day(core(end + 1)):
                end, weak = end + 2, False
            year_at = end + 1 if core(end) in ("uh", "um") and not weak else end  # "march third, um, 1956"
            if re.fullmatch(r"(19|20)\d\d|\d\d", core(year_at)):
                end, weak = year_at + 1, False
            elif core(end) == "of" and core(end + 1) in ("this", "last", "next") and core(end + 2) == "year":
                end, weak = end + 3, False  # "March of last year", "September 12th of this year"
            elif core(end) == "of" and _year(core(end + 1)):
                end, weak = end + 2, False  # "June of 2024", "march of 22"
        elif c == "the" and _ORDINAL.fullmatch(core(i + 1)) and int(re.sub(r"\D", "", core(i + 1))) <= 12 \
                and core(i + 2) == "month" and core(i + 3) == "of" and _year(core(i + 4)):
            start, end = i + 1, i + 5  # "the ninth month of twenty-eight": a month and its year ("the" left out)
        elif c == "the" and _ORDINAL.fullmatch(core(i + 1)) and _day(core(i + 1)) \
                and core(i + 2) not in _NOT_AFTER_ORDINAL:
            start, end, weak = i + 1, i + 2, True  # "the" is no part of the date
            if month_end := _month_number_at(core, end):
                end, weak = month_end, False
            elif core(end) == "of" and core(end + 1) in MONTHS:
                end, weak = end + 2, False
                if core(end) in ("uh", "um") and _year(core(end + 1)):
                    end += 1  # "the 19th of november, uh, 1936"
                if _year(core(end)):
                    end += 1
            elif month_end := _relative_month_end(core, end):
                end, weak = month_end, False  # "the fourteenth of next month"
        elif _ORDINAL.fullmatch(c) and _day(c) and (month_end := _relative_month_end(core, i + 1)):
            end = month_end  # "on 2nd of this month": "the" left out, as in Indian and Nigerian English
        elif _ORDINAL.fullmatch(c) and _day(c) and i > 0 and core(i - 1) == "on" and core(i + 1) not in _NOT_AFTER_ORDINAL \
                and core(i + 1) != "of" and core(i + 1) not in MONTHS and core(i + 1) not in STREET_SUFFIXES:
            end, weak = i + 1, True  # "done on 4th, sir": a day after "on" with no "the" (not "on 5th Avenue")
        elif _ORDINAL.fullmatch(c) and _day(c) and (month_end := _month_number_at(core, i + 1)):
            end = month_end  # "22nd of the 7th, '86": the month by its number
        elif _ORDINAL.fullmatch(c) and _day(c) and core(i + 1) == "of" and core(i + 2) in MONTHS:
            end = i + 3
            if core(end) in ("uh", "um") and _year(core(end + 1)):
                end += 1  # "the nineteenth of november, uh, 1936"
            end += 1 if _year(core(end)) else 0
        elif _ORDINAL.fullmatch(c) and _day(c) and core(i + 1) in MONTHS and core(i + 1) != "may":
            end = i + 2 + (1 if _year(core(i + 2)) else 0)  # "third march nineteen forty one"
        elif (_day(c) or c in _DAY_WORDS) and core(i + 1) in MONTHS and _year(core(i + 2)):
            end = i + 3  # "nine March eighty six", "14 June 1962": day first, as most of the world writes it
        elif (m := _NUMERIC_DATE.fullmatch(c)) and 1 <= int(m.group(1)) <= 12:
            end = i + 1
        elif c in ("in", "since") and re.fullmatch(r"(19|20)\d\d", core(_past_hesitations(tokens, i + 1))):
            start = _past_hesitations(tokens, i + 1)  # "injury in, um, 2019"
            end, weak = start + 1, True
        elif re.fullmatch(r"(19|20)\d\d", c) and i + 1 < n and re.fullmatch(r"(19|20)\d\d", core(i + 1)) \
                and tokens[i].text.endswith(","):
            end, weak = i + 1, True  # "2004, 2009 with the tubal"
        elif re.fullmatch(r"(19|20)\d\d", c) and i > 0 and re.fullmatch(r"(19|20)\d\d", core(i - 1)) \
                and tokens[i - 1].text.endswith(","):
            end, weak = i + 1, True
        if end is None and re.fullmatch(r"(19|20)\d\d", c) and 0 < i and tokens[i - 1].turn != tokens[i].turn \
                and tokens[i - 1].text.endswith("?") and _asked_when(tokens, i - 1):
            end, weak = i + 1, True  # "when was the repair?" ... "2019, in Galway": a year that answers "when"
        if end is None and c in ("last", "this") and core(i + 1) == "year":
            end, weak = i + 2, True  # "the chemo last year"
        if end is None and tokens[i].core == "tomorrow":
            end, weak = i + 1, True  # "an emergency slot tomorrow at 7:45"
        if end is None and (tokens[i].core in WEEKDAYS or tokens[i].core[:-1] in WEEKDAYS and c.endswith("s")):
            end, weak = i + 1, True  # "physical therapy mondays and thursdays"
        if end is not None and end > start:
            value = "".join(t.core for t in tokens[start:end]).upper()
            found.append(Span(start, end, value, "date", weak))
            i = end
        else:
            i += 1
    return found


def _asked_when(tokens: list[Token], last: int) -> bool:
    """Whether the turn ending at token `last` asks "when" ("And when was the varicocele repair?")."""
    k = last
    while k >= 0 and tokens[k].turn == tokens[last].turn:
        if tokens[k].core in ("when", "year"):
            return True
        k -= 1
    return False


# Every word that occurs in a cue, so a code's letters are not taken for a cue and vice versa.
CUE_WORDS = frozenset(w for phrases in CUES.values() for p in phrases for w in p.split())
_CUE_INDEX: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _entity, _phrases in CUES.items():
    for _p in _phrases:
        _plural = tuple(_p.split()[:-1]) + (_p.split()[-1] + "s",)  # "passports"; but "the cards from the clinic"
        for _words in {tuple(_p.split())} | ({_plural} if _p != "card" else set()):
            _CUE_INDEX.setdefault(_words[0], []).append((_words, _entity))
for _options in _CUE_INDEX.values():
    _options.sort(key=lambda item: -len(item[0]))  # longest first


@dataclass(frozen=True)
class Cue:
    first: int
    last: int
    entity: str


_LOCATIVE = word_set("locative")
_DETERMINERS = word_set("determiners")


def _locative(cores: list[str], i: int) -> bool:
    """"the group number on the card", "a charge on my card": the card says where a number is
    or how one pays, not what the next number is."""
    back = cores[max(0, i - 3):i]
    return any(w in _LOCATIVE for w in back) and all(w in _LOCATIVE or w in _DETERMINERS or w.isalpha()
                                                     for w in back[back.index(next(w for w in back if w in _LOCATIVE)):])


# Numbers printed on a card of their own: "your social? ... let me get the card" is that card.
_CARRIED_ON_CARDS = frozenset({"US_SSN", "HEALTH_PLAN_ID", "US_DRIVER_LICENSE", "MEDICAL_RECORD_NUMBER"})


OTHER_CARD_REACH = 15  # tokens after a card named as no payment card ("the Ghana Card") in which "card" is that card


_GROUP_OF_DIGITS = word_set("group_of_digits")
_NOT_CARDS_ENDING = OTHER_CARDS | word_set("not_cards_ending")


def cues(tokens: list[Token]) -> list[Cue]:
    """Cue phrases, longest first at each position, not overlapping."""
    found, i, named_other_card = [], 0, None
    cores = [t.core for t in tokens]
    while i < len(tokens):
        if cores[i] == "card" and i > 0 and other_card(cores[i - 1]):
            named_other_card = i  # "the Ghana Card ... her card is": the card said again is that card
        for words, entity in _CUE_INDEX.get(cores[i], ()):
            if tuple(cores[i:i + len(words)]) == words:
                not_payment = entity == "CREDIT_CARD" and words[0] == "card" and (words == ("card",) and any(
                    c.entity in _CARRIED_ON_CARDS and i - c.last <= 15 for c in found[-3:])  # "let me get the card"
                    or named_other_card is not None and i - named_other_card <= OTHER_CARD_REACH
                    or i > 0 and other_card(cores[i - 1]))  # "the room's on the key card", "his health card number"
                if entity == "CREDIT_CARD" and ("ending" in words or "ends" in words) \
                        and set(cores[max(0, i - 3):i]) & _NOT_CARDS_ENDING:
                    i += len(words)  # "rewards number ending one one six", "the phone number ending in 2291"
                    break
                if words == ("group",) and i > 0 and not tokens[i - 1].text.endswith((",", ".", "?", "!")) \
                        and (cores[i - 1] in _GROUP_OF_DIGITS or _ORDINAL.fullmatch(cores[i - 1])):
                    i += 1  # "a nine at the end of that group", "the third group is 3381": digits, not a group number
                    break
                qualifier = bool(found) and i - found[-1].last <= 3 and i >= 2 and cores[i - 1] in _DETERMINERS \
                    and cores[i - 2] in ("for", "on", "of")  # "the zip for the card?" asks a zip
                if not qualifier and (entity != "CREDIT_CARD" or "ending" in words or "ends" in words
                                      or not _locative(cores, i) and not not_payment):
                    found.append(Cue(i, i + len(words), entity))
                i += len(words)
                break
        else:
            i += 1
    return _follow_ups(tokens, cores, _postal_pins(cores, found))


def _six_digits(said: list[str]) -> bool:
    """"560082" or "411 045": the shape of an Indian postal index number."""
    return bool(said) and (re.fullmatch(r"[1-9]\d{5}", said[0]) is not None or len(said) == 2
                           and re.fullmatch(r"[1-9]\d\d", said[0]) is not None and re.fullmatch(r"\d{3}", said[1]) is not None)


POSTAL_PIN_REACH = 30  # tokens back to the address question or street a postal "PIN" belongs to
_ADDRESS_WORDS = STREET_SUFFIXES | frozenset({"address"})
_CARD_QUESTIONS = frozenset({"CREDIT_CARD", "CARD_CVV", "CARD_EXPIRY"})


def _postal_pins(cores: list[str], found: list[Cue]) -> list[Cue]:
    """"the communication address?" ... "fourth cross, Bengaluru, PIN 560082": in an address, "PIN"
    before six digits (India's postal index number) asks a postal code, not a card's PIN; a card
    question since the address makes it the card's again."""
    out = []
    for k, cue in enumerate(found):
        if cue.entity == "CARD_PIN" and _six_digits(cores[cue.last:cue.last + 2]):
            street = max((j for j in range(max(0, cue.first - POSTAL_PIN_REACH), cue.first) if cores[j] in _ADDRESS_WORDS),
                         default=None)
            if street is not None and not any(c.entity in _CARD_QUESTIONS and street < c.first for c in found[:k]):
                cue = Cue(cue.first, cue.last, "ZIP_CODE")
        out.append(cue)
    return out


_FOLLOW_UPS = tuple(tuple(p.split()) for p in word_list("follow_ups"))  # "And yours?", "And for Callum?"
FOLLOW_UP_REACH = 60  # tokens back in which the questions a follow-up repeats were asked


def _follow_ups(tokens: list[Token], cores: list[str], found: list[Cue]) -> list[Cue]:
    """"And his date of birth?" ... "And yours?", "And for Callum?": a follow-up asks the last
    questions again, for someone else."""
    extra = []
    for i in range(len(cores)):
        words = next((w for w in _FOLLOW_UPS if tuple(cores[i:i + len(w)]) == w), None)
        if words is None or not any(t.text.endswith("?") for t in tokens[i + len(words) - 1:i + len(words) + 2]):
            continue
        if i > 0 and tokens[i - 1].turn == tokens[i].turn and not tokens[i - 1].text.endswith((".", "?", "!")):
            continue  # it starts a sentence: "Thank you. And yours?"
        if any(i <= cue.first <= i + len(words) + 2 for cue in found):
            continue  # "And his phone?" names what it asks
        asked = []
        for cue in reversed(found):
            if cue.first < i - FOLLOW_UP_REACH:
                break
            if cue.first < i and cue.entity not in asked and cue.entity != "PERSON":
                asked.append(cue.entity)
        for entity in reversed(asked[:2]):
            extra.append(Cue(i, i + len(words), entity))
    return sorted(found + extra, key=lambda c: c.first) if extra else found
