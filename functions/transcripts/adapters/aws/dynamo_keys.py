"""KeyStore on DynamoDB: `key#<sha256>` items point at `project#<id>` items (webhook secret)."""

from __future__ import annotations

import secrets
import time

from ...ports import KeyStore, NewKey, Principal
from ...credentials import hash_key, new_api_key, new_webhook_secret


class DynamoKeyStore(KeyStore):
    def __init__(self, table):
        self.table = table

    def create(self, name: str | None = None) -> NewKey:
        project_id = "proj_" + secrets.token_hex(8)
        key_id = "key_" + secrets.token_hex(8)
        api_key = new_api_key()
        secret = new_webhook_secret()
        now = time.time_ns()
        self.table.put_item(Item={"pk": f"project#{project_id}", "webhook_secret": secret, "created_ns": now},
                            ConditionExpression="attribute_not_exists(pk)")
        item = {"pk": f"key#{hash_key(api_key)}", "key_id": key_id, "project_id": project_id, "created_ns": now}
        if name:
            item["name"] = name
        self.table.put_item(Item=item, ConditionExpression="attribute_not_exists(pk)")
        return NewKey(api_key=api_key, webhook_secret=secret, project_id=project_id)

    def authenticate(self, api_key: str) -> Principal | None:
        item = self.table.get_item(Key={"pk": f"key#{hash_key(api_key)}"}).get("Item")
        return Principal(project_id=item["project_id"], key_id=item["key_id"]) if item else None

    def webhook_secret(self, project_id: str) -> str | None:
        item = self.table.get_item(Key={"pk": f"project#{project_id}"}, ConsistentRead=True).get("Item")
        return item["webhook_secret"] if item else None
