"""API keys and webhook secrets: how they are made and how keys are stored (hashed)."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass, field


def hash_key(api_key: str) -> str:
    """Keys are 256 random bits, so a fast hash is enough; no salt or stretching needed."""
    return hashlib.sha256(api_key.encode()).hexdigest()


def new_webhook_secret() -> str:
    """A Standard Webhooks secret: `whsec_` + base64 of 32 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def new_realtime_token() -> str:
    """256 random bits, like a key; `rt_` tells them apart in logs and support requests."""
    return "rt_" + secrets.token_urlsafe(32)


@dataclass(frozen=True)
class NewProject:
    """A new project with its first API key, before a KeyStore stores it."""

    project_id: str = field(default_factory=lambda: "proj_" + secrets.token_hex(8))
    key_id: str = field(default_factory=lambda: "key_" + secrets.token_hex(8))
    api_key: str = field(default_factory=lambda: "sk_" + secrets.token_urlsafe(32))
    webhook_secret: str = field(default_factory=new_webhook_secret)
    created_ns: int = field(default_factory=time.time_ns)

    @property
    def key_hash(self) -> str:
        return hash_key(self.api_key)
