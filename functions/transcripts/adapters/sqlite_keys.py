"""KeyStore on SQLite: API keys kept as SHA-256 hashes, shown once at creation."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time

from ..ports import KeyStore, NewKey, Principal
from .sqlite_db import Database


def hash_key(api_key: str) -> str:
    """Keys are 256 random bits, so a fast hash is enough; no salt or stretching needed."""
    return hashlib.sha256(api_key.encode()).hexdigest()


def new_webhook_secret() -> str:
    """A Standard Webhooks secret: `whsec_` + base64 of 32 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class SqliteKeyStore(KeyStore):
    def __init__(self, db: Database):
        self.db = db

    def create(self, name: str | None = None) -> NewKey:
        project_id = "proj_" + secrets.token_hex(8)
        key_id = "key_" + secrets.token_hex(8)
        api_key = "sk_" + secrets.token_urlsafe(32)
        secret = new_webhook_secret()
        now = time.time_ns()
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO projects (id, webhook_secret, created_ns) VALUES (?, ?, ?)",
                (project_id, secret, now),
            )
            conn.execute(
                "INSERT INTO api_keys (key_hash, key_id, project_id, name, created_ns) VALUES (?, ?, ?, ?, ?)",
                (hash_key(api_key), key_id, project_id, name, now),
            )
        return NewKey(api_key=api_key, webhook_secret=secret, project_id=project_id)

    def authenticate(self, api_key: str) -> Principal | None:
        row = self.db.connection().execute(
            "SELECT key_id, project_id FROM api_keys WHERE key_hash = ?", (hash_key(api_key),)
        ).fetchone()
        return Principal(project_id=row["project_id"], key_id=row["key_id"]) if row else None

    def webhook_secret(self, project_id: str) -> str | None:
        row = self.db.connection().execute(
            "SELECT webhook_secret FROM projects WHERE id = ?", (project_id,)
        ).fetchone()
        return row["webhook_secret"] if row else None
