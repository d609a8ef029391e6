"""What every Lambda function shares: powertools Logger/Tracer/Metrics and the wired
services, built once per execution environment (at cold start)."""

from __future__ import annotations

import logging
from functools import lru_cache

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging.utils import copy_config_to_registered_loggers

logger = Logger()
tracer = Tracer()
metrics = Metrics()
# The package logs through stdlib loggers: give them powertools' JSON format and context.
copy_config_to_registered_loggers(source_logger=logger, include={"transcripts"})
logging.getLogger("transcripts").setLevel(logger.log_level)


@lru_cache(maxsize=1)
def services():
    from ..bootstrap import bootstrap
    from ..settings import Settings

    return bootstrap(Settings())
