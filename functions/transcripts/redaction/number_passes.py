"""The passes over a call's word labels that decide its numbers and codes: a question before a
number over its shape alone, the recall-first net (detectors/number_net.py), read-backs that
take the type of the number they repeat, cards that hold no letters, hesitations inside a code,
and country patterns that count only where the call names their kind of number."""

from __future__ import annotations

import re

from . import lexicon, policy
from .spoken import CUE_ACRONYMS as _CUE_ACRONYMS, HESITATIONS as _HESITATIONS, NUMBER_WORDS as _NUMBER_WORDS
from .spoken import SPOKEN_DIGITS as _SPOKEN_DIGITS, TEENS, TENS, normalize
from .word_labels import NER_SOURCES as _NER_SOURCES, WordLabel, entity_spans
from .word_labels import bare as _bare  # (many passes here name a local `bare`)

# Findings by shape alone (a country's id pattern, the statistical model) that the question asked
# before them overrides: sixteen digits after "it's an amex" are a card, not an NHS number. A card
# found by its checksum alone is overridden too unless it has a card's usual length (15 or 16
# digits): one number in ten passes the checksum by chance ("the account number? 3120045581926").
_SHAPE_SOURCES = frozenset({"pii_model", "NhsRecognizer", "AuMedicareRecognizer", "AuTfnRecognizer", "CaSinRecognizer",
                            "UkNinoRecognizer", "InAadhaarRecognizer", "UsBankRecognizer", "UsItinRecognizer",
                            "UsLicenseRecognizer", "UsPassportRecognizer", "UkPassportRecognizer", "InPassportRecognizer",
                            "PhoneRecognizer"})


def shapes_need_their_words(words: list[str], labels: list, shape_words: dict[str, tuple[str, ...]]) -> None:
    """A country's number pattern (an NHS or Medicare number, a tax file number) counts only on a
    call that names that kind of number somewhere (the recogniser's own context words): a ten-digit
    phone number passes the NHS checksum one time in eleven. Else the number is left to the net,
    which types it by the question before it, or redacts it under every class asked for."""
    said = " " + " ".join(_bare(w) for w in words) + " "
    absent = {name for name, context in shape_words.items() if not any(f" {c} " in said for c in context)}
    for i, label in enumerate(labels):
        if label is not None and label.source in absent:
            labels[i] = None


def hesitations_inside(words: list[str], labels: list, turns: list[int]) -> None:
    """A hesitation or a joiner said inside one number or code ("L6P, um, 3K9", "H Y G slash
    10042") is part of it: a span redacted around it would otherwise show where the value pauses."""
    from .detectors.number_net import joiners

    def code_part(word: str) -> bool:
        bare = _bare(word)
        return any(c.isdigit() for c in bare) or len(bare) == 1 or bare in _SPOKEN_DIGITS

    for i in range(1, len(words) - 1):
        before, after = labels[i - 1], labels[i + 1]
        if labels[i] is None and before is not None and after is not None and before.entity == after.entity \
                and turns[i - 1] == turns[i] == turns[i + 1] and _bare(words[i]) in joiners() \
                and code_part(words[i - 1]) and code_part(words[i + 1]):
            labels[i] = before


def letters_beside_codes(words: list[str], labels: list, turns: list[int]) -> None:
    """The letters of an identifier said apart from its digits are part of it: "member ID is X K W,
    mm-hm, eight eight ...", "it starts with a W, as in William, then K, then double seven three",
    "817440926 ... B as in boy", "the letters are k b five five two". Letters (with the spelling aid
    "as in William", "double", "then", a hesitation) right before or after a code's words in the
    same turn take its label; "a" and "I" count only between two others, and letters that spell the
    number's name ("m r n", "r x") are its cue, not part of it."""
    from .detectors.number_net import cue_words

    cues = cue_words() | _CUE_ACRONYMS
    spans = [(first, end) for first, end in entity_spans(labels) if labels[first].entity in _CODES]
    for first, end in spans:
        label = labels[first]
        before = sorted(_letters_before(words, labels, first, turns))
        if "".join(_bare(words[k]) for k in before if _letter(words, k)) in cues:
            before = []  # "it says m r n zero zero seven": the letters name the number, they are not in it
        for k in before + _letters_after(words, labels, end, turns):
            labels[k] = label


