"""Numbers, codes and dates typed by the question asked before them: "and the security code?"
... "737" is a card security code, "the last four of your social?" ... "6209" part of an SSN.

`CallContextRecognizer` finds the questions (`tokens.cues`), then for each one the values after
it that fit (`answers`), also when said in groups or answered late or together with another
question; then what the call says again or fixes (`corrections`), and shapes that need no
question (a Luhn-valid card number, a Medicare number).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace

from .. import lexicon
from ..lexicon import other_card
from ..tokens import MONTHS, cues, dates, tokenize, value_runs
from .answers import ASSEMBLED, LETTERED, PIECE_GAP, fits, fits_piece
from .base import CallRecognizer, token_result
from .corrections import corrections, digit_fixes, partial_corrections, read_backs, same_shapes
from .number_net import AMOUNT_WORDS, units
from .patterns import (CARD_NETWORK_START, CARD_NUMBER_SHAPE, MEDICARE_ID, PHONE_WRITTEN, card_industry_number, luhn,
                       luhn_card)

CONTEXT_WINDOW = 30  # tokens after a cue in which a value takes the cue's meaning
CHAIN_GAP = 12  # once one value is typed, a further one must follow within this many tokens
LATE_WINDOW = 80  # an unanswered question still types the first fitting value this far on, before the next cue
# ... when its shape is specific enough (a code of any shape after "member id" may be anything)
LATE_ENTITIES = frozenset({"CARD_CVV", "CARD_EXPIRY", "CARD_PIN", "CREDIT_CARD", "US_SSN", "ABA_ROUTING_NUMBER",
                           "DATE_OF_BIRTH", "PHONE_NUMBER"})
HEALTH_LOOKBACK = 30  # tokens before a date in which a health word makes it a health date
WEAK_HEALTH_LOOKBACK = 8  # the same, for a month, weekday or "the 9th" alone ...
HEALTH_LOOKAHEAD = 5  # tokens after a date, in its turn, in which a health word makes it one too ...
_BEFORE_CARE = frozenset({"with", "for", "at", "in", "to", "after", "before"})  # ... when one of these follows it
CARE_CALL_WORDS = 6  # ... unless the call names this many different care words: then as far as a full date
DATE_ENTITIES = frozenset({"DATE_OF_BIRTH", "CARD_EXPIRY", "HEALTH_DATE"})
MEDICATION_RX_WINDOW = 40  # tokens after a drug's name in which its prescription number is read
JOINT_GAP = 6  # two questions this close are asked together ("date of birth and the last four of your social")
DOB_REACH = 12  # a date further than this after "date of birth", with a health word just before it, is a visit
_GENERIC_MEDICAL = lexicon.word_set("generic_medical")  # "dressing change" names care, "did anything change" does not
# Care words before a date, and the head word of every listed condition and procedure ("when the
# extraction was? January fifth", "colitis since 2016").
_TERM_WORDS = lexicon.PROCEDURE_NOUNS | lexicon.REMOVABLE_ORGANS | frozenset(
    p.split()[-1] for p in lexicon.PROCEDURES + lexicon.CONDITIONS if p and len(p.split()[-1]) > 4) - _GENERIC_MEDICAL
_HEALTH_WORDS = lexicon.HEALTH_DATE_CUES | _TERM_WORDS
# An account asked for earlier does not make a card network's number on a call about cards an account number.
_ACCOUNTS = frozenset({"US_BANK_NUMBER", "LOAN_NUMBER"})
# Short values given once: a further number after the answer is typed only as its repeat or fix (same length).
_ONE_SHORT_VALUE = frozenset({"CARD_CVV", "CARD_PIN"})
_BROKEN_OFF = frozenset({"CARD_PIN", "CARD_CVV", "US_SSN"})  # short secrets: even their first digits are given away


def _quantity_word(core: str) -> bool:
    """A unit, a currency or an amount's word (the net's `units`, `AMOUNT_WORDS`): the number before
    it is a quantity, harmless to the net and no answer to a question either."""
    return core in units() or core in AMOUNT_WORDS


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


CARD_UNISSUED_MIN = 8  # digits from which a number no card network starts so is no card (7: a last four and an amount)


def _digit_chains(typed, keep=lambda entity: True) -> list[list[int]]:
    """The typed digit runs whose entity `keep` accepts, as chains of pieces said one after another
    (each within CHAIN_GAP tokens of the one before), each chain the runs' first token indices."""
    chain, chains = [], []
    for first, (entity, span) in sorted(typed.items()):
        if not keep(entity) or span.kind != "run" or not span.value.isdigit():
            continue
        if chain and span.first - typed[chain[-1]][1].last > CHAIN_GAP:
            chains.append(chain)
            chain = []
        chain.append(first)
    return chains + [chain] if chain else chains


