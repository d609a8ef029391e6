"""The recall-first net for numbers and codes.

Whatever the other detectors made of a call, every run of digits (spoken digits are digits by now:
`spoken.normalize` ran first, homophones inside a run included) and every letter-and-digit code is
redacted unless it is recognisably harmless: a time of day, a money amount, a quantity with its unit
(`data/net_units.txt`), a count (fewer than three digits), a year alone. A leaked digit string is far
worse than a redacted "150": the net is tuned toward recall.

Its entity comes from the nearest cue said before it (`data/net_cues.tsv`: "card" makes a payment
number, "member" a health number, "phone" a personal one); with no cue it is `NUMBER`, which every
class covers (`data/entity_classes.tsv`), so it is redacted whatever was asked for; only a number
that cannot be payment data (not 3-4 digits, 13-19 digits or an expiry; in a call where nobody
spoke of a card, not 13-19 digits) is left to pii and phi (`ID_NUMBER`), so that `pci` alone does
not take every phone number. A number that
touches a word another detector already labelled takes that word's entity instead.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from ..currencies import currency_words
from ..lexicon import other_card, word_set
from ..tokens import currency_sign
from .patterns import CARD_NETWORK_START, card_industry_number

GROUP_OF_DIGITS = word_set("group_of_digits")

NET_LOOKBACK = 30  # words before a number in which a cue types it
# Words the recogniser writes for a digit it heard inside a number: "4271 3319 for 6", "513-555-0 ate 64".
HOMOPHONES = frozenset("for to too ate oh o won".split())
_TOKEN = re.compile(r"\S+")
_EDGE = ".,;:!?…\"'()"
_TIME = re.compile(r"\d{1,2}:\d{2}")
_YEAR = re.compile(r"(?:19|20)\d\d")
_ORDINAL = re.compile(r"\d{1,2}(?:st|nd|rd|th)", re.IGNORECASE)
_EXPIRY = re.compile(r"\d{1,2}\s?/\s?\d{2,4}")
# Said as an amount, not read out as an identifier: "three hundred twelve", "four thousand five hundred",
# "forty three thousand six hundred rand"; currencies' names from CLDR (`currencies`), less the
# words the recogniser writes for a digit ("won").
AMOUNT_WORDS = frozenset("hundred thousand million billion grand bucks pounds".split()) | (currency_words() - HOMOPHONES)
_WORD = re.compile(r"[\w'%.]+")


@lru_cache(maxsize=1)
def units() -> frozenset[str]:
    """`data/net_units.txt` and the names of the world's currencies (`currencies`)."""
    text = resources.files("transcripts.redaction").joinpath("data/net_units.txt").read_text(encoding="utf-8")
    listed = frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))
    return listed | AMOUNT_WORDS - {"hundred", "thousand", "million", "billion"}


@lru_cache(maxsize=1)
def joiners() -> frozenset[str]:
    """Words said between the parts of one code: "slash", "dash", and hesitations ("um", "ehh")."""
    from ..spoken import HESITATIONS

    return frozenset({"slash", "dash", "hyphen", "stroke"}) | HESITATIONS


@lru_cache(maxsize=1)
def cue_words() -> frozenset[str]:
    strong, weak = _cues()
    return frozenset(w for table in (strong, weak) for phrase in table for w in phrase)