_CODES = frozenset(entity for entity, row in policy.table().items()
                   if row.label_type in ("mrn", "member_id", "group_id", "claim_id", "rx", "license", "passport",
                                         "national_id", "-") and entity != "NUMBER")
_BETWEEN_LETTERS = frozenset({"then", "double", "dash"})
_PAUSES = _HESITATIONS | frozenset({"mm-hm", "mm-hmm", "mhm", "uh-huh"})  # the listener's "mm-hm" between parts


def _letter(words: list[str], k: int) -> bool:
    """Whether words[k] is one letter; "a" and "i" only between two others ("z a c", not "a W")."""
    def one(j: int) -> bool:
        return 0 <= j < len(words) and len(_bare(words[j])) == 1 and _bare(words[j]).isalpha()

    if not one(k):
        return False
    return _bare(words[k]) not in ("a", "i") or one(k - 1) and one(k + 1)


def _aid_at(words: list[str], k: int) -> int:
    """Words of a spelling aid at k ("as in William", "for Zulu", "like Frank"), or 0."""
    cores = [_bare(w) for w in words[k:k + 3]]
    if cores[:2] == ["as", "in"] and len(cores) == 3 and cores[2].isalpha():
        return 3
    if cores[:1] in (["for"], ["like"]) and len(cores) >= 2 and cores[1].isalpha() and words[k + 1][:1].isupper():
        return 2
    return 0


def _letters_after(words: list[str], labels: list, end: int, turns: list[int]) -> list[int]:
    """Positions of the letters (and their aids) said right after a code ending at `end`."""
    taken, k, last = [], end, None
    while k < len(words) and turns[k] == turns[end - 1] and labels[k] is None:
        if _letter(words, k):
            taken.append(k)
            last = k
            k += 1
            aid = _aid_at(words, k)
            taken += range(k, k + aid)
            k += aid
        elif _bare(words[k]) in _BETWEEN_LETTERS or _bare(words[k]) in _PAUSES:
            taken.append(k)
            k += 1
        else:
            break
    return [i for i in taken if last is not None and i <= last + _aid_at(words, last + 1)]  # not what trails it


def _letters_before(words: list[str], labels: list, first: int, turns: list[int]) -> list[int]:
    """Positions of the letters (and their aids) said right before a code starting at `first`."""
    taken, k, start = [], first - 1, None
    while k >= 0 and turns[k] == turns[first] and labels[k] is None:
        aid = next((n for n in (3, 2) if k - n + 1 > 0 and _aid_at(words, k - n + 1) == n and _letter(words, k - n)), 0)
        if aid:
            taken += range(k - aid + 1, k + 1)
            k -= aid
            continue
        if _letter(words, k):
            taken.append(k)
            start = k
        elif _bare(words[k]) not in _BETWEEN_LETTERS and _bare(words[k]) not in _PAUSES:
            break
        else:
            taken.append(k)
        k -= 1
    return [i for i in taken if start is not None and i >= start]


def context_over_patterns(words: list[str], labels: list) -> None:
    from .detectors import number_net

    for first, j in entity_spans(labels, same=lambda a, b: a == b):
        label = labels[first]
        i = next((k for k in range(first, j) if any(c.isdigit() for c in words[k])
                  or _bare(words[k]) in _NUMBER_WORDS), None)  # from its first number: "double [oh] seven"
        if label.source not in _SHAPE_SOURCES | {"CreditCardRecognizer"} or i is None:
            continue
        if label.source == "CreditCardRecognizer" and sum(c.isdigit() for c in normalize(words[i:j]).text) in (15, 16):
            continue  # a card's usual length and its checksum: a card whatever was asked
        cue = number_net.cue_entity([_bare(w) for w in words[max(0, i - number_net.NET_LOOKBACK):i]], weak=False)
        if cue == "PAYMENT_NUMBER" and not number_net.payment_shape(normalize(words[i:j]).text, begun=True):
            cue = "NUMBER"  # not a payment shape: the pattern stands
        if cue != "NUMBER" and policy.classes_of(cue)[0] != label.cls:
            relabel = WordLabel(cue, policy.classes_of(cue)[0], label.score, "context_over_pattern")
            for k in range(i, j):
                labels[k] = relabel


