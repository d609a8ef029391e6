"""Lambda cold start of the handler modules, in a virtualenv holding only what `sam build` installs.

For each handler: the module's import in a fresh process (what the Lambda init phase runs:
it wires the services, boto3 clients included), median of `--runs`, with its CPU time (user +
system: less moved by other work on a shared machine than the wall clock); for the API function also
the import plus its first request through Mangum (GET /healthz, no AWS call), and the modules
that cost most (`python -X importtime`, cumulative). Nothing here reaches AWS: the settings
name a table and bucket that are never called.

`--dynamodb-local` adds the first request that reads the table: DynamoDB Local and a moto server
are started (infra/local_aws.py, from the running Python: it needs the dev environment), a key is
stored, and each fresh process imports the API function and answers `GET /v1/transcripts?limit=20`
(the key's lookup and the list's query on DynamoDB Local).

    python -m venv /tmp/lambda-venv && /tmp/lambda-venv/bin/pip install -r functions/requirements.txt
    .venv/bin/python bench/cold_start.py --python /tmp/lambda-venv/bin/python [--runs 7] [--tracing] [--dynamodb-local]
        [--baseline /tmp/wt-old]

`--bundle` also measures the API function's import from what `sam build` ships: a copy of the
virtualenv's packages and of functions/ with sources only (a Lambda function's code directory
is read-only, so each cold start compiles every module it imports), beside the same copy
compiled by infra/bytecode.py (`python3.12 -m infra.bytecode` after `sam build`).

`--baseline` names a checkout of other code (e.g. `git worktree add /tmp/wt-old <commit>`): each
figure is measured for both, their fresh processes taking turns, so that a shared machine's
changing load falls on both alike.

`--tracing` runs as Lambda does with the template's `Tracing: Active` (LAMBDA_TASK_ROOT set,
POWERTOOLS_TRACE_DISABLED unset); X-Ray's daemon is absent here, so segments go nowhere.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).parents[1]
HANDLERS = ("api", "ingest", "webhook", "sweeper")
IMPORT = ("import time; t, c = time.perf_counter(), time.process_time(); import transcripts.handlers.{name}; "
          "print(time.perf_counter() - t, time.process_time() - c)")
FIRST_REQUEST = """
import json, time
t, c = time.perf_counter(), time.process_time()
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
print(imported, time.perf_counter() - t, time.process_time() - c)
"""
# The same, with a request that reads the table (the key, then the list's query).
FIRST_TABLE_REQUEST = FIRST_REQUEST.replace('"/healthz"', '"/v1/transcripts"').replace(
    '"rawQueryString": ""', '"rawQueryString": "limit=20"').replace(
    '"headers": {}', '"headers": {"authorization": "Bearer " + __import__("os").environ["BENCH_API_KEY"]}')


def env(tracing: bool, root: Path = ROOT) -> dict:
    out = {k: v for k, v in os.environ.items() if not k.startswith(("TRANSCRIPTS_", "POWERTOOLS_", "PYTHON"))}
    out.update({
        "PYTHONPATH": str(root / "functions"), "AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench", "TRANSCRIPTS_BACKEND": "aws", "TRANSCRIPTS_TABLE_NAME": "bench",
        "TRANSCRIPTS_BUCKET_NAME": "bench", "TRANSCRIPTS_EVENT_BUS_NAME": "bench",
        "TRANSCRIPTS_CURSOR_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:bench",
        "POWERTOOLS_SERVICE_NAME": "transcripts", "POWERTOOLS_METRICS_NAMESPACE": "Transcripts",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    })
    if tracing:
        out.update({"LAMBDA_TASK_ROOT": str(root / "functions"), "AWS_XRAY_CONTEXT_MISSING": "IGNORE_ERROR"})
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


def dynamodb_local_env(stack) -> dict:
    """The emulators' table, bucket, bus and cursor secret, and a key stored in the table."""
    sys.path[:0] = [str(ROOT), str(ROOT / "functions")]
    from infra import local_aws
    from transcripts.adapters.aws.dynamo_keys import DynamoKeyStore

    emu = stack.enter_context(_emulators(local_aws))
    table = local_aws.create_table(emu)
    secret = emu.client("secretsmanager").create_secret(Name=local_aws.unique("cursor"), SecretString="s" * 64)["ARN"]
    key = DynamoKeyStore(emu.resource("dynamodb").Table(table)).create("bench").api_key
    return {**emu.env(), "TRANSCRIPTS_TABLE_NAME": table, "TRANSCRIPTS_BUCKET_NAME": local_aws.create_bucket(emu),
            "TRANSCRIPTS_EVENT_BUS_NAME": local_aws.create_bus(emu), "TRANSCRIPTS_CURSOR_SECRET_ARN": secret,
            "BENCH_API_KEY": key}


