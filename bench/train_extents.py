"""Train the extent model (transcripts/redaction/learned_extents.py) on labelled calls.

    python bench/train_extents.py [--spent n p q ...] [--out PATH]

Runs the engine with its learned pass switched off over every development call of
tests/redaction_set (with --spent, also the held-out rounds already scored once; never an unspent
one), walks outward from each medication, condition, procedure and health date the rules found,
and asks the labels whether each next word belongs to the entity (the walk goes on while it does:
the model learns where an entity ends). A logistic regression (scikit-learn, L2) fits the
features; its strength is chosen by 5-fold cross-validation over calls, and the weights are
written as JSON for the engine to sum. Run it again when labelled calls are added:

    python bench/train_extents.py --spent n p q r t u v w

"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "functions"), str(ROOT / "tests" / "redaction_set")]

TRUTH_TYPES = {"MEDICATION": "medication", "MEDICAL_CONDITION": "condition", "MEDICAL_PROCEDURE": "procedure",
               "HEALTH_DATE": "health_date"}
OUT = ROOT / "functions" / "transcripts" / "redaction" / "data" / "extent_model.json"


def examples(redactor, calls):
    """(features, belongs, call index) of every step of every walk."""
    import transcripts.redaction.engine as engine
    from transcripts.redaction.learned_extents import EXTENDED, MAX_STEPS, features
    from transcripts.redaction.word_labels import entity_spans

    seen = []
    engine.learned_extents = lambda words, labels, turns, tags, common=frozenset(): \
        seen.append((list(labels), list(tags)))
    rows = []
    for n, transcript in enumerate(calls):
        words, turns, types = [], [], []
        for k, turn in enumerate(transcript.turns):
            words += turn.words
            turns += [k] * len(turn.words)
            types += turn.types
        seen.clear()
        redactor.label(words, turns)
        labels, tags = seen[0]
        for first, end in entity_spans(labels):
            label = labels[first]
            if label.entity not in EXTENDED:
                continue
            want = TRUTH_TYPES[label.entity]
            for side in (1, -1):
                k, step = (end if side == 1 else first - 1), 0
                while 0 <= k < len(words) and step < MAX_STEPS and labels[k] is None and turns[k] == turns[first]:
                    belongs = types[k] == want
                    rows.append((features(words, tags, labels, k, k - side, label, step, redactor.common_words),
                                 belongs, n))
                    if not belongs:
                        break
                    k += side
                    step += 1
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--spent", nargs="*", default=[], metavar="LETTER",
                        help="also train on these spent held-out rounds (heldout_n.., heldout_p..): scored once already")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    from labels import load_all
    from transcripts.redaction.engine import Redactor

    spent = tuple(f"heldout_{letter}" for letter in args.spent)
    calls = [t for t in load_all(ROOT / "tests" / "redaction_set")
             if not t.name.startswith("heldout") or spent and t.name.startswith(spent)]
    rows = examples(Redactor(), calls)
    vec = DictVectorizer()
    X = vec.fit_transform([{f: 1.0 for f in feats} for feats, _, _ in rows])
    y = np.array([b for _, b, _ in rows])
    groups = np.array([g for _, _, g in rows])
    print(f"{len(calls)} calls, {len(rows)} steps, {int(y.sum())} belong; {X.shape[1]} features")
    best = None
    for c in (0.03, 0.1, 0.3, 1.0):
        tp = fp = fn = 0
        for train, test in GroupKFold(n_splits=5).split(X, y, groups):
            fit = LogisticRegression(C=c, fit_intercept=False, max_iter=2000).fit(X[train], y[train])
            said = fit.predict_proba(X[test])[:, 1] >= 0.5
            tp += int((said & y[test]).sum())
            fp += int((said & ~y[test]).sum())
            fn += int((~said & y[test]).sum())
        f1 = 2 * tp / (2 * tp + fp + fn)
        print(f"C={c}: cross-validated steps taken precision {tp / max(1, tp + fp):.3f} recall {tp / max(1, tp + fn):.3f} F1 {f1:.3f}")
        if best is None or f1 > best[0]:
            best = (f1, c)
    fit = LogisticRegression(C=best[1], fit_intercept=False, max_iter=2000).fit(X, y)
    weights = {name: round(float(w), 4) for name, w in zip(vec.get_feature_names_out(), fit.coef_[0]) if abs(w) >= 0.005}
    development = sum(not t.name.startswith("heldout") for t in calls)
    trained_on = f"{development} development calls" + (f" and {len(calls) - development} spent held-out calls "
                                                      f"(rounds {' '.join(args.spent)})" if spent else "")
    args.out.write_text(json.dumps({"trained_on": trained_on + " of tests/redaction_set",
                                    "C": best[1], "threshold": 0.5, "weights": dict(sorted(weights.items()))},
                                   indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"C={best[1]}: {len(weights)} weights written to {args.out}")


if __name__ == "__main__":
    main()
