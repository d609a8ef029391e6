"""EventPublisher of the embedded default: a durable outbox in SQLite and one sender thread.

A published event with a `webhook_url` becomes a delivery row before `publish` returns, so a
restart loses nothing: the sender picks up every pending row where it left off. The message
body is rendered at send time from the transcript as it is then; a transcript deleted in the
meantime cancels its deliveries instead of sending its text.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from ..outbound import OutboundClient
from ..ports import EventPublisher, KeyStore, TranscriptEvent
from ..webhooks.delivery import message_id
from ..webhooks.process import deliver_step
from .sqlite_db import Database

log = logging.getLogger(__name__)

Render = Callable[[str, str], dict | None]  # (transcript_id, owner) -> transcript object or None


class OutboxPublisher(EventPublisher):
    def __init__(self, db: Database, wake: threading.Event):
        self.db = db
        self.wake = wake

    def publish(self, event: TranscriptEvent) -> None:
        if not event.webhook_url:
            return
        msg_id = message_id(event.transcript_id, event.type)
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO webhook_deliveries (id, transcript_id, owner, event_type, url, state, "
                "attempts, next_attempt_ns, created_ns) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)",
                (msg_id, event.transcript_id, event.owner, event.type, event.webhook_url, event.occurred_ns, event.occurred_ns),
            )
        self.wake.set()

    def deliveries(self, transcript_id: str) -> list[dict]:
        """Deliveries of one transcript with their attempts (for the API and tests)."""
        conn = self.db.connection()
        out = []
        for d in conn.execute("SELECT * FROM webhook_deliveries WHERE transcript_id = ? ORDER BY created_ns", (transcript_id,)):
            attempts = conn.execute(
                "SELECT attempt, started_ns, duration_ms, status_code, error FROM webhook_attempts "
                "WHERE delivery_id = ? ORDER BY attempt", (d["id"],)
            ).fetchall()
            out.append({"id": d["id"], "event_type": d["event_type"], "state": d["state"],
                        "attempts": [dict(a) for a in attempts]})
        return out

    def redeliver(self, owner: str, transcript_id: str, delivery_id: str) -> dict | None:
        with self.db.transaction() as conn:
            changed = conn.execute(
                "UPDATE webhook_deliveries SET state = 'pending', next_attempt_ns = ? "
                "WHERE id = ? AND transcript_id = ? AND owner = ?",
                (time.time_ns(), delivery_id, transcript_id, owner)).rowcount
        if not changed:
            return None
        self.wake.set()
        return next(d for d in self.deliveries(transcript_id) if d["id"] == delivery_id)

    def forget(self, transcript_id: str) -> None:
        with self.db.transaction() as conn:
            conn.execute(
                "DELETE FROM webhook_attempts WHERE delivery_id IN "
                "(SELECT id FROM webhook_deliveries WHERE transcript_id = ?)", (transcript_id,))
            conn.execute("DELETE FROM webhook_deliveries WHERE transcript_id = ?", (transcript_id,))


class WebhookSender:
    """Sends due deliveries, records every attempt, and reschedules failures with backoff."""

    def __init__(self, db: Database, keys: KeyStore, client: OutboundClient, render: Render,
                 delays: tuple[float, ...], wake: threading.Event):
        self.db, self.keys, self.client, self.render = db, keys, client, render
        self.delays = delays
        self.wake = wake
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="webhook-sender", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.wake.set()
        if self._thread:
            self._thread.join(timeout=15)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                sent = self.send_due()
            except Exception:
                log.exception("webhook sender pass failed")
                sent = 0
            if not sent:
                self.wake.wait(timeout=self._seconds_to_next())
                self.wake.clear()

    def _seconds_to_next(self) -> float:
        row = self.db.connection().execute(
            "SELECT MIN(next_attempt_ns) AS t FROM webhook_deliveries WHERE state = 'pending'"
        ).fetchone()
        if row is None or row["t"] is None:
            return 60.0
        return min(60.0, max(0.05, (row["t"] - time.time_ns()) / 1e9))

    def send_due(self) -> int:
        rows = self.db.connection().execute(
            "SELECT * FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_ns <= ? "
            "ORDER BY next_attempt_ns LIMIT 20",
            (time.time_ns(),),
        ).fetchall()
        for row in rows:
            if self._stop.is_set():
                break
            self._send(row)
        return len(rows)

    def _send(self, row) -> None:
        step = deliver_step(
            msg_id=row["id"], transcript_id=row["transcript_id"], owner=row["owner"],
            event_type=row["event_type"], url=row["url"], occurred_ns=row["created_ns"],
            attempts_made=row["attempts"], render=self.render, secret_for=self.keys.webhook_secret,
            client=self.client, delays=self.delays,
        )
        if step.attempt is None:
            self._set_state(row["id"], step.state)
            return
        number = row["attempts"] + 1
        a = step.attempt_record(number)
        next_ns = time.time_ns() + int((step.delay_s or 0) * 1e9)
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO webhook_attempts (delivery_id, attempt, started_ns, duration_ms, status_code, error) "
                "SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM webhook_deliveries WHERE id = ?)",
                (row["id"], number, a["started_ns"], a["duration_ms"], a["status_code"], a["error"], row["id"]),
            )
            conn.execute(
                "UPDATE webhook_deliveries SET attempts = ?, state = ?, next_attempt_ns = ? WHERE id = ?",
                (number, step.state, next_ns, row["id"]),
            )
        log.info("webhook attempt", extra={"delivery_id": row["id"], "transcript_id": row["transcript_id"],
                                           "attempt": number, "status_code": a["status_code"],
                                           "error": a["error"], "state": step.state})

    def _set_state(self, delivery_id: str, state: str) -> None:
        with self.db.transaction() as conn:
            conn.execute("UPDATE webhook_deliveries SET state = ? WHERE id = ?", (state, delivery_id))
