"""API latency under load while a long transcription runs on the same machine.

Starts the real server (`transcripts serve`, embedded default), creates a key, and drives
`wrk` (Debian package `wrk`: a C load generator that does not itself eat the interpreter) at
`--connections` connections against GET of one transcript and GET of the list, first with the
worker idle, then while a `--minutes`-long job is transcribed. Prints requests/s, p50/p90/p99
and errors for each.

    .venv/bin/python bench/load.py [--seconds 60] [--connections 100] [--minutes 6] [--worker inline]

`--worker` sets TRANSCRIPTS_WORKER (default `process`: the worker in a child process of the server).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).parents[1]
sys.path[:0] = [str(ROOT / "functions"), str(ROOT / "tests")]

from helpers import Client, Server, concat, espeak  # noqa: E402

TEXT = ("Thank you for calling the support line. My name is Alex and I will help you today. "
        "Please tell me the account number and the reason for your call.")
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def long_recording(tmp: Path, minutes: float) -> Path:
    clip = espeak(TEXT, tmp / "clip.wav")
    one = concat(tmp / "one-minute.wav", *([clip] * 6), rate=16000)  # ~60 s
    return concat(tmp / "long.wav", *([one] * max(1, round(minutes))), rate=16000)


def wrk(url: str, key: str, seconds: int, connections: int) -> dict:
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s",
                          "-H", f"Authorization: Bearer {key}", url], capture_output=True, text=True, check=True).stdout
    figures = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    for pct in ("50", "90", "99"):
        value, unit = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        figures[f"p{pct}_ms"] = round(float(value) * UNITS[unit], 1)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    figures["errors"] = sum(int(x) for x in errors.groups()) if errors else 0
    figures["non_2xx"] = int(non2xx.group(1)) if non2xx else 0
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--minutes", type=float, default=6.0)
    parser.add_argument("--worker", choices=("process", "inline"), default="process")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    with tempfile.TemporaryDirectory(prefix="load-") as tmp:
        tmp = Path(tmp)
        server = Server(tmp / "data", {"TRANSCRIPTS_WORKER": args.worker}).start()
        try:
            c = Client(server.url, server.create_key()["api_key"])
            key = c.http.headers["authorization"].split()[1]
            done = c.upload(espeak("Hello there.", tmp / "short.wav")).json()["id"]
            c.wait(done)
            print(f"cpus {os.cpu_count()}, load average {os.getloadavg()[0]:.1f}, {args.connections} connections, "
                  f"{args.seconds} s each, worker {args.worker}", flush=True)
            for label, path in (("GET one (completed)", f"/v1/transcripts/{done}"), ("GET list", "/v1/transcripts")):
                print(f"idle worker   {label:22s}", wrk(server.url + path, key, args.seconds, args.connections),
                      flush=True)
            running = c.upload(long_recording(tmp, args.minutes)).json()["id"]
            while c.http.get(f"/v1/transcripts/{running}").json()["status"] != "processing":
                time.sleep(0.2)
            for label, path in (("GET one (running)", f"/v1/transcripts/{running}"),
                                ("GET one (completed)", f"/v1/transcripts/{done}"), ("GET list", "/v1/transcripts")):
                figures = wrk(server.url + path, key, args.seconds, args.connections)
                still = c.http.get(f"/v1/transcripts/{running}").json()["status"] == "processing"
                print(f"job running   {label:22s}", figures, "" if still else "(the job ended during this run)",
                      flush=True)
            print(f"load average {os.getloadavg()[0]:.1f} at the end")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
