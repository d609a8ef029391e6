"""The webhook function: SQS messages carrying transcript.* events from the bus.

Each receive of a message is one delivery attempt. A failed attempt sets the message's
visibility timeout to the next retry delay and reports the message failed, so SQS hands it
back then; when the schedule is spent the message is left to the queue's redrive policy,
which moves it to the dead-letter queue.
"""

from __future__ import annotations

import json
from functools import lru_cache

import boto3
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from ..outbound import AddressPolicy, OutboundClient, parse_allowlist
from ..webhooks.from_event import deliver_event
from . import init_done
from .runtime import logger, metrics, services, tracer

# A customer's endpoint being down is the normal life of a webhook, not a Lambda error: a
# batch whose every record failed is reported like any partial failure, not raised.
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
MAX_VISIBILITY_S = 43_200


class RetryLater(Exception):
    pass


@lru_cache(maxsize=1)
def _parts():
    """Built once per execution environment. The queue's URL comes from the stack
    (TRANSCRIPTS_WEBHOOK_QUEUE_URL): looking it up would need sqs:GetQueueUrl."""
    svc = services()
    settings = svc.settings
    if not settings.webhook_queue_url:
        raise RuntimeError("TRANSCRIPTS_WEBHOOK_QUEUE_URL must be set for the webhook function")
    client = OutboundClient(AddressPolicy(parse_allowlist(settings.outbound_allowlist)), settings.webhook_timeout_s)
    return svc, svc.events.log, client, boto3.client("sqs")


def record_handler(record: SQSRecord) -> None:
    svc, log, client, sqs = _parts()
    step = deliver_event(json.loads(record.body), log=log, render=svc.transcripts.render,
                         secret_for=svc.keys.webhook_secret, client=client, delays=svc.settings.retry_delays)
    if step is None or step.state in ("delivered", "cancelled"):
        if step is not None and step.state == "delivered":
            metrics.add_metric(name="WebhookDelivered", unit=MetricUnit.Count, value=1)
        return
    delay = 0 if step.state == "failed" else min(MAX_VISIBILITY_S, max(0, round(step.delay_s)))
    sqs.change_message_visibility(QueueUrl=svc.settings.webhook_queue_url,
                                  ReceiptHandle=record.receipt_handle, VisibilityTimeout=delay)
    metrics.add_metric(name="WebhookAttemptFailed", unit=MetricUnit.Count, value=1)
    raise RetryLater(step.state)


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def handler(event, context):
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)


init_done()
