"""A word's label after the detectors, and the spans labelled words make: the unit every pass
after the detectors (engine, medical_passes) reads and writes."""

from __future__ import annotations

from dataclasses import dataclass

from .tokens import strip_punct

UNSURE_BELOW = 0.5  # a word probability under this: the recogniser was unsure what was said
NER_SOURCES = frozenset({"SpacyRecognizer", "pii_model"})  # statistical finders, checked against English words


@dataclass(frozen=True)
class WordLabel:
    entity: str
    cls: str  # the entity's first class (policy.py); `policy.token_class` picks among the requested ones
    score: float
    source: str = ""  # the recogniser that found it


def entity_spans(labels: list, same=lambda a, b: a.entity == b.entity) -> list[tuple[int, int]]:
    """(first, end) of each run of labelled words that `same` holds one entity (by default: one
    entity type), the unit every step after the detectors works on."""
    spans, i = [], 0
    while i < len(labels):
        if labels[i] is None:
            i += 1
            continue
        j = i + 1
        while j < len(labels) and labels[j] is not None and same(labels[i], labels[j]):
            j += 1
        spans.append((i, j))
        i = j
    return spans


def keep_best(labels: list, i: int, label: WordLabel) -> None:
    """The highest score wins a word; where the model and a rule agree on the entity, the rule's
    finding is kept (its source decides the later checks)."""
    old = labels[i]
    if old is not None and old.entity == label.entity and "pii_model" in (old.source, label.source):
        if old.source == "pii_model":
            labels[i] = label
        return
    if old is None or label.score > old.score:
        labels[i] = label


def bare(word: str) -> str:
    """A word as the passes compare it: no punctuation around it, lower case."""
    return strip_punct(word).lower()


def turn_groups(turns: list[int]) -> list[tuple[int, int]]:
    """(first, end) of each turn's words: a number never runs from one turn into the next."""
    groups, start = [], 0
    for i in range(1, len(turns) + 1):
        if i == len(turns) or turns[i] != turns[i - 1]:
            groups.append((start, i))
            start = i
    return groups
