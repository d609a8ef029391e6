"""Presidio recognisers for call speech, on the text `spoken.normalize` wrote.

Stock recognisers find what is written in a standard shape ("4111 1111 1111 1111",
"503-555-0187", "rob@outlook.com"). Calls need more: a number means what the question
before it asked ("and the security code?" ... "737"), addresses and medical words come
without capitals, and names come in lower case after "my husband,". Each recogniser here
handles one of those; all return Presidio `RecognizerResult`s so the analyser merges them.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.predefined_recognizers import EmailRecognizer

from . import lexicon
from .spoken import DIGITS, TEENS, TENS
from .tokens import CUE_WORDS, MONTHS, WEEKDAYS, Span, cues, dates, strip_possessive, tokenize, value_runs

CONTEXT_WINDOW = 30  # tokens after a cue in which a value takes the cue's meaning
CHAIN_GAP = 12  # once one value is typed, a further one must follow within this many tokens
PIECE_GAP = 6  # a piece of a number said in groups follows the question or the last piece this closely
LATE_WINDOW = 80  # an unanswered question still types the first fitting value this far on, before the next cue
# ... when its shape is specific enough (a code of any shape after "member id" may be anything)
LATE_ENTITIES = frozenset({"CARD_CVV", "CARD_EXPIRY", "CARD_PIN", "CREDIT_CARD", "US_SSN", "ABA_ROUTING_NUMBER",
                           "DATE_OF_BIRTH", "PHONE_NUMBER"})
HEALTH_LOOKBACK = 30  # tokens before a date in which a health word makes it a health date
WEAK_HEALTH_LOOKBACK = 8  # the same, for a month, weekday or "the 9th" alone
DATE_ENTITIES = frozenset({"DATE_OF_BIRTH", "CARD_EXPIRY", "HEALTH_DATE"})
READ_BACK_GAP = 8  # a three-digit value said again within this many tokens is read back
MEDICATION_RX_WINDOW = 40  # tokens after a drug's name in which its prescription number is read
JOINT_GAP = 6  # two questions this close are asked together ("date of birth and the last four of your social")
PARTIAL_GAP = 12  # "no sorry, the end is one six": a fix to a number follows it this closely
DOB_REACH = 12  # a date further than this after "date of birth", with a health word just before it, is a visit
_GENERIC_MEDICAL = frozenset("""test tests pain shot exam cleaning filling crown implant screening
change changes screen graft""".split())  # "dressing change" names care, "did anything change this year" does not
# Care words before a date, and the head word of every listed condition and procedure ("when the
# extraction was? January fifth", "colitis since 2016").
_HEALTH_WORDS = lexicon.HEALTH_DATE_CUES | lexicon.PROCEDURE_NOUNS | lexicon.REMOVABLE_ORGANS | frozenset(
    p.split()[-1] for p in lexicon.PROCEDURES + lexicon.CONDITIONS if p and len(p.split()[-1]) > 4) - _GENERIC_MEDICAL


# The Medicare Beneficiary Identifier's shape (CMS): 11 characters, no S, L, O, I, B or Z letters.
MEDICARE_ID = re.compile(r"[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d"
                         r"[AC-HJKMNP-RT-Y]{2}\d{2}")


ICD10_CODE = re.compile(r"[A-TV-Z]\d{2}\.\d{1,4}[A-Z]?")  # a diagnosis code as written: E11.65, M17.11
PHONE_WRITTEN = re.compile(r"\(?\d{3}\)?[-.]\d{3}[-.]\d{4}")  # as ASR writes a US phone number

# 15 or 16 digits with a card network's prefix (Visa, Mastercard, Amex, Discover).
CARD_NUMBER_SHAPE = re.compile(r"4\d{15}|5[1-5]\d{14}|2[2-7]\d{14}|3[47]\d{13}|6011\d{12}|65\d{14}")


def luhn(digits: str) -> bool:
    total, double = 0, False
    for ch in reversed(digits):
        d = int(ch) * (2 if double else 1)
        total += d - 9 if d > 9 else d
        double = not double
    return total % 10 == 0


def aba(digits: str) -> bool:
    return len(digits) == 9 and sum(int(d) * w for d, w in zip(digits, [3, 7, 1] * 3)) % 10 == 0


# Numbers assembled from groups when the groups together have the whole number's shape.
ASSEMBLED = {"ABA_ROUTING_NUMBER": aba, "CREDIT_CARD": lambda d: bool(CARD_NUMBER_SHAPE.fullmatch(d)) and luhn(d),
             "US_SSN": lambda d: len(d) == 9, "PHONE_NUMBER": lambda d: len(d) == 10,
             "HEALTH_PLAN_ID": lambda d: bool(MEDICARE_ID.fullmatch(d)),  # a Medicare number read in pieces
             "IBAN_CODE": lambda d: bool(re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", d))}  # "P K three six ... M E Z N ..."
_LETTERED = frozenset({"HEALTH_PLAN_ID", "IBAN_CODE"})  # assembled from groups that carry letters


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


def _fits(entity: str, span: Span) -> bool:
    v = span.value
    digits = v.isdigit()
    if span.kind == "date":
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


def _answer_turn_end(tokens, cue) -> int:
    """The end of the turn after the question's: a long question ("was there a passport
    before this one? Sometimes ...") is still answered by the next turn, however far on."""
    turn, k = tokens[cue.first].turn, cue.last
    while k < len(tokens) and tokens[k].turn <= turn + 1:
        k += 1
    return k


