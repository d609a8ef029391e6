"""EventPublisher on EventBridge, with webhook deliveries recorded in DynamoDB.

`publish` records the pending delivery (idempotent on the message id) and then puts the event
on the bus; the bus's rule feeds the webhook queue and function, which appends each attempt
to the same record (`DynamoDeliveryLog`).
"""

from __future__ import annotations

import json
import time

from botocore.exceptions import ClientError

from ...ports import EventPublisher, TranscriptEvent
from ...webhooks.delivery import message_id

SOURCE = "transcripts"
KINDS = ("completed", "failed", "deleted")


class DynamoDeliveryLog:
    """Delivery records: `delivery#<message id>` with the attempts as a list."""

    def __init__(self, table, retention_days: int = 0):
        self.table = table
        self.retention_days = retention_days

    def open(self, event: TranscriptEvent) -> None:
        item = {
            "pk": f"delivery#{message_id(event.transcript_id, event.type)}",
            "transcript_id": event.transcript_id, "owner": event.owner, "event_type": event.type,
            "url": event.webhook_url, "state": "pending", "attempts": [], "created_ns": event.occurred_ns,
        }
        if self.retention_days:
            item["expires_at"] = int(time.time()) + self.retention_days * 86400
        try:
            self.table.put_item(Item=item, ConditionExpression="attribute_not_exists(pk)")
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise

    def get(self, msg_id: str) -> dict | None:
        return self.table.get_item(Key={"pk": f"delivery#{msg_id}"}, ConsistentRead=True).get("Item")

    def record_attempt(self, msg_id: str, attempt: dict, state: str) -> bool:
        """Append an attempt and set the state; False when the delivery was forgotten."""
        try:
            self.table.update_item(
                Key={"pk": f"delivery#{msg_id}"},
                UpdateExpression="SET attempts = list_append(attempts, :a), #s = :s",
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeNames={"#s": "state"},
                ExpressionAttributeValues={":a": [attempt], ":s": state},
            )
            return True
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise

    def reopen(self, msg_id: str, owner: str, transcript_id: str) -> dict | None:
        """Make the delivery pending again (for a redelivery); None when it is not this
        owner's delivery of this transcript."""
        try:
            return self.table.update_item(
                Key={"pk": f"delivery#{msg_id}"}, UpdateExpression="SET #s = :s",
                ConditionExpression="attribute_exists(pk) AND #o = :o AND transcript_id = :t",
                ExpressionAttributeNames={"#s": "state", "#o": "owner"},
                ExpressionAttributeValues={":s": "pending", ":o": owner, ":t": transcript_id},
                ReturnValues="ALL_NEW",
            )["Attributes"]
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return None
            raise

    def set_state(self, msg_id: str, state: str) -> None:
        self.table.update_item(
            Key={"pk": f"delivery#{msg_id}"}, UpdateExpression="SET #s = :s",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeNames={"#s": "state"}, ExpressionAttributeValues={":s": state},
        )

    def for_transcript(self, transcript_id: str) -> list[dict]:
        out = []
        for kind in KINDS:
            item = self.get(message_id(transcript_id, f"transcript.{kind}"))
            if item:
                out.append(shown(item))
        return out

    def forget(self, transcript_id: str) -> None:
        for kind in KINDS:
            self.table.delete_item(Key={"pk": f"delivery#{message_id(transcript_id, f'transcript.{kind}')}"})


def shown(item: dict) -> dict:
    """A delivery record as the API lists it (DynamoDB numbers back to ints)."""
    return {
        "id": item["pk"].removeprefix("delivery#"), "event_type": item["event_type"], "state": item["state"],
        "attempts": [{k: (int(v) if k in ("attempt", "started_ns", "duration_ms") or
                          (k == "status_code" and v is not None) else v)
                      for k, v in a.items()} for a in item["attempts"]],
    }


class EventBridgePublisher(EventPublisher):
    def __init__(self, events_client, bus_name: str, log: DynamoDeliveryLog):
        self.events = events_client
        self.bus_name = bus_name
        self.log = log

    def publish(self, event: TranscriptEvent) -> None:
        if event.webhook_url:
            self.log.open(event)
        self._put(event)

    def _put(self, event: TranscriptEvent) -> None:
        detail = {"transcript_id": event.transcript_id, "owner": event.owner,
                  "webhook_url": event.webhook_url, "occurred_ns": event.occurred_ns}
        resp = self.events.put_events(Entries=[{
            "Source": SOURCE, "DetailType": event.type, "Detail": json.dumps(detail), "EventBusName": self.bus_name,
        }])
        if resp.get("FailedEntryCount"):
            raise RuntimeError(f"EventBridge refused the event: {resp['Entries'][0].get('ErrorCode')}")

    def redeliver(self, owner: str, transcript_id: str, delivery_id: str) -> dict | None:
        """Reopen the record, then put the same event on the bus again: the webhook function
        makes the attempt and appends it to the record, as for the first delivery."""
        item = self.log.reopen(delivery_id, owner, transcript_id)
        if item is None:
            return None
        self._put(TranscriptEvent(item["event_type"], transcript_id, owner, item["url"], int(item["created_ns"])))
        return shown(item)

    def deliveries(self, transcript_id: str) -> list[dict]:
        return self.log.for_transcript(transcript_id)

    def forget(self, transcript_id: str) -> None:
        self.log.forget(transcript_id)
