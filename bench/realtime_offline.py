"""The real-time session offline: where the finals' errors come from, without a server or pacing.

    .venv/bin/python bench/realtime_offline.py [--minutes 1] [--seed 16] [--voice-shift 0] [--show errors|all|none]
        [--cost 0.10,0.045] [--dump finals.json] [--sentences bench/realtime_sentences.txt]

`--seed 7 --voice-shift 2` is the held-out recording (README, runs F and H). With `--cost A,B`
each decode is charged A + B * its audio seconds on the virtual clock instead of its measured
compute, so runs on a shared machine give the same text (without it, the schedule, and so the
words, follow the load: identical runs differed by about 1 point).

Builds the same recording as bench/realtime.py (`--seed` and `--voice-shift` give a different
one: another order, and each sentence in another voice and speed), transcribes it once with
faster-whisper's `transcribe()` at the batch API's settings, then feeds it through
`streaming.Session` with the server's decoder, in 100 ms frames, as fast as the CPU allows. The
server's decode loop is replayed on a virtual clock: when a decode ends, the frames that arrived
meanwhile go into the next `process()` call, as `Connection._decode_loop` does with one decoder,
so each final's latency is estimated from the measured decode compute (not a real-time run:
bench/realtime.py is).

Prints per clip the reference, batch's and the finals' text when they differ, a count of the
finals' errors by kind, and WER of both, with the same normaliser (bench/realtime.py's `norm`)
on both sides. Session and decoder settings come from the same TRANSCRIPTS_REALTIME_* variables
as the server.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT / "functions"))
sys.path.insert(0, str(Path(__file__).parent))

import realtime as bench  # noqa: E402

FRAME = int(bench.RATE * bench.FRAME_S) * 2  # bytes


def load_model():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from faster_whisper import WhisperModel

    from transcripts.models import locate_weights
    from transcripts.settings import Settings

    settings = Settings()
    path = locate_weights("whisper-base", settings.models_dir, settings.models_root)
    model = WhisperModel(str(path), device="cpu", compute_type="int8", cpu_threads=os.cpu_count(), num_workers=1)
    return model, settings


def batch_words(model, audio):
    from transcripts.pipeline.asr import DecodeSettings

    segments, _ = model.transcribe(audio, language="en", word_timestamps=True, **DecodeSettings().kwargs())
    return [(w.word.strip(), float(w.start), float(w.end)) for s in segments for w in (s.words or [])]


def stream(model, settings, pcm: bytes, cost: tuple[float, float] | None = None):
    """(finals, estimated latencies, decode seconds, decoded seconds of audio): the server's decode
    loop on a virtual clock. With `cost` (a, b), each decode counts a + b * its audio seconds on
    that clock instead of its measured compute, so the schedule, and the text, do not depend on
    the machine's load (runs compared this way are repeatable)."""
    from transcripts.streaming.decoder import StreamDecoder
    from transcripts.streaming.session import Session, SessionConfig

    decoder = StreamDecoder(model, final_beam_size=settings.realtime_final_beam_size,
                            final_window_s=settings.realtime_final_window_s)
    compute, lengths, charged = [], [], []
    decode = decoder.decode

    def timed(audio, **k):
        t = time.perf_counter()
        try:
            return decode(audio, **k)
        finally:
            compute.append(time.perf_counter() - t)
            lengths.append(audio.size / bench.RATE)
            charged.append(cost[0] + cost[1] * lengths[-1] if cost else compute[-1])

    decoder.decode = timed
    config = SessionConfig(language="en", word_timestamps=True, step_s=settings.realtime_step_s,
                           min_silence_s=settings.realtime_min_silence_s, max_buffer_s=settings.realtime_max_buffer_s,
                           hold_s=settings.realtime_hold_s, context_s=settings.realtime_context_s,
                           match_text=settings.realtime_match_text, context_lead_s=settings.realtime_context_lead_s,
                           beam_size=settings.realtime_beam_size)
    session = Session(config, decoder)
    frames = [pcm[i:i + FRAME] for i in range(0, len(pcm), FRAME)]
    now, sent, latencies, finals = 0.0, 0, [], []
    while True:
        arrived = min(len(frames), int(now / bench.FRAME_S + 1e-9))
        end = arrived == len(frames)
        if arrived == sent and not end:
            now = (sent + 1) * bench.FRAME_S
            continue
        before = sum(charged)
        events = session.process(frames[sent:arrived], end=end)
        sent = arrived
        now += sum(charged) - before
        for e in events:
            if e["type"] == "final":
                finals.append(dict(e, sent_at=round(now, 3)))  # the virtual clock's time (--dump)
                latencies += [now - w["end"] for w in e["words"]]
        if end:
            return finals, latencies, compute, lengths


