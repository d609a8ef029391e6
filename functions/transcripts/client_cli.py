"""The client commands of `transcripts`: submit, get, list, wait, delete, against a running API
(TRANSCRIPTS_API_URL, TRANSCRIPTS_API_KEY). API errors print `error: <code>: <message>` on
stderr and exit 1; an unreachable server exits 2."""

from __future__ import annotations

import argparse
import json
import os
import sys

import httpcore

from .client import ApiError, Client

OUTPUTS = ("json", "text", "srt", "vtt")
BAR_WIDTH = 30


def _client() -> Client:
    direct = os.environ.get("TRANSCRIPTS_MAX_DIRECT_BYTES")
    return Client(max_direct_bytes=int(direct) if direct else None)


def _metadata(pairs: list[str] | None) -> dict | None:
    if not pairs:
        return None
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise SystemExit(f"error: invalid_parameter: --metadata takes key=value, not {pair!r}")
        out[key] = value
    return out


class ProgressBar:
    """One line on a terminal, redrawn in place: status and progress of a job."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()

    def __call__(self, job: dict) -> None:
        if not self.enabled:
            return
        fraction = job.get("progress") or (1.0 if job["status"] == "completed" else 0.0)
        filled = int(round(fraction * BAR_WIDTH))
        line = f"\r{job['id'][:40]} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {fraction * 100:5.1f}% {job['status']:<10}"
        self.stream.write(line)
        if job["status"] in ("completed", "error"):
            self.stream.write("\n")
        self.stream.flush()


def _show(client: Client, job: dict, output: str) -> int:
    if job["status"] == "error":
        err = job.get("error") or {}
        print(f"error: {err.get('code')}: {err.get('message')}", file=sys.stderr)
        print(json.dumps(job, indent=2))
        return 1
    if output == "json" or job["status"] != "completed":
        print(json.dumps(job, indent=2))
    elif output == "text":
        print(job.get("text") or "")
    else:
        sys.stdout.write(getattr(client, output)(job["id"]))
    return 0


def cmd_submit(args) -> int:
    client = _client()
    options = {
        "diarize": args.diarize or None, "word_timestamps": args.word_timestamps or None,
        "redact": [c.strip() for c in args.redact.split(",") if c.strip()] if args.redact else None,
        "language": args.language, "vocabulary": args.vocabulary, "webhook_url": args.webhook_url,
        "metadata": _metadata(args.metadata), "model": args.model,
    }
    job = client.create(args.audio, **options)
    if not args.wait:
        print(json.dumps(job, indent=2))
        return 0
    return _show(client, client.wait(job["id"], on_update=ProgressBar()), args.output)


def cmd_get(args) -> int:
    client = _client()
    return _show(client, client.get(args.transcript_id), args.output)


def cmd_wait(args) -> int:
    client = _client()
    return _show(client, client.wait(args.transcript_id, timeout=args.timeout, on_update=ProgressBar()), args.output)


def cmd_list(args) -> int:
    items = list(_client().list(status=args.status, limit=args.limit))
    print(json.dumps(items, indent=2))
    return 0


def cmd_delete(args) -> int:
    _client().delete(args.transcript_id)
    print(json.dumps({"id": args.transcript_id, "deleted": True}))
    return 0


def add_client_commands(sub) -> None:
    submit = sub.add_parser("submit", help="create a transcript from a file or URL (large files via /v1/uploads)")
    submit.add_argument("audio", metavar="FILE|URL")
    submit.add_argument("--diarize", action="store_true")
    submit.add_argument("--word-timestamps", action="store_true")
    submit.add_argument("--redact", metavar="pii,phi,pci")
    submit.add_argument("--language", metavar="xx")
    submit.add_argument("--model")
    submit.add_argument("--vocabulary", nargs="+", metavar="TERM")
    submit.add_argument("--webhook-url", metavar="URL")
    submit.add_argument("--metadata", nargs="+", metavar="k=v")
    submit.add_argument("--wait", action="store_true", help="wait for the result (a progress bar on a terminal)")
    submit.add_argument("--output", choices=OUTPUTS, default="json", help="with --wait: how to print the result")
    submit.set_defaults(func=cmd_submit)

    get = sub.add_parser("get", help="print a transcript")
    get.add_argument("transcript_id", metavar="ID")
    get.add_argument("--output", choices=OUTPUTS, default="json")
    get.set_defaults(func=cmd_get)

    listing = sub.add_parser("list", help="print transcripts, newest first, as a JSON array")
    listing.add_argument("--status", choices=("queued", "processing", "completed", "error"))
    listing.add_argument("--limit", type=int, default=20)
    listing.set_defaults(func=cmd_list)

    wait = sub.add_parser("wait", help="wait for a transcript to finish, then print it")
    wait.add_argument("transcript_id", metavar="ID")
    wait.add_argument("--output", choices=OUTPUTS, default="json")
    wait.add_argument("--timeout", type=float)
    wait.set_defaults(func=cmd_wait)

    delete = sub.add_parser("delete", help="delete a transcript and its recording")
    delete.add_argument("transcript_id", metavar="ID")
    delete.set_defaults(func=cmd_delete)


CLIENT_COMMANDS = frozenset({"submit", "get", "list", "wait", "delete"})


def run_client_command(args: argparse.Namespace) -> int:
    """Run one client command; API and connection errors become a message and an exit code."""
    try:
        return args.func(args)
    except ApiError as exc:
        print(f"error: {exc.code}: {exc.message}", file=sys.stderr)
        return 1
    except (httpcore.ConnectError, httpcore.TimeoutException, httpcore.NetworkError) as exc:
        url = os.environ.get("TRANSCRIPTS_API_URL", "http://127.0.0.1:8000")
        print(f"error: connection_failed: cannot reach {url} ({type(exc).__name__}); set TRANSCRIPTS_API_URL",
              file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(f"error: file_not_found: {exc.filename}", file=sys.stderr)
        return 2
    except TimeoutError as exc:
        print(f"error: timeout: {exc}", file=sys.stderr)
        return 1
