"""KeyStore on SQLite: API keys kept as SHA-256 hashes, shown once at creation."""

from __future__ import annotations

import time

from ..credentials import NewProject, hash_key, new_realtime_token
from ..ports import LAST_USED_RESOLUTION_NS, KeyStore, NewKey, Principal
from .sqlite_db import Database


class SqliteKeyStore(KeyStore):
    def __init__(self, db: Database):
        self.db = db

    def create(self, name: str | None = None) -> NewKey:
        new = NewProject()
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO projects (id, webhook_secret, created_ns) VALUES (?, ?, ?)",
                (new.project_id, new.webhook_secret, new.created_ns),
            )
            conn.execute(
                "INSERT INTO api_keys (key_hash, key_id, project_id, name, created_ns) VALUES (?, ?, ?, ?, ?)",
                (new.key_hash, new.key_id, new.project_id, name, new.created_ns),
            )
        return NewKey(api_key=new.api_key, webhook_secret=new.webhook_secret, project_id=new.project_id)

    def authenticate(self, api_key: str) -> Principal | None:
        key_hash = hash_key(api_key)
        row = self.db.connection().execute(
            "SELECT key_id, project_id, last_used_ns FROM api_keys WHERE key_hash = ?", (key_hash,)
        ).fetchone()
        if row is None:
            return None
        now = time.time_ns()
        if row["last_used_ns"] is None or now - row["last_used_ns"] >= LAST_USED_RESOLUTION_NS:
            self.db.connection().execute("UPDATE api_keys SET last_used_ns = ? WHERE key_hash = ?", (now, key_hash))
        return Principal(project_id=row["project_id"], key_id=row["key_id"])

    def list_keys(self) -> list[dict]:
        rows = self.db.connection().execute(
            "SELECT key_id, name, created_ns, last_used_ns, project_id FROM api_keys ORDER BY created_ns, key_id"
        ).fetchall()
        return [{"id": r["key_id"], "name": r["name"], "created": r["created_ns"] // 1_000_000_000,
                 "last_used": r["last_used_ns"] // 1_000_000_000 if r["last_used_ns"] else None,
                 "project_id": r["project_id"]} for r in rows]

    def revoke(self, key_id: str) -> bool:
        with self.db.transaction() as conn:
            gone = conn.execute("DELETE FROM api_keys WHERE key_id = ?", (key_id,)).rowcount
        return gone > 0

    def webhook_secret(self, project_id: str) -> str | None:
        row = self.db.connection().execute(
            "SELECT webhook_secret FROM projects WHERE id = ?", (project_id,)
        ).fetchone()
        return row["webhook_secret"] if row else None

    def issue_token(self, who: Principal, expires_ns: int) -> str:
        token = new_realtime_token()
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM realtime_tokens WHERE expires_ns < ?", (expires_ns - 3600 * 10**9,))
            conn.execute("INSERT INTO realtime_tokens (token_hash, project_id, key_id, expires_ns) VALUES (?, ?, ?, ?)",
                         (hash_key(token), who.project_id, who.key_id, expires_ns))
        return token

    def redeem_token(self, token: str, now_ns: int) -> Principal | None:
        with self.db.transaction() as conn:
            row = conn.execute("DELETE FROM realtime_tokens WHERE token_hash = ? RETURNING project_id, key_id, "
                               "expires_ns", (hash_key(token),)).fetchone()
        if row is None or row["expires_ns"] <= now_ns:
            return None
        return Principal(project_id=row["project_id"], key_id=row["key_id"])
