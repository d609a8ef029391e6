"""JobStore on DynamoDB: one item per job, optimistic concurrency, listing through GSIs.

Item: `pk = job#<id>`, the record as JSON, a `version` for conditional writes, and the index
keys: `by_owner` (gsi1: owner, created) for listing, `by_owner_status` (gsi2: owner+status,
created) for listing one status, and the sparse `by_active_status` (only queued/processing
jobs carry its keys) for the sweeper. No operation scans. `expires_at` drives TTL.
"""

from __future__ import annotations

import json
import uuid

from botocore.exceptions import ClientError

from ...domain import ACTIVE, Job, Status
from ...ports import DuplicateJob, JobStore, ListQuery, Page

NS = 1_000_000_000
MAX_RETRIES = 8


def sort_key(created_ns: int, job_id: str) -> str:
    return f"{created_ns:020d}#{job_id}"


def _conditional_failed(exc: ClientError) -> bool:
    return exc.response["Error"]["Code"] == "ConditionalCheckFailedException"


class DynamoJobStore(JobStore):
    def __init__(self, table, retention_days: int = 0):
        self.table = table  # a DynamoTable (or boto3 Table resource)
        self.retention_days = retention_days

    def _item(self, job: Job, version: int, writer: str = "") -> dict:
        sk = sort_key(job.created_ns, job.id)
        item = {
            "pk": f"job#{job.id}",
            "record": json.dumps(job.to_record()),
            "owner": job.owner,
            "status": str(job.status),
            "version": version,
            "writer": writer,
            "gsi1pk": f"owner#{job.owner}",
            "gsi1sk": sk,
            "gsi2pk": f"owner#{job.owner}#status#{job.status}",
            "gsi2sk": sk,
        }
        if job.status in ACTIVE:
            item["active_pk"] = f"active#{job.status}"
            item["active_sk"] = sk
        if self.retention_days:
            item["expires_at"] = job.created_ns // NS + self.retention_days * 86400
        return item

    def add(self, job: Job) -> None:
        try:
            self.table.put_item(Item=self._item(job, 1), ConditionExpression="attribute_not_exists(pk)")
        except ClientError as exc:
            if _conditional_failed(exc):
                raise DuplicateJob(job.id) from None
            raise

    def _read(self, job_id: str) -> dict | None:
        return self.table.get_item(Key={"pk": f"job#{job_id}"}, ConsistentRead=True).get("Item")

    def get(self, job_id: str, owner: str | None = None) -> Job | None:
        item = self._read(job_id)
        if item is None or (owner is not None and item["owner"] != owner):
            return None
        return Job.from_record(json.loads(item["record"]))

    def list(self, query: ListQuery) -> Page:
        if query.status is not None:
            index, pk_name, sk_name = "by_owner_status", "gsi2pk", "gsi2sk"
            pk_value = f"owner#{query.owner}#status#{query.status}"
        else:
            index, pk_name, sk_name, pk_value = "by_owner", "gsi1pk", "gsi1sk", f"owner#{query.owner}"
        lo = f"{(query.created_after + 1) * NS:020d}" if query.created_after is not None else None
        highs = []
        if query.created_before is not None:
            highs.append(f"{query.created_before * NS:020d}")
        if query.before_key is not None:
            highs.append(sort_key(*query.before_key))
        hi = min(highs) if highs else None  # exclusive

        names = {"#pk": pk_name}
        values = {":pk": pk_value}
        if lo is not None or hi is not None:
            names["#sk"] = sk_name
        condition = "#pk = :pk"
        if lo is not None and hi is not None:
            if lo >= hi:
                return Page(jobs=[], has_more=False)
            condition += " AND #sk BETWEEN :lo AND :hi"
            values.update({":lo": lo, ":hi": hi})
        elif hi is not None:
            condition += " AND #sk < :hi"
            values[":hi"] = hi
        elif lo is not None:
            condition += " AND #sk >= :lo"
            values[":lo"] = lo

        items: list[dict] = []
        kwargs = dict(IndexName=index, KeyConditionExpression=condition, ExpressionAttributeNames=names,
                      ExpressionAttributeValues=values, ScanIndexForward=False)
        while len(items) < query.limit + 1:
            resp = self.table.query(Limit=query.limit + 2, **kwargs)
            # BETWEEN is inclusive: drop the item at the exclusive upper bound itself.
            items += [i for i in resp["Items"] if hi is None or i[sk_name] != hi]
            if "LastEvaluatedKey" not in resp:
                break
            kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]
        jobs = [Job.from_record(json.loads(i["record"])) for i in items[: query.limit]]
        return Page(jobs=jobs, has_more=len(items) > query.limit)

    def transition(self, job_id: str, from_states: set[Status], **changes) -> Job | None:
        for _ in range(MAX_RETRIES):
            item = self._read(job_id)
            if item is None:
                return None
            record = json.loads(item["record"])
            if Status(record["status"]) not in from_states:
                return None
            record.update({k: (str(v) if isinstance(v, Status) else v) for k, v in changes.items()})
            job = Job.from_record(record)
            version = int(item["version"])
            writer = uuid.uuid4().hex
            try:
                self.table.put_item(
                    Item=self._item(job, version + 1, writer),
                    ConditionExpression="version = :v",
                    ExpressionAttributeValues={":v": version},
                )
                return job
            except ClientError as exc:
                if not _conditional_failed(exc):
                    raise
                # botocore retries a put whose answer was lost; the retry then fails its
                # condition against our own first write. The writer token tells that apart
                # from someone else winning (or a delete), which means: look again.
                now = self._read(job_id)
                if now is not None and int(now["version"]) == version + 1 and now.get("writer") == writer:
                    return job
        raise RuntimeError(f"job {job_id}: too much write contention")

    def delete(self, job_id: str, owner: str) -> Job | None:
        try:
            resp = self.table.delete_item(
                Key={"pk": f"job#{job_id}"}, ConditionExpression="#o = :o",
                ExpressionAttributeNames={"#o": "owner"}, ExpressionAttributeValues={":o": owner},
                ReturnValues="ALL_OLD",
            )
        except ClientError as exc:
            if _conditional_failed(exc):
                return None
            raise
        return Job.from_record(json.loads(resp["Attributes"]["record"]))

    def with_status(self, status: Status) -> list[Job]:
        if status not in ACTIVE:
            raise ValueError("with_status lists active states only")
        jobs, kwargs = [], dict(
            IndexName="by_active_status", KeyConditionExpression="active_pk = :pk",
            ExpressionAttributeValues={":pk": f"active#{status}"}, ScanIndexForward=True,
        )
        while True:
            resp = self.table.query(**kwargs)
            jobs += [Job.from_record(json.loads(i["record"])) for i in resp["Items"]]
            if "LastEvaluatedKey" not in resp:
                return jobs
            kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]
