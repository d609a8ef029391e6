"""Listing and revoking API keys: the same behaviour on SQLite and DynamoDB Local."""

from __future__ import annotations

import time

from helpers import eventually


def test_list_shows_ids_names_and_times_never_secrets(key_store):
    before = int(time.time())
    a, b = key_store.create("first"), key_store.create(None)
    a_id, b_id = key_store.authenticate(a.api_key).key_id, key_store.authenticate(b.api_key).key_id

    def listed():
        keys = {k["id"]: k for k in key_store.list_keys()}
        assert {a_id, b_id} <= set(keys)
        return keys

    keys = eventually(listed)
    assert keys[a_id]["name"] == "first" and keys[b_id]["name"] is None
    assert before <= keys[a_id]["created"] <= int(time.time()) + 1
    assert set(keys[a_id]) == {"id", "name", "created", "last_used", "project_id"}
    text = repr(key_store.list_keys())
    assert a.api_key not in text and a.webhook_secret not in text


def test_last_used_is_recorded(key_store):
    key = key_store.create("used")
    key_id = key_store.authenticate(key.api_key).key_id  # the first use
    found = eventually(lambda: next(k for k in key_store.list_keys() if k["id"] == key_id and k["last_used"]))
    assert abs(found["last_used"] - time.time()) < 5


def test_revoked_key_is_refused_at_once(key_store):
    keep, gone = key_store.create("keep"), key_store.create("gone")
    gone_id = key_store.authenticate(gone.api_key).key_id
    assert key_store.revoke(gone_id) is True
    assert key_store.authenticate(gone.api_key) is None  # the very next request
    assert key_store.authenticate(keep.api_key) is not None
    assert key_store.revoke(gone_id) is False and key_store.revoke("key_missing") is False
    eventually(lambda: _assert_not_listed(key_store, gone_id))
    assert key_store.webhook_secret(gone.project_id) == gone.webhook_secret  # the project stays


def _assert_not_listed(key_store, key_id):
    assert key_id not in {k["id"] for k in key_store.list_keys()}
