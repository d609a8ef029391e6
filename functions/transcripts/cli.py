"""The `transcripts` command: serve the API, manage keys, transcribe a file, stream one live, redact a
transcript, run the demo, and the client commands (submit, get, list, wait, delete) against a running API."""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
from pathlib import Path

SAMPLE = Path(__file__).parent / "samples" / "jfk.ogg"


def _settings(args):
    from .settings import Settings

    overrides = {}
    if getattr(args, "data_dir", None):
        overrides["data_dir"] = Path(args.data_dir)
    return Settings(**overrides)


def cmd_serve(args) -> int:
    import uvicorn

    from . import logs
    from .api.app import create_app
    from .bootstrap import bootstrap

    logs.configure()
    services = bootstrap(_settings(args))
    app = create_app(services)
    # What is loaded by now lives as long as the server: out of the collector's sight, a full
    # collection walks only what requests made (shorter pauses under load).
    gc.freeze()
    # asyncio's loop, not uvloop even where installed: under load uvloop served some connections
    # over a second late (bench/load.py). httptools parses HTTP when installed (the local extra).
    uvicorn.run(app, host=args.host, port=args.port, log_config=None, access_log=False,
                timeout_graceful_shutdown=5, loop="asyncio")
    return 0


def cmd_worker(args) -> int:
    """The embedded default's transcription worker: `serve` starts one (TRANSCRIPTS_WORKER=process);
    with TRANSCRIPTS_WORKER=none, run it yourself on the server's data directory."""
    import signal
    import threading

    from . import logs
    from .bootstrap import bootstrap

    logs.configure()
    if args.supervised:
        from .adapters.worker_process import die_with_parent

        die_with_parent()
    settings = _settings(args)
    os.nice(settings.worker_nice)  # the API on the same cores answers first
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    services = bootstrap(settings, role="worker", supervised=args.supervised)
    try:
        services.start()
    except RuntimeError as exc:  # the data directory's worker lock, a missing model
        print(json.dumps({"error": {"code": "worker_not_started", "message": str(exc), "param": None}}),
              file=sys.stderr)
        return 3
    try:
        while not stop.wait(1.0):
            pass
    finally:
        services.stop()
    return 0


def cmd_keys_create(args) -> int:
    from .bootstrap import bootstrap

    key = bootstrap(_settings(args)).keys.create(args.name)
    print(json.dumps({"api_key": key.api_key, "webhook_secret": key.webhook_secret}))
    return 0


def cmd_keys_list(args) -> int:
    """A JSON array of every key: id, name, created, last_used (never the secret)."""
    from .bootstrap import bootstrap

    keys = bootstrap(_settings(args)).keys.list_keys()
    print(json.dumps([{k: key[k] for k in ("id", "name", "created", "last_used")} for key in keys], indent=2))
    return 0


def cmd_keys_revoke(args) -> int:
    from .bootstrap import bootstrap

    if not bootstrap(_settings(args)).keys.revoke(args.key_id):
        print(json.dumps({"error": {"code": "not_found", "message": f"no API key {args.key_id[:80]!r}",
                                    "param": "KEY_ID"}}), file=sys.stderr)
        return 1
    print(json.dumps({"id": args.key_id, "revoked": True}))
    return 0


def cmd_transcribe(args) -> int:
    """Runs the same create -> run_job -> get path as the server, in-process, in a scratch store."""
    from pydantic import ValidationError

    from .errors import from_validation
    from .api.schemas import TranscriptCreate
    from .bootstrap import bootstrap
    from .errors import ApiError
    from .service import Upload
    from .settings import Settings
    from .worker import run_job

    path = Path(args.file)
    if not path.is_file():
        print(json.dumps({"error": {"code": "file_not_found", "message": f"{path} is not a file", "param": "FILE"}}))
        return 2
    with tempfile.TemporaryDirectory(prefix="transcripts-") as scratch:
        env = Settings()
        services = bootstrap(env.model_copy(update={"data_dir": Path(scratch)}))
        who = services.keys.authenticate(services.keys.create("cli").api_key)
        try:
            req = TranscriptCreate.model_validate({
                "language": args.language, "word_timestamps": args.word_timestamps,
                "vocabulary": args.vocabulary or [], **({"model": args.model} if args.model else {}),
            })
            with path.open("rb") as f:
                created = services.transcripts.create(who, req, Upload(f, path.stat().st_size, path.name))
            run_job(created["id"], services.worker)
            result = services.transcripts.get(who, created["id"])
        except ApiError as exc:
            print(json.dumps(exc.body()))
            return 2
        except ValidationError as exc:
            print(json.dumps(from_validation(exc).body()))
            return 2
    print(json.dumps(result, indent=2))
    return 0 if result["status"] == "completed" else 1


def cmd_redact(args) -> int:
    """Redacts a transcript object from FILE or stdin with the same engine as jobs and prints it."""
    from .redaction.transcript import TranscriptShapeError, check_transcript, redact_transcript

    try:
        raw = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
        obj = json.loads(raw)
    except FileNotFoundError:
        print(json.dumps({"error": {"code": "file_not_found", "message": f"{args.file} is not a file", "param": "FILE"}}))
        return 2
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        print(json.dumps({"error": {"code": "invalid_json", "message": f"the input is not JSON: {exc}", "param": "FILE"}}))
        return 2
    classes = [c.strip() for c in args.redact.split(",") if c.strip()]
    try:
        from .redaction.engine import Redactor

        check_transcript(obj, classes)  # a bad file fails at once, before the engine loads (seconds)
        result = redact_transcript(obj, classes, Redactor())
    except TranscriptShapeError as exc:
        print(json.dumps({"error": {"code": "invalid_transcript" if exc.param != "redact" else "invalid_parameter",
                                    "message": str(exc), "param": exc.param}}))
        return 2
    print(json.dumps(result, indent=2))
    return 0


