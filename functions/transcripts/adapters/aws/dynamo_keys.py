"""KeyStore on DynamoDB: `key#<sha256>` items point at `project#<id>` items (webhook secret);
real-time tokens are `rtoken#<sha256>` items, deleted when redeemed (and by the table's TTL)."""

from __future__ import annotations

from botocore.exceptions import ClientError

from ...credentials import NewProject, hash_key, new_realtime_token
from ...ports import KeyStore, NewKey, Principal


class DynamoKeyStore(KeyStore):
    def __init__(self, table):
        self.table = table

    def create(self, name: str | None = None) -> NewKey:
        new = NewProject()
        self.table.put_item(
            Item={"pk": f"project#{new.project_id}", "webhook_secret": new.webhook_secret, "created_ns": new.created_ns},
            ConditionExpression="attribute_not_exists(pk)")
        item = {"pk": f"key#{new.key_hash}", "key_id": new.key_id, "project_id": new.project_id,
                "created_ns": new.created_ns}
        if name:
            item["name"] = name
        self.table.put_item(Item=item, ConditionExpression="attribute_not_exists(pk)")
        return NewKey(api_key=new.api_key, webhook_secret=new.webhook_secret, project_id=new.project_id)

    def authenticate(self, api_key: str) -> Principal | None:
        item = self.table.get_item(Key={"pk": f"key#{hash_key(api_key)}"}).get("Item")
        return Principal(project_id=item["project_id"], key_id=item["key_id"]) if item else None

    def webhook_secret(self, project_id: str) -> str | None:
        item = self.table.get_item(Key={"pk": f"project#{project_id}"}, ConsistentRead=True).get("Item")
        return item["webhook_secret"] if item else None

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
