"""Dispatcher of the production deployment: spawn the Modal GPU function for a job.

`spawn()` returns at once with a FunctionCall; its id is kept on the job (`call_id`) so the
sweeper can tell a crashed call from a slow one. The Modal client reads its token from
`MODAL_TOKEN_ID` / `MODAL_TOKEN_SECRET`, loaded once from Secrets Manager.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable

from ..domain import Job, Status
from ..ports import Dispatcher, JobStore

log = logging.getLogger(__name__)

GPU_CLASS = "Transcriber"
GPU_METHOD = "run"


def function_call(call_id: str):
    import modal

    return modal.FunctionCall.from_id(call_id)


def modal_method(app_name: str):
    """The deployed GPU class's `run` method, looked up by name (no import of gpu_app)."""
    import modal

    return getattr(modal.Cls.from_name(app_name, GPU_CLASS)(), GPU_METHOD)


class ModalDispatcher(Dispatcher):
    def __init__(self, jobs: JobStore, lookup: Callable[[], object], load_token: Callable[[], None] = lambda: None):
        self.jobs = jobs
        self.lookup = lookup  # -> an object with .spawn(job_id) -> FunctionCall(object_id)
        self.load_token = load_token
        self._method = None

    def dispatch(self, job: Job) -> None:
        if self._method is None:
            self.load_token()
            self._method = self.lookup()
        call = self._method.spawn(job.id)
        self.jobs.transition(job.id, {Status.QUEUED}, call_id=call.object_id)
        log.info("job dispatched", extra={"job_id": job.id, "call_id": call.object_id})

    def call_state(self, call_id: str | None) -> str:
        if not call_id:
            return "unknown"
        self.load_token()
        try:
            function_call(call_id).get(timeout=0)
        except TimeoutError:
            return "running"
        except Exception:  # the call raised, was cancelled, or its container died
            return "finished"
        return "finished"


def token_from_secret(secrets_client, secret_arn: str) -> Callable[[], None]:
    def load() -> None:
        if os.environ.get("MODAL_TOKEN_ID"):
            return  # given to the function directly
        if not secret_arn:
            raise RuntimeError("TRANSCRIPTS_MODAL_TOKEN_SECRET_ARN is not set: jobs cannot be dispatched")
        value = json.loads(secrets_client.get_secret_value(SecretId=secret_arn)["SecretString"])
        os.environ["MODAL_TOKEN_ID"] = value["token_id"]
        os.environ["MODAL_TOKEN_SECRET"] = value["token_secret"]

    return load
