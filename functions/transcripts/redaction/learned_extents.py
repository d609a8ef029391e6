"""How far a medical entity or a health date runs, learned from labelled calls instead of written
as one more rule: after the rule passes, each medication, condition, procedure or health date
may take the next word on either side, one word at a time, while a logistic model says the word
belongs to it ("the [end of] January", "ACL reconstruction [with a] hamstring graft", "Humalog,
[um, six to] eight units").

The model reads the word, its tag, its neighbours, what kind of word it is (a dose unit, a body
part, a number, an English word) and the entity beside it. Its weights are data
(`data/extent_model.json`), written by `bench/train_extents.py` from the development calls and the
held-out rounds already scored once; a held-out round not yet scored never trains it. Scoring is a
sum of weights and needs no ML library.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources

from spacy.lang.en.stop_words import STOP_WORDS

from . import lexicon
from .spoken import NUMBER_WORDS as _SPOKEN_NUMBERS
from .tokens import MONTHS, WEEKDAYS
from .word_labels import WordLabel, bare, entity_spans

EXTENDED = ("MEDICATION", "MEDICAL_CONDITION", "MEDICAL_PROCEDURE", "HEALTH_DATE")
MAX_STEPS = 6  # words an entity may take on one side
NUMBER_WORDS = _SPOKEN_NUMBERS | {"hundred", "thousand", "point", "half"}
_BOUNDARY = (",", ".", "?", "!", ";", ":", "...", "—")
_DOSE_WORDS = frozenset(w for phrase in lexicon.DOSE_FREQUENCY + lexicon.DOSE_TIMES + lexicon.DOSE_ROUTES
                        for w in phrase.split())


def _kind(word: str, core: str, common) -> list[str]:
    """What kind of word it is, as features that carry over to words never seen in training."""
    kinds = []
    if any(c.isdigit() for c in core):
        kinds.append("digits")
    if core in NUMBER_WORDS:
        kinds.append("number_word")
    if core in STOP_WORDS:
        kinds.append("stop")
    if core in lexicon.DOSE_UNITS:
        kinds.append("dose_unit")
    if core in lexicon.DOSE_FORMS:
        kinds.append("dose_form")
    if core in _DOSE_WORDS:
        kinds.append("dose_schedule")
    if core in lexicon.BODY_PARTS or core.rstrip("s") in lexicon.BODY_PARTS:
        kinds.append("body_part")
    if core in lexicon.BODY_SIDES:
        kinds.append("body_side")
    if core in MONTHS:
        kinds.append("month")
    if core in WEEKDAYS or core.rstrip("s") in WEEKDAYS:
        kinds.append("weekday")
    if core in lexicon.ORDINAL_WORDS or core[:-2].isdigit() and core[-2:] in ("st", "nd", "rd", "th"):
        kinds.append("ordinal")
    if core in lexicon.FILLERS:
        kinds.append("filler")
    if core and core not in common:
        kinds.append("not_english")
    stripped = word.strip(".,?!;:\"'()")
    if stripped[:1].isupper():
        kinds.append("capital")
    if len(stripped) > 1 and stripped.isupper():
        kinds.append("all_caps")
    return kinds or ["plain"]


def features(words: list[str], tags: list, labels: list, k: int, toward: int, label: WordLabel,
             step: int, common=frozenset()) -> list[str]:
    """The features of word k as the next word of `label`'s entity; `toward` is the index of the
    entity's word next to it (k-1 on the right, k+1 on the left)."""
    side = "R" if toward < k else "L"
    core = bare(words[k])
    near = bare(words[toward])
    away = k + 1 if side == "R" else k - 1
    far = bare(words[away]) if 0 <= away < len(words) else "<edge>"
    between = words[toward] if side == "R" else words[k]  # the word whose end separates the two
    ent = label.entity
    out = [f"bias|{side}", f"ent|{ent}|{side}", f"src|{label.source}|{side}", f"step|{min(step, 3)}|{side}",
           f"w|{core}|{side}", f"w|{core}|{ent}|{side}", f"tag|{tags[k]}|{side}", f"tag|{tags[k]}|{ent}|{side}",
           f"near|{near}|{side}", f"near_w|{near}|{core}|{side}", f"far|{far}|{side}",
           f"far_tag|{tags[away] if 0 <= away < len(words) else '<edge>'}|{side}"]
    if between.endswith(_BOUNDARY):
        out += [f"boundary|{side}", f"boundary|{ent}|{side}"]
    if 0 <= away < len(words) and labels[away] is not None:
        out.append(f"far_label|{labels[away].entity}|{side}")
    for kind in _kind(words[k], core, common):
        out += [f"kind|{kind}|{side}", f"kind|{kind}|{ent}|{side}"]
    for kind in _kind(words[away], far, common) if 0 <= away < len(words) else ["edge"]:
        out.append(f"far_kind|{kind}|{side}")
    return out


@lru_cache(maxsize=1)
def model() -> tuple[dict[str, float], float] | None:
    """(weights, threshold) from data/extent_model.json; None where no model was trained."""
    path = resources.files("transcripts.redaction").joinpath("data/extent_model.json")
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["weights"], data["threshold"]


def probability(feats: list[str], weights: dict[str, float]) -> float:
    z = sum(weights.get(f, 0.0) for f in feats)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def learned_extents(words: list[str], labels: list, turns: list[int], tags: list, common=frozenset()) -> None:
    """Each medical entity and health date takes the words beside it the model says are its own."""
    trained = model()
    if trained is None:
        return
    weights, threshold = trained
    for first, end in entity_spans(labels):
        label = labels[first]
        if label.entity not in EXTENDED:
            continue
        for side in (1, -1):
            k = end if side == 1 else first - 1
            step = 0
            while 0 <= k < len(words) and step < MAX_STEPS and labels[k] is None and turns[k] == turns[first]:
                if probability(features(words, tags, labels, k, k - side, label, step, common), weights) < threshold:
                    break
                labels[k] = label
                k += side
                step += 1
