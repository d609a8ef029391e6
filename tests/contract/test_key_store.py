"""KeyStore contract."""

from __future__ import annotations

import base64

from standardwebhooks.webhooks import Webhook


def test_create_and_authenticate(key_store):
    key = key_store.create("ci")
    who = key_store.authenticate(key.api_key)
    assert who is not None and who.project_id == key.project_id
    assert key_store.authenticate(key.api_key + "x") is None
    assert key_store.authenticate("") is None


def test_keys_are_distinct_projects(key_store):
    a, b = key_store.create(), key_store.create()
    assert a.api_key != b.api_key
    assert key_store.authenticate(a.api_key).project_id != key_store.authenticate(b.api_key).project_id


def test_webhook_secret_is_standard(key_store):
    key = key_store.create()
    assert key.webhook_secret.startswith("whsec_")
    assert len(base64.b64decode(key.webhook_secret.removeprefix("whsec_"))) == 32
    Webhook(key.webhook_secret)  # the reference library accepts it
    assert key_store.webhook_secret(key.project_id) == key.webhook_secret
    assert key_store.webhook_secret("proj_missing") is None


def test_realtime_token_stands_for_its_key_once(key_store):
    import time

    key = key_store.create()
    who = key_store.authenticate(key.api_key)
    now = time.time_ns()
    token = key_store.issue_token(who, now + 60 * 10**9)
    assert token.startswith("rt_") and key.api_key not in token
    assert key_store.authenticate(token) is None  # a token is not an API key
    assert key_store.redeem_token(token, now) == who
    assert key_store.redeem_token(token, now) is None  # one session only
    assert key_store.redeem_token("rt_unknown", now) is None


def test_expired_realtime_token_is_refused(key_store):
    import time

    who = key_store.authenticate(key_store.create().api_key)
    now = time.time_ns()
    token = key_store.issue_token(who, now + 10**9)
    assert key_store.redeem_token(token, now + 2 * 10**9) is None
    assert key_store.redeem_token(token, now) is None  # refused tokens are gone too
