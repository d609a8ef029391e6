"""Diarization on synthetic conversations with known turns: DER (no collar) and word-level
speaker attribution through the whole pipeline (ASR + diarization + assignment).

    .venv/bin/python bench/diarization.py [--quick]

Conversations: espeak-ng voices taking turns (2 and 3 speakers; 1.5 and 7 minutes), 0.3-0.9 s
between turns. Targets on the 2-speaker files: DER <= 6%, word attribution >= 95%.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from itertools import permutations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from rtf import SENTENCES  # noqa: E402

VOICES = ["en-us+m3", "en+f3", "en-gb-x-rp+m7"]


def build(speakers: int, minutes: float, tmp: Path, seed: int):
    import numpy as np

    from transcripts.pipeline.decode import SAMPLE_RATE, decode

    rng = random.Random(seed)
    parts, turns, t, i = [], [], 0.0, 0
    previous = None
    while t < minutes * 60:
        speaker = rng.choice([s for s in range(speakers) if s != previous])
        previous = speaker
        wav = tmp / f"t{i}.wav"
        text = SENTENCES[rng.randrange(len(SENTENCES))]
        subprocess.run(["espeak-ng", "-v", VOICES[speaker], "-s", "150", "-w", str(wav), text], check=True)
        samples = decode(wav, 600).samples
        gap = np.zeros(int(rng.uniform(0.3, 0.9) * SAMPLE_RATE), np.float32)
        # The reference turn is the voiced part of the clip (espeak pads its output with silence).
        voiced = np.flatnonzero(np.abs(samples) > 0.01)
        turns.append((t + voiced[0] / SAMPLE_RATE, t + (voiced[-1] + 1) / SAMPLE_RATE, speaker))
        parts += [samples, gap]
        t += (samples.size + gap.size) / SAMPLE_RATE
        i += 1
    return np.concatenate(parts), turns


def der(turns, result) -> float:
    from pyannote.core import Annotation, Segment
    from pyannote.metrics.diarization import DiarizationErrorRate

    ref, hyp = Annotation(), Annotation()
    for a, b, s in turns:
        ref[Segment(a, b)] = f"ref{s}"
    for turn in result.turns:
        hyp[Segment(turn.start, turn.end)] = turn.speaker
    return DiarizationErrorRate(collar=0.0)(ref, hyp)


def word_accuracy(turns, utterances, speakers: int) -> float:
    """Share of words whose speaker matches the truth, under the best speaker numbering."""
    pairs = []
    for u in utterances:
        n = len(u["text"].split())
        mid = (u["start"] + u["end"]) / 2
        truth = min(turns, key=lambda t: 0 if t[0] <= mid <= t[1] else min(abs(mid - t[0]), abs(mid - t[1])))[2]
        pairs.append((u["speaker"], truth, n))
    total = sum(n for _, _, n in pairs)
    labels = sorted({p for p, _, _ in pairs})
    best = 0
    for perm in permutations(range(max(speakers, len(labels))), len(labels)):
        mapping = dict(zip(labels, perm))
        best = max(best, sum(n for p, t, n in pairs if mapping[p] == t))
    return best / total if total else 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="only the 1.5-minute conversations")
    args = parser.parse_args()

    import wave

    from transcripts.domain import Options
    from transcripts.pipeline import run_pipeline
    from transcripts.pipeline.asr import DecodeSettings, ModelCache
    from transcripts.pipeline.decode import SAMPLE_RATE
    from transcripts.pipeline.pyannote_compat import import_torchaudio
    from transcripts.settings import Settings

    import_torchaudio()
    settings = Settings()
    cache = ModelCache(settings.models_dir, settings.threads_per_worker)
    decode_settings = DecodeSettings.from_settings(settings)
    diarizer = cache.diarizer(decode_settings.diarization_step, decode_settings.diarization_threshold)
    cases = [(2, 1.5), (3, 1.5)] + ([] if args.quick else [(2, 7.0), (3, 7.0)])
    print(f"{'speakers':>8} {'minutes':>7} {'DER %':>6} {'words right %':>13} {'diar. RTF':>9} {'speakers found':>14}")
    for speakers, minutes in cases:
        with tempfile.TemporaryDirectory() as tmp:
            audio, turns = build(speakers, minutes, Path(tmp), seed=speakers * 100 + int(minutes))
            t = time.perf_counter()
            result = diarizer.diarize(audio)
            diar_s = time.perf_counter() - t
            path = Path(tmp) / "conv.wav"
            with wave.open(str(path), "wb") as w:
                w.setnchannels(1)
                w.setsampwidth(2)
                w.setframerate(SAMPLE_RATE)
                w.writeframes((audio.clip(-1, 1) * 32767).astype("<i2").tobytes())
            out = run_pipeline(path, Options(model="whisper-base", language="en", diarize=True), cache,
                               decode_settings, 24 * 3600, lambda: False)
        seconds = audio.size / SAMPLE_RATE
        print(f"{speakers:>8} {minutes:>7} {100 * der(turns, result):>6.2f} "
              f"{100 * word_accuracy(turns, out.body.utterances, speakers):>13.1f} {diar_s / seconds:>9.3f} "
              f"{len({t.speaker for t in result.turns}):>14}")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB (ASR + diarization, one process)")


if __name__ == "__main__":
    main()