def _window_ends(cue_list, candidates, n_tokens: int) -> list[int]:
    """Where each cue's window ends: at the next cue of another kind that something answers.
    A repeated cue of the same kind does not end it, nor does one said in passing ("four to
    eight digits, and don't use your birth date" ... "5280" still answers the PIN)."""
    firsts = [s.first for s in candidates]  # sorted
    ends, answered = [n_tokens] * len(cue_list), [False] * len(cue_list)
    for k in range(len(cue_list) - 1, -1, -1):  # from the last cue back, so later windows are known
        cue = cue_list[k]
        ends[k] = next((cue_list[m].first for m in range(k + 1, len(cue_list))
                        if cue_list[m].entity != cue.entity and answered[m]), n_tokens)
        until = min(ends[k], cue.last + CONTEXT_WINDOW)
        answered[k] = any(fits(cue.entity, candidates[j])
                          for j in range(bisect_left(firsts, cue.last), bisect_left(firsts, until)))
    return ends


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's e-mail recogniser checks the domain with tldextract, which downloads the
    public-suffix list on first use; this one reads the snapshot tldextract ships."""

    def validate_result(self, pattern_text: str):
        return _suffixes()(pattern_text).fqdn != ""


@lru_cache(maxsize=1)
def _suffixes():
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


class _CallRecognizer(EntityRecognizer):
    """A recogniser with nothing to load; `ENTITIES` and `NAME` say what it finds."""

    ENTITIES: list[str] = []
    NAME = ""

    def __init__(self):
        super().__init__(supported_entities=self.ENTITIES, name=self.NAME)

    def load(self) -> None:
        pass


def _result(entity: str, tokens, first: int, last: int, score: float, why: str) -> RecognizerResult:
    return RecognizerResult(entity, tokens[first].start, tokens[last - 1].end, score,
                            recognition_metadata={"recognizer_name": why})


class CallContextRecognizer(_CallRecognizer):
    """Numbers, codes and dates typed by the question asked before them, by their shape
    (Luhn, ABA checksum, digit counts, month ranges), and by what else the call holds."""

    ENTITIES = ["CREDIT_CARD", "CARD_CVV", "CARD_EXPIRY", "CARD_PIN", "US_SSN", "DATE_OF_BIRTH", "PHONE_NUMBER",
                "ABA_ROUTING_NUMBER", "US_BANK_NUMBER", "LOAN_NUMBER", "HEALTH_PLAN_ID", "CLAIM_NUMBER", "MEDICAL_RECORD_NUMBER",
                "PRESCRIPTION_NUMBER", "US_DRIVER_LICENSE", "US_PASSPORT", "ZIP_CODE", "IBAN_CODE", "PERSON",
                "HEALTH_DATE"]
    NAME = "call_context"

    def __init__(self, medications: frozenset[str] = frozenset()):
        self.medications = medications
        super().__init__()

    def analyze(self, text, entities, nlp_artifacts=None):
        tokens = tokenize(text)
        runs = value_runs(tokens)
        date_spans = dates(tokens)
        cue_list = cues(tokens)
        results, typed = [], {}
        years = {s.first for s in date_spans}
        candidates = sorted(runs + date_spans, key=lambda s: s.first)
        ends = _window_ends(cue_list, candidates, len(tokens))
        unanswered = set()
        for k, cue in enumerate(cue_list):
            stop = ends[k]
            next_cue, last_typed, whole = stop, None, False
            stop = min(stop, max(cue.last + CONTEXT_WINDOW, min(_answer_turn_end(tokens, cue), cue.last + LATE_WINDOW)))
            for span in candidates:
                if span.first < cue.last or span.first in typed:
                    continue
                if span.first >= (stop if last_typed is None or not whole else next_cue):
                    continue  # once an answer has begun, its pieces may run past the window
                if last_typed is not None and span.first - last_typed > CHAIN_GAP:
                    if whole:
                        break  # the answer is over: "your share will be about 1260" is no record number
                    if not fits(cue.entity, span):
                        continue  # only pieces so far ("77 ... hang on"): the whole may still come
                    whole = True
                if cue.entity != "PHONE_NUMBER" and span.last - span.first == 1 \
                        and PHONE_WRITTEN.fullmatch(tokens[span.first].raw_core):
                    continue  # "Is 503-229-4160 the best number" after a claim question is a phone
                if span.kind == "run" and span.first in years and cue.entity not in DATE_ENTITIES:
                    continue  # "reconstruction in 2019" is a year, not the passport number asked before
                close = span.first - (last_typed if last_typed is not None else cue.last) <= PIECE_GAP
                if cue.entity == "DATE_OF_BIRTH" and span.kind == "date" and span.first - cue.last > DOB_REACH \
                        and {t.core for t in tokens[max(0, span.first - WEAK_HEALTH_LOOKBACK):span.first]} & _HEALTH_WORDS:
                    continue  # "name and date of birth at the counter ... a follow-up visit for Thursday the 14th"
                broken_off = close and cue.entity in _BROKEN_OFF and span.value.isdigit() and len(span.value) >= 2 \
                    and tokens[span.last - 1].text.endswith(("...", "…", "—"))  # "the PIN? It's four four... No, no"
                if fits(cue.entity, span) or close and fits_piece(cue.entity, span) or broken_off:
                    typed[span.first] = (cue.entity, span)
                    last_typed, whole = span.last, whole or fits(cue.entity, span)
            if not whole and cue.entity in ASSEMBLED:
                last_typed = self._assemble(cue, tokens, runs, typed, max(stop, last_typed or 0) + CHAIN_GAP) or last_typed
            answered_before = any(e == cue.entity and cue.first - 2 <= s.first <= cue.last + PIECE_GAP and fits(e, s)
                                  for e, s in typed.values())  # "birthday is the 22nd of july": said with its value
            if last_typed is None and cue.entity in LATE_ENTITIES and not answered_before:  # "the security code?" ... "737"
                late = next((span for span in candidates if stop <= span.first < min(next_cue, cue.last + LATE_WINDOW)
                             and span.first not in typed and fits(cue.entity, span)), None)
                if late is not None:
                    typed[late.first] = (cue.entity, late)
                else:
                    unanswered.add(k)
            elif last_typed is None:
                unanswered.add(k)
        self._joint_questions(cue_list, candidates, ends, typed, unanswered)
        self._numbers_after_medications(tokens, runs, typed)
        self._corrections(tokens, candidates, typed)
        self._partial_corrections(tokens, runs, typed)
        self._digit_fixes(tokens, typed)
        card_call = any(c.entity == "CREDIT_CARD" for c in cue_list)
        for span in runs:  # shapes that need no question
            if span.first not in typed and span.value.isdigit() and 13 <= len(span.value) <= 19 and luhn(span.value):
                typed[span.first] = ("CREDIT_CARD", span)
            elif span.first not in typed and card_call and CARD_NUMBER_SHAPE.fullmatch(span.value):
                typed[span.first] = ("CREDIT_CARD", span)  # "6011 0482 7731 9056": misheard, fails Luhn, still a card
            elif span.first not in typed and MEDICARE_ID.fullmatch(span.value):
                typed[span.first] = ("HEALTH_PLAN_ID", span)  # a Medicare number: "1EG4-TE5-MK73"
        self._health_dates(tokens, date_spans, typed, self.medications)
        self._read_backs(runs, typed)
        _same_shapes(runs, typed)
        for entity, span in typed.values():
            score = 0.9 if entity == "CREDIT_CARD" and luhn(span.value) and len(span.value) >= 13 else 0.8
            results.append(_result(entity, tokens, span.first, span.last, score, "call_context"))
        return results

    @staticmethod
    def _health_dates(tokens, date_spans, typed, medications=frozenset()) -> None:
        """A date after a health word is a health date (a month or "the 9th" alone only close
        after one), and so is one picked from the dates just offered ("the 14th works")."""
        last_health = None
        for span in sorted(date_spans, key=lambda s: s.first):
            if span.first in typed:
                if typed[span.first][0] == "HEALTH_DATE":
                    last_health = span.last
                continue
            lookback = WEAK_HEALTH_LOOKBACK if span.weak else HEALTH_LOOKBACK  # "X-rays in November"
            if span.value in ("LASTYEAR", "THISYEAR"):  # "the chemo last year", not "five times last year"
                prev = tokens[span.first - 1].core if span.first > 0 else ""
                if prev in ("of", "times") or prev in MONTHS or re.fullmatch(r"\d+(st|nd|rd|th)?", prev) \
                        or not {t.core for t in tokens[max(0, span.first - 4):span.first]} & _HEALTH_WORDS:
                    continue
            before = {t.core for t in tokens[max(0, span.first - lookback):span.first]}
            near = {t.core for t in tokens[max(0, span.first - WEAK_HEALTH_LOOKBACK):span.first]}
            if near & lexicon.OTHER_DATE_CUES and not near & _HEALTH_WORDS:
                continue  # "the deadline for spring is January 9th", "install Wednesday the 20th"
            offered = last_health is not None and span.first - last_health <= HEALTH_LOOKBACK
            since_drug = span.first > 0 and tokens[span.first - 1].core in ("since", "in") and bool(near & medications)
            if offered or since_drug or before & _HEALTH_WORDS or {w[:-1] for w in before if w.endswith("s")} & _HEALTH_WORDS:
                typed[span.first] = ("HEALTH_DATE", span)
                last_health = span.last

    @staticmethod
    def _corrections(tokens, candidates, typed) -> None:
        """"nine twenty seven, no, twenty eight", "two nine no sorry oh one niner two": a value
        said right after a correction word replaces the one before, and is the same entity."""
        starts = {span.first: span for span in candidates}
        for entity, span in sorted(typed.values(), key=lambda item: item[1].first):
            k, corrected = span.last, False
            while k < len(tokens) and k - span.last < 4 and tokens[k].core in lexicon.CORRECTION_WORDS:
                corrected = corrected or tokens[k].core in ("no", "sorry", "wait", "mean", "actually", "oops")
                k += 1
            nxt = starts.get(k)
            if corrected and nxt is not None and k not in typed and tokens[k].turn == tokens[span.first].turn:
                typed[k] = (entity, nxt)

    @staticmethod
    def _joint_questions(cue_list, candidates, ends, typed, unanswered) -> None:
        """"your date of birth and the last four of your Social?" ... "March 3rd, 1981. And the
        last four is 6209": two questions asked together are answered in any order, so a value
        after the second that fits only the first answers the first."""
        for k in range(len(cue_list) - 1):
            cue, second = cue_list[k], cue_list[k + 1]
            if k not in unanswered or second.entity == cue.entity or second.first - cue.last > JOINT_GAP:
                continue
            until = min(ends[k + 1], second.last + CONTEXT_WINDOW)
            last = None
            for s in candidates:  # the answer, and what repeats it just after ("3/9/1986? ... nine March 86")
                if s.first < second.last or s.first in typed or not fits(cue.entity, s) or fits(second.entity, s):
                    continue
                if last is None and s.first >= until or last is not None and s.first - last > CHAIN_GAP:
                    break
                typed[s.first] = (cue.entity, s)
                last = s.last

    @staticmethod
    def _assemble(cue, tokens, runs, typed, stop):
        """Groups said one after another ("zero four one" ... "two one five" ... "zero three two")
        that together have the number's shape (ABA checksum for a routing number, Luhn for a
        card, nine digits for an SSN, ten for a phone) are that number, even when no group fits
        alone. Returns the end of the last group, or None."""
        pieces = [r for r in runs if cue.last <= r.first < stop and (r.value.isdigit() or cue.entity in _LETTERED)
                  and (r.first not in typed or typed[r.first][0] == cue.entity)]
        for a in range(len(pieces)):
            joined, group = "", []
            for r in pieces[a:]:
                if group and r.first - group[-1].last > CHAIN_GAP:
                    break
                repeated = cue.entity in _LETTERED and bool(group) and r.value == group[-1].value  # "1EG4 ... One, E, G, four"
                fixed = bool(group) and len(r.value) == len(group[-1].value) \
                    and {t.core for t in tokens[group[-1].last:r.first]} & {"no", "sorry", "mean"}  # "531, 08, no, 07, 7724"
                if fixed:
                    joined = joined[:len(joined) - len(group[-1].value)]
                joined, group = joined + ("" if repeated else r.value), group + [r]
                if len(group) > 1 and ASSEMBLED[cue.entity](joined):
                    for piece in group:
                        typed[piece.first] = (cue.entity, piece)
                    return group[-1].last
                if len(joined) > (34 if cue.entity == "IBAN_CODE" else 19):
                    break
        return None

    def _numbers_after_medications(self, tokens, runs, typed) -> None:
        """On a call about prescriptions, a code read out after a drug's name in the same turn
        is its prescription number ("the amlodipine, for her blood pressure, that one's 229106K")."""
        cores = [t.core for t in tokens]
        if not self.medications or not any(c in lexicon.PRESCRIPTION_CONTEXT for c in cores):
            return
        for i, c in enumerate(cores):
            if c not in self.medications:
                continue
            nxt = next((r for r in runs if i < r.first <= i + MEDICATION_RX_WINDOW and tokens[r.first].turn == tokens[i].turn
                        and len(r.value) >= 6 and sum(ch.isdigit() for ch in r.value) >= 4), None)
            if nxt is not None and nxt.first not in typed:  # the dose ("500") is too short to be taken
                typed[nxt.first] = ("PRESCRIPTION_NUMBER", nxt)

    @staticmethod
    def _partial_corrections(tokens, runs, typed) -> None:
        """"the end is one six", "not a three. six six eight", "and then zero two": a few digits
        said just after a number, with words that fix or finish it, are part of that number."""
        for entity, span in sorted(typed.values(), key=lambda item: item[1].first):
            if span.kind != "run" or len(span.value) < 4 or entity in ("PERSON", "HEALTH_DATE"):
                continue
            for nxt in runs:
                if nxt.first < span.last or nxt.first in typed or nxt.first - span.last > PARTIAL_GAP:
                    continue
                if not nxt.value.isdigit() or len(nxt.value) >= len(span.value) \
                        or tokens[nxt.first].turn - tokens[span.first].turn > 2:
                    continue
                if tokens[nxt.first - 1].core == "not":
                    continue  # "six six two four at the end, not four two": the wrong reading
                between = {t.core for t in tokens[span.last:nxt.first]}
                after = {t.core for t in tokens[nxt.last:nxt.last + 3]}
                if between & lexicon.FIXING_WORDS or after & {"end", "last"} \
                        or nxt.first - span.last <= 2 and between <= {"and", "then", "uh", "um"}:
                    typed[nxt.first] = (entity, nxt)
                break  # only the first short number after it

    @staticmethod
    def _digit_fixes(tokens, typed) -> None:
        """"the third one is a seven", "the last two are one eight": a digit or two named by
        position just after a number fix that number, and give part of it away."""
        cores = [t.core for t in tokens]
        for entity, span in sorted(typed.values(), key=lambda item: item[1].first):
            if span.kind != "run" or len(span.value) < 4 or entity in ("PERSON", "HEALTH_DATE"):
                continue
            for k in range(span.last, min(len(tokens) - 2, span.last + 2 * PARTIAL_GAP)):
                if tokens[k].turn - tokens[span.first].turn > 2:
                    break
                m = _DIGIT_FIX.match(" ".join(cores[k:k + 6]))
                if not m:
                    continue
                at = k + len(m.group(0).split())
                while at < len(tokens) and (cores[at] in DIGITS or cores[at].isdigit() and len(cores[at]) <= 2) \
                        and at not in typed and at - k < 8:
                    typed[at] = (entity, Span(at, at + 1, str(DIGITS.get(cores[at], cores[at])), "run"))
                    at += 1
                    if m.group(1) in ("one's", "one", "digit", "number"):
                        break  # one digit named

    @staticmethod
    def _read_backs(runs, typed) -> None:
        """A value read back later (or earlier), whole or as its last four, is the same thing;
        a short one ("three oh eight" ... "three zero eight") only right after it."""
        known = {span.value: entity for entity, span in typed.values() if span.kind == "run" and len(span.value) >= 4}
        ordered = sorted((span.first, span.value, entity) for entity, span in typed.values() if span.kind == "run")
        for (_, a, e1), (_, b, e2) in zip(ordered, ordered[1:]):  # "4265 8812" ... "3049 7716" ... "4265881230497716"
            if e1 == e2 and len(a + b) >= 8:
                known.setdefault(a + b, e1)
        _pieces_of_known(runs, typed, known)
        recent = [(span.value, span.last, entity) for entity, span in typed.values() if span.kind == "run"]
        for span in runs:
            if span.first in typed:
                continue
            if len(span.value) == 3 and span.value.isdigit():
                entity = next((e for v, last, e in recent if v == span.value and 0 <= span.first - last <= READ_BACK_GAP), None)
                if entity:
                    typed[span.first] = (entity, span)
                continue
            if len(span.value) < 4:
                continue
            entity = known.get(span.value)
            if entity is None and span.value.isdigit() and len(span.value) == 4:  # "the last four, 4472"
                entity = next((e for v, e in known.items() if len(v) > 4 and v.endswith(span.value)), None)
            if entity is None and len(span.value) >= 6:  # read back with a digit or two corrected, or begun
                entity = next((e for v, e in known.items() if _near_reading(span.value, v)), None)
            if entity:
                typed[span.first] = (entity, span)


_DIGIT_FIX = re.compile(r"(?:the )?(?:first|last|middle|\d{1,2}(?:st|nd|rd|th))"
                        r" (one's|one|digit|number|two|three|four|ones|digits) (?:is |are |should be )?(?:an? )?(?=\S)")


def _shape(value: str) -> str:
    return re.sub(r"[A-Z]", "A", re.sub(r"\d", "9", value))


def _same_shapes(runs, typed) -> None:
    """"the British one now, it's five three one, two oh seven, niner four six": an identifier
    said with no question before it, of exactly the shape of one typed earlier in the call
    (nine digits after a nine-digit passport), is another of the same kind."""
    shapes = {}
    for entity, span in sorted(typed.values(), key=lambda item: item[1].first):
        if span.kind == "run" and entity not in ("PERSON", "HEALTH_DATE") and len(span.value) >= 7 \
                and sum(c.isdigit() for c in span.value) >= 5:
            shapes.setdefault(_shape(span.value), (entity, span.first))
    for span in runs:
        known = shapes.get(_shape(span.value))
        if known and span.first not in typed and span.first > known[1]:
            typed[span.first] = (known[0], span)


def _pieces_of_known(runs, typed, known) -> None:
    """"five two eight" / mhm / "four one" / mhm / "seven seven oh nine" ... "so 528-41-7709": groups
    said one after another that together are a value read whole elsewhere are that value."""
    digit_runs = [r for r in runs if r.value.isdigit()]
    for a in range(len(digit_runs)):
        if digit_runs[a].first in typed:
            continue
        joined, group = "", []
        for r in digit_runs[a:]:
            if group and r.first - group[-1].last > PIECE_GAP:
                break
            joined, group = joined + r.value, group + [r]
            if len(group) > 1 and joined in known:
                for piece in group:
                    typed.setdefault(piece.first, (known[joined], piece))
                break
            if len(joined) >= 19:
                break


def _near_reading(said: str, known: str) -> bool:
    """Whether `said` is another reading of `known`: a digit or two changed ("oh one eight" for
    "oh one seven eight"), one dropped or added, or its first part before a correction."""
    if len(said) == len(known):
        return sum(a != b for a, b in zip(said, known)) <= (2 if len(known) >= 8 else 1)
    if abs(len(said) - len(known)) == 1:
        short, long_ = sorted((said, known), key=len)
        return any(long_[:k] + long_[k + 1:] == short for k in range(len(long_)))
    return len(said) >= 6 and known.startswith(said)


class MedicalRecognizer(_CallRecognizer):
    """Medications (with their dose), conditions, injuries and procedures by word lists."""

    ENTITIES = ["MEDICATION", "MEDICAL_CONDITION", "MEDICAL_PROCEDURE"]
    NAME = "medical_lexicon"

    def __init__(self, medications: frozenset[str], common_words=frozenset()):
        self.medications = medications
        self.common_words = common_words
        self.phrases = {}
        for entity, words in (("MEDICAL_CONDITION", lexicon.CONDITIONS), ("MEDICAL_PROCEDURE", lexicon.PROCEDURES)):
            for phrase in words:
                if phrase.strip():
                    self.phrases[tuple(phrase.split())] = entity
        self.longest = max(len(p) for p in self.phrases)
        super().__init__()

    def analyze(self, text, entities, nlp_artifacts=None):
        tokens = tokenize(text)
        cores = [t.core for t in tokens]
        results, i = [], 0
        while i < len(tokens):
            found = self._at(tokens, cores, i)
            if found and found[0] == "MEDICATION" and i > 0 and cores[i - 1] in _BEFORE_A_NAME:
                found = None  # "my son Tobi" is a boy, not the TOBI inhaler
            if found:
                entity, end = found
                if entity == "MEDICATION":
                    end = _dose_end(cores, end)
                    if i > 0 and cores[i - 1] in ("weekly", "daily", "nightly", "monthly", "infant", "children's"):
                        i -= 1  # "the weekly Ozempic", "the children's Motrin"
                    if i > 2 and cores[i - 1] == "of" and cores[i - 2] in lexicon.DOSE_UNITS \
                            and re.fullmatch(r"\d+(\.\d+)?", cores[i - 3]):
                        i -= 3  # "five milligrams of morphine"
                elif entity == "MEDICAL_CONDITION":
                    while i > 0 and cores[i - 1] in lexicon.CONDITION_MODIFIERS:
                        i -= 1  # "bacterial sinusitis", "chronic kidney disease", "metastatic pancreatic cancer"
                    if end < len(cores) and cores[end] in ("center", "centre", "institute", "society", "foundation"):
                        i = end  # "the cancer center" is a place
                        continue
                    if i > 1 and cores[i - 2] == "stage" and (cores[i - 1].isdigit() or cores[i - 1] in _STAGE_WORDS):
                        i -= 2  # "stage three kidney disease"
                    if end < len(cores) and cores[end] in lexicon.CONDITION_HEADS:
                        end += 1  # "whiplash injury"
                    end = _site_end(cores, end, procedure=False)  # "that ulcer on his left foot"
                if entity == "MEDICAL_PROCEDURE":
                    if end < len(cores) and cores[end] in _PROCEDURE_TAILS:
                        end += 1  # "triple bypass surgery", "pacemaker placement"
                    end = _site_end(cores, end)
                    if end + 1 < len(cores) and cores[end] in ("left", "right") and cores[end + 1] == "side":
                        end += 2  # "an ACL reconstruction, left side"
                    while i > 0 and (cores[i - 1] in lexicon.PROCEDURE_MODIFIERS or cores[i - 1] in ("left", "right")):
                        i -= 1  # "laparoscopic appendectomy", "total knee replacement", "right shoulder replacement"
                results.append(_result(entity, tokens, i, end, 0.88, "medical_lexicon"))
                i = end
            else:
                i += 1
        return results

    def _unknown_drug(self, cores, i: int) -> bool:
        """"Gonal-F three hundred units", "Menopur seventy five": a word English does not know,
        followed by a dose with its unit, is a drug the dictionary lacks."""
        c = cores[i]
        if len(c) < 4 or not c.replace("-", "").isalpha() or c in self.common_words or c in lexicon.NAME_STOP \
                or c in lexicon.DOSE_UNITS or c in lexicon.DOSE_FORMS:
            return False
        end = _dose_end(cores, i + 1)
        return end > i + 2 and any(w in lexicon.DOSE_UNITS and w not in ("tablet", "tablets", "pill", "pills")
                                   for w in cores[i + 1:end])

    @staticmethod
    def _proper(tokens, i: int) -> bool:
        """A capital inside a sentence ("310 Kestrel Court, Tacoma"): a place or a name, not a
        word ending in "-oma"."""
        return tokens[i].raw_core[:1].isupper() and i > 0 and tokens[i - 1].turn == tokens[i].turn \
            and not tokens[i - 1].text.endswith((".", "?", "!"))

    def _at(self, tokens, cores, i):
        for size in range(min(4, len(cores) - i), 0, -1):
            phrase = " ".join(cores[i:i + size])
            if phrase in self.medications:
                return "MEDICATION", i + size
        if len(cores[i]) > 5 and cores[i].endswith("s") and cores[i][:-1] in self.medications:
            return "MEDICATION", i + 1  # "both EpiPens"
        if ICD10_CODE.fullmatch(tokens[i].raw_core):
            return "MEDICAL_CONDITION", i + 1  # "the code is E11.65": a diagnosis code names the condition
        if cores[i] in ("aids", "aid") and i > 0 and cores[i - 1] == "hearing":
            return None  # "hearing aids" are a device
        if cores[i] in _PROCEDURE_TAILS[:3] and _site_end(cores, i + 1) > i + 1:
            return "MEDICAL_PROCEDURE", i + 1  # "surgery on my knee": the site makes it one
        for size in range(min(self.longest, len(cores) - i), 0, -1):
            phrase = tuple(cores[i:i + size])
            entity = self.phrases.get(phrase)
            if entity is None and phrase[-1].endswith("s") and len(phrase[-1]) > 3:
                entity = self.phrases.get(phrase[:-1] + (phrase[-1][:-1],))  # "two C-sections", "UTIs"
            if entity:
                end = i + size
                if entity == "MEDICAL_PROCEDURE" and i > 0 and cores[i - 1] in lexicon.BODY_PARTS:
                    return None  # taken with its body part below, from the earlier word
                return entity, end
        c = cores[i]
        if self._unknown_drug(cores, i):
            return "MEDICATION", i + 1
        if c.isalpha() and len(c) > 5 and c not in lexicon.SUFFIX_EXCEPTIONS and not self._proper(tokens, i):
            if c.endswith(lexicon.PROCEDURE_SUFFIXES):
                return "MEDICAL_PROCEDURE", i + 1
            if c.endswith(lexicon.CONDITION_SUFFIXES):
                return "MEDICAL_CONDITION", i + 1
        side = 1 if i + 1 < len(cores) and cores[i + 1] in ("left", "right") else 0
        if c in lexicon.INJURY_WORDS and i + 1 + side < len(cores) and cores[i + 1 + side] in lexicon.BODY_PARTS:
            return "MEDICAL_CONDITION", i + 2 + side
        if c in lexicon.BODY_PARTS and i + 1 < len(cores) and cores[i + 1] in _BODY_CONDITIONS:
            return "MEDICAL_CONDITION", i + 2  # "a bladder infection", "the ankle sprain"
        if c in lexicon.REMOVABLE_ORGANS and i + 1 < len(cores) and cores[i + 1] in ("out", "removed"):
            return "MEDICAL_PROCEDURE", i + 2  # "had my gallbladder out"
        if c in lexicon.BODY_PARTS:
            j = i + 1
            while j < len(cores) and cores[j] in lexicon.BODY_PARTS and j - i < 3:
                j += 1
            if j < len(cores) and (cores[j] in lexicon.PROCEDURE_NOUNS or (cores[j],) in self.phrases
                                   and self.phrases[(cores[j],)] == "MEDICAL_PROCEDURE"):
                return "MEDICAL_PROCEDURE", j + 1
            if self.phrases.get(tuple(cores[j:j + 2])) == "MEDICAL_PROCEDURE":
                return "MEDICAL_PROCEDURE", j + 2  # "left arm AV fistula"
            if j < len(cores) and len(cores[j]) > 5 and cores[j].endswith(lexicon.PROCEDURE_SUFFIXES):
                return "MEDICAL_PROCEDURE", j + 1  # "hip arthroplasty"
        return None


_BEFORE_A_NAME = lexicon.RELATIONS | {"law", "named", "called"}
_BROKEN_OFF = frozenset({"CARD_PIN", "CARD_CVV", "US_SSN"})  # short secrets: even their first digits are given away
_BODY_CONDITIONS = frozenset("infection infections sprain fracture strain tear injury".split())
_PROCEDURE_TAILS = ("surgery", "operation", "surgeries", "procedure", "placement", "implantation", "evaluation")


def _site_end(cores, end: int, procedure: bool = True) -> int:
    """Extend a procedure over where it was done: "a CT of my abdomen", "MRI of the lumbar
    spine", "root canal on tooth 19", "a herniated disc at L5-S1"."""
    if end + 1 < len(cores) and cores[end] == "at" and re.fullmatch(r"[lcts]\d(-[lcts]?\d)?", cores[end + 1]):
        return end + 2
    if end >= len(cores) or cores[end] not in ("of", "on", "in"):
        return end  # "a stent in her bile duct", "neuropathy in his feet"
    j = end + 1 + (1 if end + 1 < len(cores) and cores[end + 1] in lexicon.POSSESSIVES else 0)
    k = j
    while k < len(cores) and k - j < 3 and (cores[k] in lexicon.BODY_PARTS or cores[k] in lexicon.BODY_SIDES):
        k += 1
    while k > j and cores[k - 1] in lexicon.BODY_SIDES:
        k -= 1  # "of the kidneys. Right, ...": a side after the site starts the next sentence
    if k == j:
        return end
    if k < len(cores) and cores[k - 1] in ("tooth", "teeth") and re.fullmatch(r"\d{1,2}", cores[k]):
        k += 1  # "tooth 19"
    if k + 1 < len(cores) and cores[k] == "and" and cores[k + 1] in lexicon.BODY_PARTS:
        k += 2  # "of the abdomen and pelvis"
    if k + 1 < len(cores) and cores[k] in ("with", "without") and cores[k + 1] == "contrast":
        k += 2
    return k


