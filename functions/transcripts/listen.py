"""`transcripts listen FILE|-`: stream a recording (or raw PCM from stdin, e.g. `arecord -f S16_LE
-r 16000 -c 1 -t raw | transcripts listen -`) to the real-time WebSocket at real-time pace and
print partials and finals as they come."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlencode

CHUNK_S = 0.1


def file_pcm(path: Path, rate: int) -> Iterator[bytes]:
    """Any recording PyAV reads, as s16le mono at `rate`."""
    import av

    with av.open(str(path)) as container:
        resampler = av.AudioResampler(format="s16", layout="mono", rate=rate)
        for frame in container.decode(audio=0):
            for out in resampler.resample(frame):
                yield out.to_ndarray().tobytes()
        for out in resampler.resample(None):
            yield out.to_ndarray().tobytes()


def stdin_pcm() -> Iterator[bytes]:
    while chunk := sys.stdin.buffer.read(3200):
        yield chunk


async def paced(source: Iterator[bytes], rate: int, speed: float) -> AsyncIterator[bytes]:
    """Chunks of CHUNK_S seconds, sent no faster than `speed` times real time (0: at once)."""
    size = int(rate * CHUNK_S) * 2
    buffer, sent, started = b"", 0, time.monotonic()
    for data in source:
        buffer += data
        while len(buffer) >= size:
            chunk, buffer = buffer[:size], buffer[size:]
            yield chunk
            sent += len(chunk)
            if speed > 0:
                ahead = sent / (2 * rate) / speed - (time.monotonic() - started)
                if ahead > 0:
                    await asyncio.sleep(ahead)
            else:
                await asyncio.sleep(0)
    if buffer:
        yield buffer


def stream_url(base: str, params: dict) -> str:
    base = base.rstrip("/")
    if base.startswith("http"):
        base = "ws" + base[4:]
    query = urlencode([(k, v) for k, vs in params.items() for v in (vs if isinstance(vs, list) else [vs])
                       if v is not None])
    return f"{base}/v1/audio/transcriptions" + (f"?{query}" if query else "")


async def listen(url: str, key: str | None, chunks: AsyncIterator[bytes], out=print) -> dict | None:
    """Send the chunks then `{"type": "end"}`; call `out` with each event; return `done`."""
    import websockets

    headers = {"Authorization": f"Bearer {key}"} if key else None
    async with websockets.connect(url, additional_headers=headers, max_size=None) as ws:
        async def send():
            async for chunk in chunks:
                await ws.send(chunk)
            await ws.send(json.dumps({"type": "end"}))

        sender = asyncio.create_task(send())
        done = None
        try:
            while True:  # until the server closes, whatever the close code (errors come as events first)
                event = json.loads(await ws.recv())
                out(event)
                if event["type"] == "done":
                    done = event
        except websockets.ConnectionClosed:
            pass
        finally:
            sender.cancel()
        return done


def printer(tty: bool):
    def show(event: dict) -> None:
        kind = event["type"]
        if kind == "partial":
            if tty:
                sys.stdout.write(f"\r\033[K… {event['text']}")
                sys.stdout.flush()
            else:
                print(f"partial [{event['start']:.2f}] {event['text']}", flush=True)
        elif kind == "final":
            prefix = "\r\033[K" if tty else ""
            print(f"{prefix}final   [{event['start']:.2f}-{event['end']:.2f}] {event['text']}", flush=True)
        elif kind == "error":
            print(f"error   {event['code']}: {event['message']}", file=sys.stderr, flush=True)
        elif kind == "done":
            extra = f" transcript_id={event['transcript_id']}" if event.get("transcript_id") else ""
            print(f"done    {event['duration']:.1f} s{extra}", flush=True)

    return show
