"""End-to-end redaction through audio: how many labelled entity values are left in the text.

    .venv/bin/python bench/redaction_audio.py [--calls NAME ...] [--rate 16000] [--model whisper-base]
        [--redact-only-class] [--plain] [--details] [--json FILE] [--keep DIR] [--heldout]
    .venv/bin/python bench/redaction_audio.py --rescore DIR [--details] [--json FILE]

Issue 13's audio benchmark: each labelled call of tests/redaction_set/ (`--calls`, names without
`.txt`; default: the three shortest development calls, dev_pharmacy, dev_hospital_billing and
dev_telehealth, 10 minutes of audio) is read by espeak-ng, two (or more) voices alternating by
speaker (en-us / en-us+f3; en-gb / en-gb+f3 for calls in a UK, Irish, Australian or New Zealand
style), one clip per turn, joined by sox with 0.6 s pauses into one mono WAV at
`--rate` (16 kHz, or 8 kHz like a phone line). Digit groups inside identifier entities (cards,
phones, ids, ...) are read digit by digit, as callers read them; espeak-ng would otherwise say
"4111" as "four thousand one hundred eleven". The real server (`transcripts serve`, one worker, a
temporary data dir and key) transcribes each recording with `redact=pii,phi,pci` and
`word_timestamps=true`; `--redact-only-class` runs each call three more times, one class each.

Leak rule (an entity is "left in the text in any form"): the entity's window is the output words
whose middle lies inside its turn's time span (known exactly from the synthesis, 0.4 s margin),
narrowed to 4 s either side of where the entity falls by its share of the turn's spoken length.
The window's text is cut into stretches at the redaction tokens (`[PII]`, `[PHI]`, `[PCI]`); each
stretch is normalised with `transcripts.redaction.spoken.normalize` (spoken numbers to digits)
and lower-cased, as is the entity's reference value. The entity leaked when any of:
  1. digits: a digit run of the entity (maximal digits, split at any other character) of 3 or
     more digits lies inside a number of a stretch (digits joined across spaces and punctuation,
     never across a letter or a token), or such a number of 4 or more digits lies inside one of
     the entity's numbers joined the same way (a part of a value read as one run);
  2. words: a marker of the entity appears as a word of a stretch. Markers are the entity's
     alphabetic words of 3 or more letters (letters spelled one by one, "B-R-A-N-D-T" or
     "B R A N D T", joined into one word on both sides) that are not spaCy stop words, not number
     words, not words that only say what kind of value it is (`bench/data/shape_words.txt`:
     street suffixes, unit words, directions, top-level domains, mail providers, "dot", "slash",
     dose units and forms), and not said anywhere in the call's reference text outside an entity:
     so they tell the value apart ("fractured", "Xarelto", "Brandt", "twice" of a dose; not
     "scan" when the call also says "scan" unlabelled). A stretch word counts when equal or, for
     markers of 5+ letters, when difflib's ratio is >= 0.85 (ASR spelling: "Brant" for "Brandt"),
     also against two or three neighbouring words run together ("contoso virtual care");
  3. codes: for an entity with a digit or a spelled letter, its letters and digits run together
     (6 or more: "c4kx7r2m9", "sw1a1aa") appear inside a stretch's letters and digits run together.
Entities count under their labelled class (all three classes asked). With `--redact-only-class`,
class C asked alone is scored on every entity whose type C covers (`entity_classes.tsv`: a name
is pii and phi). Cards: a card number counts as visible when any of its 4-digit groups (the
groups of 4 from its start, and its last four) is a part of any number anywhere in the returned
text. Target (issue 13): at most 3% of the entities of any class left, no card number visible.

Values the ASR changed beyond these forms are not counted. `--plain` also runs each call
without redaction and applies the same rule to that text: an entity whose value is found there
was "heard", and `leaked of heard` is the share of those left in the redacted text (the engine's
own share, apart from what the ASR lost); it also prints the plain run's WER against the
reference (both normalised as above, punctuation removed; rough, "4111" against "forty one
eleven" counts as errors). `--details` prints each leak with its window so the rule can be
checked. `heldout_*` calls are never opened unless `--heldout` is given (then every held-out call
is run and only aggregate figures are printed, never a leak's text). `--keep DIR` keeps the
recordings, the turn times and the returned jobs (`DIR/run.json`); `--rescore DIR` scores such
a run again without the server (to check a change of the rule). Whisper's temperature fallback
makes runs differ a little: compare figures of one kept run, or of several runs.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import wave
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SET_DIR = ROOT / "tests" / "redaction_set"
sys.path.insert(0, str(SET_DIR))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "functions"))

from labels import Entity, Transcript, load  # noqa: E402

CLASSES = ("pii", "phi", "pci")
DEFAULT_CALLS = ("dev_pharmacy", "dev_hospital_billing", "dev_telehealth")
UK_STYLES = frozenset({"uk", "ireland", "australia", "nz"})
VOICES = {"us": ("en-us", "en-us+f3", "en-us+m3", "en-us+f4"), "uk": ("en-gb", "en-gb+f3", "en-gb+m3", "en-gb+f4")}
# Identifier types whose digit groups a caller reads digit by digit.
DIGIT_BY_DIGIT = frozenset({"card", "cvv", "pin", "phone", "ssn", "zip", "routing", "bank_account", "iban",
                            "mrn", "member_id", "group_id", "claim_id", "rx", "passport", "license",
                            "national_id"})
TOKEN = re.compile(r"\[(?:PII|PHI|PCI)\]")
PAUSE_S, LEAD_S, MARGIN_S, HALF_WINDOW_S = 0.6, 0.5, 0.4, 4.0
DIGIT_MIN, REVERSE_MIN, CODE_MIN, FUZZY_MIN_LEN, FUZZY_RATIO = 3, 4, 6, 5, 0.85


# ---------------------------------------------------------------- text forms

def _number_words() -> frozenset[str]:
    from transcripts.redaction.spoken import DIGITS, ORDINALS, REPEAT, TEENS, TENS

    return frozenset(DIGITS) | frozenset(TEENS) | frozenset(TENS) | frozenset(ORDINALS) | frozenset(REPEAT) \
        | {"hundred", "thousand"}


def _shape_words() -> frozenset[str]:
    lines = (ROOT / "bench" / "data" / "shape_words.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def normal(words: list[str]) -> str:
    """Lower-case text with spoken numbers as digits (the engine's own normaliser)."""
    from transcripts.redaction.spoken import normalize

    return normalize(words).text.lower() if words else ""


def digit_runs(text: str) -> list[str]:
    """Maximal runs of digits, split at any other character."""
    return re.findall(r"\d+", text)


def numbers(text: str) -> list[str]:
    """Digits joined across spaces and punctuation, never across a letter: "4,111 1111" -> 41111111."""
    return [re.sub(r"\D", "", m) for m in re.findall(r"\d[\d\W_]*", text)]


def alpha_words(text: str) -> list[str]:
    """Alphabetic words; single letters spelled in a row ("b-r-a-n-d-t", "b r a n d t") joined."""
    out, letters = [], []
    for piece in re.findall(r"[a-z]+", re.sub(r"['’][a-z]*", "", text.lower())):  # "that's": not a letter s
        if len(piece) == 1:
            letters.append(piece)
            continue
        if len(letters) >= 3:
            out.append("".join(letters))
        letters = []
        out.append(piece)
    if len(letters) >= 3:
        out.append("".join(letters))
    return out


def compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


# ---------------------------------------------------------------- the leak rule

@dataclass
class Reference:
    """What the rule needs of one call's reference text."""

    outside: frozenset[str]  # alphabetic words said outside every entity
    common: frozenset[str] = field(default_factory=lambda: _number_words() | _shape_words())

    @classmethod
    def of(cls, call: Transcript) -> "Reference":
        words = [w for turn in call.turns for w, lab in zip(turn.words, turn.labels) if lab is None]
        return cls(frozenset(alpha_words(" ".join(words))))

    def markers(self, value: str) -> list[str]:
        from spacy.lang.en.stop_words import STOP_WORDS

        return [w for w in dict.fromkeys(alpha_words(value))
                if len(w) >= 3 and w not in STOP_WORDS and w not in self.common and w not in self.outside]


def stretches(window_text: str) -> list[str]:
    """The window's text between redaction tokens, each normalised."""
    return [normal(part.split()) for part in TOKEN.split(window_text) if part.strip()]


def leak(value_words: list[str], window_text: str, ref: Reference) -> str | None:
    """Why the entity's value is still in the window's text (None: it is not)."""
    value = normal(value_words)
    runs = [r for r in digit_runs(value) if len(r) >= DIGIT_MIN]
    joined = [n for n in numbers(value) if len(n) >= REVERSE_MIN]
    markers = ref.markers(value)
    raw = " ".join(value_words)
    spelled = bool(re.search(r"\d", raw)) or len(alpha_words(raw)) < len(re.findall(r"[A-Za-z]+", raw))
    code = compact(value) if spelled else ""
    for part in stretches(window_text):
        for n in numbers(part):
            hit = next((r for r in runs if r in n), None)
            if hit:
                return f"digits {hit}"
            if len(n) >= REVERSE_MIN and any(n in j for j in joined):
                return f"digits {n}"
        words = alpha_words(part)
        joins = words + ["".join(words[k:k + n]) for n in (2, 3) for k in range(len(words) - n + 1)]
        for m in markers:
            if m in words:
                return f"word {m}"
            if len(m) >= FUZZY_MIN_LEN:
                close = next((w for w in joins if len(w) >= FUZZY_MIN_LEN
                              and difflib.SequenceMatcher(None, m, w).ratio() >= FUZZY_RATIO), None)
                if close:
                    return f"word {m}~{close}"
        if len(code) >= CODE_MIN and code in compact(part):
            return f"code {code}"
    return None


def card_groups(value_words: list[str]) -> set[str]:
    """A card's 4-digit groups: from its start in fours, and its last four."""
    groups = set()
    for n in numbers(normal(value_words)):
        if len(n) >= 4:
            groups.update(n[k:k + 4] for k in range(0, len(n) - 3, 4))
            groups.add(n[-4:])
    return groups


def visible_groups(groups: set[str], text: str) -> set[str]:
    found = set()
    for part in stretches(text):
        for n in numbers(part):
            found.update(g for g in groups if g in n)
    return found


# ---------------------------------------------------------------- speech

def tts_text(turn) -> str:
    """The turn as espeak-ng should read it: identifier digits one by one."""
    out = []
    for word, typ in zip(turn.words, turn.types):
        if typ in DIGIT_BY_DIGIT:
            word = re.sub(r"\d{2,}", lambda m: " ".join(m.group()), word)
        out.append(word)
    return " ".join(out)


def spoken_weight(word: str) -> int:
    """Rough spoken length of a word in letters (a digit is said as about five)."""
    return sum(5 if c.isdigit() else 1 for c in word) + 1


@dataclass
class Synth:
    wav: Path
    spans: list[tuple[float, float]]  # each turn's (start, end) in seconds
    duration: float


def synthesize(call: Transcript, out_dir: Path, rate: int, speed: int) -> Synth:
    accent = "uk" if UK_STYLES & set(call.styles) else "us"
    voices: dict[str, str] = {}
    out_dir.mkdir(parents=True, exist_ok=True)
    gap = out_dir / "gap.wav"
    subprocess.run(["sox", "-n", "-r", str(rate), "-c", "1", "-b", "16", str(gap), "trim", "0", str(PAUSE_S)],
                   check=True)
    lead = out_dir / "lead.wav"
    subprocess.run(["sox", "-n", "-r", str(rate), "-c", "1", "-b", "16", str(lead), "trim", "0", str(LEAD_S)],
                   check=True)
    parts, spans, t = [str(lead)], [], LEAD_S
    for k, turn in enumerate(call.turns):
        voice = voices.setdefault(turn.speaker, VOICES[accent][len(voices) % len(VOICES[accent])])
        text_file, raw, clip = out_dir / f"t{k}.txt", out_dir / f"t{k}.raw.wav", out_dir / f"t{k}.wav"
        text_file.write_text(tts_text(turn), encoding="utf-8")
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(raw), "-f", str(text_file)], check=True)
        subprocess.run(["sox", str(raw), "-r", str(rate), "-c", "1", "-b", "16", str(clip)], check=True)
        raw.unlink()
        with wave.open(str(clip)) as w:
            length = w.getnframes() / w.getframerate()
        spans.append((t, t + length))
        t += length + PAUSE_S
        parts += [str(clip), str(gap)]
    wav = out_dir / f"{call.name}.wav"
    subprocess.run(["sox", *parts, str(wav)], check=True)
    return Synth(wav, spans, t)


