"""What every Lambda function shares: powertools Logger/Metrics, a Tracer built only where
tracing is on, and the wired services, built once per execution environment (at cold start)."""

from __future__ import annotations

import functools
import logging
import os
from functools import lru_cache

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging.utils import copy_config_to_registered_loggers

logger = Logger()
metrics = Metrics()
# The package logs through stdlib loggers: give them powertools' JSON format and context.
copy_config_to_registered_loggers(source_logger=logger, include={"transcripts"})
logging.getLogger("transcripts").setLevel(logger.log_level)


def tracing_enabled() -> bool:
    """As powertools decides: inside Lambda (not SAM local), unless POWERTOOLS_TRACE_DISABLED."""
    if os.getenv("POWERTOOLS_TRACE_DISABLED", "false").strip().lower() in ("1", "true", "yes", "on"):
        return False
    return bool(os.getenv("LAMBDA_TASK_ROOT")) and not os.getenv("AWS_SAM_LOCAL")


class LazyTracer:
    """`tracer.capture_lambda_handler` whose powertools Tracer (and with it the X-Ray SDK, a
    third of the API function's import time) is built at the first invocation, and only where
    tracing is on; elsewhere the handler runs as it is."""

    def __init__(self):
        self._tracer = None

    @property
    def tracer(self):
        if self._tracer is None:
            from aws_lambda_powertools import Tracer

            self._tracer = Tracer()
        return self._tracer

    def capture_lambda_handler(self, handler=None, capture_response: bool = True):
        if handler is None:
            return functools.partial(self.capture_lambda_handler, capture_response=capture_response)
        traced = None

        @functools.wraps(handler)
        def wrapper(event, context):
            nonlocal traced
            if traced is None:
                traced = (self.tracer.capture_lambda_handler(handler, capture_response=capture_response)
                          if tracing_enabled() else handler)
            return traced(event, context)

        return wrapper


tracer = LazyTracer()


@lru_cache(maxsize=1)
def services():
    from ..bootstrap import bootstrap
    from ..settings import Settings

    return bootstrap(Settings())
