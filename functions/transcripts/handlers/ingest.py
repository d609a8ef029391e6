"""The ingest function: an object created under `inbox/<project_id>/` becomes a job.

Messages are EventBridge "Object Created" events from the bucket, queued in SQS. Options come
from the object's user metadata `transcripts-options` (a JSON object with the fields of
`POST /v1/transcripts`, e.g. `{"language": "en", "webhook_url": "..."}`), set in the same PUT
as the audio so they cannot race it. The job id is derived from the object's event, so a
redelivered event creates no second job.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from botocore.exceptions import ClientError
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from ..domain import new_transcript_id
from . import init_done
from .runtime import logger, metrics, services, tracer

processor = BatchProcessor(event_type=EventType.SQS)
OPTIONS_METADATA = "transcripts-options"


def ingest_object(event: dict) -> str | None:
    svc = services()
    detail = event.get("detail") or {}
    bucket, key = detail.get("bucket", {}).get("name"), detail.get("object", {}).get("key", "")
    parts = key.split("/")
    if bucket != svc.settings.bucket_name or len(parts) < 3 or parts[0] != "inbox" or not parts[-1]:
        logger.warning("ignored object", extra={"reason": "not under inbox/<project_id>/"})
        return None
    project_id = parts[1]
    if svc.keys.webhook_secret(project_id) is None:
        logger.warning("ignored object", extra={"reason": "unknown project", "project_id": project_id[:40]})
        return None
    try:
        head = svc.blobs.s3.head_object(Bucket=bucket, Key=key)
    except ClientError as exc:
        if exc.response["Error"]["Code"] in ("404", "NoSuchKey"):
            logger.info("object already gone", extra={"reason": "ingested by an earlier delivery, or deleted"})
            return None
        raise
    try:
        fields = json.loads(head.get("Metadata", {}).get(OPTIONS_METADATA) or "{}")
    except ValueError:
        fields = {"__invalid_options__": "transcripts-options metadata is not JSON"}
    if not isinstance(fields, dict):
        fields = {"__invalid_options__": "transcripts-options metadata must be a JSON object"}
    version = detail.get("object", {}).get("sequencer") or head.get("ETag", "")
    created_ns = int(datetime.fromisoformat(event["time"].replace("Z", "+00:00")).timestamp() * 1e9)
    job_id = new_transcript_id(created_ns, hashlib.sha256(f"{bucket}/{key}/{version}".encode()).digest())
    job = svc.transcripts.ingest(project_id, fields, key, job_id, created_ns)
    return job.id if job else None


def record_handler(record: SQSRecord) -> None:
    ingest_object(json.loads(record.body))


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def handler(event, context):
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)


init_done()