def entity_span(call: Transcript, e: Entity, turn_span: tuple[float, float]) -> tuple[float, float]:
    """Where in its turn the entity was probably said, by its share of the turn's spoken length."""
    weights = [spoken_weight(w) for w in call.turns[e.turn].words]
    total, before = sum(weights), sum(weights[:e.first])
    inside = sum(weights[e.first:e.last + 1])
    start, end = turn_span
    return start + (end - start) * before / total, start + (end - start) * (before + inside) / total


def window_text(words: list[dict], lo: float, hi: float) -> str:
    return " ".join(w["word"] for w in words if lo <= (w["start"] + w["end"]) / 2 <= hi)


# ---------------------------------------------------------------- scoring

@dataclass
class Tally:
    entities: dict = field(default_factory=lambda: defaultdict(int))
    leaked: dict = field(default_factory=lambda: defaultdict(int))
    heard: dict = field(default_factory=lambda: defaultdict(int))
    leaked_heard: dict = field(default_factory=lambda: defaultdict(int))
    plain: bool = False
    cards: int = 0
    cards_visible: int = 0
    leaks: list = field(default_factory=list)

    def figures(self) -> dict:
        per = {c: {"entities": self.entities[c], "leaked": self.leaked[c],
                   "share": round(self.leaked[c] / self.entities[c], 4) if self.entities[c] else None}
               for c in CLASSES}
        if self.plain:
            for c in CLASSES:
                per[c].update(heard=self.heard[c], leaked_of_heard=self.leaked_heard[c],
                              share_of_heard=round(self.leaked_heard[c] / self.heard[c], 4) if self.heard[c] else None)
        return {"classes": per, "cards": self.cards, "cards_visible": self.cards_visible}


