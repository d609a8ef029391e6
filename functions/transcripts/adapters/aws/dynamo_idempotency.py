"""IdempotencyStore on DynamoDB: `idem#<project>#<sha256(key)>` items, claimed with a conditional
put; `expires_at` lets DynamoDB's TTL remove them a day after they lapse."""

from __future__ import annotations

import hashlib

from botocore.exceptions import ClientError

from ...ports import IdempotencyStore, IdempotentRecord

NS = 1_000_000_000


def _pk(owner: str, key: str) -> str:
    return f"idem#{owner}#{hashlib.sha256(key.encode()).hexdigest()}"


class DynamoIdempotencyStore(IdempotencyStore):
    def __init__(self, table):
        self.table = table

    def reserve(self, owner: str, key: str, fingerprint: str, now_ns: int, ttl_s: int) -> IdempotentRecord | None:
        cutoff = now_ns - ttl_s * NS
        try:
            self.table.put_item(
                Item={"pk": _pk(owner, key), "fingerprint": fingerprint, "created_ns": now_ns,
                      "expires_at": now_ns // NS + ttl_s + 86400},
                ConditionExpression="attribute_not_exists(pk) OR created_ns < :cutoff",
                ExpressionAttributeValues={":cutoff": cutoff})
            return None
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
        item = self.table.get_item(Key={"pk": _pk(owner, key)}, ConsistentRead=True).get("Item")
        if item is None:  # released between the put and the read: claim again
            return self.reserve(owner, key, fingerprint, now_ns, ttl_s)
        status = item.get("status")
        return IdempotentRecord(item["fingerprint"], int(item["created_ns"]),
                                int(status) if status is not None else None, item.get("body"))

    def complete(self, owner: str, key: str, status: int, body: str) -> None:
        self.table.update_item(Key={"pk": _pk(owner, key)}, UpdateExpression="SET #s = :s, body = :b",
                               ExpressionAttributeNames={"#s": "status"},
                               ExpressionAttributeValues={":s": status, ":b": body})

    def release(self, owner: str, key: str) -> None:
        try:
            self.table.delete_item(Key={"pk": _pk(owner, key)}, ConditionExpression="attribute_not_exists(#s)",
                                   ExpressionAttributeNames={"#s": "status"})
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
