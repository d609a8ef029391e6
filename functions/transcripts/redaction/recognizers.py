"""Presidio recognisers for call speech, on the text `spoken.normalize` wrote.

Stock recognisers find what is written in a standard shape ("4111 1111 1111 1111",
"503-555-0187", "rob@outlook.com"). Calls need more: a number means what the question
before it asked ("and the security code?" ... "737"), addresses and medical words come
without capitals, and names come in lower case after "my husband,". Each recogniser here
handles one of those; all return Presidio `RecognizerResult`s so the analyser merges them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.predefined_recognizers import EmailRecognizer

from . import lexicon
from .tokens import CUE_WORDS, MONTHS, WEEKDAYS, Span, cues, dates, tokenize, value_runs

CONTEXT_WINDOW = 30  # tokens after a cue in which a value takes the cue's meaning
CHAIN_GAP = 12  # once one value is typed, a further one must follow within this many tokens
HEALTH_LOOKBACK = 30  # tokens before a date in which a health word makes it a health date


def luhn(digits: str) -> bool:
    total, double = 0, False
    for ch in reversed(digits):
        d = int(ch) * (2 if double else 1)
        total += d - 9 if d > 9 else d
        double = not double
    return total % 10 == 0


def aba(digits: str) -> bool:
    return len(digits) == 9 and sum(int(d) * w for d, w in zip(digits, [3, 7, 1] * 3)) % 10 == 0


def _id_like(v: str) -> bool:
    return len(v) >= 4 and sum(c.isdigit() for c in v) >= 3


def fits(entity: str, span: Span) -> bool:
    """Whether a value of this shape can be that entity (the cue said what was asked)."""
    v = span.value
    digits = v.isdigit()
    if span.kind == "date":
        return entity in ("DATE_OF_BIRTH", "CARD_EXPIRY") and not span.weak
    n = len(v)
    return {
        "CREDIT_CARD": digits and 4 <= n <= 19,
        "CARD_CVV": digits and 3 <= n <= 4,
        "CARD_EXPIRY": digits and (n == 4 and 1 <= int(v[:2]) <= 12 or n == 3),
        "CARD_PIN": digits and 4 <= n <= 6,
        "US_SSN": digits and n in (4, 9),
        "DATE_OF_BIRTH": digits and 6 <= n <= 8,
        "PHONE_NUMBER": digits and n in (7, 10, 11),
        "ABA_ROUTING_NUMBER": digits and aba(v),
        "US_BANK_NUMBER": digits and 4 <= n <= 17,
        "ZIP_CODE": digits and n in (5, 9),
        "IBAN_CODE": bool(re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", v)),
        "PERSON": v.isalpha() and n >= 2 and (span.last - span.first > 1 or "-" in v or n <= 3),
    }.get(entity, _id_like(v))


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's e-mail recogniser checks the domain with tldextract, which downloads the
    public-suffix list on first use; this one reads the snapshot tldextract ships."""

    def validate_result(self, pattern_text: str):
        return _suffixes()(pattern_text).fqdn != ""


@lru_cache(maxsize=1)
def _suffixes():
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def _result(entity: str, tokens, first: int, last: int, score: float, why: str) -> RecognizerResult:
    return RecognizerResult(entity, tokens[first].start, tokens[last - 1].end, score,
                            recognition_metadata={"recognizer_name": why})