def window_of(call: Transcript, synth: Synth, e: Entity, words: list[dict]) -> str:
    t0, t1 = synth.spans[e.turn]
    s0, s1 = entity_span(call, e, (t0, t1))
    return window_text(words, max(t0 - MARGIN_S, s0 - HALF_WINDOW_S), min(t1 + MARGIN_S, s1 + HALF_WINDOW_S))


def wer(call: Transcript, job: dict) -> tuple[int, int]:
    """(word errors, reference words) of a transcript against the call's reference text."""
    import jiwer

    def clean(words: list[str]) -> str:
        return " ".join(re.sub(r"[^\w\s']", " ", normal(words)).split())

    ref = clean([w for t in call.turns for w in t.words])
    out = jiwer.process_words(ref, clean((job.get("text") or "").split()) or "<empty>")
    return out.substitutions + out.deletions + out.insertions, len(ref.split())


def score(call: Transcript, synth: Synth, job: dict, wanted: tuple[str, ...], tally: Tally,
          plain: dict | None = None) -> None:
    from transcripts.redaction.policy import label_type_classes

    covers = label_type_classes()
    ref = Reference.of(call)
    words = job.get("words") or []
    text = job.get("text") or ""
    for e in call.entities:
        if wanted == CLASSES:
            cls = e.cls
        else:
            cls = wanted[0]
            if cls not in covers.get(e.type, (e.cls,)):
                continue
        value = call.turns[e.turn].words[e.first:e.last + 1]
        window = window_of(call, synth, e, words)
        why = leak(value, window, ref)
        tally.entities[cls] += 1
        heard = plain is not None and leak(value, window_of(call, synth, e, plain.get("words") or []), ref)
        tally.heard[cls] += bool(heard)
        tally.leaked_heard[cls] += bool(heard and why)
        if why:
            tally.leaked[cls] += 1
            tally.leaks.append({"call": call.name, "turn": e.turn, "class": cls, "type": e.type,
                                "value": " ".join(value), "why": why, "window": window})
        if e.type == "card" and "pci" in wanted:
            tally.cards += 1
            tally.cards_visible += bool(visible_groups(card_groups(value), text))


