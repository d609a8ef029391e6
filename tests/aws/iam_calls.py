"""Every boto3 call made while a function runs, checked against that function's IAM policy.

The emulators accept any call, so a missing permission would first show in AWS. Here each call
is seen through botocore's `before-parameter-build` event (presigned URLs included: the URL is
only as good as its signer's permission), attributed to the function running it, and checked
against that function's statements as aws-sam-translator expanded template.yaml
(infra/policies.json), action and resource, with the condition keys the call carries.
"""

from __future__ import annotations

import concurrent.futures
import contextvars
import functools
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

import boto3

from infra import cfn, policies

acting = contextvars.ContextVar("acting_function", default=None)


@contextmanager
def acting_as(function: str):
    """Calls made inside are the given function's (a logical id of template.yaml)."""
    token = acting.set(function)
    try:
        yield
    finally:
        acting.reset(token)


def as_function(function: str, handler):
    @functools.wraps(handler)
    def run(*args, **kwargs):
        with acting_as(function):
            return handler(*args, **kwargs)

    return run


def _hash_keys() -> dict:
    props = cfn.resource("JobsTable")["Properties"]
    keys = {None: next(k["AttributeName"] for k in props["KeySchema"] if k["KeyType"] == "HASH")}
    for index in props["GlobalSecondaryIndexes"]:
        keys[index["IndexName"]] = next(k["AttributeName"] for k in index["KeySchema"] if k["KeyType"] == "HASH")
    return keys


@dataclass
class Recorder:
    names: policies.Names
    calls: list = field(default_factory=list)  # (function, service, operation, [Request])
    refused: list = field(default_factory=list)  # (function, service, operation, Request)
    unmapped: list = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self):
        self._statements = {}
        self._hash_keys = _hash_keys()

    def statements(self, function: str) -> list[dict]:
        if function not in self._statements:
            self._statements[function] = policies.statements(function, self.names)
        return self._statements[function]

    def hook(self, params, model, **_):
        function = acting.get()
        if function is None:  # the test's own setup and checks, or an operator's CLI
            return
        service = model.service_model.service_name
        try:
            requests = policies.requests_for(service, model.name, params, self._hash_keys)
        except Exception as exc:  # noqa: BLE001 - reported by the test, never raised into boto3
            with self._lock:
                self.unmapped.append((function, service, model.name, repr(exc)))
            return
        stmts = self.statements(function)
        with self._lock:
            self.calls.append((function, service, model.name, requests))
            for req in requests:
                if not policies.allowed(stmts, req.action, req.resource, dict(req.context)):
                    self.refused.append((function, service, model.name, req))

    def take_problems(self) -> list[str]:
        with self._lock:
            lines = [f"{fn} {svc}.{op}: {r.action} on {r.resource} {dict(r.context) or ''} is not allowed"
                     + (f" ({r.why})" if r.why else "") for fn, svc, op, r in self.refused]
            lines += [f"{fn} {svc}.{op}: {err}" for fn, svc, op, err in self.unmapped]
            self.refused.clear()
            self.unmapped.clear()
        return sorted(set(lines))


def _context_copying_submit(original):
    """Thread pools (s3transfer's, asyncio's) run work in the submitter's context, so calls
    made on their threads are attributed to the function that started them."""

    @functools.wraps(original)
    def submit(self, fn, /, *args, **kwargs):
        return original(self, contextvars.copy_context().run, fn, *args, **kwargs)

    return submit


@contextmanager
def recording(names: policies.Names):
    """Install the hook on boto3's default session: every client created from now on has it."""
    recorder = Recorder(names)
    boto3.setup_default_session()
    emitter = boto3.DEFAULT_SESSION._session.get_component("event_emitter")
    # Last: after botocore's and boto3's own handlers have shaped the parameters (DynamoDB
    # conditions rendered, copy sources quoted), so we see what AWS would authorize.
    emitter.register_last("before-parameter-build", recorder.hook, unique_id="iam-recorder")
    original = concurrent.futures.ThreadPoolExecutor.submit
    concurrent.futures.ThreadPoolExecutor.submit = _context_copying_submit(original)
    try:
        yield recorder
    finally:
        concurrent.futures.ThreadPoolExecutor.submit = original
        emitter.unregister("before-parameter-build", unique_id="iam-recorder")