class CallContextRecognizer(EntityRecognizer):
    """Numbers, codes and dates typed by the question asked before them, by their shape
    (Luhn, ABA checksum, digit counts, month ranges), and by what else the call holds."""

    ENTITIES = ["CREDIT_CARD", "CARD_CVV", "CARD_EXPIRY", "CARD_PIN", "US_SSN", "DATE_OF_BIRTH", "PHONE_NUMBER",
                "ABA_ROUTING_NUMBER", "US_BANK_NUMBER", "HEALTH_PLAN_ID", "CLAIM_NUMBER", "MEDICAL_RECORD_NUMBER",
                "PRESCRIPTION_NUMBER", "US_DRIVER_LICENSE", "US_PASSPORT", "ZIP_CODE", "IBAN_CODE", "PERSON",
                "HEALTH_DATE"]

    def __init__(self):
        super().__init__(supported_entities=self.ENTITIES, name="call_context")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        tokens = tokenize(text)
        runs = value_runs(tokens)
        date_spans = dates(tokens)
        cue_list = cues(tokens)
        results, typed = [], {}
        candidates = sorted(runs + date_spans, key=lambda s: s.first)
        for k, cue in enumerate(cue_list):
            stop = cue_list[k + 1].first if k + 1 < len(cue_list) else len(tokens)
            for nxt in cue_list[k + 1:]:  # a repeated cue of the same kind does not end the window
                if nxt.entity != cue.entity:
                    stop = nxt.first
                    break
            stop, last_typed = min(stop, cue.last + CONTEXT_WINDOW), None
            for span in candidates:
                if span.first < cue.last or span.first >= stop or span.first in typed:
                    continue
                if last_typed is not None and span.first - last_typed > CHAIN_GAP:
                    break  # the answer is over: "your share will be about 1260" is no record number
                if fits(cue.entity, span):
                    typed[span.first] = (cue.entity, span)
                    last_typed = span.last
        for span in runs:  # shapes that need no question
            if span.first not in typed and span.value.isdigit() and 13 <= len(span.value) <= 19 and luhn(span.value):
                typed[span.first] = ("CREDIT_CARD", span)
        self._health_dates(tokens, date_spans, typed)
        self._read_backs(runs, typed)
        for entity, span in typed.values():
            score = 0.9 if entity == "CREDIT_CARD" and luhn(span.value) and len(span.value) >= 13 else 0.8
            results.append(_result(entity, tokens, span.first, span.last, score, "call_context"))
        return results

    @staticmethod
    def _health_dates(tokens, date_spans, typed) -> None:
        for span in date_spans:
            if span.first in typed:
                continue
            before = {t.core for t in tokens[max(0, span.first - HEALTH_LOOKBACK):span.first]}
            if before & lexicon.HEALTH_DATE_CUES:
                typed[span.first] = ("HEALTH_DATE", span)

    @staticmethod
    def _read_backs(runs, typed) -> None:
        """A value read back later (or earlier), whole or as its last four, is the same thing."""
        known = {span.value: entity for entity, span in typed.values() if span.kind == "run" and len(span.value) >= 4}
        for span in runs:
            if span.first in typed or len(span.value) < 4:
                continue
            entity = known.get(span.value)
            if entity is None and span.value.isdigit() and len(span.value) == 4:
                entity = next((e for v, e in known.items() if e == "CREDIT_CARD" and v.endswith(span.value)), None)
            if entity:
                typed[span.first] = (entity, span)