def assign(words, marks):
    """Words (text, start, end) per clip, by each word's end (a clip's first word often starts,
    by its alignment, in the pause before it)."""
    per = [[] for _ in marks]
    bounds = [0.0] + [end for end, _ in marks]
    i = 0
    for word in words:
        while i < len(marks) - 1 and word[2] > bounds[i + 1]:
            i += 1
        per[i].append(word)
    return per


def classify(ref: str, hyp_words, batch: str, seams: set[int]) -> Counter:
    """Kinds of the finals' errors in one clip: at the clip's edges, at a seam between two finals,
    shared with batch (the model's, not the streaming's), or elsewhere inside an utterance."""
    import jiwer

    kinds = Counter()
    hyp = bench.norm(" ".join(w[0] for w in hyp_words))
    r = bench.norm(ref)
    if not r or hyp == r:
        return kinds
    out = jiwer.process_words(r, hyp or "<empty>")
    batch_out = jiwer.process_words(r, bench.norm(batch) or "<empty>")
    batch_wrong = set()
    for chunk in batch_out.alignments[0]:
        if chunk.type != "equal":
            batch_wrong.update(range(chunk.ref_start_idx, max(chunk.ref_end_idx, chunk.ref_start_idx + 1)))
    # normalised hypothesis word index -> index of the final-event seam it follows
    n_ref = len(r.split())
    for chunk in out.alignments[0]:
        if chunk.type == "equal":
            continue
        count = max(chunk.ref_end_idx - chunk.ref_start_idx, chunk.hyp_end_idx - chunk.hyp_start_idx)
        refs = set(range(chunk.ref_start_idx, max(chunk.ref_end_idx, chunk.ref_start_idx + 1)))
        hyps = set(range(chunk.hyp_start_idx, max(chunk.hyp_end_idx, chunk.hyp_start_idx + 1)))
        if refs & batch_wrong:
            kind = "also in batch"
        elif chunk.ref_start_idx == 0 or chunk.ref_end_idx >= n_ref:
            kind = "clip edge"
        elif hyps & seams or {h + 1 for h in hyps} & seams:
            kind = "seam between finals"
        else:
            kind = "inside"
        kinds[f"{kind} ({chunk.type})"] += count
    return kinds