def _dose_end(cores, end: int) -> int:
    """Extend a medication over its dose: "metformin 500 milligrams", "oxycodone five mg",
    "Vyvanse 30", "Eliquis 2 point 5 twice a day", "24 26 milligrams one tablet twice a day at night"."""
    j = end
    if j < len(cores) and cores[j] in lexicon.DOSE_FORMS:
        j += 1  # "albuterol inhaler, two puffs as needed"
        end = j
    if j + 1 < len(cores) and cores[j] in ("uh", "um") and re.fullmatch(r"\d+(\.\d+)?", cores[j + 1]):
        j += 1  # "the Lialda, um, 4 point 8 grams a day"
    while j < len(cores) and not _frequency_at(cores, j) and (
            re.fullmatch(r"\d+(\.\d+)?(mg|mcg|ml)?|\d+/\d+", cores[j]) or cores[j] in DIGITS or cores[j] in TEENS
            or cores[j] in TENS or cores[j] in ("hundred", "point") or cores[j] in ("uh", "um", "to") and j > end):
        j += 1
    while j > end and cores[j - 1] in ("uh", "um", "point", "to"):
        j -= 1  # also drops a hesitation taken before a number that did not come
    if j > end and j < len(cores) and cores[j] in lexicon.DOSE_UNITS:
        j += 1
        if j + 1 < len(cores) and cores[j] == "per" and cores[j + 1] in lexicon.DOSE_UNITS:
            j += 2  # "20 milligrams per ml"
        elif j + 1 < len(cores) and cores[j] == "per" and re.fullmatch(r"\d+", cores[j + 1]):
            j += 2  # "400 milligrams per 5, 5 mls twice a day"
            if j < len(cores) and cores[j] in lexicon.DOSE_UNITS:
                j += 1
            if j + 1 < len(cores) and re.fullmatch(r"\d+(\.\d+)?", cores[j]) and cores[j + 1] in lexicon.DOSE_UNITS:
                j += 2
        if j < len(cores) and cores[j] in lexicon.DOSE_FORMS:
            j += 1  # "fifty milligram pen once a week"
    elif j > end and (j >= len(cores) or cores[j] in lexicon.NOT_A_DOSE_AFTER):
        return end  # "Advil 2 days ago": a count, not a dose
    if j + 1 < len(cores) and (cores[j].isdigit() or cores[j] in DIGITS) and cores[j + 1] in lexicon.DOSE_FORMS:
        j += 2  # "one tablet"
    if j > end and j < len(cores) and cores[j] in lexicon.DOSE_FORMS:
        j += 1  # "senna 2 tabs at bedtime"
    j += _phrase_at(cores, j, _ROUTES)  # "0.25 ml under the tongue every two hours"
    j += _frequency_at(cores, j)
    j += _phrase_at(cores, j, _AS_NEEDED)  # "every six hours as needed"
    j += _phrase_at(cores, j, _TIMES)  # "once a day in the morning"
    j += _phrase_at(cores, j, _ROUTES)  # "at night in both eyes"
    return j


