"""Pipeline overhead: our pipeline vs bare faster-whisper, same audio, model and settings.

Each variant runs in its own subprocess (so peak RSS is its own), alternating, `--repeats`
times; the medians are compared. Real-time factor (RTF) = processing seconds / audio seconds
(lower is faster). Target: the pipeline adds at most 10% to bare faster-whisper's time.

    .venv/bin/python bench/rtf.py [--minutes 3] [--repeats 3] [--word-timestamps]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

SAMPLE = Path(__file__).parents[1] / "functions" / "transcripts" / "samples" / "jfk.ogg"


SENTENCES = [
    "Thank you for calling the billing department, this is Jordan speaking.",
    "I am calling because my last invoice was higher than I expected.",
    "Could you give me the reference number printed at the top of the letter?",
    "The meeting has been moved to Thursday afternoon at three o'clock.",
    "Our quarterly revenue grew by twelve percent compared with last year.",
    "Please remember to bring your identification card to the appointment.",
    "The weather forecast says it will rain heavily over the weekend.",
    "We shipped the replacement part yesterday and it should arrive on Monday.",
    "The doctor asked me to take the medicine twice a day with food.",
    "I would like to cancel my subscription at the end of this month.",
    "The train to the airport leaves every twenty minutes from platform four.",
    "Can you confirm the delivery address before I place the order?",
    "Our engineers are investigating the outage and will post an update soon.",
    "The library closes early on public holidays and reopens the next morning.",
    "He explained the new safety rules to everyone working on the site.",
    "If the problem continues, restart the router and wait two minutes.",
]
VOICES = ["en-us", "en", "en-us+m3", "en+f2"]


def make_audio(minutes: float, out: Path) -> float:
    """Varied speech: the bundled real recording and distinct espeak-ng sentences, with
    pauses, as 16 kHz WAV. (Repeating one clip makes Whisper fall back to sampling, which
    is random and swamps what we measure.)"""
    import numpy as np

    from transcripts.pipeline.decode import SAMPLE_RATE, decode

    clips = [decode(SAMPLE, 3600).samples]
    with tempfile.TemporaryDirectory() as tmp:
        for i, sentence in enumerate(SENTENCES):
            wav = Path(tmp) / f"s{i}.wav"
            subprocess.run(["espeak-ng", "-v", VOICES[i % len(VOICES)], "-s", str(140 + 7 * (i % 5)),
                            "-w", str(wav), sentence], check=True)
            clips.append(decode(wav, 3600).samples)
    gap = np.zeros(int(1.2 * SAMPLE_RATE), np.float32)
    parts, total, i = [], 0, 0
    while total < minutes * 60 * SAMPLE_RATE:
        clip = clips[i % len(clips)]
        parts += [clip, gap]
        total += clip.size + gap.size
        i += 1
    audio = np.concatenate(parts)
    with wave.open(str(out), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes((np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes())
    return audio.size / SAMPLE_RATE


CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from transcripts.pipeline.asr import DecodeSettings, ModelCache
from transcripts.settings import Settings

variant, path, word_ts = sys.argv[1], Path(sys.argv[2]), sys.argv[3] == "1"
settings = Settings()
cache = ModelCache(settings.models_dir, settings.threads_per_worker)
model = cache.get("whisper-base")  # loaded before timing, as a warm worker has it
decode_settings = DecodeSettings.from_settings(settings)
t0 = time.perf_counter()
if variant == "bare":
    from faster_whisper import decode_audio
    segments, info = model.model.transcribe(decode_audio(str(path)), word_timestamps=word_ts,
                                            **decode_settings.kwargs())
    text = " ".join(s.text.strip() for s in segments)
else:
    from transcripts.domain import Options
    from transcripts.pipeline import run_pipeline
    out = run_pipeline(path, Options(model="whisper-base", word_timestamps=word_ts), cache, decode_settings,
                       24 * 3600, should_cancel=lambda: False)
    text = out.body.text
elapsed = time.perf_counter() - t0
print(json.dumps({"seconds": elapsed, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "words": len(text.split())}))
"""


def run_child(variant: str, path: Path, word_ts: bool) -> dict:
    out = subprocess.check_output([sys.executable, "-c", CHILD, variant, str(path), "1" if word_ts else "0"])
    return json.loads(out.decode().strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--word-timestamps", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.wav"
        duration = make_audio(args.minutes, path)
        runs: dict[str, list[dict]] = {"bare": [], "pipeline": []}
        for _ in range(args.repeats):
            for variant in runs:
                runs[variant].append(run_child(variant, path, args.word_timestamps))

    print(f"audio: {duration:.1f} s (bundled real recording + espeak-ng sentences); model whisper-base int8 CPU; "
          f"word_timestamps={args.word_timestamps}; repeats={args.repeats}")
    print(f"{'variant':<10} {'median s':>9} {'RTF':>7} {'x realtime':>10} {'peak RSS MB':>12} {'words':>6}")
    med = {}
    for variant, results in runs.items():
        med[variant] = statistics.median(r["seconds"] for r in results)
        rss = max(r["peak_rss_mb"] for r in results)
        print(f"{variant:<10} {med[variant]:>9.2f} {med[variant] / duration:>7.3f} {duration / med[variant]:>10.1f} "
              f"{rss:>12.0f} {results[0]['words']:>6}")
    ratio = med["pipeline"] / med["bare"]
    print(f"pipeline / bare time ratio: {ratio:.3f} (overhead {100 * (ratio - 1):+.1f}%; target <= +10%)")


if __name__ == "__main__":
    main()
