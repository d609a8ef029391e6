"""Which values can answer which question: a number after "and the security code?" must have
the shape of a security code. `fits` says whether a whole value can be that entity (also when it
was begun and said again), `fits_piece` whether it can be one group of a number said in pieces,
and `ASSEMBLED` whether groups said one after another together make the number."""

from __future__ import annotations

import re

from ..tokens import Span
from .patterns import CARD_NUMBER_SHAPE, MEDICARE_ID, aba, luhn

PIECE_GAP = 6  # a piece of a number said in groups follows the question or the last piece this closely

# Numbers assembled from groups when the groups together have the whole number's shape.
ASSEMBLED = {"ABA_ROUTING_NUMBER": aba, "CREDIT_CARD": lambda d: bool(CARD_NUMBER_SHAPE.fullmatch(d)) and luhn(d),
             "US_SSN": lambda d: len(d) == 9, "PHONE_NUMBER": lambda d: len(d) == 10,
             "HEALTH_PLAN_ID": lambda d: bool(MEDICARE_ID.fullmatch(d)),  # a Medicare number read in pieces
             "IBAN_CODE": lambda d: bool(re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", d))}  # "P K three six ... M E Z N ..."
LETTERED = frozenset({"HEALTH_PLAN_ID", "IBAN_CODE"})  # assembled from groups that carry letters


def _mdy(v: str) -> bool:
    """Whether digits read as month, day, two-digit year ("34 19" = 3/4/19, "63 41" = 6/3/41)."""
    for m in (1, 2):
        for d in (1, 2):
            if m + d + 2 == len(v) and 1 <= int(v[:m]) <= 12 and 1 <= int(v[m:m + d]) <= 31 and v[m:m + 1] != "0":
                return True
    return False


def _id_like(v: str) -> bool:
    return len(v) >= 4 and sum(c.isdigit() for c in v) >= 3


# A number said in groups: the groups one by one, each answering the same question.
PIECES = {"PHONE_NUMBER": (3, 4, 6), "US_SSN": (3, 5, 2, 4, 6), "ABA_ROUTING_NUMBER": (3,), "US_BANK_NUMBER": (3, 4),
          "LOAN_NUMBER": (3, 4)}


def fits_piece(entity: str, span: Span) -> bool:
    """A group of a number said in pieces ("312 555" ... "0142"; "529 41 ..."); taken only
    right after the question or right after the previous piece."""
    return span.kind == "run" and span.value.isdigit() and len(span.value) in PIECES.get(entity, ())


def _restart(value: str) -> str | None:
    """"seven one, um, seven one eight" is written 71718: a value begun, dropped and said again
    whole. Returns the whole (718), or None."""
    for k in range(2, len(value) // 2 + 1):
        if value[k:].startswith(value[:k]):
            return value[k:]
    return None


def fits(entity: str, span: Span) -> bool:
    """Whether a value of this shape can be that entity (the cue said what was asked), also
    when it was begun and said again ("71718" is 718 restarted)."""
    if _fits(entity, span):
        return True
    again = _restart(span.value) if span.kind == "run" and span.value.isdigit() and len(span.value) >= 5 else None
    return again is not None and _fits(entity, Span(span.first, span.last, again, "run"))


_RELATIVE_DATE = re.compile(r"(THIS|NEXT|LAST)MONTH$")  # tokens.dates' "of this month" ("of last year" may be a birth)


def _fits(entity: str, span: Span) -> bool:
    v = span.value
    digits = v.isdigit()
    if span.kind == "date":
        if entity != "HEALTH_DATE" and _RELATIVE_DATE.search(v):
            return False  # "admitted on 2nd of this month": a date told from today is no birth date nor expiry
        return entity in ("DATE_OF_BIRTH", "CARD_EXPIRY", "HEALTH_DATE") and not span.weak
    n = len(v)
    return {
        "CREDIT_CARD": digits and 4 <= n <= 22,  # up to 19, and ASR sometimes hears a 1 or two too many
        "CARD_CVV": digits and 3 <= n <= 4,
        "CARD_EXPIRY": digits and (n == 4 and 1 <= int(v[:2]) <= 12 or n == 3),
        "CARD_PIN": digits and 4 <= n <= 6,
        "US_SSN": digits and n in (4, 9),
        "DATE_OF_BIRTH": digits and (6 <= n <= 8 or n in (4, 5) and span.last - span.first >= 2 and _mdy(v)),
        "PHONE_NUMBER": digits and n in (7, 10, 11),
        "ABA_ROUTING_NUMBER": digits and (aba(v) or n == 9),  # asked for, nine digits are it even misheard
        "US_BANK_NUMBER": digits and 4 <= n <= 17,
        "ZIP_CODE": digits and 4 <= n <= 9,  # US 5 or 9; after "postal code" also 4, 6 or 7 ("530-0047")
        "IBAN_CODE": bool(re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", v)),
        "HEALTH_DATE": digits and 3 <= n <= 8,  # "dates of service, oh seven nineteen"
        "PERSON": v.isalpha() and n >= 2 and (span.last - span.first > 1 or "-" in v or n <= 3),
    }.get(entity, _id_like(v))