def _phrases(phrases) -> list[tuple[str, ...]]:
    """Phrases as word tuples, longest first, for `_phrase_at`."""
    return sorted((tuple(p.split()) for p in phrases), key=len, reverse=True)


_FREQUENCIES = _phrases(lexicon.DOSE_FREQUENCY)
_ROUTES = _phrases(lexicon.DOSE_ROUTES)
_TIMES = _phrases(lexicon.DOSE_TIMES)
_AS_NEEDED = _phrases(("as needed", "if needed"))


def _phrase_at(cores, j: int, phrases: list[tuple[str, ...]]) -> int:
    """The number of words of the first of `phrases` said at j, or 0."""
    return next((len(words) for words in phrases if tuple(cores[j:j + len(words)]) == words), 0)


def _frequency_at(cores, j: int) -> int:
    """The number of words of a dose frequency starting at j ("twice a day", "as needed"), or 0."""
    if cores[j:j + 1] == ["every"] and j + 2 < len(cores) and cores[j + 1].isdigit() \
            and cores[j + 2] in ("hours", "days", "weeks", "months"):
        return 3  # "every 6 hours"
    return _phrase_at(cores, j, _FREQUENCIES)


class AddressRecognizer(_CallRecognizer):
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
            results.append(_result("STREET_ADDRESS", tokens, first, end, 0.85, "address"))  # "three 31 maple"
            results.extend(self._tail(tokens, cores, end))
        for i in range(len(tokens)):  # "p o box 812", "rural route 2 box 147", a UK postcode "IV2 3AB"
            end = _box_end(cores, i)
            if end:
                results.append(_result("STREET_ADDRESS", tokens, i, end, 0.85, "address"))
                results.extend(self._tail(tokens, cores, end))
            if i + 1 < len(tokens) and re.fullmatch(r"[a-z]{1,2}\d[a-z\d]?", cores[i]) and re.fullmatch(r"\d[a-z]{2}", cores[i + 1]):
                results.append(_result("ZIP_CODE", tokens, i, i + 2, 0.85, "address"))
        if results:  # "and it's unit 206": on a call that gives an address, a unit said alone belongs to it
            for i in range(len(tokens) - 1):
                if cores[i] in ("unit", "apartment", "apt", "suite") and not tokens[i].text.endswith((".", "?", "!")) \
                        and tokens[i + 1].turn == tokens[i].turn and re.fullmatch(r"\d{1,5}[a-z]?|[a-z]\d{1,4}", cores[i + 1]):
                    results.append(_result("STREET_ADDRESS", tokens, i, i + 2, 0.8, "address"))
        for i in range(2, len(tokens) - 1):  # "updated your address to 2290 Carnegie": the cue says it is one
            if "address" in cores[max(0, i - 3):i] and cores[i - 1] in ("to", "is", "at") \
                    and re.fullmatch(r"\d{1,6}[a-z]?", cores[i]) and tokens[i + 1].raw_core[:1].isupper() \
                    and tokens[i + 1].turn == tokens[i].turn and cores[i + 1] not in lexicon.NAME_STOP:
                end = i + 2
                while end < len(tokens) and end - i < 4 and tokens[end].raw_core[:1].isupper() \
                        and not tokens[end - 1].text.endswith((",", ".")) and tokens[end].turn == tokens[i].turn:
                    end += 1
                results.append(_result("STREET_ADDRESS", tokens, i, end, 0.8, "address"))
        results.extend(self._city_answers(tokens, cores))
        for i in range(1, len(tokens) - 1):  # "second floor rear. in paterson. oh seven five oh one"
            if cores[i - 1] == "in" and cores[i].isalpha() and cores[i] not in lexicon.NAME_STOP \
                    and re.fullmatch(r"\d{5}", cores[i + 1]) and tokens[i + 1].turn == tokens[i].turn:
                results.append(_result("LOCATION", tokens, i, i + 1, 0.75, "address"))
                results.append(_result("ZIP_CODE", tokens, i + 1, i + 2, 0.8, "address"))
        for i, c in enumerate(cores):  # a state name, a zip code after it, a town before it
            zip_after = i + 1 < len(tokens) and bool(re.fullmatch(r"\d{5}(-?\d{4})?", cores[i + 1]))
            town_before = i > 1 and (cores[i - 2] in ("in", "from") or tokens[i - 1].text.endswith(",")) \
                and cores[i - 1].isalpha() and cores[i - 1] not in lexicon.NAME_STOP \
                and tokens[i - 1].turn == tokens[i].turn  # "an old address from hope arkansas", "wakefield, kansas"
            code = tokens[i].raw_core in lexicon.STATE_CODES and (zip_after or i > 0 and tokens[i - 1].text.endswith(","))
            if code or c in lexicon.US_STATES and (tokens[i].raw_core[:1].isupper() or zip_after or town_before):
                results.append(_result("LOCATION", tokens, i, i + 1, 0.6 if tokens[i].raw_core[:1].isupper() else 0.86,
                                       "address"))
                if zip_after:
                    results.append(_result("ZIP_CODE", tokens, i + 1, i + 2, 0.86, "address"))
                if (zip_after or town_before) and i > 0 and cores[i - 1].isalpha() and cores[i - 1] not in lexicon.NAME_STOP \
                        and tokens[i - 1].turn == tokens[i].turn:
                    results.append(_result("LOCATION", tokens, i - 1, i, 0.86, "address"))  # "chicago illinois 60618"
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
            out.append(_result("LOCATION", tokens, j, k, 0.75, "address"))
            if k < len(tokens) and re.fullmatch(r"\d{5}(-?\d{4})?", cores[k]) and tokens[k].turn == tokens[j].turn:
                out.append(_result("ZIP_CODE", tokens, k, k + 1, 0.8, "address"))
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
                                                          and not tokens[i - 1].text.endswith((".", "?", "!", ","))):
            return None
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
                out.append(_result("ZIP_CODE", tokens, k, k + 1, 0.85, "address"))
                k += 1
                continue
            same_turn = tokens[k].turn == tokens[start - 1].turn
            if same_turn and k > start and _sentence_over(tokens[k - 1]):
                break  # "..., Portugal. Until June": a new sentence
            if same_turn and c in lexicon.TOWN_PREFIXES and k + 1 < len(tokens) and cores[k + 1].isalpha() \
                    and cores[k + 1] not in lexicon.NAME_STOP:
                out.append(_result("LOCATION", tokens, k, k + 2, 0.7, "address"))  # "still saint paul"
                k += 2
                continue
            if c == "in" and same_turn and (town := self._town_after_in(tokens, cores, k + 1, right_after=k == start)):
                out.append(_result("LOCATION", tokens, k + 1, town, 0.7, "address"))
                k = town
                continue
            placelike = c.isalpha() and c not in lexicon.NAME_STOP and c not in MONTHS and c not in WEEKDAYS
            listed = tokens[k - 1].text.endswith(",") and tokens[k].text.endswith((",", "."))  # ", lisbon,"
            zip_next = k + 1 < len(tokens) and bool(re.fullmatch(r"\d{5}(-?\d{4})?", cores[k + 1]))
            if same_turn and placelike and (tokens[k].raw_core[:1].isupper() or c not in self.common_words or listed
                                            or zip_next):  # "telegraph avenue oakland 94609"
                out.append(_result("LOCATION", tokens, k, k + 1, 0.7, "address"))
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
_UNIT_NAMES = frozenset("apartment apt unit suite".split())
_STAGE_WORDS = frozenset("one two three four five i ii iii iv 3a 3b".split())


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