# ---------------------------------------------------------------- the run

def pick_calls(names: list[str], heldout: bool) -> list[Path]:
    if heldout:
        return sorted(SET_DIR.glob("heldout_*.txt"))
    paths = []
    for name in names:
        if name.startswith("heldout"):
            sys.exit(f"{name}: held-out calls are scored only with --heldout")
        path = SET_DIR / f"{name}.txt"
        if not path.exists():
            sys.exit(f"{name}: no such call in {SET_DIR}")
        paths.append(path)
    return paths


def run_jobs(recordings: list[tuple[Transcript, Synth]], requests: list[tuple[str, ...]], model: str,
             data_dir: Path, timeout: float) -> dict:
    """Every (call, classes) job through the real server; returns {(call name, classes): job}."""
    from helpers import Client, Server

    env = {"TRANSCRIPTS_WORKERS": "1", "HF_HUB_OFFLINE": "1",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "functions"), os.environ.get("PYTHONPATH")]))}
    server = Server(data_dir, env).start(timeout=300)
    try:
        client = Client(server.url, server.create_key()["api_key"])
        queued = {}
        for call, synth in recordings:
            for wanted in requests:
                r = client.upload(synth.wav, model=model, language="en", redact=list(wanted), word_timestamps=True)
                if r.status_code >= 300:
                    raise RuntimeError(f"{call.name}: {r.status_code} {r.text}")
                queued[call.name, wanted] = r.json()["id"]
        jobs = {}
        for key, job_id in queued.items():
            job = client.wait(job_id, timeout=timeout)
            if job["status"] != "completed":
                raise RuntimeError(f"{key[0]} {','.join(key[1])}: {job['status']} {job.get('error')}")
            jobs[key] = job
            print(f"  {key[0]} ({','.join(key[1]) or 'unredacted'}): done, {job['duration']:.0f} s of audio",
                  flush=True)
        return jobs
    finally:
        server.stop()