@contextlib.contextmanager
def _emulators(local_aws):
    emu = local_aws.start()
    try:
        yield emu
    finally:
        emu.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", required=True, help="a virtualenv's python with only functions/requirements.txt")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--tracing", action="store_true")
    parser.add_argument("--dynamodb-local", action="store_true", help="also a first request that reads the table")
    parser.add_argument("--bundle", action="store_true", help="also the import from a bundle, without and with bytecode")
    parser.add_argument("--baseline", type=Path, help="a checkout of other code, measured in turns with this one")
    args = parser.parse_args()
    codes = {"this": env(args.tracing)}
    if args.baseline:
        codes["baseline"] = env(args.tracing, args.baseline.resolve())
    with contextlib.ExitStack() as stack:
        measure(args, codes, stack)


def samples(python: str, code: str, codes: dict[str, dict], runs: int, extra: dict | None = None) -> dict:
    """Each code's printed figures (s -> ms) in `runs` fresh processes, the codes taking turns."""
    out = {label: [] for label in codes}
    for _ in range(runs):
        for label, environ in codes.items():
            out[label].append([float(x) * 1000 for x in run(python, code, {**environ, **(extra or {})}).stdout.split()])
    return out


COMPILE = ("import sys; from pathlib import Path; from infra.bytecode import compile_bundles; "
           "sys.exit(0 if compile_bundles(Path(sys.argv[1]), '%d.%d' % sys.version_info[:2]) else 1)")


def bundles(python: str, environ: dict, stack) -> dict[str, dict]:
    """Two copies of what `sam build` puts in the API function's bundle (the virtualenv's packages,
    functions/), sources only, the second then compiled by infra/bytecode.py; `environ` for each,
    the copy first on the path, no bytecode written."""
    site = run(python, "import sysconfig; print(sysconfig.get_paths()['purelib'])", environ).stdout.strip()
    tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bundles-")))
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "pip", "pip-*")
    out = {}
    for name in ("sources only", "bytecode"):
        shutil.copytree(site, tmp / name, ignore=ignore)
        shutil.copytree(ROOT / "functions" / "transcripts", tmp / name / "transcripts", ignore=ignore)
        out[name] = {**environ, "PYTHONPATH": str(tmp / name), "PYTHONDONTWRITEBYTECODE": "1"}
    subprocess.run([python, "-c", COMPILE, str(tmp / "bytecode")], cwd=ROOT, check=True,
                   env={k: v for k, v in environ.items() if k != "PYTHONPATH"})
    return out


def median(rows: list[list[float]], i: int) -> float:
    return statistics.median(r[i] for r in rows)


def measure(args, codes: dict[str, dict], stack) -> None:
    table = dynamodb_local_env(stack) if args.dynamodb_local else None
    if table is not None:  # the emulator's own first requests are slow (its JIT)
        run(args.python, FIRST_TABLE_REQUEST, {**codes["this"], **table})
    print(f"load average {os.getloadavg()[0]:.2f}, tracing {'on' if args.tracing else 'off'}, "
          f"median of {args.runs} fresh processes" + (f"; baseline {args.baseline}" if args.baseline else ""))
    for name in HANDLERS:
        for label, rows in samples(args.python, IMPORT.format(name=name), codes, args.runs).items():
            wall = [r[0] for r in rows]
            print(f"{label:8s} import transcripts.handlers.{name:8s} {median(rows, 0):7.0f} ms "
                  f"(min {min(wall):.0f}, max {max(wall):.0f}; CPU time {median(rows, 1):.0f} ms)")
    for label, rows in samples(args.python, FIRST_REQUEST, codes, args.runs).items():
        print(f"{label:8s} api: import + first request (GET /healthz through Mangum) {median(rows, 1):7.0f} ms "
              f"(CPU time {median(rows, 2):.0f} ms)")
    if table is not None:
        for label, rows in samples(args.python, FIRST_TABLE_REQUEST, codes, args.runs, table).items():
            print(f"{label:8s} api on DynamoDB Local: import + first GET /v1/transcripts?limit=20 "
                  f"{median(rows, 1):7.0f} ms (import {median(rows, 0):.0f}; CPU time {median(rows, 2):.0f} ms)")
    if args.bundle:
        for label, rows in samples(args.python, IMPORT.format(name="api"), bundles(args.python, codes["this"], stack),
                                   args.runs).items():
            print(f"bundle, {label:12s} import transcripts.handlers.api {median(rows, 0):7.0f} ms "
                  f"(CPU time {median(rows, 1):.0f} ms)")
    for label, environ in codes.items():
        print(f"{label}: api: heaviest top-level imports (cumulative ms, one run):")
        for module, ms in heaviest(args.python, environ, 8):
            print(f"  {module:40s} {ms:6.0f}")
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
