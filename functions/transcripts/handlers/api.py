"""The HTTP API function: the same FastAPI app as the embedded server, through Mangum."""

from __future__ import annotations

from mangum import Mangum

from ..api.app import create_app
from . import init_done
from .runtime import logger, metrics, services, tracer

app = create_app(services(), manage_lifecycle=False)
asgi = Mangum(app, lifespan="off", api_gateway_base_path="/")


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def handler(event, context):
    return asgi(event, context)


init_done()