class NameTriggerRecognizer(_CallRecognizer):
    """Names the NLP model misses in lower-case speech: the word after "my husband,", "talked to",
    "dr", "this is"; and letters spelled out after a name or after "spell". After a weak trigger
    ("it's", "hi", "thanks") an ordinary English word is no name ("it's free")."""

    ENTITIES = ["PERSON"]
    NAME = "name_triggers"

    def __init__(self, common_words=frozenset(), first_names=frozenset()):
        self.common_words = common_words
        self.first_names = first_names
        self.triggers: dict[str, list[tuple[str, ...]]] = {}
        for trigger in sorted((tuple(t.split()) for t in lexicon.NAME_TRIGGERS), key=len, reverse=True):
            self.triggers.setdefault(trigger[0], []).append(trigger)
        super().__init__()

    def analyze(self, text, entities, nlp_artifacts=None):
        tokens = tokenize(text)
        cores = [t.core for t in tokens]
        pos = _pos_by_start(nlp_artifacts)
        results = []
        for i in range(len(tokens)):
            for trig in self.triggers.get(cores[i], ()):
                if tuple(cores[i:i + len(trig)]) != trig:
                    continue
                j = i + len(trig)
                same_turn = tokens[i].turn
                if j < len(tokens) and trig in _QUESTION_TRIGGERS and (tokens[j - 1].text.endswith("?")
                                                                       or tokens[j].turn != tokens[j - 1].turn):
                    same_turn = tokens[j].turn  # "your full name?" / "tomasz wrobel"
                while j < len(tokens) and (cores[j] in lexicon.FILLERS or cores[j] in ("uh", "um")) \
                        and tokens[j].turn == same_turn:
                    j += 1  # "your son, yeah, arjun"
                weak_english = j < len(tokens) and trig in _WEAK_TRIGGERS and cores[j] in self.common_words \
                    and cores[j] not in self.first_names  # "it's free", but "hi, it's rebecca"
                if j < len(tokens) and tokens[j].turn == same_turn and self._namelike(tokens[j], cores[j], pos) \
                        and not weak_english:
                    end = j + 1
                    if end < len(tokens) and tokens[end].turn == tokens[j].turn and not tokens[j].text.endswith((",", ".", "?")) \
                            and self._namelike(tokens[end], cores[end], pos) and pos.get(tokens[end].start) == "PROPN":
                        end += 1
                    results.append(_result("PERSON", tokens, j, end, 0.7, "name_triggers"))
                break
        return results

    @staticmethod
    def _namelike(token, core, pos) -> bool:
        core = strip_possessive(core)  # "doctor okonkwo's office"
        if not core.replace("-", "").isalpha() or len(core) < 2 or core in lexicon.NAME_STOP or core in CUE_WORDS:
            return False
        if core in MONTHS or core in WEEKDAYS:
            return False
        return pos.get(token.start) in ("PROPN", "NOUN", "ADJ", "X", None) and pos.get(token.start) != "VERB"