class MedicalRecognizer(EntityRecognizer):
    """Medications (with their dose), conditions, injuries and procedures by word lists."""

    ENTITIES = ["MEDICATION", "MEDICAL_CONDITION", "MEDICAL_PROCEDURE"]

    def __init__(self, medications: frozenset[str]):
        self.medications = medications
        self.phrases = {}
        for entity, words in (("MEDICAL_CONDITION", lexicon.CONDITIONS), ("MEDICAL_PROCEDURE", lexicon.PROCEDURES)):
            for phrase in words:
                if phrase.strip():
                    self.phrases[tuple(phrase.split())] = entity
        self.longest = max(len(p) for p in self.phrases)
        super().__init__(supported_entities=self.ENTITIES, name="medical_lexicon")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        tokens = tokenize(text)
        cores = [t.core for t in tokens]
        results, i = [], 0
        while i < len(tokens):
            found = self._at(cores, i)
            if found:
                entity, end = found
                if entity == "MEDICATION":
                    end = _dose_end(cores, end)
                elif i > 0 and cores[i - 1] in lexicon.CONDITION_MODIFIERS and entity == "MEDICAL_CONDITION":
                    i -= 1  # "bacterial sinusitis", "chronic kidney disease"
                if entity == "MEDICAL_PROCEDURE" and end + 2 < len(cores) and cores[end] == "of" \
                        and (cores[end + 1] in lexicon.BODY_PARTS or cores[end + 2] in lexicon.BODY_PARTS):
                    end += 2 if cores[end + 1] in lexicon.BODY_PARTS else 3  # "a CT of my abdomen"
                results.append(_result(entity, tokens, i, end, 0.88, "medical_lexicon"))
                i = end
            else:
                i += 1
        return results

    def _at(self, cores, i):
        for size in range(min(4, len(cores) - i), 0, -1):
            phrase = " ".join(cores[i:i + size])
            if phrase in self.medications:
                return "MEDICATION", i + size
        for size in range(min(self.longest, len(cores) - i), 0, -1):
            entity = self.phrases.get(tuple(cores[i:i + size]))
            if entity:
                end = i + size
                if entity == "MEDICAL_PROCEDURE" and i > 0 and cores[i - 1] in lexicon.BODY_PARTS:
                    return None  # taken with its body part below, from the earlier word
                return entity, end
        c = cores[i]
        if c.isalpha() and len(c) > 5 and c not in lexicon.SUFFIX_EXCEPTIONS:
            if c.endswith(lexicon.PROCEDURE_SUFFIXES):
                return "MEDICAL_PROCEDURE", i + 1
            if c.endswith(lexicon.CONDITION_SUFFIXES):
                return "MEDICAL_CONDITION", i + 1
        side = 1 if i + 1 < len(cores) and cores[i + 1] in ("left", "right") else 0
        if c in lexicon.INJURY_WORDS and i + 1 + side < len(cores) and cores[i + 1 + side] in lexicon.BODY_PARTS:
            return "MEDICAL_CONDITION", i + 2 + side
        if c in lexicon.BODY_PARTS:
            j = i + 1
            while j < len(cores) and cores[j] in lexicon.BODY_PARTS and j - i < 3:
                j += 1
            if j < len(cores) and (cores[j] in lexicon.PROCEDURE_NOUNS or (cores[j],) in self.phrases
                                   and self.phrases[(cores[j],)] == "MEDICAL_PROCEDURE"):
                return "MEDICAL_PROCEDURE", j + 1
        return None


def _dose_end(cores, end: int) -> int:
    """Extend a medication over its dose: "metformin 500 milligrams", "oxycodone five mg"."""
    from .spoken import DIGITS, TEENS, TENS

    j = end
    while j < len(cores) and (re.fullmatch(r"\d+(\.\d+)?(mg|mcg|ml)?", cores[j]) or cores[j] in DIGITS
                              or cores[j] in TEENS or cores[j] in TENS or cores[j] in ("hundred", "point")):
        j += 1
    if j > end and j < len(cores) and cores[j] in lexicon.DOSE_UNITS:
        j += 1
    elif not (j > end and re.fullmatch(r"\d+(mg|mcg|ml)", cores[j - 1])):
        return end
    for phrase in sorted(lexicon.DOSE_FREQUENCY, key=len, reverse=True):  # "twice a day", "as needed"
        words = phrase.split()
        if cores[j:j + len(words)] == words:
            return j + len(words)
    return j


