"""Values recognised by their written shape alone: the checksums of card and routing numbers
(Luhn, ABA), the shapes of a card number, a Medicare number and a written US phone number, and
e-mail addresses checked against the public-suffix list without going online."""

from __future__ import annotations

import re
from functools import lru_cache

from presidio_analyzer.predefined_recognizers import EmailRecognizer

# The Medicare Beneficiary Identifier's shape (CMS): 11 characters, no S, L, O, I, B or Z letters.
MEDICARE_ID = re.compile(r"[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d"
                         r"[AC-HJKMNP-RT-Y]{2}\d{2}")
PHONE_WRITTEN = re.compile(r"\(?\d{3}\)?[-.]\d{3}[-.]\d{4}")  # as ASR writes a US phone number

# 15 or 16 digits with a card network's prefix (Visa, Mastercard, Amex, Discover).
CARD_NETWORK_START = re.compile(r"4|5[1-5]|2[2-7]|3[47]|6(?:011|5)")  # the big card networks' first digits
# ISO/IEC 7812's major industry identifier, a card number's first digit: 2-6 are the card industries
# (airlines and travel, banking, merchandising: every payment network, Verve's 506 and RuPay's 60
# included); 0, 1, 7, 8 (health care), 9 (national use) are not.
PAYMENT_INDUSTRY = re.compile(r"[2-6]")
CARD_MIN_DIGITS = 13  # the shortest card number
CARD_MAX_DIGITS = 19  # the longest (ISO/IEC 7812)


CARD_NUMBER_SHAPE = re.compile(r"4\d{15}|5[1-5]\d{14}|2[2-7]\d{14}|3[47]\d{13}|6011\d{12}|65\d{14}")


def luhn_card(digits: str) -> bool:
    """Luhn at a card's length (13-19 digits). Luhn says nothing at another length: one number in
    ten passes it, and a phone read three times is 33 digits."""
    return CARD_MIN_DIGITS <= len(digits) <= CARD_MAX_DIGITS and luhn(digits)


def card_industry_number(digits: str) -> bool:
    """Whether a card industry could have issued these digits: they start with its digit (2-6), or
    pass Luhn at a card's length, whatever they start with."""
    return bool(PAYMENT_INDUSTRY.match(digits)) or luhn_card(digits)


def card_number(digits: str) -> bool:
    """Digits that are a card's number by their shape alone: a card network's prefix and length, or
    Luhn at a card's length."""
    return bool(CARD_NUMBER_SHAPE.fullmatch(digits)) or luhn_card(digits)


def luhn(digits: str) -> bool:
    """The card checksum; False for anything that is not all digits (a code with a letter in it)."""
    if not digits.isdigit():
        return False
    total, double = 0, False
    for ch in reversed(digits):
        d = int(ch) * (2 if double else 1)
        total += d - 9 if d > 9 else d
        double = not double
    return total % 10 == 0


def aba(digits: str) -> bool:
    return len(digits) == 9 and sum(int(d) * w for d, w in zip(digits, [3, 7, 1] * 3)) % 10 == 0


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's e-mail recogniser checks the domain with tldextract, which downloads the
    public-suffix list on first use; this one reads the snapshot tldextract ships."""

    def validate_result(self, pattern_text: str):
        return _suffixes()(pattern_text).fqdn != ""


@lru_cache(maxsize=1)
def _suffixes():
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