def cmd_listen(args) -> int:
    import asyncio

    import itertools

    from .listen import file_pcm, listen, paced, printer, stdin_pcm, stream_url

    key = args.api_key or os.environ.get("TRANSCRIPTS_API_KEY")
    if not key:
        print("give --api-key or set TRANSCRIPTS_API_KEY", file=sys.stderr)
        return 2
    if args.file == "-":
        source = stdin_pcm()
    elif not Path(args.file).is_file():
        print(f"{args.file} is not a file", file=sys.stderr)
        return 2
    else:
        source = file_pcm(Path(args.file), args.sample_rate)
        # Open the file and decode its start before connecting: a slow start is not an idle client.
        source = itertools.chain([next(source, b"")], source)
    params = {"sample_rate": args.sample_rate, "language": args.language, "model": args.model,
              "vocabulary": args.vocabulary or [], "word_timestamps": "true" if args.word_timestamps else None,
              "save": "true" if args.save else None}
    try:
        done = asyncio.run(listen(stream_url(args.url, params), key, paced(source, args.sample_rate, args.speed),
                                  printer(sys.stdout.isatty())))
    except Exception as exc:  # refused before the upgrade: show the API's error body
        body = getattr(getattr(exc, "response", None), "body", b"") or str(exc).encode()
        print(body.decode(errors="replace"), file=sys.stderr)
        return 1
    return 0 if done is not None else 1


def cmd_demo(args) -> int:
    from .demo import run_demo

    return run_demo(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="transcripts", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve the API (embedded default: SQLite, local files, CPU worker)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--data-dir", default=os.environ.get("TRANSCRIPTS_DATA_DIR"))
    serve.set_defaults(func=cmd_serve)

    worker = sub.add_parser("worker", help="run the transcription worker on a data directory (serve starts one "
                            "itself unless TRANSCRIPTS_WORKER is inline or none)")
    worker.add_argument("--data-dir", default=os.environ.get("TRANSCRIPTS_DATA_DIR"))
    worker.add_argument("--supervised", action="store_true", help=argparse.SUPPRESS)  # started by serve
    worker.set_defaults(func=cmd_worker)

    keys = sub.add_parser("keys", help="manage API keys")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    create = keys_sub.add_parser("create", help="create an API key and its project's webhook secret")
    create.add_argument("--name")
    create.add_argument("--data-dir", default=os.environ.get("TRANSCRIPTS_DATA_DIR"))
    create.set_defaults(func=cmd_keys_create)
    listing = keys_sub.add_parser("list", help="print every API key as JSON (id, name, created, last_used)")
    listing.add_argument("--data-dir", default=os.environ.get("TRANSCRIPTS_DATA_DIR"))
    listing.set_defaults(func=cmd_keys_list)
    revoke = keys_sub.add_parser("revoke", help="revoke an API key by its id (key_...): its next request gets 401")
    revoke.add_argument("key_id", metavar="KEY_ID")
    revoke.add_argument("--data-dir", default=os.environ.get("TRANSCRIPTS_DATA_DIR"))
    revoke.set_defaults(func=cmd_keys_revoke)

    tr = sub.add_parser("transcribe", help="transcribe one file in-process and print the transcript JSON")
    tr.add_argument("file")
    tr.add_argument("--language")
    tr.add_argument("--model")
    tr.add_argument("--word-timestamps", action="store_true")
    tr.add_argument("--vocabulary", nargs="+", metavar="TERM")
    tr.set_defaults(func=cmd_transcribe)

    red = sub.add_parser("redact", help="redact a transcript JSON (this API's, or shaped like it) and print it")
    red.add_argument("file", metavar="FILE", help="transcript JSON file, or - for standard input")
    red.add_argument("--redact", required=True, metavar="CLASSES", help="comma-separated: pii,phi,pci")
    red.set_defaults(func=cmd_redact)
    ls = sub.add_parser("listen", help="stream a file (or raw s16le PCM from stdin, FILE '-') to the real-time "
                        "WebSocket at real-time pace; print partials and finals")
    ls.add_argument("file", metavar="FILE|-")
    ls.add_argument("--url", default=os.environ.get("TRANSCRIPTS_URL", "http://127.0.0.1:8000"),
                    help="the API (or, on AWS, the GPU data plane's real-time URL)")
    ls.add_argument("--api-key", help="default: $TRANSCRIPTS_API_KEY")
    ls.add_argument("--sample-rate", type=int, default=16000, help="of the PCM sent (stdin's rate)")
    ls.add_argument("--language")
    ls.add_argument("--model")
    ls.add_argument("--vocabulary", nargs="+", metavar="TERM")
    ls.add_argument("--word-timestamps", action="store_true")
    ls.add_argument("--save", action="store_true", help="keep the session as a transcript")
    ls.add_argument("--speed", type=float, default=1.0, help="times real time (0: as fast as possible)")
    ls.set_defaults(func=cmd_listen)

    demo = sub.add_parser("demo", help="serve the API and transcribe the bundled sample through it")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--data-dir", default=os.environ.get("TRANSCRIPTS_DATA_DIR", "./transcripts-data"))
    demo.add_argument("--exit", action="store_true", help="stop the server after printing the transcript")
    demo.set_defaults(func=cmd_demo)

    from .client_cli import add_client_commands

    add_client_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from .client_cli import CLIENT_COMMANDS, run_client_command

    if args.command in CLIENT_COMMANDS:
        return run_client_command(args)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
