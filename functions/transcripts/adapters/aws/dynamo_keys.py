"""KeyStore on DynamoDB: `key#<sha256>` items point at `project#<id>` items (webhook secret)."""

from __future__ import annotations

from ...credentials import NewProject, hash_key
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