class AddressRecognizer(EntityRecognizer):
    """Street addresses ("1842 Harlow Street, unit 12"), the city and state after them, and zip codes."""

    ENTITIES = ["STREET_ADDRESS", "LOCATION", "ZIP_CODE"]

    def __init__(self):
        super().__init__(supported_entities=self.ENTITIES, name="address")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        tokens = tokenize(text)
        cores = [t.core for t in tokens]
        results = []
        for i, t in enumerate(tokens):
            if not re.fullmatch(r"\d{1,6}[a-z]?", t.core) or (i > 0 and re.fullmatch(r"\d+", cores[i - 1])):
                continue
            j = i + 1
            while j < len(tokens) and j - i <= 4 and tokens[j].turn == t.turn and cores[j] not in lexicon.STREET_SUFFIXES \
                    and cores[j].isalpha() and cores[j] not in lexicon.NAME_STOP:
                j += 1
            if j == i + 1 or j >= len(tokens) or cores[j] not in lexicon.STREET_SUFFIXES:
                continue
            end = j + 1
            if end + 1 < len(tokens) and cores[end] in lexicon.UNIT_WORDS and re.fullmatch(r"[0-9a-z#\-]+", cores[end + 1]):
                end += 2
            results.append(_result("STREET_ADDRESS", tokens, i, end, 0.85, "address"))
            results.extend(self._tail(tokens, cores, end))
        for i, c in enumerate(cores):  # a state name, and a zip code after it
            if c in lexicon.US_STATES and tokens[i].raw_core[:1].isupper():
                results.append(_result("LOCATION", tokens, i, i + 1, 0.6, "address"))
                if i + 1 < len(tokens) and re.fullmatch(r"\d{5}(-?\d{4})?", cores[i + 1]):
                    results.append(_result("ZIP_CODE", tokens, i + 1, i + 2, 0.85, "address"))
        return results

    @staticmethod
    def _tail(tokens, cores, start):
        """After an address: ", City, State 12345" within the next few words, even in the next turn."""
        out, k = [], start
        while k < len(tokens) and k - start < 8:
            c = cores[k]
            if re.fullmatch(r"\d{5}(-?\d{4})?", c):
                out.append(_result("ZIP_CODE", tokens, k, k + 1, 0.85, "address"))
                break
            if tokens[k].turn == tokens[start - 1].turn and tokens[k].raw_core[:1].isupper() and c.isalpha() \
                    and c not in lexicon.NAME_STOP and c not in MONTHS and c not in WEEKDAYS:
                out.append(_result("LOCATION", tokens, k, k + 1, 0.7, "address"))
            elif tokens[k].turn == tokens[start - 1].turn and c not in ("and",):
                if tokens[k].text.endswith(("?", ".")):
                    pass
                else:
                    break
            k += 1
        return out


class NameTriggerRecognizer(EntityRecognizer):
    """Names the NLP model misses in lower-case speech: the word after "my husband,", "talked to",
    "dr", "this is"; and letters spelled out after a name or after "spell"."""

    ENTITIES = ["PERSON"]

    def __init__(self):
        self.triggers: dict[str, list[tuple[str, ...]]] = {}
        for trigger in sorted((tuple(t.split()) for t in lexicon.NAME_TRIGGERS), key=len, reverse=True):
            self.triggers.setdefault(trigger[0], []).append(trigger)
        super().__init__(supported_entities=self.ENTITIES, name="name_triggers")

    def load(self) -> None:
        pass

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
                if j < len(tokens) and tokens[j].turn == tokens[i].turn and self._namelike(tokens[j], cores[j], pos):
                    end = j + 1
                    if end < len(tokens) and tokens[end].turn == tokens[j].turn and not tokens[j].text.endswith((",", ".", "?")) \
                            and self._namelike(tokens[end], cores[end], pos) and pos.get(tokens[end].start) == "PROPN":
                        end += 1
                    results.append(_result("PERSON", tokens, j, end, 0.7, "name_triggers"))
                break
        return results

    @staticmethod
    def _namelike(token, core, pos) -> bool:
        if not core.replace("-", "").isalpha() or len(core) < 2 or core in lexicon.NAME_STOP or core in CUE_WORDS:
            return False
        if core in MONTHS or core in WEEKDAYS:
            return False
        return pos.get(token.start) in ("PROPN", "NOUN", "ADJ", "X", None) and pos.get(token.start) != "VERB"


def _pos_by_start(nlp_artifacts) -> dict[int, str]:
    if nlp_artifacts is None or nlp_artifacts.tokens is None:
        return {}
    return {tok.idx: tok.pos_ for tok in nlp_artifacts.tokens}