def print_table(title: str, figures: dict) -> None:
    print(f"\n{title}")
    def pct(x):
        return f"{100 * x:.1f}" if x is not None else "-"

    plain = "heard" in figures["classes"]["pii"]
    print(f"{'class':<6} {'entities':>9} {'leaked':>7} {'leaked %':>9}"
          + (f" {'heard':>6} {'leaked of heard':>16} {'%':>6}" if plain else ""))
    for cls, f in figures["classes"].items():
        if not f["entities"]:
            continue  # a class asked alone: only its own row
        print(f"{cls:<6} {f['entities']:>9} {f['leaked']:>7} {pct(f['share']):>9}"
              + (f" {f['heard']:>6} {f['leaked_of_heard']:>16} {pct(f['share_of_heard']):>6}" if plain else ""))
    if figures["cards"]:
        print(f"card numbers with a 4-digit group visible anywhere: {figures['cards_visible']} of {figures['cards']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", nargs="+", default=list(DEFAULT_CALLS), help="call names without .txt")
    parser.add_argument("--heldout", action="store_true", help="score every heldout_* call (aggregates only)")
    parser.add_argument("--rate", type=int, default=16000, choices=(8000, 16000))
    parser.add_argument("--speed", type=int, default=165, help="espeak-ng words per minute")
    parser.add_argument("--model", default="whisper-base")
    parser.add_argument("--redact-only-class", action="store_true", help="also ask for each class alone")
    parser.add_argument("--plain", action="store_true", help="also run each call unredacted: what the ASR heard, WER")
    parser.add_argument("--details", action="store_true", help="print every leak with its window")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--keep", type=Path, help="keep the recordings, turn times and jobs in this directory")
    parser.add_argument("--rescore", type=Path, help="score the run kept in this directory again, no server")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds to wait for each job")
    args = parser.parse_args()

    started = time.monotonic()
    if args.rescore:
        kept = json.loads((args.rescore / "run.json").read_text())
        args.heldout = kept["heldout"]
        if args.heldout and args.details:
            sys.exit("--details is not allowed with --heldout: held-out errors are never printed")
        calls = [load(p) for p in pick_calls(kept["calls"], args.heldout)]
        recordings = [(c, Synth(Path(kept["recordings"][c.name]["wav"]),
                                [tuple(s) for s in kept["recordings"][c.name]["spans"]],
                                kept["recordings"][c.name]["duration"])) for c in calls]
        requests = [tuple(r) for r in kept["requests"]]
        jobs = {(j["call"], tuple(j["redact"])): j["job"] for j in kept["jobs"]}
        args.rate, args.model = kept["rate"], kept["model"]
    else:
        if args.heldout and args.details:
            sys.exit("--details is not allowed with --heldout: held-out errors are never printed")
        calls = [load(p) for p in pick_calls(args.calls, args.heldout)]
        requests = [CLASSES] + ([(c,) for c in CLASSES] if args.redact_only_class else []) \
            + ([()] if args.plain else [])
        with tempfile.TemporaryDirectory() as tmp:
            audio_dir = args.keep or Path(tmp) / "audio"
            recordings = [(c, synthesize(c, audio_dir / c.name, args.rate, args.speed)) for c in calls]
            print(f"synthesized {len(calls)} calls, {sum(s.duration for _, s in recordings):.0f} s of audio "
                  f"at {args.rate} Hz in {time.monotonic() - started:.0f} s", flush=True)
            jobs = run_jobs(recordings, requests, args.model, Path(tmp) / "data", args.timeout)
        if args.keep:
            (args.keep / "run.json").write_text(json.dumps({
                "calls": [c.name for c in calls], "heldout": args.heldout, "rate": args.rate, "model": args.model,
                "requests": requests,
                "recordings": {c.name: {"wav": str(s.wav), "spans": s.spans, "duration": s.duration}
                               for c, s in recordings},
                "jobs": [{"call": k[0], "redact": k[1], "job": j} for k, j in jobs.items()],
                "run_s": round(time.monotonic() - started, 1)}))

    audio_s = sum(s.duration for _, s in recordings)
    report = {"date": time.strftime("%Y-%m-%d"), "calls": [c.name for c in calls], "audio_s": round(audio_s, 1),
              "rate": args.rate, "model": args.model, "runs": {}}
    plain = () in requests
    if plain:
        errors = [wer(call, jobs[call.name, ()]) for call, _ in recordings]
        report["plain_wer"] = round(sum(e for e, _ in errors) / sum(n for _, n in errors), 4)
        print(f"unredacted run: WER {100 * report['plain_wer']:.1f}% against the reference "
              f"({', '.join(f'{c.name} {100 * e / n:.1f}%' for (c, _), (e, n) in zip(recordings, errors))})")
    for wanted in [r for r in requests if r]:
        tally = Tally(plain=plain)
        for call, synth in recordings:
            score(call, synth, jobs[call.name, wanted], wanted, tally, jobs[call.name, ()] if plain else None)
        name = "all three" if wanted == CLASSES else f"{wanted[0]} alone"
        report["runs"][name] = tally.figures()
        print_table(f"redact={','.join(wanted)}: entities left in the text", tally.figures())
        if args.details:
            for k in tally.leaks:
                print(f"  {k['call']} turn {k['turn']} {k['class']}:{k['type']} {k['value']!r} ({k['why']})\n"
                      f"      window: {k['window']}")
    report["runtime_s"] = kept.get("run_s") if args.rescore else round(time.monotonic() - started, 1)
    report["rescored"] = bool(args.rescore)
    print(f"\n{len(calls)} calls ({', '.join(report['calls'])}), {audio_s:.0f} s of audio, {args.model}, "
          f"{len(requests)} job(s) per call; "
          + (f"rescored in {time.monotonic() - started:.0f} s" if args.rescore else f"{report['runtime_s']:.0f} s")
          + ". Target: at most 3% of any class left, no card number visible.")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