def confidence_split(reference: str, words: list[dict]) -> None:
    """How many of the finals' words are right and wrong at each confidence: whether a
    confidence-dependent wait could sort them."""
    import jiwer

    tokens, probs = [], []
    for w in words:
        for t in bench.norm(w["word"]).split():
            tokens.append(t)
            probs.append(w["confidence"])
    out = jiwer.process_words(bench.norm(reference), " ".join(tokens))
    wrong = set()
    for chunk in out.alignments[0]:
        if chunk.type in ("substitute", "insert"):
            wrong.update(range(chunk.hyp_start_idx, chunk.hyp_end_idx))
    edges = [0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 1.01]
    rows = []
    for lo, hi in zip(edges, edges[1:]):
        idx = [i for i, p in enumerate(probs) if lo <= p < hi]
        rows.append(f"[{lo:.1f},{min(hi, 1):.1f}): {sum(i in wrong for i in idx)} wrong / {len(idx)}")
    print("finals' words by confidence: " + "; ".join(rows))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--voice-shift", type=int, default=0)
    parser.add_argument("--show", choices=["errors", "all", "none"], default="errors")
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--dump", default="", help="write the reference, batch's text and the finals' here (JSON)")
    parser.add_argument("--sentences", type=Path, default=bench.SENTENCES_FILE,
                        help="sentence file the recording is built from, one a line (default: %(default)s)")
    parser.add_argument("--cost", default="", help="A,B: each decode takes A + B * audio seconds on the virtual "
                        "clock (repeatable runs on a shared machine; fit printed at the end of a run without it)")
    args = parser.parse_args()
    import jiwer
    import numpy as np

    if args.seed != 16 or args.voice_shift:
        bench.VOICES = bench.VOICES[args.voice_shift:] + bench.VOICES[:args.voice_shift]
        real_random = bench.random.Random
        bench.random.Random = lambda seed: real_random(args.seed)
    with tempfile.TemporaryDirectory(prefix="bench-rt-offline-") as tmp:
        pcm, marks = bench.build(args.minutes, Path(tmp), args.sentences)
    audio = np.frombuffer(pcm, "<i2").astype(np.float32) / 32768.0
    model, settings = load_model()
    reference = " ".join(t for _, t in marks)
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average {os.getloadavg()[0]:.2f}; "
          f"audio {audio.size / bench.RATE:.1f} s, {len(marks)} clips", flush=True)
    per_batch = [[] for _ in marks]
    if not args.skip_batch:
        t = time.perf_counter()
        text_key = "" if args.sentences.resolve() == bench.SENTENCES_FILE.resolve() else \
            "-" + hashlib.sha256(args.sentences.read_bytes()).hexdigest()[:12]  # another text: its own cache
        cache = Path(tempfile.gettempdir()) / \
            f"rt-offline-batch-{args.minutes}-{args.seed}-{args.voice_shift}{text_key}.json"
        if cache.exists():
            bw = [tuple(w) for w in json.loads(cache.read_text())]
        else:
            bw = batch_words(model, audio)
            cache.write_text(json.dumps(bw))
        per_batch = assign(bw, marks)
        batch_wer = jiwer.wer(bench.norm(reference), bench.norm(" ".join(w[0] for w in bw)))
        print(f"batch: WER {100 * batch_wer:.1f}% ({time.perf_counter() - t:.1f} s)", flush=True)
    t = time.perf_counter()
    cost = tuple(float(x) for x in args.cost.split(",")) if args.cost else None
    finals, latencies, compute, lengths = stream(model, settings, pcm, cost)
    wall = time.perf_counter() - t
    words = [(w["word"], w["start"], w["end"], n) for n, f in enumerate(finals) for w in f["words"]]
    per_clip = assign(words, marks)
    kinds = Counter()
    for (end, ref), hyp_words, b in zip(marks, per_clip, per_batch):
        batch_text = " ".join(w[0] for w in b)
        # seams: normalised word positions where a new final event begins (inside this clip)
        seams, position = set(), 0
        for k, w in enumerate(hyp_words):
            if k and w[3] != hyp_words[k - 1][3]:
                seams.add(position)
            position += len(bench.norm(w[0]).split())
        clip_kinds = classify(ref, hyp_words, batch_text, seams)
        kinds.update(clip_kinds)
        text = " | ".join(" ".join(w[0] for w in hyp_words if w[3] == n) for n in sorted({w[3] for w in hyp_words}))
        if args.show == "all" or (args.show == "errors" and clip_kinds):
            print(f"\n@{end:7.2f} REF   {ref}\n         BATCH {batch_text}\n         FINAL {text}\n         "
                  f"{dict(clip_kinds)}")
    confidence_split(reference, [w for f in finals for w in f["words"]])
    stream_text = " ".join(f["text"] for f in finals)
    if args.dump:
        Path(args.dump).write_text(json.dumps({"reference": reference, "batch": [w[0] for b in per_batch for w in b],
                                               "finals": finals}))
    stream_wer = jiwer.wer(bench.norm(reference), bench.norm(stream_text))
    print(f"\nerrors of the finals by kind (words): {dict(kinds.most_common())}")
    print(f"finals: {len(finals)} events; WER {100 * stream_wer:.1f}%"
          + ("" if args.skip_batch else f" vs batch {100 * batch_wer:.1f}% ({100 * (stream_wer - batch_wer):+.1f})"))
    print(f"decodes: {len(compute)}, {sum(compute):.1f} s compute for {audio.size / bench.RATE:.0f} s of audio "
          f"(median {statistics.median(compute):.3f} s, max {max(compute):.2f} s; streamed in {wall:.0f} s); "
          f"{sum(lengths):.0f} s of audio decoded (mean {statistics.mean(lengths):.1f} s a decode)")
    slope, intercept = np.polyfit(lengths, compute, 1)
    print(f"decode compute ~ {intercept:.3f} + {slope:.4f} * audio seconds (least squares; --cost "
          f"{intercept:.3f},{slope:.4f} replays this schedule)")
    q = statistics.quantiles(latencies, n=20)
    clock = f"--cost {args.cost}" if cost else "one session, this machine's decode speed"
    print(f"estimated final latency ({clock}): median "
          f"{statistics.median(latencies):.2f} s, p95 {q[18]:.2f} s, max {max(latencies):.2f} s; "
          f"load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
