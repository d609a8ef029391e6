"""KeyStore on DynamoDB: `key#<sha256>` items point at `project#<id>` items (webhook secret).

Listing reads the `by_owner` index's `apikeys` partition (no scan); `keyid#<id>` items map a
key's public id to its hash for revocation. Every request reads its key with a strongly
consistent read and there is no cache, so a revoked key is refused on its very next request,
on Lambda and on the GPU data plane alike. Keys made before listing existed carry neither the
index keys nor the id item: `transcripts keys list` does not show them (make new ones).
Real-time tokens are `rtoken#<sha256>` items, deleted when redeemed (and by the table's TTL).
"""

from __future__ import annotations

import time

from botocore.exceptions import ClientError

from ...credentials import NewProject, hash_key, new_realtime_token
from ...ports import LAST_USED_RESOLUTION_NS, KeyStore, NewKey, Principal

NS = 1_000_000_000
KEYS_PARTITION = "apikeys"


class DynamoKeyStore(KeyStore):
    def __init__(self, table):
        self.table = table

    def create(self, name: str | None = None) -> NewKey:
        new = NewProject()
        self.table.put_item(
            Item={"pk": f"project#{new.project_id}", "webhook_secret": new.webhook_secret, "created_ns": new.created_ns},
            ConditionExpression="attribute_not_exists(pk)")
        self.table.put_item(Item={"pk": f"keyid#{new.key_id}", "key_hash": new.key_hash},
                            ConditionExpression="attribute_not_exists(pk)")
        item = {"pk": f"key#{new.key_hash}", "key_id": new.key_id, "project_id": new.project_id,
                "created_ns": new.created_ns, "gsi1pk": KEYS_PARTITION, "gsi1sk": f"{new.created_ns:020d}#{new.key_id}"}
        if name:
            item["name"] = name
        self.table.put_item(Item=item, ConditionExpression="attribute_not_exists(pk)")
        return NewKey(api_key=new.api_key, webhook_secret=new.webhook_secret, project_id=new.project_id)

    def authenticate(self, api_key: str) -> Principal | None:
        key_hash = hash_key(api_key)
        item = self.table.get_item(Key={"pk": f"key#{key_hash}"}, ConsistentRead=True).get("Item")
        if item is None:
            return None
        now = time.time_ns()
        if now - int(item.get("last_used_ns", 0)) >= LAST_USED_RESOLUTION_NS:
            try:  # conditional: a key revoked meanwhile is not brought back by this write
                self.table.update_item(
                    Key={"pk": f"key#{key_hash}"}, UpdateExpression="SET last_used_ns = :t",
                    ConditionExpression="attribute_exists(pk)", ExpressionAttributeValues={":t": now})
            except ClientError as exc:
                if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                    raise
                return None
        return Principal(project_id=item["project_id"], key_id=item["key_id"])

    def webhook_secret(self, project_id: str) -> str | None:
        item = self.table.get_item(Key={"pk": f"project#{project_id}"}, ConsistentRead=True).get("Item")
        return item["webhook_secret"] if item else None

    def list_keys(self) -> list[dict]:
        items, kwargs = [], dict(IndexName="by_owner", KeyConditionExpression="gsi1pk = :p",
                                 ExpressionAttributeValues={":p": KEYS_PARTITION}, ScanIndexForward=True)
        while True:
            resp = self.table.query(**kwargs)
            items += resp["Items"]
            if "LastEvaluatedKey" not in resp:
                break
            kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]
        return [{"id": i["key_id"], "name": i.get("name"), "created": int(i["created_ns"]) // NS,
                 "last_used": int(i["last_used_ns"]) // NS if i.get("last_used_ns") else None,
                 "project_id": i["project_id"]} for i in items]

    def revoke(self, key_id: str) -> bool:
        pointer = self.table.get_item(Key={"pk": f"keyid#{key_id}"}, ConsistentRead=True).get("Item")
        if pointer is None:
            return False
        self.table.delete_item(Key={"pk": f"key#{pointer['key_hash']}"})
        self.table.delete_item(Key={"pk": f"keyid#{key_id}"})
        return True
    def issue_token(self, who: Principal, expires_ns: int) -> str:
        token = new_realtime_token()
        self.table.put_item(Item={
            "pk": f"rtoken#{hash_key(token)}", "project_id": who.project_id, "key_id": who.key_id,
            "expires_ns": expires_ns, "expires_at": expires_ns // 10**9 + 3600,  # TTL attribute: swept later
        }, ConditionExpression="attribute_not_exists(pk)")
        return token

    def redeem_token(self, token: str, now_ns: int) -> Principal | None:
        try:
            old = self.table.delete_item(Key={"pk": f"rtoken#{hash_key(token)}"},
                                         ConditionExpression="attribute_exists(pk)", ReturnValues="ALL_OLD")
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return None
            raise
        item = old.get("Attributes") or {}
        if not item or int(item["expires_ns"]) <= now_ns:
            return None
        return Principal(project_id=item["project_id"], key_id=item["key_id"])