def _not_card_numbers(typed) -> None:
    """A number typed as a card only by the question before it, that no card network could have
    issued, is no card: its pieces, said one after another (a piece read back counted once), make
    8 digits or more that neither pass Luhn at a card's length nor start with a card industry's
    digit (ISO/IEC 7812: 2-6; a number starting 0, 1, 7, 8 or 9 is no payment card's). "Do you
    have your Care Card? ... It's 9873, 221, 456", "the card number is 1120 ...", a phone given
    after the Visa ending 7710: the number stays redacted, by the net under its own cue, but `pci`
    alone no longer takes it."""
    for chain in _digit_chains(typed, lambda entity: entity == "CREDIT_CARD"):
        pieces = [typed[first][1].value for first in chain]
        digits = "".join(p for k, p in enumerate(pieces) if p not in pieces[:k])  # "0627" ... "0627": one expiry
        if len(digits) >= CARD_UNISSUED_MIN and not card_industry_number(digits):
            for first in chain:
                del typed[first]


CARD_BEGUN_MIN = 6  # digits of a card begun and dropped that a card network's first digits make a card's
CARD_PIECES_MAX = 6  # groups a card number is said in: four of four digits, or more when the recogniser splits one


def _card_shaped_numbers(tokens, typed) -> None:
    """On a call that speaks of cards, pieces said one after another in one turn, none said twice,
    that make a card network's number (`CARD_NUMBER_SHAPE`: 4 and 16 digits, 51-55, 34/37 and 15,
    ...) are a card number whatever question came before them: "Let's pay that one on my
    card ... Four one four seven, two oh two two, ..." after the member id was asked had typed it a
    health plan's id and left it to `phi`, so `pci` alone showed it whole. Only pieces typed as
    something `pci` does not cover are retyped (a security code or expiry said after the card
    stays what it is); a card number is pci, pii and phi, so no class loses a word by it."""
    from .. import policy

    for chain in _digit_chains(typed):
        open_to = [typed[first][0] == "CREDIT_CARD" or "pci" not in policy.classes_of(typed[first][0])
                   for first in chain]
        for a in range(len(chain)):
            for b in range(a + 1, min(len(chain), a + CARD_PIECES_MAX) + 1):
                values = [typed[f][1].value for f in chain[a:b]]
                if not all(open_to[a:b]) or len(set(values)) < len(values) \
                        or len({tokens[typed[f][1].first].turn for f in chain[a:b]}) > 1 \
                        or not CARD_NUMBER_SHAPE.fullmatch("".join(values)):
                    continue  # one turn, no piece said twice (a read-back), a card network's number
                start = a  # a card begun just before and dropped ("four one four seven, two oh two... wait")
                for k in range(a - 1, -1, -1):
                    if not open_to[k]:
                        break
                    begun = "".join(typed[f][1].value for f in chain[k:a])
                    if len(begun) >= CARD_BEGUN_MIN and CARD_NETWORK_START.match(begun):
                        start = k
                for first in chain[start:b]:
                    typed[first] = ("CREDIT_CARD", typed[first][1])


def _speaks_of_cards(tokens) -> bool:
    """Whether a payment card is spoken of at all, also where it is no question ("I'll pay it on my
    debit card."): "card" said without a kind of card that is no payment card before it."""
    return any(t.core in ("card", "cards") and not (k and other_card(tokens[k - 1].core)) for k, t in enumerate(tokens))


_CARE_ONLY_CUES = tuple(tuple(p.split()) for p in lexicon.word_list("care_only_cues"))
CARE_WORDS_FOR_PLAN_IDS = 2  # different care words or drugs a call needs before "your ID number?" asks a health plan's
_CARE_DOMAIN = lexicon.word_set("care_domain_words") | _TERM_WORDS


def _in_call_domain(tokens, cue_list, medications=frozenset()):
    """"Your ID number?" asks a health plan's number on a call about care, and an identity
    number anywhere else: generic cues (`care_only_cues.txt`) take the call's domain."""
    said = {t.core for t in tokens}
    if len(said & (_CARE_DOMAIN | medications)) >= CARE_WORDS_FOR_PLAN_IDS:
        return cue_list
    cores = [t.core for t in tokens]
    return [replace(c, entity="NATIONAL_ID") if c.entity == "HEALTH_PLAN_ID" and tuple(cores[c.first:c.last]) in _CARE_ONLY_CUES
            else c for c in cue_list]


