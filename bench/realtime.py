"""Real-time transcription over the WebSocket, measured against the real server.

    PYTHONPATH=functions .venv/bin/python bench/realtime.py [--minutes 5] [--levels 2,3] [--excerpt-s 60]
        [--sentences bench/realtime_sentences.txt]

(the server is `python -m transcripts.cli`: without PYTHONPATH it runs the installed package,
which may be another checkout's code)

Builds a recording of at least `--minutes` (the bundled JFK recording and the distinct
sentences of bench/realtime_sentences.txt, or of `--sentences FILE`, in five espeak-ng voices
and speeds, shuffled, with 0.4-1.2 s pauses), starts `transcripts serve`, and:
1. transcribes it once with the batch API (POST /v1/transcripts), for the WER to compare with;
2. streams it over one WebSocket at real-time pace (100 ms frames) and prints the latency from
   each word's end in the audio (its time in the final event) to the arrival of that final
   (median, p95, and median of the first and last thirds: growth means falling behind), the
   partial cadence, the finals' WER next to batch's, and the server's CPU use;
3. streams the first `--excerpt-s` seconds over 2, 3, ... simultaneous sessions and says how
   many hold (median <= 2.0 s, p95 <= 3.5 s, no growth).
Targets (issue 16, 2 cores, whisper-base): median <= 2.0 s, p95 <= 3.5 s, WER within 2 points
of batch, two simultaneous sessions.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "functions"))

from helpers import Client, Server  # noqa: E402

SENTENCES_FILE = Path(__file__).parent / "realtime_sentences.txt"


def load_sentences(path: Path) -> list[str]:
    """One sentence a line (blank lines skipped): the text a recording is built from."""
    return [s.strip() for s in Path(path).read_text().splitlines() if s.strip()]


VOICES = ["en-us", "en", "en-us+m3", "en+f2", "en-gb-x-rp"]
JFK = ROOT / "functions" / "transcripts" / "samples" / "jfk.ogg"
JFK_TEXT = ("And so my fellow Americans, ask not what your country can do for you, "
            "ask what you can do for your country.")
RATE = 16_000
FRAME_S = 0.1
TARGET_MEDIAN, TARGET_P95 = 2.0, 3.5


NUMBERS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
           "sixteen seventeen eighteen nineteen twenty").split()


ORDINALS = ("zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
            "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth").split()


def norm(text: str) -> str:
    """Lower case, no punctuation, and 0-20 as words (both decoders write "2 hours" and "two
    hours" at times; the reference spells them), ordinals too ("3rd floor"), a range of
    digits as "to" ("3-5 days": the reference says "three to five"), and a one-letter prefix
    joined ("e-mail": the reference writes "email"). The same on both sides."""
    text = re.sub(r"\b(\d+) ?- ?(\d+)\b",
                  lambda m: f"{m[1]} to {m[2]}" if int(m[1]) < int(m[2]) <= 20 else m[0], text.lower())
    text = re.sub(r"\b([a-z]) ?- ?([a-z]{2,})\b", r"\1\2", text)  # "e-mail", "e -mail": "email"
    text = re.sub(r"\b(\d+)(?:st|nd|rd|th)\b", lambda m: ORDINALS[int(m[1])] if int(m[1]) <= 20 else m[0], text)
    words = re.sub(r"[^a-z0-9' ]", " ", text.replace("-", " ")).split()
    return " ".join(NUMBERS[int(w)] if w.isdigit() and int(w) <= 20 else w for w in words)


def build(minutes: float, tmp: Path, sentences_file: Path = SENTENCES_FILE):
    """(16 kHz s16le PCM, [(end_s, text)] per clip) of at least `minutes`, from the sentences of
    `sentences_file` (and the JFK recording)."""
    import numpy as np

    from transcripts.pipeline.decode import decode

    clips = [(decode(JFK, 3600).samples, JFK_TEXT)]
    for i, sentence in enumerate(load_sentences(sentences_file)):
        wav = tmp / f"s{i}.wav"
        subprocess.run(["espeak-ng", "-v", VOICES[i % len(VOICES)], "-s", str(140 + 8 * (i % 4)), "-w", str(wav),
                        sentence], check=True)
        clips.append((decode(wav, 3600).samples, sentence))
    rng = random.Random(16)
    parts, marks, total = [np.zeros(int(0.5 * RATE), np.float32)], [], int(0.5 * RATE)
    while total < minutes * 60 * RATE:
        order = list(range(len(clips)))
        rng.shuffle(order)
        for i in order:
            samples, text = clips[i]
            pause = np.zeros(int(rng.uniform(0.4, 1.2) * RATE), np.float32)
            parts += [samples, pause]
            total += samples.size + pause.size
            marks.append((total / RATE, text))
    audio = np.concatenate(parts)
    return (np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes(), marks


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def stream(url: str, key: str, pcm: bytes) -> dict:
    import websockets

    timed = []
    async with websockets.connect(url, additional_headers={"Authorization": f"Bearer {key}"}, max_size=None) as ws:
        started = time.monotonic()

        async def send():
            size = int(RATE * FRAME_S) * 2
            for n, i in enumerate(range(0, len(pcm), size)):
                await ws.send(pcm[i:i + size])
                await asyncio.sleep(max(0.0, started + (n + 1) * FRAME_S - time.monotonic()))
            await ws.send(json.dumps({"type": "end"}))

        sender = asyncio.create_task(send())
        async for message in ws:
            timed.append((time.monotonic() - started, json.loads(message)))
        await sender
    return {"timed": timed}


def measure(result: dict, reference: str) -> dict:
    finals = [(t, e) for t, e in result["timed"] if e["type"] == "final"]
    latencies = [(w["end"], t - w["end"]) for t, e in finals for w in e["words"]]
    lat = [x for _, x in latencies]
    third = max(1, len(lat) // 3)
    partial_times = [t for t, e in result["timed"] if e["type"] == "partial"]
    gaps = [b - a for a, b in zip(partial_times, partial_times[1:]) if b - a < 2.0]  # within speech
    text = " ".join(e["text"] for _, e in finals)
    import jiwer

    return {
        "words": len(lat), "median": statistics.median(lat), "p95": statistics.quantiles(lat, n=20)[18],
        "max": max(lat), "first_third": statistics.median(lat[:third]), "last_third": statistics.median(lat[-third:]),
        "partials": len(partial_times), "partial_gap": statistics.median(gaps) if gaps else float("nan"),
        "wer": jiwer.wer(norm(reference), norm(text)),
    }


def holds(m: dict) -> bool:
    return m["median"] <= TARGET_MEDIAN and m["p95"] <= TARGET_P95 and m["last_third"] <= m["first_third"] + 0.5


def show(label: str, m: dict) -> None:
    print(f"{label}: final latency median {m['median']:.2f} s, p95 {m['p95']:.2f} s, max {m['max']:.2f} s "
          f"(first third {m['first_third']:.2f} s, last third {m['last_third']:.2f} s; {m['words']} words); "
          f"partials {m['partials']}, median gap {m['partial_gap']:.2f} s; WER {100 * m['wer']:.1f}%", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--levels", default="2,3", help="simultaneous sessions to try on the excerpt")
    parser.add_argument("--excerpt-s", type=float, default=60.0)
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--sentences", type=Path, default=SENTENCES_FILE,
                        help="sentence file the recording is built from, one a line (default: %(default)s)")
    args = parser.parse_args()
    import jiwer

    with tempfile.TemporaryDirectory(prefix="bench-realtime-") as tmp:
        tmp = Path(tmp)
        pcm, marks = build(args.minutes, tmp, args.sentences)
        duration = len(pcm) / 2 / RATE
        reference = " ".join(text for _, text in marks)
        wav = tmp / "recording.wav"
        from transcripts.streaming.save import wav_bytes

        wav.write_bytes(wav_bytes(pcm))
        env = {"TRANSCRIPTS_REALTIME_MAX_SESSIONS_PER_KEY": "16", "TRANSCRIPTS_WORKERS": "1"}
        server = Server(tmp / "data", env).start()
        try:
            key = server.create_key()["api_key"]
            url = server.url.replace("http", "ws") + "/v1/audio/transcriptions?language=en&word_timestamps=true"
            load = os.getloadavg()
            print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} cores; load average "
                  f"before: {load[0]:.2f}; audio {duration:.1f} s, {len(marks)} clips; whisper-base int8 CPU", flush=True)
            batch_wer = None
            if not args.skip_batch:
                started = time.monotonic()
                client = Client(server.url, key)
                job = client.wait(client.upload(wav, language="en").json()["id"], timeout=1800)
                batch_wer = jiwer.wer(norm(reference), norm(job["text"] or ""))
                print(f"batch: {time.monotonic() - started:.1f} s, WER {100 * batch_wer:.1f}%", flush=True)
            cpu0, wall0 = cpu_seconds(server.proc.pid), time.monotonic()
            one = asyncio.run(stream(url, key, pcm))
            cpu = (cpu_seconds(server.proc.pid) - cpu0) / (time.monotonic() - wall0)
            m = measure(one, reference)
            show("1 session, whole recording", m)
            print(f"server CPU while streaming: {cpu:.2f} cores of {os.cpu_count()} "
                  f"({100 * cpu / os.cpu_count():.0f}%)", flush=True)
            if batch_wer is not None:
                print(f"WER finals {100 * m['wer']:.1f}% vs batch {100 * batch_wer:.1f}% "
                      f"({100 * (m['wer'] - batch_wer):+.1f} points)", flush=True)
            cut = max(i for i, (end, _) in enumerate(marks) if end <= args.excerpt_s) + 1
            excerpt = pcm[:int(marks[cut - 1][0] * RATE) * 2]
            excerpt_ref = " ".join(text for _, text in marks[:cut])
            held = 1 if holds(m) else 0
            for level in [int(x) for x in args.levels.split(",") if x]:
                cpu0, wall0 = cpu_seconds(server.proc.pid), time.monotonic()

                async def many():
                    return await asyncio.gather(*(stream(url, key, excerpt) for _ in range(level)))

                results = asyncio.run(many())
                cpu = (cpu_seconds(server.proc.pid) - cpu0) / (time.monotonic() - wall0)
                ms = [measure(r, excerpt_ref) for r in results]
                for i, mi in enumerate(ms):
                    show(f"{level} sessions, excerpt {len(excerpt) / 2 / RATE:.0f} s, session {i + 1}", mi)
                ok = all(holds(mi) for mi in ms)
                print(f"{level} sessions: server CPU {cpu:.2f} cores; {'hold' if ok else 'fall behind'}", flush=True)
                if ok and held == level - 1:
                    held = level
            print(f"simultaneous sessions that hold: {held}; load average after: {os.getloadavg()[0]:.2f}")
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
