"""Lambda cold start of the handler modules, in a virtualenv holding only what `sam build` installs.

For each handler: the module's import in a fresh process (what the Lambda init phase runs:
it wires the services, boto3 clients included), median of `--runs`, with its CPU time (user +
system: less moved by other work on a shared machine than the wall clock); for the API function also
the import plus its first request through Mangum (GET /healthz, no AWS call), and the modules
that cost most (`python -X importtime`, cumulative). Nothing here reaches AWS: the settings
name a table and bucket that are never called.

    python -m venv /tmp/lambda-venv && /tmp/lambda-venv/bin/pip install -r functions/requirements.txt
    .venv/bin/python bench/cold_start.py --python /tmp/lambda-venv/bin/python [--runs 7] [--tracing]

`--tracing` runs as Lambda does with the template's `Tracing: Active` (LAMBDA_TASK_ROOT set,
POWERTOOLS_TRACE_DISABLED unset); X-Ray's daemon is absent here, so segments go nowhere.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
from pathlib import Path

ROOT = Path(__file__).parents[1]
HANDLERS = ("api", "ingest", "webhook", "sweeper")
IMPORT = ("import time; t, c = time.perf_counter(), time.process_time(); import transcripts.handlers.{name}; "
          "print(time.perf_counter() - t, time.process_time() - c)")
FIRST_REQUEST = """
import json, time
t = time.perf_counter()
import transcripts.handlers.api as api
imported = time.perf_counter() - t
event = {"version": "2.0", "routeKey": "$default", "rawPath": "/healthz", "rawQueryString": "", "headers": {},
         "requestContext": {"http": {"method": "GET", "path": "/healthz", "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1",
                                     "userAgent": "bench"}, "requestId": "r", "stage": "$default", "accountId": "1",
                            "apiId": "a", "domainName": "x", "timeEpoch": 0},
         "isBase64Encoded": False}
class Context:
    function_name, memory_limit_in_mb, aws_request_id = "api", 1024, "r"
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:api"
    def get_remaining_time_in_millis(self): return 30000
status = api.handler(event, Context())["statusCode"]
assert status == 200, status
print(imported, time.perf_counter() - t)
"""


def env(tracing: bool) -> dict:
    out = {k: v for k, v in os.environ.items() if not k.startswith(("TRANSCRIPTS_", "POWERTOOLS_", "PYTHON"))}
    out.update({
        "PYTHONPATH": str(ROOT / "functions"), "AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench", "TRANSCRIPTS_BACKEND": "aws", "TRANSCRIPTS_TABLE_NAME": "bench",
        "TRANSCRIPTS_BUCKET_NAME": "bench", "TRANSCRIPTS_EVENT_BUS_NAME": "bench",
        "TRANSCRIPTS_CURSOR_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:bench",
        "POWERTOOLS_SERVICE_NAME": "transcripts", "POWERTOOLS_METRICS_NAMESPACE": "Transcripts",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    })
    if tracing:
        out.update({"LAMBDA_TASK_ROOT": str(ROOT / "functions"), "AWS_XRAY_CONTEXT_MISSING": "IGNORE_ERROR"})
    else:
        out["POWERTOOLS_TRACE_DISABLED"] = "1"
    return out


def run(python: str, code: str, environ: dict, *flags: str) -> subprocess.CompletedProcess:
    return subprocess.run([python, *flags, "-c", code], env=environ, capture_output=True, text=True, check=True)


def heaviest(python: str, environ: dict, top: int) -> list[tuple[str, float]]:
    """Top-level imports of the API handler by cumulative time (ms), the handler itself excluded."""
    err = run(python, "import transcripts.handlers.api", environ, "-X", "importtime").stderr
    rows = []
    for line in err.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m and len(m.group(3)) <= 3 and m.group(4) != "transcripts.handlers.api":
            rows.append((m.group(4), int(m.group(2)) / 1000))
    return sorted(rows, key=lambda r: -r[1])[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", required=True, help="a virtualenv's python with only functions/requirements.txt")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--tracing", action="store_true")
    args = parser.parse_args()
    environ = env(args.tracing)
    print(f"load average {os.getloadavg()[0]:.2f}, tracing {'on' if args.tracing else 'off'}, "
          f"median of {args.runs} fresh processes")
    for name in HANDLERS:
        pairs = [[float(x) * 1000 for x in run(args.python, IMPORT.format(name=name), environ).stdout.split()[-2:]]
                 for _ in range(args.runs)]
        wall, cpu = [p[0] for p in pairs], [p[1] for p in pairs]
        print(f"import transcripts.handlers.{name:8s} {statistics.median(wall):7.0f} ms "
              f"(min {min(wall):.0f}, max {max(wall):.0f}; CPU time {statistics.median(cpu):.0f} ms)")
    pairs = [tuple(float(x) * 1000 for x in run(args.python, FIRST_REQUEST, environ).stdout.split()[-2:])
             for _ in range(args.runs)]
    print(f"api: import + first request (GET /healthz through Mangum) "
          f"{statistics.median(p[1] for p in pairs):7.0f} ms")
    print("api: heaviest top-level imports (cumulative ms, one run):")
    for module, ms in heaviest(args.python, environ, 8):
        print(f"  {module:40s} {ms:6.0f}")
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
