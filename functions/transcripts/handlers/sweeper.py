"""The scheduled sweeper: jobs stuck in queued or processing are dispatched again or failed."""

from __future__ import annotations

from aws_lambda_powertools.metrics import MetricUnit

from ..recovery import sweep_stuck
from . import init_done
from .runtime import logger, metrics, services, tracer


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event, context):
    svc = services()
    s = svc.settings
    swept = sweep_stuck(svc.jobs, svc.dispatcher, svc.events, s.max_job_attempts, s.queued_deadline_s,
                        s.processing_deadline_s)
    for name, count in swept.items():
        metrics.add_metric(name=f"Jobs{name.capitalize()}", unit=MetricUnit.Count, value=count)
    logger.info("sweep done", extra=swept)
    return swept


init_done()
