"""KeyStore on SQLite: API keys kept as SHA-256 hashes, shown once at creation."""

from __future__ import annotations

from ..credentials import NewProject, hash_key
from ..ports import KeyStore, NewKey, Principal
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
        row = self.db.connection().execute(
            "SELECT key_id, project_id FROM api_keys WHERE key_hash = ?", (hash_key(api_key),)
        ).fetchone()
        return Principal(project_id=row["project_id"], key_id=row["key_id"]) if row else None

    def webhook_secret(self, project_id: str) -> str | None:
        row = self.db.connection().execute(
            "SELECT webhook_secret FROM projects WHERE id = ?", (project_id,)
        ).fetchone()
        return row["webhook_secret"] if row else None
