"""IdempotencyStore on SQLite: one row per (project, key), claimed inside an IMMEDIATE transaction."""

from __future__ import annotations

from ..ports import IdempotencyStore, IdempotentRecord
from .sqlite_db import Database

NS = 1_000_000_000

SCHEMA = """
CREATE TABLE IF NOT EXISTS idempotency (
    owner TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    created_ns INTEGER NOT NULL,
    status INTEGER,
    body TEXT,
    PRIMARY KEY (owner, key)
);
"""


class SqliteIdempotencyStore(IdempotencyStore):
    def __init__(self, db: Database):
        self.db = db
        db.connection().executescript(SCHEMA)

    def reserve(self, owner: str, key: str, fingerprint: str, now_ns: int, ttl_s: int) -> IdempotentRecord | None:
        with self.db.transaction() as conn:
            row = conn.execute("SELECT fingerprint, created_ns, status, body FROM idempotency "
                               "WHERE owner = ? AND key = ?", (owner, key)).fetchone()
            if row is not None and row["created_ns"] > now_ns - ttl_s * NS:
                return IdempotentRecord(row["fingerprint"], row["created_ns"], row["status"], row["body"])
            conn.execute("INSERT OR REPLACE INTO idempotency (owner, key, fingerprint, created_ns) VALUES (?, ?, ?, ?)",
                         (owner, key, fingerprint, now_ns))
            conn.execute("DELETE FROM idempotency WHERE created_ns < ?", (now_ns - ttl_s * NS,))  # expired ones
        return None

    def complete(self, owner: str, key: str, status: int, body: str) -> None:
        with self.db.transaction() as conn:
            conn.execute("UPDATE idempotency SET status = ?, body = ? WHERE owner = ? AND key = ?",
                         (status, body, owner, key))

    def release(self, owner: str, key: str) -> None:
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM idempotency WHERE owner = ? AND key = ? AND status IS NULL", (owner, key))
