"""One step of a webhook delivery, whatever stores it: render, sign, send, decide what next.

The embedded default's outbox sender and the production webhook function both call this,
so a delivery behaves the same on both deployments.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..outbound import OutboundClient
from .delivery import Attempt, attempt_delivery, message_body, retry_delay


DELETED = "transcript.deleted"


def deleted_object(transcript_id: str) -> dict:
    return {"id": transcript_id, "object": "transcript", "deleted": True}


@dataclass(frozen=True)
class Step:
    state: str  # delivered | pending (retry after `delay_s`) | failed | cancelled
    attempt: Attempt | None = None
    delay_s: float | None = None

    def attempt_record(self, number: int) -> dict:
        a = self.attempt
        return {"attempt": number, "started_ns": a.started_ns, "duration_ms": a.duration_ms,
                "status_code": a.status_code, "error": a.error}


def deliver_step(
    *, msg_id: str, transcript_id: str, owner: str, event_type: str, url: str, occurred_ns: int,
    attempts_made: int, render: Callable[[str, str], dict | None], secret_for: Callable[[str], str | None],
    client: OutboundClient, delays: tuple[float, ...],
) -> Step:
    # A deletion's message carries the id only: the transcript is gone, and that is the news.
    transcript = deleted_object(transcript_id) if event_type == DELETED else render(transcript_id, owner)
    secret = secret_for(owner)
    if transcript is None or secret is None:
        return Step("cancelled")  # deleted meanwhile: its text is never sent
    attempt = attempt_delivery(client, url, secret, msg_id, message_body(event_type, occurred_ns, transcript))
    if attempt.delivered:
        return Step("delivered", attempt)
    delay = retry_delay(attempts_made + 1, delays)
    return Step("pending" if delay is not None else "failed", attempt, delay)
