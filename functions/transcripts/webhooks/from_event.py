"""A webhook delivery step driven by a bus event (production), recorded in the delivery log."""

from __future__ import annotations

from collections.abc import Callable

from ..outbound import OutboundClient
from .delivery import message_id
from .process import Step, deliver_step


def deliver_event(event: dict, *, log, render: Callable, secret_for: Callable, client: OutboundClient,
                  delays: tuple[float, ...]) -> Step | None:
    """None when there is nothing to do: no webhook, or the delivery is settled or forgotten."""
    detail = event.get("detail") or {}
    url = detail.get("webhook_url")
    if not url:
        return None
    msg_id = message_id(detail["transcript_id"], event["detail-type"])
    record = log.get(msg_id)
    if record is None or record["state"] != "pending":
        return None
    made = len(record["attempts"])
    step = deliver_step(
        msg_id=msg_id, transcript_id=detail["transcript_id"], owner=detail["owner"], event_type=event["detail-type"],
        url=url, occurred_ns=int(detail["occurred_ns"]), attempts_made=made, render=render, secret_for=secret_for,
        client=client, delays=delays,
    )
    if step.attempt is None:
        log.set_state(msg_id, step.state)
    else:
        log.record_attempt(msg_id, step.attempt_record(made + 1), step.state)
    return step
