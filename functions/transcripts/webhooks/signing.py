"""Standard Webhooks headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`).

Signing uses the `standardwebhooks` reference library, so any Standard Webhooks verifier
accepts what we send.
"""

from __future__ import annotations

from datetime import datetime, timezone

from standardwebhooks.webhooks import Webhook


def signed_headers(secret: str, msg_id: str, timestamp_s: int, body: str) -> dict[str, str]:
    signature = Webhook(secret).sign(msg_id, datetime.fromtimestamp(timestamp_s, tz=timezone.utc), body)
    return {
        "content-type": "application/json",
        "user-agent": "transcripts-api-webhooks/1",
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp_s),
        "webhook-signature": signature,
    }
