"""Loader for the redaction test transcripts (stdlib only).

File format: first line ``# description``; then one turn per line,
``agent: ...`` or ``caller: ...``.  Entities are marked inline as
``{class:type words of the entity}``.  Words are the whitespace-separated
tokens of the turn text after the markup is removed; a token that contains
any character of an entity gets that entity's class.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

TYPES: dict[str, frozenset[str]] = {
    "pii": frozenset({"name", "address", "location", "zip", "phone", "email", "ssn", "dob",
                      "license", "passport", "bank_account", "routing", "iban", "ip", "url",
                      "national_id"}),
    "phi": frozenset({"mrn", "member_id", "group_id", "claim_id", "rx", "medication",
                      "condition", "procedure", "health_date"}),
    "pci": frozenset({"card", "cvv", "expiry", "pin"}),
}
_HEAD = re.compile(r"([a-z]+):([a-z_]+)(\s+)")
# A turn starts with a lower-case role: agent, caller, doctor, patient, speaker1, ...
_TURN = re.compile(r"([a-z][a-z0-9_]*): (.*)$")
_STYLE = re.compile(r"# style: ([a-z, ]+)$")


@dataclass
class Turn:
    speaker: str
    words: list[str]
    labels: list[str | None]  # labels[i] is "pii"/"phi"/"pci" or None
    types: list[str | None]  # types[i] is the entity type ("name", "card", ...) or None


@dataclass
class Entity:
    cls: str
    type: str
    turn: int
    first: int  # word indices within the turn, inclusive
    last: int


@dataclass
class Transcript:
    name: str
    turns: list[Turn]
    entities: list[Entity]
    styles: tuple[str, ...] = ("edited",)


def _parse_turn(text: str, where: str) -> tuple[list[str], list[int | None], list[tuple[str, str]]]:
    """Strip markup; return (plain chars, per-char entity index, [(cls, type)])."""
    chars: list[str] = []
    owner: list[int | None] = []
    ents: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "}":
            raise ValueError(f"{where}: unbalanced '}}' at column {i + 1}")
        if c != "{":
            chars.append(c)
            owner.append(None)
            i += 1
            continue
        close = text.find("}", i + 1)
        inner_open = text.find("{", i + 1)
        if close < 0:
            raise ValueError(f"{where}: unbalanced '{{' at column {i + 1}")
        if 0 <= inner_open < close:
            raise ValueError(f"{where}: nested '{{' at column {inner_open + 1}")
        body = text[i + 1:close]
        m = _HEAD.match(body)
        if not m:
            raise ValueError(f"{where}: malformed entity {{{body}}} (want {{class:type words}})")
        cls, typ = m.group(1), m.group(2)
        if cls not in TYPES:
            raise ValueError(f"{where}: unknown class {cls!r} in {{{body}}}")
        if typ not in TYPES[cls]:
            raise ValueError(f"{where}: unknown type {cls}:{typ} in {{{body}}}")
        value = body[m.end():]
        if not value.strip():
            raise ValueError(f"{where}: empty entity {{{body}}}")
        idx = len(ents)
        ents.append((cls, typ))
        for ch in value:
            chars.append(ch)
            owner.append(idx if not ch.isspace() else None)
        i = close + 1
    return chars, owner, ents


def _tokenize(chars: list[str], owner: list[int | None], where: str):
    words: list[str] = []
    word_owner: list[int | None] = []
    cur: list[str] = []
    cur_owner: set[int] = set()

    def flush():
        if cur:
            if len(cur_owner) > 1:
                raise ValueError(f"{where}: token {''.join(cur)!r} touches two entities")
            words.append("".join(cur))
            word_owner.append(next(iter(cur_owner)) if cur_owner else None)
            cur.clear()
            cur_owner.clear()

    for ch, own in zip(chars, owner):
        if ch.isspace():
            flush()
        else:
            cur.append(ch)
            if own is not None:
                cur_owner.add(own)
    flush()
    return words, word_owner


def load(path) -> Transcript:
    path = Path(path)
    turns: list[Turn] = []
    entities: list[Entity] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or not lines[0].startswith("# "):
        raise ValueError(f"{path}:1: first line must be '# description'")
    styles: tuple[str, ...] = ("edited",)
    for lineno, line in enumerate(lines[1:], start=2):
        where = f"{path}:{lineno}"
        if not line.strip():
            continue
        style = _STYLE.match(line)
        if style and lineno == 2:
            styles = tuple(s.strip() for s in style.group(1).split(",") if s.strip())
            continue
        m = _TURN.match(line)
        if not m:
            raise ValueError(f"{where}: expected 'role: ...' (agent, caller, doctor, ...)")
        chars, owner, ents = _parse_turn(m.group(2), where)
        words, word_owner = _tokenize(chars, owner, where)
        if not words:
            raise ValueError(f"{where}: empty turn")
        t = len(turns)
        spans: dict[int, list[int]] = {}
        for wi, own in enumerate(word_owner):
            if own is not None:
                spans.setdefault(own, []).append(wi)
        for idx, (cls, typ) in enumerate(ents):
            ws = spans[idx]
            entities.append(Entity(cls, typ, t, ws[0], ws[-1]))
        labels = [ents[o][0] if o is not None else None for o in word_owner]
        types = [ents[o][1] if o is not None else None for o in word_owner]
        turns.append(Turn(m.group(1), words, labels, types))
    return Transcript(path.stem, turns, entities, styles)


def load_all(directory=None) -> list[Transcript]:
    d = Path(directory) if directory is not None else Path(__file__).resolve().parent
    return [load(p) for p in sorted(d.glob("*.txt"))]
