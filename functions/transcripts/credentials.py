"""API keys and webhook secrets: how they are made and how keys are stored (hashed)."""

from __future__ import annotations

import base64
import hashlib
import secrets


def hash_key(api_key: str) -> str:
    """Keys are 256 random bits, so a fast hash is enough; no salt or stretching needed."""
    return hashlib.sha256(api_key.encode()).hexdigest()


def new_api_key() -> str:
    return "sk_" + secrets.token_urlsafe(32)


def new_webhook_secret() -> str:
    """A Standard Webhooks secret: `whsec_` + base64 of 32 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
