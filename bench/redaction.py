"""Redaction quality and speed on the labelled call transcripts in tests/redaction_set/.

    .venv/bin/python bench/redaction.py [--errors] [--no-heldout] [--only PREFIX ...] [--set DIR]

Word level. Three views, each per class (pii, phi, pci):
- `alone`: the class asked for alone. The truth is every word whose labelled type the class
  covers (the policy table, `transcripts/redaction/data/entity_classes.tsv`: a name is pii and
  phi); a word counts as found when the engine redacts it under that request. `clear` is the
  share of the class's words left in the clear (1 - recall).
- `all3`: all three classes asked for; a word is right when its token shows its labelled class
  (the figure earlier rounds reported, kept for comparison).
- `any`: all three asked for; a sensitive word is found when it is redacted at all.
Sets: development calls, the older held-out calls (`heldout_*`), the held-out calls written in
other styles (`heldout_s*`, scored once at 6f44a19), `heldout_n01`-`n12`, `heldout_p01`-`p12` (third) and the newest, `heldout_q01`-`q12` (fourth, written blind in
the fourth round), `heldout_r01`-`r12` (fifth, written blind in the fifth round), `heldout_t01`-`t16`
(sixth, written blind in the sixth round), `heldout_u01`-`u12` (seventh) and
`heldout_v01`-`v12` (eighth, the same round), and so on to `heldout_z01`-`z12` (twelfth) and
`heldout_m01`-`m12` (thirteenth, written blind in the ninth session, scored once in the tenth) and
`heldout_l01`-`l12` (fourteenth, written blind in the tenth session, scored once in the eleventh) and
`heldout_k01`-`k12` (fifteenth, written blind in the eleventh session, scored once in it) and
`heldout_j01`-`j12` (sixteenth, written blind in the eleventh session, unscored), each round reported
apart (`HELDOUT_ROUNDS`); `--styles` adds a line per writing style.
`heldout_*` files are never read while writing rules: use `--no-heldout` for rule work.
Also prints the engine's load time and throughput (words per CPU-second).
Targets (issue 13): recall pii >= 0.97, phi >= 0.92, pci >= 0.98 at precision >= 0.90; each
class alone leaves at most 3% of its words in the clear.
"""

from __future__ import annotations

import argparse
import re
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "redaction_set"))
sys.path.insert(0, str(ROOT / "functions"))

from labels import load_all  # noqa: E402

CLASSES = ("pii", "phi", "pci")


def flatten(transcript):
    words, turns, truth, types = [], [], [], []
    for k, turn in enumerate(transcript.turns):
        words += turn.words
        turns += [k] * len(turn.words)
        truth += turn.labels
        types += turn.types
    return words, turns, truth, types


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, int]:
    return (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0, tp + fn)


class Tally:
    """Counts for one set of calls."""

    def __init__(self):
        self.n = defaultdict(int)

    def add(self, truth, types, labels, covers, token_class):
        for t, typ, lab in zip(truth, types, labels):
            true_classes = covers.get(typ, ()) if typ else ()
            for cls in CLASSES:
                # all three asked for: the token's class against the labelled class
                shown = token_class(lab.entity, set(CLASSES)) if lab else None
                self.n["all3", cls, "tp"] += t == cls and shown == cls
                self.n["all3", cls, "fp"] += t != cls and shown == cls
                self.n["all3", cls, "fn"] += t == cls and shown != cls
                # the class asked for alone
                hidden = lab is not None and token_class(lab.entity, {cls}) is not None
                covered = cls in true_classes
                self.n["alone", cls, "tp"] += covered and hidden
                self.n["alone", cls, "fp"] += (not covered) and hidden
                self.n["alone", cls, "fn"] += covered and not hidden
            self.n["any", "-", "tp"] += t is not None and lab is not None
            self.n["any", "-", "fp"] += t is None and lab is not None
            self.n["any", "-", "fn"] += t is not None and lab is None

    def rows(self):
        for view in ("alone", "all3"):
            for cls in CLASSES:
                p, r, n = prf(self.n[view, cls, "tp"], self.n[view, cls, "fp"], self.n[view, cls, "fn"])
                yield view, cls, p, r, n
        p, r, n = prf(self.n["any", "-", "tp"], self.n["any", "-", "fp"], self.n["any", "-", "fn"])
        yield "any", "-", p, r, n


