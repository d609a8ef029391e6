"""`transcripts demo`: start the server, then use it as a client would, over HTTP.

Creates an API key, uploads the bundled sample (JFK's "ask not" passage, public domain),
polls until the job ends and prints the transcript JSON. The server keeps running for you to
try the API unless `--exit` is given.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from .cli import SAMPLE


def _multipart(fields: dict[str, str], file_field: str, path: Path) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{path.name}"\r\n'
        f"Content-Type: application/octet-stream\r\n\r\n".encode() + path.read_bytes() + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _call(method: str, url: str, key: str | None = None, body: bytes | None = None, content_type: str | None = None):
    req = urllib.request.Request(url, data=body, method=method)
    if key:
        req.add_header("Authorization", f"Bearer {key}")
    if content_type:
        req.add_header("Content-Type", content_type)
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read() or b"null")


def run_demo(args) -> int:
    base = f"http://{args.host}:{args.port}"
    data_dir = str(Path(args.data_dir).resolve())
    env = {**os.environ, "TRANSCRIPTS_DATA_DIR": data_dir}
    server = subprocess.Popen([sys.executable, "-m", "transcripts.cli", "serve", "--host", args.host,
                               "--port", str(args.port), "--data-dir", data_dir], env=env)
    try:
        for _ in range(300):
            try:
                _call("GET", base + "/healthz")
                break
            except (urllib.error.URLError, ConnectionError):
                if server.poll() is not None:
                    print(f"the server exited with code {server.returncode}", file=sys.stderr)
                    return 1
                time.sleep(0.2)
        keys = json.loads(subprocess.check_output(
            [sys.executable, "-m", "transcripts.cli", "keys", "create", "--name", "demo", "--data-dir", data_dir]))
        print(f"API on {base}; demo key: {keys['api_key']}", file=sys.stderr)
        body, ctype = _multipart({"word_timestamps": "true", "metadata": json.dumps({"source": "demo"})},
                                 "audio_file", SAMPLE)
        job = _call("POST", base + "/v1/transcripts", keys["api_key"], body, ctype)
        print(f"created {job['id']} ({job['status']}); transcribing...", file=sys.stderr)
        while job["status"] in ("queued", "processing"):
            time.sleep(0.5)
            job = _call("GET", f"{base}/v1/transcripts/{job['id']}", keys["api_key"])
        print(json.dumps(job, indent=2))
        if args.exit:
            return 0 if job["status"] == "completed" else 1
        print(f"the API keeps serving on {base}; Ctrl-C stops it", file=sys.stderr)
        server.wait()
        return 0
    except KeyboardInterrupt:
        return 0
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=20)
