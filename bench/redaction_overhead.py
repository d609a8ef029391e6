"""What redaction adds to a long call's job, measured end to end on the same audio and CPU.

    .venv/bin/python bench/redaction_overhead.py [--minutes 60] [--model whisper-base] [--repeats N]

The audio is the development calls of tests/redaction_set/ (markup removed) read by
espeak-ng, agent and caller in two voices, repeated to `--minutes`: speech full of names,
numbers and medical words, so the redaction stages do real work. Two runs of the pipeline:
  plain     - no redaction, no word timestamps (what a client gets without `redact`);
              also run with word timestamps, to show what the forced word times cost
  redacted  - redact pii+phi+pci (which forces word timestamps), then the beeped copy of
              the recording the worker stores
The engine's load (once per worker process) is timed apart and not counted in the job. With
`--repeats N` the three runs go in turn N times and the medians are reported, since a single
transcription varies by a fifth between runs on a shared machine.
Target: redacted wall time at most 10% above plain.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "redaction_set"))

from labels import load_all  # noqa: E402

VOICES = ("en-us", "en-gb")


def build(minutes: float, tmp: Path) -> Path:
    """One WAV of the development calls' turns, two voices, until `minutes` long."""
    import numpy as np

    from transcripts.pipeline.decode import SAMPLE_RATE, decode

    turns = [(t.speaker, " ".join(t.words)) for c in load_all(ROOT / "tests" / "redaction_set")
             if not c.name.startswith("heldout") for t in c.turns]
    parts, total, k = [], 0, 0
    clips: dict[int, np.ndarray] = {}
    while total < minutes * 60 * SAMPLE_RATE:
        i = k % len(turns)
        if i not in clips:
            wav = tmp / f"turn{i}.wav"
            speaker, text = turns[i]
            subprocess.run(["espeak-ng", "-v", VOICES[speaker == "caller"], "-s", "165", "-w", str(wav), text],
                           check=True)
            clips[i] = decode(wav, 3600).samples
        parts += [clips[i], np.zeros(int(0.5 * SAMPLE_RATE), np.float32)]
        total += clips[i].size + int(0.5 * SAMPLE_RATE)
        k += 1
    path = tmp / "call.wav"
    import wave

    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes((np.clip(np.concatenate(parts), -1, 1) * 32767).astype("<i2").tobytes())
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--model", default="whisper-base")
    parser.add_argument("--repeats", type=int, default=1, help="rounds of the three runs; medians are reported")
    args = parser.parse_args()

    from dataclasses import replace

    from transcripts.domain import Options
    from transcripts.pipeline import run_pipeline
    from transcripts.pipeline.asr import DecodeSettings, ModelCache
    from transcripts.redaction.audio import redact_audio
    from transcripts.settings import Settings

    settings = Settings()
    cache = ModelCache(settings.models_dir, settings.threads_per_worker)
    decode_settings = DecodeSettings.from_settings(settings)
    cache.get(args.model)
    started = time.perf_counter()
    cache.redactor()
    load_s = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as tmp:
        audio = build(args.minutes, Path(tmp))
        plain = Options(model=args.model, language="en")
        redacted = Options(model=args.model, language="en", redact=("pii", "phi", "pci"))

        warm = Path(tmp) / "turn0.wav"  # first calls pay one-off set-up; keep it out of both runs
        run_pipeline(warm, redacted, cache, decode_settings, 4 * 3600, lambda: False)

        redactor, label_s = cache.redactor(), [0.0]
        label = redactor.label

        def timed_label(*args, **kwargs):  # the analysis itself, apart from the transcription
            started = time.perf_counter()
            try:
                return label(*args, **kwargs)
            finally:
                label_s[0] += time.perf_counter() - started

        runs = {"plain": [], "timed": [], "pipeline": [], "labels": [], "audio": []}
        for round_ in range(args.repeats):  # the variants in turn, so drift on the machine hits all of them
            t = time.perf_counter()
            out_plain = run_pipeline(audio, plain, cache, decode_settings, 4 * 3600, lambda: False)
            runs["plain"].append(time.perf_counter() - t)
            t = time.perf_counter()
            run_pipeline(audio, replace(plain, word_timestamps=True), cache, decode_settings, 4 * 3600, lambda: False)
            runs["timed"].append(time.perf_counter() - t)
            redactor.label, label_s[0] = timed_label, 0.0
            t = time.perf_counter()
            out = run_pipeline(audio, redacted, cache, decode_settings, 4 * 3600, lambda: False)
            runs["pipeline"].append(time.perf_counter() - t)
            runs["labels"].append(label_s[0])
            redactor.label = label
            ranges = [(r["start"], r["end"]) for r in out.body.redactions]
            t = time.perf_counter()
            redact_audio(audio, Path(tmp) / "redacted.wav", ranges, "beep")
            runs["audio"].append(time.perf_counter() - t)
            print(f"round {round_ + 1}: plain {runs['plain'][-1]:.1f} s, word timestamps {runs['timed'][-1]:.1f} s, "
                  f"redacted {runs['pipeline'][-1] + runs['audio'][-1]:.1f} s", flush=True)
    plain_s, timed_s = median(runs["plain"]), median(runs["timed"])
    pipeline_s, audio_s = median(runs["pipeline"]), median(runs["audio"])
    label_s = [median(runs["labels"])]
    redacted_s = pipeline_s + audio_s
    words = len(out_plain.body.text.split())
    print(f"audio {out.duration:.0f} s, {words} words, {len(ranges)} redacted ranges, {args.model}, "
          f"{settings.threads_per_worker} threads")
    print(f"redaction engine load (once per worker, not counted): {load_s:.1f} s")
    print(f"{'run' + (f' (median of {args.repeats})' if args.repeats > 1 else ''):<44} {'seconds':>8}")
    print(f"{'plain (no redact, no word timestamps)':<44} {plain_s:>8.1f}")
    print(f"{'plain with word timestamps':<44} {timed_s:>8.1f}")
    print(f"{'redacted: pipeline (word times, labels)':<44} {pipeline_s:>8.1f}")
    print(f"{'  of which finding the entities':<44} {label_s[0]:>8.1f}")
    print(f"{'redacted: beeped copy of the recording':<44} {audio_s:>8.1f}")
    print(f"{'redacted: total':<44} {redacted_s:>8.1f}")
    print(f"redaction adds {100 * (redacted_s / plain_s - 1):+.1f}% to the job's wall time (target <= +10%); "
          f"{100 * (redacted_s / timed_s - 1):+.1f}% to a job that asked for word timestamps; "
          f"the redaction stages alone (entities + audio copy) are {100 * (label_s[0] + audio_s) / plain_s:.1f}% "
          f"of the plain job (run-to-run noise of the transcription on a shared machine is several %)")


if __name__ == "__main__":
    main()
