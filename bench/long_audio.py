"""Long audio: clips cut in pauses and decoded in batches vs plain sequential decoding, on the
same CPU in one run, with both word error rates against the known text.

    .venv/bin/python bench/long_audio.py [--minutes 8] [--batch-size 8] [--model whisper-base] [--repeats 3]

The audio is the bundled real recording (JFK) and 16 distinct espeak-ng sentences in four
voices, in a shuffled order with 0.4-1.5 s pauses, so chunk joins fall in natural places.
Also shown: faster-whisper's own batched chunking on the same audio (its VAD glues speech
and forces cuts inside long speech) to show what the pause-aware clips fix.
Target: batched >= 2x faster than sequential, WER at most 0.5 points higher.
With --repeats N the variants run in turn N times and the median time of each is shown (on a
shared 2-core machine one run of the same decode varies by up to a third).
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(Path(__file__).parent))

from rtf import SAMPLE, SENTENCES, VOICES  # noqa: E402

JFK_TEXT = ("And so my fellow Americans, ask not what your country can do for you, "
            "ask what you can do for your country.")


def build(minutes: float, tmp: Path):
    import numpy as np

    from transcripts.pipeline.decode import SAMPLE_RATE, decode

    clips = [(decode(SAMPLE, 3600).samples, JFK_TEXT)]
    for i, sentence in enumerate(SENTENCES):
        wav = tmp / f"s{i}.wav"
        subprocess.run(["espeak-ng", "-v", VOICES[i % len(VOICES)], "-s", str(140 + 7 * (i % 5)), "-w", str(wav),
                        sentence], check=True)
        clips.append((decode(wav, 3600).samples, sentence))
    rng = random.Random(7)
    parts, texts, total = [], [], 0
    while total < minutes * 60 * SAMPLE_RATE:
        order = list(range(len(clips)))
        rng.shuffle(order)
        for i in order:
            samples, text = clips[i]
            gap = np.zeros(int(rng.uniform(0.4, 1.5) * SAMPLE_RATE), np.float32)
            parts += [samples, gap]
            texts.append(text)
            total += samples.size + gap.size
    return np.concatenate(parts), " ".join(texts)


def wer(reference: str, hypothesis: str) -> float:
    import jiwer

    norm = jiwer.Compose([jiwer.ToLowerCase(), jiwer.RemovePunctuation(), jiwer.RemoveMultipleSpaces(), jiwer.Strip()])
    return jiwer.wer(norm(reference), norm(hypothesis))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=8.0)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--model", default="whisper-base")
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()

    from dataclasses import replace

    from faster_whisper import BatchedInferencePipeline

    from transcripts.domain import Options
    from transcripts.pipeline import transcribe_windows
    from transcripts.pipeline.asr import DecodeSettings, ModelCache
    from transcripts.settings import Settings

    settings = Settings()
    cache = ModelCache(settings.models_dir, settings.threads_per_worker)
    backend = cache.get(args.model)
    base = DecodeSettings.from_settings(settings)
    with tempfile.TemporaryDirectory() as tmp:
        audio, reference = build(args.minutes, Path(tmp))
    seconds = audio.size / 16000
    options = Options(model=args.model, language="en")

    def sequential():
        return " ".join(s.text for s in transcribe_windows(
            audio, options, cache, replace(base, batch_size=0), lambda: False).segments)

    def pause_aware():
        return " ".join(s.text for s in transcribe_windows(
            audio, options, cache, replace(base, batch_size=args.batch_size), lambda: False).segments)

    def fw_default():
        segs, _ = BatchedInferencePipeline(backend.model).transcribe(
            audio, language="en", batch_size=args.batch_size, beam_size=base.beam_size,
            vad_parameters={"threshold": base.vad_threshold})
        return " ".join(s.text.strip() for s in segs)

    variants = [("sequential", sequential),
                (f"batched, pause-aware clips (batch {args.batch_size})", pause_aware),
                (f"batched, faster-whisper's chunking (batch {args.batch_size})", fw_default)]
    times = {name: [] for name, _ in variants}
    errors = {}
    for _ in range(args.repeats):  # in turn, so a slow spell of the machine hits every variant
        for name, fn in variants:
            t = time.perf_counter()
            text = fn()
            times[name].append(time.perf_counter() - t)
            errors[name] = wer(reference, text)
    rows = [(name, statistics.median(times[name]), errors[name]) for name, _ in variants]

    print(f"audio {seconds:.0f} s ({len(reference.split())} words), {args.model}, CPU int8, "
          f"{settings.threads_per_worker} threads")
    print(f"{'variant':<48} {'seconds':>8} {'x realtime':>10} {'WER %':>6}  runs (s)")
    for name, elapsed, error in rows:
        runs = " ".join(f"{t:.1f}" for t in times[name])
        print(f"{name:<48} {elapsed:>8.1f} {seconds / elapsed:>10.1f} {100 * error:>6.2f}  {runs}")
    seq, ours = rows[0], rows[1]
    print(f"pause-aware batched vs sequential: {seq[1] / ours[1]:.2f}x faster, "
          f"WER {100 * (ours[2] - seq[2]):+.2f} points (target >= 2x, <= +0.5)")
    if args.repeats > 1:
        name_seq, name_ours = variants[0][0], variants[1][0]
        pairs = [a / b for a, b in zip(times[name_seq], times[name_ours])]
        print(f"per round: {' '.join(f'{r:.2f}x' for r in pairs)}; fastest vs fastest "
              f"{min(times[name_seq]) / min(times[name_ours]):.2f}x")


if __name__ == "__main__":
    main()
