"""The AWS control plane, measured without AWS.

1. Cold start: import time of each Lambda handler module in a fresh process (module import
   builds the services: boto3 clients, the cursor secret from Secrets Manager), median of 3.
2. Warm latency of create (JSON audio_url), get and list (limit 20) through the API
   function (Mangum, real API Gateway v2 events) against DynamoDB Local, side by side with
   the same app on the embedded default's SQLite adapters; p50/p99 and the ratio.

    .venv/bin/python bench/lambda_latency.py [--requests 200]

DynamoDB Local is a Java emulator on the same 2 cores, so absolute figures are not AWS's;
the split between our code and the store is what it shows.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from infra import local_aws  # noqa: E402

IMPORT_PROBE = "import time; t = time.perf_counter(); import transcripts.handlers.{name}; print(time.perf_counter() - t)"


def aws_env(emu) -> dict:
    table, bus = local_aws.create_table(emu), local_aws.create_bus(emu)
    bucket = local_aws.create_bucket(emu)
    secret = emu.client("secretsmanager").create_secret(Name=local_aws.unique("cursor"), SecretString="s" * 64)["ARN"]
    return {**emu.env(), "TRANSCRIPTS_BACKEND": "aws", "TRANSCRIPTS_TABLE_NAME": table,
            "TRANSCRIPTS_BUCKET_NAME": bucket, "TRANSCRIPTS_EVENT_BUS_NAME": bus, "TRANSCRIPTS_CURSOR_SECRET_ARN": secret,
            "POWERTOOLS_TRACE_DISABLED": "1", "POWERTOOLS_METRICS_NAMESPACE": "Transcripts",
            "POWERTOOLS_SERVICE_NAME": "transcripts", "POWERTOOLS_LOG_LEVEL": "WARNING"}


def cold_starts(env: dict) -> dict[str, float]:
    out = {}
    for name in ("api", "ingest", "webhook", "sweeper"):
        times = [float(subprocess.check_output([sys.executable, "-c", IMPORT_PROBE.format(name=name)],
                                               env={**os.environ, **env}).decode().split()[-1]) for _ in range(3)]
        out[name] = statistics.median(times)
    return out


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def measure(handler, key: str, n: int) -> dict[str, list[float]]:
    from aws.conftest import LambdaContext, http_event

    def call(method, path, body=b"", ctype=None, query=""):
        t = time.perf_counter()
        resp = handler(http_event(method, path, key, body, ctype, query), LambdaContext())
        elapsed = time.perf_counter() - t
        assert resp["statusCode"] == 200, resp
        return elapsed, resp

    timings = {"create": [], "get": [], "list": []}
    ids = []
    payload = json.dumps({"audio_url": "https://8.8.8.8/call.wav", "metadata": {"k": "v"}}).encode()
    for _ in range(n):
        elapsed, resp = call("POST", "/v1/transcripts", payload, "application/json")
        timings["create"].append(elapsed)
        ids.append(json.loads(resp["body"])["id"])
    for job_id in ids:
        timings["get"].append(call("GET", f"/v1/transcripts/{job_id}")[0])
    for _ in range(n // 2):
        timings["list"].append(call("GET", "/v1/transcripts", query="limit=20")[0])
    return timings


def embedded_handler(tmp: str):
    from mangum import Mangum

    from transcripts.api.app import create_app
    from transcripts.bootstrap import bootstrap
    from transcripts.settings import Settings

    services = bootstrap(Settings(data_dir=Path(tmp)))
    services.dispatcher.dispatch = lambda job: None  # measure the API, not transcription
    return Mangum(create_app(services, manage_lifecycle=False), lifespan="off"), services.keys.create().api_key


class NoDispatch:
    spawned: list = []

    def spawn(self, job_id):
        return type("FunctionCall", (), {"object_id": "fc-" + uuid.uuid4().hex[:8]})()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    emu = local_aws.start()
    try:
        env = aws_env(emu)
        cold = cold_starts(env)
        os.environ.update(env)
        import transcripts.adapters.modal_dispatch as modal_dispatch

        modal_dispatch.modal_method = lambda app_name: NoDispatch()
        os.environ["TRANSCRIPTS_MODAL_TOKEN_SECRET_ARN"] = ""
        os.environ["MODAL_TOKEN_ID"] = "bench"
        from transcripts.handlers import api, runtime

        aws_key = runtime.services().keys.create().api_key
        aws_t = measure(api.handler, aws_key, args.requests)
        with tempfile.TemporaryDirectory() as tmp:
            local_handler, local_key = embedded_handler(tmp)
            local_t = measure(local_handler, local_key, args.requests)
    finally:
        emu.stop()

    print("cold start (import of the handler module in a fresh process, median of 3):")
    for name, seconds in cold.items():
        print(f"  {name:<8} {seconds * 1000:7.0f} ms")
    print(f"\nwarm latency through Mangum, {args.requests} creates/gets, {args.requests // 2} lists (ms):")
    print(f"  {'op':<7} {'dynamodb p50':>12} {'p99':>8} {'sqlite p50':>11} {'p99':>8} {'p50 ratio':>10}")
    for op in ("create", "get", "list"):
        a50, a99 = percentile(aws_t[op], 0.5) * 1000, percentile(aws_t[op], 0.99) * 1000
        l50, l99 = percentile(local_t[op], 0.5) * 1000, percentile(local_t[op], 0.99) * 1000
        print(f"  {op:<7} {a50:>12.1f} {a99:>8.1f} {l50:>11.1f} {l99:>8.1f} {a50 / l50:>10.2f}")


if __name__ == "__main__":
    main()