_QUESTION_TRIGGERS = frozenset(tuple(t.split()) for t in lexicon.NAME_QUESTIONS)
_WEAK_TRIGGERS = frozenset(tuple(t.split()) for t in ("just say", "people say", "it's", "this is", "i'm", "im", "hi", "hello", "hey", "thanks",
                                                       "thank you", "ask for", "asked for"))


class KnownNameRecognizer(_CallRecognizer):
    """First names in any case from the census list (`names.py`), when English has no other
    use for the word: "yeah gloria at your walk-in counter"."""

    ENTITIES = ["PERSON"]
    NAME = "known_names"

    def __init__(self, first_names: frozenset[str]):
        self.first_names = first_names
        super().__init__()

    def analyze(self, text, entities, nlp_artifacts=None):
        tokens = tokenize(text)
        pos = _pos_by_start(nlp_artifacts)
        return [_result("PERSON", tokens, i, i + 1, 0.6, "known_names") for i, t in enumerate(tokens)
                if t.core in self.first_names and t.core.isalpha() and pos.get(t.start) not in ("VERB", "AUX")]


def _pos_by_start(nlp_artifacts) -> dict[int, str]:
    if nlp_artifacts is None or nlp_artifacts.tokens is None:
        return {}
    return {tok.idx: tok.pos_ for tok in nlp_artifacts.tokens}