@lru_cache(maxsize=1)
def _cues() -> tuple[dict[tuple[str, ...], str], dict[tuple[str, ...], str]]:
    text = resources.files("transcripts.redaction").joinpath("data/net_cues.tsv").read_text(encoding="utf-8")
    strong: dict[tuple[str, ...], str] = {}
    weak: dict[tuple[str, ...], str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        entity, phrases = line.split("\t")
        target = weak if entity.startswith("~") else strong
        for phrase in phrases.split(","):
            target[tuple(phrase.strip().lower().split())] = entity.lstrip("~")
    return strong, weak


def _harmless(text: str, start: int, end: int, soft: bool = True) -> bool:
    """`soft`: a year alone counts as harmless too (not after a cue that asks for a number)."""
    value = text[start:end]
    said = [w.strip(_EDGE).lower() for w in value.split()]
    # a homophone inside counts as the digit it stands for ("ate 1 5" is a security code)
    digits = sum(c.isdigit() for c in value) + sum(w in HOMOPHONES for w in said)
    letters = any(c.isalpha() for w in said if w not in HOMOPHONES for c in w)
    if digits < 3 and not (letters and len(value.replace(" ", "")) >= 3):
        return True  # a count, a day, "4C" alone
    if _TIME.fullmatch(value) or _ORDINAL.fullmatch(value) or soft and _YEAR.fullmatch(value):
        return True
    before = text[:start].rstrip()
    if (currency_sign(value[:1]) or before and currency_sign(before[-1])) and not _card_read_as_prices(text, start):
        return True
    following = _WORD.findall(text[end:end + 40])[:2]  # "3 to 5 business days", "20 mg"
    return any(w.lower() in units() or w.lower().rstrip(".") in units() for w in following)


CARD_AS_PRICES_MIN = 4  # whole amounts in one sentence after "card": a card number written as prices
CARD_CUE_REACH = 80  # characters before the sentence in which "card" makes its amounts a card's groups
_AMOUNT = re.compile(r"(?<![\w.])\W(\d+)(\.\d+)?(?![\d.]*\d)")
_SENTENCE_END = re.compile(r"[.?!](\s|$)")


def _card_read_as_prices(text: str, start: int) -> bool:
    """"Try my Mastercard, $5500, not all $55, $55, $55, $55, $59.": the recogniser wrote the groups
    of a card number as dollar amounts. Four or more whole amounts in one sentence, none with
    cents, said after "card", are digits, not money."""
    opened = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    closed = _SENTENCE_END.search(text, start)
    sentence = text[opened:closed.start() if closed else len(text)]
    amounts = [m for m in _AMOUNT.finditer(sentence) if currency_sign(m.group(0)[:1])]
    return len(amounts) >= CARD_AS_PRICES_MIN and not any(m.group(2) for m in amounts) \
        and "card" in text[max(0, opened - CARD_CUE_REACH):opened + (amounts[0].start() if amounts else 0)].lower()



def _kind(core: str) -> str | None:
    if _ORDINAL.fullmatch(core):
        return None  # "the 3rd one": an ordinal
    if any(c.isdigit() for c in core):
        return "digits"
    if len(core) == 1 and core.isalpha() and core.lower() not in ("a", "i"):
        return "letter"  # "L S 6, 7 R": a code spelled out
    if core.lower() in HOMOPHONES:
        return "homophone"
    if core.lower() in joiners() or core in ("/", "-"):
        return "joiner"  # "H Y G slash 10042 slash B", "754, ehh, 1209"
    if 2 <= len(core) <= 4 and core.isalpha() and core.isupper() and core.lower() not in cue_words():
        return "prefix"  # "OFC 19336", "CR 7 for 8": letters that lead a code (not "NHS", a cue)
    return None


def _runs(text: str) -> list[tuple[int, int]]:
    """Stretches of digit groups and spelled letters, joined by homophones, within a sentence."""
    tokens = []
    for m in _TOKEN.finditer(text):
        raw = m.group(0)
        core = raw.strip(_EDGE)
        if not core:
            continue
        lead = raw.index(core[0])
        stop = raw.endswith((".", "?", "!")) and not raw.endswith("...")
        tokens.append((m.start() + lead, m.start() + lead + len(core), _kind(core), stop,
                       currency_sign(raw[:1])))
    runs, i = [], 0
    while i < len(tokens):
        start, _, kind, _, _ = tokens[i]
        if kind is None or kind == "joiner" or kind == "homophone" and not (
                i + 2 < len(tokens) and tokens[i + 1][2] == "digits" and tokens[i + 2][2] == "digits"
                and not tokens[i + 1][3]) or kind == "prefix" and not (
                i + 1 < len(tokens) and tokens[i + 1][2] == "digits"):
            i += 1
            continue
        j, has_digits, last = i, False, i
        while j < len(tokens) and tokens[j][2] is not None:
            if tokens[j][2] == "prefix" and j > i and not (j + 1 < len(tokens) and tokens[j + 1][2] == "digits") \
                    and not (tokens[j - 1][2] == "digits" and tokens[i][2] in ("letter", "prefix")):
                break  # a capitalised word inside is a code's letters only right before its digits, or
                # after them in a code that began with letters ("G 115 DS": a postcode's inward part)
            if tokens[j][2] == "joiner":
                if not (j + 1 < len(tokens) and tokens[j + 1][2] in ("digits", "letter", "prefix")):
                    break  # joins two parts of a code, or nothing
            elif tokens[j][2] == "homophone":
                ends = tokens[j][3] or j + 1 == len(tokens)
                joins = j + 1 < len(tokens) and tokens[j + 1][2] in ("digits", "letter")
                if not (joins or ends and has_digits):
                    break
            else:
                has_digits = has_digits or tokens[j][2] == "digits"
            last = j
            if tokens[j][3]:
                break
            j += 1
        if has_digits:
            runs.append((start, tokens[last][1]))
        i = last + 1
    return runs


def candidates(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, needs_cue) for each number or code in normalised text that is not recognisably
    harmless; `needs_cue`: it is one only where a cue asked for a number (a year-shaped value:
    "the PIN? 2011")."""
    out = []
    for start, end in _runs(text):
        if not _harmless(text, start, end, soft=False):
            out.append((start, end, _harmless(text, start, end)))
    return out


def find(text: str) -> list[tuple[int, int]]:
    """Spans of numbers and codes in normalised text that are not recognisably harmless."""
    return [(start, end) for start, end, needs_cue in candidates(text) if not needs_cue]


def payment_shape(value: str, begun: bool = False, talk: bool = True) -> bool:
    """Could be payment data: a security code or PIN (3-4 digits), a card number (13-19 digits
    that pass Luhn or start with a card industry's digit, 2-6), an expiry;
    with `begun` (a card was asked for), also a card number begun and broken off: 6 digits or more
    that start as a card network's do. Without `talk` (no payment cue in the whole call) only a card
    number's length is."""
    digits = "".join(c for c in value if c.isdigit())
    if 13 <= len(digits) <= 19:
        return card_industry_number(digits)  # no card industry's "1120 3400 8876 2"
    if talk and (len(digits) in (3, 4) or _EXPIRY.fullmatch(value.strip())):
        return True
    return begun and len(digits) >= 6 and bool(CARD_NETWORK_START.match(digits))


def _cue_at(table: dict[tuple[str, ...], str], words: list[str], k: int) -> str | None:
    """The entity of the longest cue phrase ending at words[k], if any; "card" after a noun that
    names some other card ("his health card", lexicon.other_card) is none."""
    for length in (3, 2, 1):
        first = k - length + 1
        if first >= 0:
            entity = table.get(tuple(words[first:k + 1]))
            if entity == "PAYMENT_NUMBER" and words[first] == "card" and first > 0 and other_card(words[first - 1]):
                return None
            if entity == "PAYMENT_NUMBER" and length == 1 and words[first] == "card" and _named_card_before(table, words, first):
                return None  # "the Medicare card number and his number on the card": that card again
            if words[first:k + 1] == ["group"] and first > 0 and words[first - 1] in GROUP_OF_DIGITS:
                return None  # "the third group is 3164": a group of the number's digits, not a group number
            if entity:
                return entity
    return None


def _named_card_before(table: dict[tuple[str, ...], str], words: list[str], k: int) -> bool:
    """Whether "card" at words[k], said bare, is a card named just before as no payment card: the
    last card said before it was "his Medicare card", "the health card" (a cue of another entity, or
    `other_card`), and nothing since spoke of paying by card (a brand, credit, the security code)."""
    for j in range(k - 1, -1, -1):
        if words[j] == "card":
            named = any(table.get(tuple(words[j - n:j + 1]), "PAYMENT_NUMBER") != "PAYMENT_NUMBER"
                        for n in (1, 2) if j - n >= 0)
            return named or j > 0 and other_card(words[j - 1])
        if any(table.get(tuple(words[j:j + n])) == "PAYMENT_NUMBER" for n in (1, 2, 3)):
            return False
    return False


def cue_entity(earlier: list[str], weak: bool = True, payment: bool = True) -> str:
    """The entity of a number after these words (lower case, nearest last): the nearest strong cue,
    else the nearest weak one, else NUMBER; without `payment`, payment cues are passed over."""
    strong, weak_cues = _cues()
    words = earlier[-NET_LOOKBACK:]
    for table in (strong, weak_cues) if weak else (strong,):
        for k in range(len(words) - 1, -1, -1):
            entity = _cue_at(table, words, k)
            if entity and (payment or entity != "PAYMENT_NUMBER"):
                return entity
    return "NUMBER"


def payment_talk(words: list[str]) -> bool:
    """Whether a payment cue (a card, its security code, its expiry) is said anywhere in the call
    (lower-case words). Without one, a number nobody asked for is not payment data: a security code
    or last four needs a card to belong to."""
    strong, _ = _cues()
    return any(_cue_at(strong, words, k) == "PAYMENT_NUMBER" for k in range(len(words)))
