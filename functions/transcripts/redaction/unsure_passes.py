"""The passes that use what the recogniser knows: a word it was unsure of (word probability under
`UNSURE_BELOW`) beside an entity, or before the last word of a medical term, is part of it."""

from __future__ import annotations

from spacy.lang.en.stop_words import STOP_WORDS

from . import lexicon, policy
from .word_labels import UNSURE_BELOW, WordLabel
from .word_labels import bare as _bare


def unsure_next_to_entities(labels: list, confidences: list, turns: list[int]) -> None:
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


def unsure_before_term_ends(words: list[str], labels: list, confidences: list, turns: list[int]) -> None:
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