_MONEY_WORDS = lexicon.word_set("money_words")


def _price_in_pairs(words: list[str], positions: list[int]) -> bool:
    """"The rollers are twelve ninety-five each", "your total is seven fifty-six eighteen": a number
    said as pairs ("twelve ninety-five", not "one two nine five"), with no cue asking for a number,
    in a sentence about money, is a price."""
    said = [_bare(words[i]) for i in positions]
    pairs = [w for w in said if w in TEENS or w.partition("-")[0] in TENS]
    if len(pairs) < 2 or len(said) - len(pairs) > 1:
        return False  # digits read one by one are how identifiers are said
    first, last = positions[0], positions[-1]
    while first > 0 and not words[first - 1].endswith((".", "?", "!")) and positions[0] - first < 12:
        first -= 1
    while last + 1 < len(words) and not words[last].endswith((".", "?", "!")) and last - positions[-1] < 12:
        last += 1
    return any(_bare(w) in _MONEY_WORDS for w in words[first:last + 1])


def numbers_net(words: list[str], norms, labels: list) -> None:
    """The recall-first net (detectors/number_net.py): every number or code no detector took and that
    is not recognisably harmless is redacted, typed by the nearest cue before it; one that touches a
    labelled word is part of that entity."""
    from .detectors import number_net

    talk = number_net.payment_talk([_bare(w) for w in words])
    for first, norm in norms:
        for start, end, needs_cue in number_net.candidates(norm.text):
            positions = [first + w for w in norm.words_of(start, end)]
            if needs_cue and (not positions or number_net.cue_entity(
                    [_bare(w) for w in words[max(0, positions[0] - number_net.NET_LOOKBACK):positions[0]]],
                    weak=False) == "NUMBER"):
                continue  # a year with no cue asking for a number
            if not positions or all(labels[i] is not None for i in positions):
                continue
            if any(_bare(words[i]) in number_net.AMOUNT_WORDS for i in positions):
                continue  # "three hundred twelve": an amount
            known = next((labels[i] for i in positions if labels[i] is not None), None)
            if known is None:
                earlier = [_bare(w) for w in words[max(0, positions[0] - number_net.NET_LOOKBACK):positions[0]]]
                entity = number_net.cue_entity(earlier)
                if entity == "NUMBER" and _price_in_pairs(words, positions):
                    continue
                if entity in ("NUMBER", "PAYMENT_NUMBER") and not number_net.payment_shape(
                        norm.text[start:end], begun=entity == "PAYMENT_NUMBER", talk=talk):
                    entity = "ID_NUMBER"  # payment data has its shapes; this is some other identifier
                known = WordLabel(entity, policy.classes_of(entity)[0], 0.3, "number_net")
            for i in positions:
                if labels[i] is None:
                    labels[i] = known
    digits = _digits_by_word(norms, len(words))
    _read_backs(labels, digits)
    _card_digits_are_a_card(labels, digits)
    _cards_have_no_letters(words, labels)


_CARD_NUMBERS = frozenset({"CREDIT_CARD", "PAYMENT_NUMBER"})

_LETTER = re.compile(r"[a-z]|[a-z]+\d[\da-z]*|\d+[a-z][\da-z]*")  # "B", "ZKF4192", "10042B"


_NOT_LETTERS = frozenset({"a", "i", "o"})  # "a", "I", "o" for zero


def _cards_have_no_letters(words: list[str], labels: list) -> None:
    """A card number is digits only: a value taken as one that holds a letter ("H Y G slash 1 0 0 4
    2 slash B" after "the card") is some other code, typed by the nearest cue that is not a card's
    (else an identifier: pii and phi)."""
    from .detectors import number_net

    for i, j in entity_spans(labels):
        if labels[i].entity not in _CARD_NUMBERS:
            continue
        cores = [_bare(w) for w in words[i:j]]
        if any(_LETTER.fullmatch(c) and c not in _NOT_LETTERS for c in cores):
            entity = number_net.cue_entity([_bare(w) for w in words[max(0, i - number_net.NET_LOOKBACK):i]],
                                           payment=False)
            entity = "ID_NUMBER" if entity == "NUMBER" else entity
            label = WordLabel(entity, policy.classes_of(entity)[0], labels[i].score, "no_card_letters")
            for k in range(i, j):
                labels[k] = label