# Held-out rounds by the letter after "heldout_" and a digit (heldout_n01, heldout_t16, ...).
HELDOUT_ROUNDS = {"n": "held-out new", "p": "held-out third", "q": "held-out fourth", "r": "held-out fifth",
                  "t": "held-out sixth", "u": "held-out seventh", "v": "held-out eighth",
                  "w": "held-out ninth", "x": "held-out tenth", "y": "held-out eleventh", "z": "held-out twelfth",
                  "m": "held-out thirteenth", "l": "held-out fourteenth",
                  "k": "held-out fifteenth", "j": "held-out sixteenth",
                  "i": "held-out seventeenth", "h": "held-out eighteenth",
                  "g": "held-out nineteenth", "f": "held-out twentieth"}


def set_of(name: str) -> str:
    round_ = re.match(r"heldout_([a-z])\d", name)
    if round_ and round_.group(1) in HELDOUT_ROUNDS:
        return HELDOUT_ROUNDS[round_.group(1)]
    if name.startswith("heldout_s"):
        return "held-out styles"
    return "held-out" if name.startswith("heldout") else "development"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--errors", action="store_true", help="print the words the development set gets wrong")
    parser.add_argument("--include-heldout-errors", action="store_true")
    parser.add_argument("--no-heldout", action="store_true",
                        help="skip held-out calls entirely, so rule work never sees their figures")
    parser.add_argument("--heldout", nargs="+", metavar="NAME", help="only these held-out calls")
    parser.add_argument("--only", nargs="+", metavar="PREFIX", help="only calls whose name starts so")
    parser.add_argument("--styles", action="store_true", help="a line per writing style and set")
    parser.add_argument("--alone", nargs="+", choices=CLASSES, metavar="CLASS",
                        help="with --errors: the words wrong when only CLASS is asked for (missed or over-redacted)")
    parser.add_argument("--set", type=Path, default=ROOT / "tests" / "redaction_set",
                        help="the folder of labelled calls (default: tests/redaction_set)")
    args = parser.parse_args()
    from transcripts.redaction.engine import Redactor
    from transcripts.redaction.policy import label_type_classes, token_class

    covers = label_type_classes()
    started = time.monotonic()
    redactor = Redactor()
    load_s = time.monotonic() - started
    tallies: dict[str, Tally] = defaultdict(Tally)
    words_total, cpu_total = 0, 0.0
    for transcript in load_all(args.set):
        heldout = transcript.name.startswith("heldout")
        if heldout and (args.no_heldout or args.heldout and transcript.name not in args.heldout):
            continue
        if args.only and not transcript.name.startswith(tuple(args.only)):
            continue
        words, turns, truth, types = flatten(transcript)
        cpu = time.process_time()
        labels = redactor.label(words, turns)
        cpu_total += time.process_time() - cpu
        words_total += len(words)
        group = set_of(transcript.name)
        tallies[group].add(truth, types, labels, covers, token_class)
        if args.styles:
            for style in transcript.styles:
                tallies[f"{group[:8]}:{style}"].add(truth, types, labels, covers, token_class)
        if args.errors and (not heldout or args.include_heldout_errors):
            for view in args.alone or [None]:
                for i, (t, lab) in enumerate(zip(truth, labels)):
                    p = lab.cls if lab else None
                    if view:
                        covered = view in covers.get(types[i], ()) if types[i] else False
                        hidden = lab is not None and token_class(lab.entity, {view}) is not None
                        if covered == hidden:
                            continue
                        p = f"{view}-{'missed' if covered else 'over'}:{p}"
                    elif t == p:
                        continue
                    ctx = " ".join(words[max(0, i - 4):i]) + " [" + words[i] + "] " + " ".join(words[i + 1:i + 4])
                    ent = f"{lab.entity} {lab.source}" if lab else "-"
                    print(f"  {transcript.name}: truth={t}/{types[i]} got={p} ({ent}): {ctx}")
    if not words_total:
        sys.exit("no calls matched")
    print(f"engine load {load_s:.2f} s; {words_total} words in {cpu_total:.2f} CPU-s = "
          f"{words_total / cpu_total:.0f} words per CPU-second")
    print(f"{'set':26} {'view':5} {'class':5} {'precision':>9} {'recall':>7} {'clear':>6} {'words':>6}")
    for name, tally in tallies.items():
        for view, cls, p, r, n in tally.rows():
            print(f"{name:26} {view:5} {cls:5} {p:9.3f} {r:7.3f} {1 - r:6.3f} {n:6d}")


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    main()
