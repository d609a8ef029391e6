"""One WebSocket connection, once accepted: frames in, events out, limits enforced.

Two tasks share the session: a reader that takes frames (and notices the end, a bad frame, an
idle client or the session's limit), and the decode loop, which hands the frames that came in
meanwhile to `Session.process` in the decoder's thread pool, so the event loop never waits on
the model. Every way a session ends sends, in order: the `error` event (if any), the last
finals, `done`, and a close with the code the README lists.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass

log = logging.getLogger(__name__)

# Close codes (RFC 6455) for each way a session ends.
NORMAL, POLICY, UNSUPPORTED, TOO_BIG, INTERNAL = 1000, 1008, 1003, 1009, 1011
CLOSE_CODES = {"idle_timeout": POLICY, "session_too_long": POLICY, "invalid_message": UNSUPPORTED,
               "frame_too_large": TOO_BIG, "internal_error": INTERNAL}


@dataclass
class Ending:
    code: str | None = None  # the error's code; None: the client sent {"type": "end"}
    message: str = ""
    gone: bool = False  # the client disconnected: nothing more can be sent


class Connection:
    def __init__(self, websocket, session, limits, executor):
        self.ws = websocket
        self.session = session
        self.limits = limits
        self.executor = executor
        self.inbox: list[bytes] = []
        self.wake = asyncio.Event()
        self.ending: Ending | None = None
        self.started = time.monotonic()
        self.audio_bytes = 0

    async def run(self, finish) -> Ending:
        """`finish(session)` runs (in a thread) after the last finals, before `done`, and
        returns the transcript id or None (save=true)."""
        reader = asyncio.create_task(self._read())
        try:
            await self._decode_loop()
        finally:
            reader.cancel()
        ending = self.ending
        if ending.gone:
            return ending
        transcript_id = await asyncio.get_running_loop().run_in_executor(None, finish, self.session)
        await self._send(self.session.done(transcript_id))
        await self.ws.close(CLOSE_CODES.get(ending.code, NORMAL), ending.code or "")
        return ending

    # ---- reading -----------------------------------------------------------------------------
    def _end(self, ending: Ending) -> None:
        if self.ending is None:
            self.ending = ending
        self.wake.set()

    def _rate_bytes(self) -> float:
        return self.session.config.sample_rate * 2

    async def _read(self) -> None:
        while self.ending is None:
            left = self.limits.max_session_s - (time.monotonic() - self.started)
            try:
                msg = await asyncio.wait_for(self.ws.receive(), timeout=max(0.0, min(self.limits.idle_timeout_s, left)))
            except TimeoutError:
                if time.monotonic() - self.started >= self.limits.max_session_s:
                    return self._end(Ending("session_too_long", f"sessions last at most "
                                            f"{self.limits.max_session_s:g} s"))
                return self._end(Ending("idle_timeout", f"no audio for {self.limits.idle_timeout_s:g} s"))
            if msg["type"] == "websocket.disconnect":
                return self._end(Ending(gone=True))
            data, text = msg.get("bytes"), msg.get("text")
            if data is not None:
                if len(data) > self.limits.max_frame_bytes:
                    return self._end(Ending("frame_too_large", f"a frame of {len(data)} bytes is over the limit "
                                            f"of {self.limits.max_frame_bytes}"))
                self.audio_bytes += len(data)
                if self.audio_bytes / self._rate_bytes() > self.limits.max_session_s:
                    return self._end(Ending("session_too_long", f"sessions hold at most "
                                            f"{self.limits.max_session_s:g} s of audio"))
                self.inbox.append(data)
                self.wake.set()
            elif text is not None:
                try:
                    message = json.loads(text)
                except ValueError:
                    message = None
                if isinstance(message, dict) and message.get("type") == "end":
                    return self._end(Ending())
                return self._end(Ending("invalid_message", 'text frames must be {"type": "end"}; '
                                        "audio goes in binary frames"))

    # ---- decoding ----------------------------------------------------------------------------
    async def _decode_loop(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self.wake.wait()
            self.wake.clear()
            ending = self.ending
            if ending is not None and ending.gone:
                return
            frames, self.inbox = self.inbox, []
            if ending is not None and ending.code is not None:
                await self._send({"type": "error", "code": ending.code, "message": ending.message})
            try:
                events = await loop.run_in_executor(self.executor, self.session.process, frames, ending is not None)
            except Exception:
                log.exception("real-time decode failed")
                self.ending = ending = Ending("internal_error", "decoding failed") if ending is None else ending
                if ending.code == "internal_error":
                    await self._send({"type": "error", "code": ending.code, "message": ending.message})
                return
            for event in events:
                await self._send(event)
            if ending is not None:
                return
            if self.inbox:
                self.wake.set()

    async def _send(self, event: dict) -> None:
        try:
            await self.ws.send_text(json.dumps(event))
        except Exception:  # the client went away mid-send
            self._end(Ending(gone=True))
            self.ending.gone = True
