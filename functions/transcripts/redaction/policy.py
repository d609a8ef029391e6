"""Which request classes redact which entity (the table is data: `data/entity_classes.tsv`).

A class is a policy, not a label: the HIPAA Safe Harbor identifiers (names, places, dates tied
to a person, numbers that identify someone) are phi as well as pii, so a request for `phi` alone
redacts a patient's name. `token_class` picks, among the requested classes that cover an entity,
the one its token and its `redactions[].entity` show: the first of the entity's classes in the
table's order (a card number asked with pci and pii is `[PCI]`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

CLASSES = ("pii", "phi", "pci")


@dataclass(frozen=True)
class EntityPolicy:
    entity: str
    label_type: str
    classes: tuple[str, ...]


@lru_cache(maxsize=1)
def table() -> dict[str, EntityPolicy]:
    text = resources.files(__package__).joinpath("data/entity_classes.tsv").read_text(encoding="utf-8")
    rows: dict[str, EntityPolicy] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        entity, label_type, classes, *_ = line.split("\t")
        parsed = tuple(c.strip() for c in classes.split(","))
        if not parsed or any(c not in CLASSES for c in parsed):
            raise ValueError(f"entity_classes.tsv: bad classes for {entity}: {classes!r}")
        rows[entity] = EntityPolicy(entity, label_type, parsed)
    return rows


def classes_of(entity: str) -> tuple[str, ...]:
    return table()[entity].classes


def token_class(entity: str, wanted) -> str | None:
    """The requested class an entity is redacted under, or None when no requested class covers it."""
    return next((c for c in classes_of(entity) if c in wanted), None)


def label_type_classes() -> dict[str, tuple[str, ...]]:
    """LABELLING.md type -> the classes that cover it (every entity of one type agrees)."""
    out: dict[str, tuple[str, ...]] = {}
    for row in table().values():
        if row.label_type == "-":
            continue
        known = out.setdefault(row.label_type, row.classes)
        if set(known) != set(row.classes):
            raise ValueError(f"entity_classes.tsv: type {row.label_type} has two class sets")
    return out
