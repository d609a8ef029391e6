"""JobStore contract."""

from __future__ import annotations

import threading
import time

from helpers import eventually

from transcripts.domain import AudioSource, Job, Options, Status, new_transcript_id
from transcripts.ports import ListQuery

NS = 1_000_000_000
# Yesterday, not a fixed date: the table's TTL (created + retention) would otherwise have passed
# long ago, and DynamoDB Local's TTL sweeper deletes expired items at random moments mid-test.
BASE_S = int(time.time()) - 86400


def make_job(owner="proj_a", created_ns=None, **opts) -> Job:
    created_ns = created_ns if created_ns is not None else BASE_S * NS
    return Job(id=new_transcript_id(created_ns), owner=owner, created_ns=created_ns,
               options=Options(model="whisper-base", metadata={"k": "v"}, vocabulary=("Xarelto",), **opts),
               audio=AudioSource(blob_key="transcripts/x/audio", filename="a.wav"))


def test_add_get_roundtrip(job_store):
    job = make_job(word_timestamps=True)
    job_store.add(job)
    got = job_store.get(job.id)
    assert got == job
    assert got.options.vocabulary == ("Xarelto",)


def test_get_hides_other_owners(job_store):
    job = make_job(owner="proj_a")
    job_store.add(job)
    assert job_store.get(job.id, owner="proj_b") is None
    assert job_store.get(job.id, owner="proj_a") is not None
    assert job_store.get("transcript_missing") is None


def test_transition_is_conditional(job_store):
    job = make_job()
    job_store.add(job)
    moved = job_store.transition(job.id, {Status.QUEUED}, status=Status.PROCESSING)
    assert moved.status == Status.PROCESSING
    # A second claim of the same job fails: only one worker gets it.
    assert job_store.transition(job.id, {Status.QUEUED}, status=Status.PROCESSING) is None
    done = job_store.transition(job.id, {Status.PROCESSING}, status=Status.COMPLETED, language="en", duration=1.5)
    assert (done.status, done.language, done.duration) == (Status.COMPLETED, "en", 1.5)
    # A late worker cannot regress a finished job.
    assert job_store.transition(job.id, {Status.PROCESSING}, status=Status.ERROR) is None
    assert job_store.get(job.id).status == Status.COMPLETED


def test_transition_of_deleted_job_does_not_recreate_it(job_store):
    job = make_job()
    job_store.add(job)
    assert job_store.delete(job.id, job.owner).id == job.id
    assert job_store.transition(job.id, {Status.QUEUED, Status.PROCESSING}, status=Status.COMPLETED) is None
    assert job_store.get(job.id) is None


def test_concurrent_claims_only_one_wins(job_store):
    job = make_job()
    job_store.add(job)
    wins = []

    def claim():
        if job_store.transition(job.id, {Status.QUEUED}, status=Status.PROCESSING):
            wins.append(1)

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(wins) == 1


def test_delete_checks_owner(job_store):
    job = make_job(owner="proj_a")
    job_store.add(job)
    assert job_store.delete(job.id, "proj_b") is None
    assert job_store.get(job.id) is not None


def test_list_newest_first_with_keyset_paging(job_store):
    base = BASE_S * NS
    jobs = [make_job(created_ns=base + i * NS // 3) for i in range(7)]  # several share one second
    for job in jobs:
        job_store.add(job)
    job_store.add(make_job(owner="proj_other", created_ns=base))
    expected = [j.id for j in sorted(jobs, key=lambda j: (j.created_ns, j.id), reverse=True)]
    def pages():
        seen, before = [], None
        while True:
            page = job_store.list(ListQuery(owner="proj_a", limit=3, before_key=before))
            seen += [j.id for j in page.jobs]
            if not page.has_more:
                break
            before = (page.jobs[-1].created_ns, page.jobs[-1].id)
        assert seen == expected

    eventually(pages)


def test_list_filters(job_store):
    base = BASE_S * NS
    a = make_job(created_ns=base)
    b = make_job(created_ns=base + 10 * NS)
    c = make_job(created_ns=base + 20 * NS)
    for job in (a, b, c):
        job_store.add(job)
    job_store.transition(b.id, {Status.QUEUED}, status=Status.ERROR)

    def ids(**kw):
        return [j.id for j in job_store.list(ListQuery(owner="proj_a", limit=10, **kw)).jobs]

    def check():
        assert ids(status=Status.ERROR) == [b.id]
        assert ids(status=Status.QUEUED) == [c.id, a.id]
        assert ids(created_after=BASE_S) == [c.id, b.id]  # exclusive
        assert ids(created_before=BASE_S + 20) == [b.id, a.id]  # exclusive
        assert ids(created_after=BASE_S + 5, created_before=BASE_S + 15) == [b.id]

    eventually(check)


def test_with_status_oldest_first(job_store):
    base = BASE_S * NS
    jobs = [make_job(created_ns=base + i) for i in range(3)]
    for job in reversed(jobs):
        job_store.add(job)

    def check():
        assert [j.id for j in job_store.with_status(Status.QUEUED)] == [j.id for j in jobs]
        assert job_store.with_status(Status.PROCESSING) == []

    eventually(check)


def test_add_twice_is_duplicate(job_store):
    import pytest

    from transcripts.ports import DuplicateJob

    job = make_job()
    job_store.add(job)
    with pytest.raises(DuplicateJob):
        job_store.add(job)


def test_with_status_refuses_terminal_states(job_store):
    import pytest

    with pytest.raises(ValueError):
        job_store.with_status(Status.COMPLETED)