_UNTYPED = frozenset({"NUMBER", "ID_NUMBER"})  # the net's entities for a number with no cue before it
# A date's digits ("the 3rd of March 2019") are a day, a month and a year, found inside any long
# number by chance: a phone said twice held "2019" across the join. (An expiry is a card's secret:
# said with the security code, "0629 044" is the two said again.)
_DATES = frozenset({"HEALTH_DATE", "DATE_OF_BIRTH"})

READ_BACK_DIGITS = 3  # a shorter repeat is too common to tie two numbers together


READ_BACK_SHAPE_DIGITS = 4  # the repeat that retypes a number its shape alone had typed


def _digits_by_word(norms, count: int) -> list[str]:
    """The digits each word stands for once normalised ("four" -> "4"; a piece of several words,
    "twenty seven", gives its digits to its first word)."""
    digits = [""] * count
    for first, norm in norms:
        for piece in norm.pieces:
            digits[first + piece.first] += "".join(c for c in norm.text[piece.start:piece.end] if c.isdigit())
    return digits


def _numbered_spans(labels: list, digits: list[str]) -> list[tuple[int, int, str, str]]:
    """(first, end, entity, digits) of each run of words with one entity that holds digits."""
    spans = []
    for i, j in entity_spans(labels):
        value = "".join(digits[i:j])
        if len(value) >= READ_BACK_DIGITS:
            spans.append((i, j, labels[i].entity, value))
    return spans


CARD_DIGITS = 13  # the fewest digits of a card number (what ties a repeat to it)


def _card_digits_are_a_card(labels: list, digits: list[str]) -> None:
    """A card number's digits are the card wherever they are said again, whatever word was near:
    "wait, I skipped a group. 5291 0344 ..." after a card was asked for is no health plan's group
    number. Only whole numbers of a card's length tie the two; a question's own type stands for
    anything shorter."""
    spans = _numbered_spans(labels, digits)
    cards = {value for _, _, entity, value in spans if entity == "CREDIT_CARD" and len(value) >= CARD_DIGITS}
    for first, end, entity, value in spans:
        if entity != "CREDIT_CARD" and len(value) >= CARD_DIGITS and value in cards:
            label = WordLabel("CREDIT_CARD", policy.classes_of("CREDIT_CARD")[0], 0.3, "read_back")
            for i in range(first, end):
                labels[i] = label


def _repeats(value: str, span: tuple[int, int, str, str]) -> bool:
    """Whether digits say a typed number again: all of it or a part (the last four, a year), or
    hold it whole, but not a date (`_DATES`): a longer number that holds a date's digits is no date."""
    said = span[3]
    return value in said or span[2] not in _DATES and said in value


def _read_backs(labels: list, digits: list[str]) -> None:
    """A number the net found with no cue before it, or one typed by its shape alone (the model's
    "bank number" for a card read back in one breath), that repeats the digits of a number a cue
    typed elsewhere in the call (a read-back, a confirmation, a correction, the last four said
    again) is that number: it takes its entity, from the nearest such number. A shape's type gives
    way only to a repeat of READ_BACK_SHAPE_DIGITS or more, and only where the classes differ."""
    spans = _numbered_spans(labels, digits)
    typed = [span for span in spans if span[2] not in _UNTYPED]
    by_cue = [span for span in typed if labels[span[0]].source not in _SHAPE_SOURCES | _NER_SOURCES]
    for first, end, entity, value in spans:
        untyped = entity in _UNTYPED and labels[first].source == "number_net"
        if untyped:
            same = [t for t in typed if _repeats(value, t)]
        elif labels[first].source in _SHAPE_SOURCES:
            same = [t for t in by_cue if set(policy.classes_of(t[2])) != set(policy.classes_of(entity))
                    and min(len(t[3]), len(value)) >= READ_BACK_SHAPE_DIGITS
                    and _repeats(value, t)]
        else:
            continue
        if not same:
            continue
        nearest = min(same, key=lambda t: abs(t[0] - first))
        label = WordLabel(nearest[2], policy.classes_of(nearest[2])[0], 0.3, "read_back")
        for i in range(first, end):
            labels[i] = label
