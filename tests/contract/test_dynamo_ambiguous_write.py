"""A conditional write whose answer is lost and retried by botocore must still count as ours."""

from __future__ import annotations

from infra import local_aws
from transcripts.adapters.aws.dynamo_jobs import DynamoJobStore
from transcripts.adapters.aws.dynamo_table import DynamoTable
from transcripts.domain import Status

from .test_job_store import make_job


class LostAnswerTable:
    """Applies each put, then sends it again as botocore does when the first answer is lost."""

    def __init__(self, table):
        self.table = table

    def put_item(self, **kwargs):
        self.table.put_item(**kwargs)
        return self.table.put_item(**kwargs)  # the retry: its condition now fails

    def __getattr__(self, name):
        return getattr(self.table, name)


def test_retried_claim_is_still_ours(aws):
    table = DynamoTable(aws.client("dynamodb"), local_aws.create_table(aws))
    job = make_job()
    DynamoJobStore(table).add(job)
    store = DynamoJobStore(LostAnswerTable(table))
    claimed = store.transition(job.id, {Status.QUEUED}, status=Status.PROCESSING)
    assert claimed is not None and claimed.status == Status.PROCESSING
    # Someone else's write is not mistaken for ours: a second claim finds it taken.
    assert store.transition(job.id, {Status.QUEUED}, status=Status.PROCESSING) is None
