"""JobStore on SQLite: conditional transitions inside IMMEDIATE transactions."""

from __future__ import annotations

import json
import sqlite3

from ..domain import ACTIVE, Job, Status
from ..ports import DuplicateJob, JobStore, ListQuery, Page
from .sqlite_db import Database

NS = 1_000_000_000


class SqliteJobStore(JobStore):
    def __init__(self, db: Database):
        self.db = db

    def add(self, job: Job) -> None:
        try:
            with self.db.transaction() as conn:
                conn.execute(
                    "INSERT INTO jobs (id, owner, status, created_ns, record) VALUES (?, ?, ?, ?, ?)",
                    (job.id, job.owner, str(job.status), job.created_ns, json.dumps(job.to_record())),
                )
        except sqlite3.IntegrityError:
            raise DuplicateJob(job.id) from None

    def get(self, job_id: str, owner: str | None = None) -> Job | None:
        row = self.db.connection().execute("SELECT owner, record FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None or (owner is not None and row["owner"] != owner):
            return None
        return Job.from_record(json.loads(row["record"]))

    def list(self, query: ListQuery) -> Page:
        where, args = ["owner = ?"], [query.owner]
        if query.status is not None:
            where.append("status = ?")
            args.append(str(query.status))
        if query.created_after is not None:
            where.append("created_ns >= ?")
            args.append((query.created_after + 1) * NS)
        if query.created_before is not None:
            where.append("created_ns < ?")
            args.append(query.created_before * NS)
        if query.before_key is not None:
            created_ns, job_id = query.before_key
            where.append("(created_ns < ? OR (created_ns = ? AND id < ?))")
            args += [created_ns, created_ns, job_id]
        rows = self.db.connection().execute(
            f"SELECT record FROM jobs WHERE {' AND '.join(where)} "
            "ORDER BY created_ns DESC, id DESC LIMIT ?",
            (*args, query.limit + 1),
        ).fetchall()
        jobs = [Job.from_record(json.loads(r["record"])) for r in rows[: query.limit]]
        return Page(jobs=jobs, has_more=len(rows) > query.limit)

    def transition(self, job_id: str, from_states: set[Status], **changes) -> Job | None:
        with self.db.transaction() as conn:
            row = conn.execute("SELECT record FROM jobs WHERE id = ?", (job_id,)).fetchone()
            if row is None:
                return None
            record = json.loads(row["record"])
            if Status(record["status"]) not in from_states:
                return None
            record.update({k: (str(v) if isinstance(v, Status) else v) for k, v in changes.items()})
            job = Job.from_record(record)
            conn.execute(
                "UPDATE jobs SET status = ?, record = ? WHERE id = ?",
                (str(job.status), json.dumps(job.to_record()), job_id),
            )
            return job

    def delete(self, job_id: str, owner: str) -> Job | None:
        with self.db.transaction() as conn:
            row = conn.execute(
                "SELECT record FROM jobs WHERE id = ? AND owner = ?", (job_id, owner)
            ).fetchone()
            if row is None:
                return None
            conn.execute("DELETE FROM jobs WHERE id = ?", (job_id,))
        self.db.purge_wal()
        return Job.from_record(json.loads(row["record"]))

    def with_status(self, status: Status) -> list[Job]:
        if status not in ACTIVE:
            raise ValueError("with_status lists active states only")
        rows = self.db.connection().execute(
            "SELECT record FROM jobs WHERE status = ? ORDER BY created_ns, id", (str(status),)
        ).fetchall()
        return [Job.from_record(json.loads(r["record"])) for r in rows]