def _care_follows(tokens, span) -> bool:
    """A preposition right after the date and a care word within HEALTH_LOOKAHEAD tokens of its
    turn, and no word of another kind of date: "on the 9th for the scan"; not "the first root
    canal" (an ordinal's noun) nor "due on the 14th with the fee"."""
    if span.last >= len(tokens) or tokens[span.last].core not in _BEFORE_CARE:
        return False
    after = {t.core for t in tokens[span.last:span.last + HEALTH_LOOKAHEAD] if t.turn == tokens[span.first].turn}
    return bool(after & _HEALTH_WORDS) and not after & lexicon.OTHER_DATE_CUES


class CallContextRecognizer(CallRecognizer):
    """Numbers, codes and dates typed by the question asked before them, by their shape
    (Luhn, ABA checksum, digit counts, month ranges), and by what else the call holds."""

    ENTITIES = ["CREDIT_CARD", "CARD_CVV", "CARD_EXPIRY", "CARD_PIN", "US_SSN", "DATE_OF_BIRTH", "PHONE_NUMBER",
                "ABA_ROUTING_NUMBER", "US_BANK_NUMBER", "LOAN_NUMBER", "HEALTH_PLAN_ID", "CLAIM_NUMBER", "MEDICAL_RECORD_NUMBER",
                "PRESCRIPTION_NUMBER", "US_DRIVER_LICENSE", "US_PASSPORT", "ZIP_CODE", "IBAN_CODE", "PERSON",
                "HEALTH_DATE", "NATIONAL_ID", "REFERENCE_NUMBER"]
    NAME = "call_context"

    def __init__(self, medications: frozenset[str] = frozenset()):
        self.medications = medications
        super().__init__()

    def analyze(self, text, entities, nlp_artifacts=None):
        tokens = tokenize(text)
        runs = value_runs(tokens)
        date_spans = dates(tokens)
        cue_list = _in_call_domain(tokens, cues(tokens), self.medications)
        results, typed = [], {}
        years = {s.first for s in date_spans}
        candidates = sorted(runs + date_spans, key=lambda s: s.first)
        ends = _window_ends(cue_list, candidates, len(tokens))
        unanswered = set()
        for k, cue in enumerate(cue_list):
            stop = ends[k]
            next_cue, last_typed, whole, answer = stop, None, False, None
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
                if span.kind == "run" and span.last < len(tokens) and _quantity_word(tokens[span.last].core):
                    continue  # "250 thousand naira", "40 mg": a quantity with its unit answers no question
                if span.kind == "run" and span.first in years and cue.entity not in DATE_ENTITIES:
                    continue  # "reconstruction in 2019" is a year, not the passport number asked before
                close = span.first - (last_typed if last_typed is not None else cue.last) <= PIECE_GAP
                if cue.entity == "DATE_OF_BIRTH" and span.kind == "date" and span.first - cue.last > DOB_REACH \
                        and {t.core for t in tokens[max(0, span.first - WEAK_HEALTH_LOOKBACK):span.first]} & _HEALTH_WORDS:
                    continue  # "name and date of birth at the counter ... a follow-up visit for Thursday the 14th"
                broken_off = close and cue.entity in _BROKEN_OFF and span.value.isdigit() and len(span.value) >= 2 \
                    and tokens[span.last - 1].text.endswith(("...", "…", "—"))  # "the PIN? It's four four... No, no"
                if whole and cue.entity in _ONE_SHORT_VALUE and span.value.isdigit() and answer is not None \
                        and len(span.value) != len(answer):
                    continue  # "887 ... gone through, sixteen forty five": after the code, only its repeat or fix
                if fits(cue.entity, span) or close and fits_piece(cue.entity, span) or broken_off:
                    typed[span.first] = (cue.entity, span)
                    if answer is None and fits(cue.entity, span) and span.value.isdigit():
                        answer = span.value
                    last_typed, whole = span.last, whole or fits(cue.entity, span)
            if not whole and cue.entity in ASSEMBLED:  # pieces end where another question is asked
                asked = next((c.first for c in cue_list[k + 1:] if c.entity != cue.entity), len(tokens))
                last_typed = self._assemble(cue, tokens, runs, typed,
                                            min(asked, max(stop, last_typed or 0) + CHAIN_GAP)) or last_typed
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
        corrections(tokens, candidates, typed)
        partial_corrections(tokens, runs, typed)
        digit_fixes(tokens, typed)
        _not_card_numbers(typed)
        card_call = any(c.entity == "CREDIT_CARD" for c in cue_list) or _speaks_of_cards(tokens)
        if card_call:
            _card_shaped_numbers(tokens, typed)
        for span in runs:  # shapes that need no question
            if card_call and typed.get(span.first, ("",))[0] in _ACCOUNTS and CARD_NUMBER_SHAPE.fullmatch(span.value):
                typed[span.first] = ("CREDIT_CARD", span)  # "I've flagged the account ... pay it on my card. It's 4658 ..."
            if span.first not in typed and luhn_card(span.value):
                typed[span.first] = ("CREDIT_CARD", span)
            elif span.first not in typed and card_call and CARD_NUMBER_SHAPE.fullmatch(span.value):
                typed[span.first] = ("CREDIT_CARD", span)  # "6011 0482 7731 9056": misheard, fails Luhn, still a card
            elif span.first not in typed and MEDICARE_ID.fullmatch(span.value):
                typed[span.first] = ("HEALTH_PLAN_ID", span)  # a Medicare number: "1EG4-TE5-MK73"
        self._health_dates(tokens, date_spans, typed, self.medications)
        read_backs(runs, typed)
        same_shapes(runs, typed)
        self._expiries_said_again(date_spans, typed)
        for entity, span in typed.values():
            score = 0.9 if entity == "CREDIT_CARD" and luhn(span.value) and len(span.value) >= 13 else 0.8
            results.append(token_result(entity, tokens, span.first, span.last, score, "call_context"))
        return results

    @staticmethod
    def _health_dates(tokens, date_spans, typed, medications=frozenset()) -> None:
        """A date after a health word is a health date (a month or "the 9th" alone only close
        after one), and so is one a health word follows in its turn ("on the 9th for the scan")
        and one picked from the dates just offered ("the 14th works")."""
        last_health = None
        said = {t.core for t in tokens}
        care_call = len(said & _HEALTH_WORDS) >= CARE_CALL_WORDS  # a call about someone's care
        for span in sorted(date_spans, key=lambda s: s.first):
            if span.first in typed:
                if typed[span.first][0] == "HEALTH_DATE":
                    last_health = span.last
                continue
            # "X-rays in November"; on a call about care, "on the ninth" too
            lookback = WEAK_HEALTH_LOOKBACK if span.weak and not care_call else HEALTH_LOOKBACK
            if care_call and not span.weak:
                lookback = span.first  # a call about care: its full dates are care's unless another cue says what they are
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
            told_after = _care_follows(tokens, span)  # "came in on the 9th for the scan"
            since_drug = span.first > 0 and tokens[span.first - 1].core in ("since", "in") and bool(near & medications)
            if offered or since_drug or told_after or before & _HEALTH_WORDS \
                    or {w[:-1] for w in before if w.endswith("s")} & _HEALTH_WORDS:
                typed[span.first] = ("HEALTH_DATE", span)
                last_health = span.last

    @staticmethod
    def _expiries_said_again(date_spans, typed) -> None:
        """An expiry read back with the month's name ("oh six twenty-eight" ... "June twenty-eight")
        is the expiry: the same month and year as one the call typed, said with no question."""
        said = {(int(span.value[:-2]), span.value[-2:]) for entity, span in typed.values()
                if entity == "CARD_EXPIRY" and span.value.isdigit() and len(span.value) in (3, 4)}
        for span in date_spans:
            month = re.fullmatch(r"([A-Z]+)(\d\d)", span.value)
            if span.first not in typed and month and (MONTHS.get(month.group(1).lower()), month.group(2)) in said:
                typed[span.first] = ("CARD_EXPIRY", span)

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
        pieces = [r for r in runs if cue.last <= r.first < stop and (r.value.isdigit() or cue.entity in LETTERED)
                  and (r.first not in typed or typed[r.first][0] == cue.entity)]
        for a in range(len(pieces)):
            joined, group = "", []
            for r in pieces[a:]:
                if group and r.first - group[-1].last > CHAIN_GAP:
                    break
                repeated = cue.entity in LETTERED and bool(group) and r.value == group[-1].value  # "1EG4 ... One, E, G, four"
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

