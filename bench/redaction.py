"""Redaction quality and speed on the labelled call transcripts in tests/redaction_set/.

    .venv/bin/python bench/redaction.py [--errors] [--include-heldout-errors] [--no-heldout] [--heldout NAME ...]

Word-level precision and recall per class (pii, phi, pci): a word counts for a class when
the engine gives it an entity of that class; the truth is the inline labels of the set.
`heldout_*` transcripts were never looked at while writing the rules and are reported apart.
Also prints the engine's load time and throughput (words per CPU-second).
Targets: pii and pci recall >= 0.95 at precision >= 0.90; phi recall >= 0.85.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "redaction_set"))
sys.path.insert(0, str(ROOT / "functions"))

from labels import load_all  # noqa: E402

CLASSES = ("pii", "phi", "pci")


def flatten(transcript):
    words, turns, truth = [], [], []
    for k, turn in enumerate(transcript.turns):
        words += turn.words
        turns += [k] * len(turn.words)
        truth += turn.labels
    return words, turns, truth


def score(pairs):
    out = {}
    for cls in CLASSES:
        tp = sum(1 for t, p in pairs if t == cls and p == cls)
        fp = sum(1 for t, p in pairs if t != cls and p == cls)
        fn = sum(1 for t, p in pairs if t == cls and p != cls)
        out[cls] = (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0, tp + fn)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--errors", action="store_true", help="print the words the development set gets wrong")
    parser.add_argument("--include-heldout-errors", action="store_true")
    parser.add_argument("--no-heldout", action="store_true",
                        help="skip held-out calls entirely, so rule work never sees their figures")
    parser.add_argument("--heldout", nargs="+", metavar="NAME", help="only these held-out calls")
    parser.add_argument("--set", type=Path, default=ROOT / "tests" / "redaction_set",
                        help="the folder of labelled calls (default: tests/redaction_set)")
    args = parser.parse_args()
    from transcripts.redaction.engine import Redactor

    started = time.monotonic()
    redactor = Redactor()
    load_s = time.monotonic() - started
    sets = {"development": [], "held-out": []}
    words_total, cpu_total = 0, 0.0
    for transcript in load_all(args.set):
        heldout = transcript.name.startswith("heldout")
        if heldout and (args.no_heldout or args.heldout and transcript.name not in args.heldout):
            continue
        words, turns, truth = flatten(transcript)
        cpu = time.process_time()
        labels = redactor.label(words, turns)
        cpu_total += time.process_time() - cpu
        words_total += len(words)
        predicted = [lab.cls if lab else None for lab in labels]
        sets["held-out" if heldout else "development"] += list(zip(truth, predicted))
        if heldout:
            sets[transcript.name] = list(zip(truth, predicted))
        if args.errors and (not heldout or args.include_heldout_errors):
            for i, (t, p) in enumerate(zip(truth, predicted)):
                if t != p:
                    ctx = " ".join(words[max(0, i - 4):i]) + " [" + words[i] + "] " + " ".join(words[i + 1:i + 4])
                    ent = labels[i].entity if labels[i] else "-"
                    print(f"  {transcript.name}: truth={t} got={p} ({ent}): {ctx}")
    print(f"engine load {load_s:.2f} s; {words_total} words in {cpu_total:.2f} CPU-s = "
          f"{words_total / cpu_total:.0f} words per CPU-second")
    print(f"{'set':16} {'class':5} {'precision':>9} {'recall':>7} {'words':>6}")
    for name, pairs in sets.items():
        if not pairs:
            continue  # each held-out call after the held-out total, figures only
        for cls, (p, r, n) in score(pairs).items():
            print(f"{name:16} {cls:5} {p:9.3f} {r:7.3f} {n:6d}")


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    main()
