"""One delivery attempt and when to try again."""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass
from datetime import datetime, timezone

from ..outbound import BadUrl, ForbiddenAddress, OutboundClient


@dataclass(frozen=True)
class Attempt:
    started_ns: int
    duration_ms: int
    status_code: int | None
    error: str | None

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def message_id(transcript_id: str, event_type: str) -> str:
    """One id per transcript and event: stable across retries and redelivered events."""
    return f"msg_{transcript_id}_{event_type.split('.')[-1]}"


def message_body(event_type: str, occurred_ns: int, transcript: dict) -> str:
    occurred = datetime.fromtimestamp(occurred_ns / 1e9, tz=timezone.utc).isoformat().replace("+00:00", "Z")
    return json.dumps({"type": event_type, "timestamp": occurred, "data": transcript}, separators=(",", ":"))


def attempt_delivery(client: OutboundClient, url: str, secret: str, msg_id: str, body: str) -> Attempt:
    """POST the signed message once. The message id stays the same across retries so
    receivers can drop duplicates; the timestamp and signature are fresh each time."""
    import httpcore  # here, not at import: the API function only needs message ids from this module

    from .signing import signed_headers

    started = time.time_ns()
    headers = signed_headers(secret, msg_id, started // 1_000_000_000, body)
    status, error = None, None
    try:
        with client.stream("POST", url, body=body.encode(), headers=headers) as resp:
            status = resp.status
            for _ in resp.chunks:  # drain so the connection can be reused
                pass
    except ForbiddenAddress:
        error = "url_not_allowed"
    except BadUrl:
        error = "invalid_url"
    except httpcore.TimeoutException:
        error = "timeout"
    except (httpcore.NetworkError, httpcore.ProtocolError, OSError):
        error = "connection_failed"
    duration_ms = (time.time_ns() - started) // 1_000_000
    return Attempt(started, duration_ms, status, error if status is None else None)


def retry_delay(attempts_made: int, delays: tuple[float, ...]) -> float | None:
    """Seconds before the next try with +-20% jitter, or None when the schedule is spent."""
    if attempts_made > len(delays):
        return None
    base = delays[attempts_made - 1]
    return base * random.uniform(0.8, 1.2)
