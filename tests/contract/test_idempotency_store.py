"""IdempotencyStore contract: one claim per (project, key) while live, answers kept, claims
released, expired records replaced."""

from __future__ import annotations

import threading
import time

NS = 1_000_000_000
DAY = 24 * 3600


def test_claim_then_replay(idempotency_store):
    now = time.time_ns()
    assert idempotency_store.reserve("p1", "k", "fp-a", now, DAY) is None
    pending = idempotency_store.reserve("p1", "k", "fp-a", now + 1, DAY)
    assert pending is not None and pending.status is None and pending.fingerprint == "fp-a"
    idempotency_store.complete("p1", "k", 200, '{"id": "transcript_1"}')
    done = idempotency_store.reserve("p1", "k", "fp-b", now + 2, DAY)
    assert (done.fingerprint, done.status, done.body) == ("fp-a", 200, '{"id": "transcript_1"}')


def test_keys_are_per_project(idempotency_store):
    now = time.time_ns()
    assert idempotency_store.reserve("p1", "shared", "fp", now, DAY) is None
    assert idempotency_store.reserve("p2", "shared", "fp", now, DAY) is None


def test_release_lets_a_retry_claim_again_but_keeps_answers(idempotency_store):
    now = time.time_ns()
    assert idempotency_store.reserve("p1", "r", "fp", now, DAY) is None
    idempotency_store.release("p1", "r")
    assert idempotency_store.reserve("p1", "r", "fp2", now, DAY) is None
    idempotency_store.complete("p1", "r", 200, "{}")
    idempotency_store.release("p1", "r")  # an answered key is never released
    assert idempotency_store.reserve("p1", "r", "fp3", now, DAY).status == 200


def test_expired_record_is_replaced(idempotency_store):
    then = time.time_ns() - (DAY + 60) * NS
    assert idempotency_store.reserve("p1", "old", "fp-old", then, DAY) is None
    idempotency_store.complete("p1", "old", 200, "{}")
    assert idempotency_store.reserve("p1", "old", "fp-new", time.time_ns(), DAY) is None
    assert idempotency_store.reserve("p1", "old", "x", time.time_ns(), DAY).fingerprint == "fp-new"


def test_racing_claims_one_wins(idempotency_store):
    now = time.time_ns()
    results, barrier = [], threading.Barrier(6)

    def claim(n):
        barrier.wait()
        results.append(idempotency_store.reserve("p1", "race", f"fp{n}", now, DAY))

    threads = [threading.Thread(target=claim, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r is None for r in results) == 1
