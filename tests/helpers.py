"""Test helpers: speech synthesis, audio encoding, the real server as a subprocess, and
local HTTP peers (file server, webhook receiver). Everything listens on 127.0.0.1."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx


def espeak(text: str, path: Path, voice: str = "en-us", speed: int = 150) -> Path:
    if not path.exists():
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(path), text], check=True)
    return path


def silence(path: Path, seconds: float, rate: int = 16000) -> Path:
    subprocess.run(["sox", "-n", "-r", str(rate), "-c", "1", "-b", "16", str(path), "trim", "0", str(seconds)], check=True)
    return path


def concat(out: Path, *parts: Path, rate: int = 16000) -> Path:
    """Join clips (resampled to one rate, mono) with sox."""
    tmp = []
    for i, p in enumerate(parts):
        t = out.with_suffix(f".part{i}.wav")
        subprocess.run(["sox", str(p), "-r", str(rate), "-c", "1", "-b", "16", str(t)], check=True)
        tmp.append(str(t))
    subprocess.run(["sox", *tmp, str(out)], check=True)
    for t in tmp:
        os.unlink(t)
    return out


ENCODERS = {  # container format, codec, file suffix
    "mp3": ("mp3", "libmp3lame", ".mp3"),
    "m4a": ("ipod", "aac", ".m4a"),
    "ogg": ("ogg", "libopus", ".ogg"),
    "flac": ("flac", "flac", ".flac"),
    "webm": ("webm", "libopus", ".webm"),
}


def encode(src: Path, kind: str, out_dir: Path) -> Path:
    """Re-encode a WAV with PyAV (its wheels carry the encoders; no ffmpeg binary needed)."""
    import av

    fmt, codec, suffix = ENCODERS[kind]
    out = out_dir / (src.stem + suffix)
    if out.exists():
        return out
    rate = 48000 if codec == "libopus" else 16000
    with av.open(str(src)) as inp, av.open(str(out), "w", format=fmt) as dst:
        stream = dst.add_stream(codec, rate=rate)
        stream.layout = "mono"
        sample_fmt = stream.codec_context.codec.audio_formats[0].name
        resampler = av.AudioResampler(format=sample_fmt, layout="mono", rate=rate)
        frames = list(inp.decode(audio=0)) + [None]
        for frame in frames:
            for f in resampler.resample(frame):
                for packet in stream.encode(f):
                    dst.mux(packet)
        for packet in stream.encode(None):
            dst.mux(packet)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """The real `transcripts serve` in a subprocess."""

    data_dir: Path
    env: dict
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> "Server":
        self.log_path = self.data_dir.parent / f"{self.data_dir.name}-server.log"
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "transcripts.cli", "serve", "--port", str(self.port), "--data-dir", str(self.data_dir)],
            env={**os.environ, **self.env}, stdout=log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()[-3000:]}")
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def kill(self) -> None:
        """SIGKILL: the process gets no chance to tidy up, like a crash or power loss."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def create_key(self) -> dict:
        out = subprocess.check_output(
            [sys.executable, "-m", "transcripts.cli", "keys", "create", "--data-dir", str(self.data_dir)],
            env={**os.environ, **self.env},
        )
        return json.loads(out)

    def logs(self) -> str:
        return self.log_path.read_text() if self.log_path and self.log_path.exists() else ""


class Client:
    def __init__(self, base: str, key: str):
        self.http = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=60)

    def upload(self, path: Path, **fields) -> httpx.Response:
        data = {}
        for k, v in fields.items():
            if isinstance(v, bool):
                data[k] = "true" if v else "false"
            elif isinstance(v, dict):
                data[k] = json.dumps(v)
            else:
                data[k] = v
        with path.open("rb") as f:
            return self.http.post("/v1/transcripts", data=data, files={"audio_file": (path.name, f)})

    def wait(self, job_id: str, timeout: float = 180) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = self.http.get(f"/v1/transcripts/{job_id}").json()
            if job.get("status") in ("completed", "error"):
                return job
            time.sleep(0.2)
        raise TimeoutError(f"{job_id} did not finish")


class Peer:
    """A local HTTP peer: serves files under `files` and records POSTs (webhooks).

    `responses` is the queue of status codes POSTs get, then 200 once it is empty."""

    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.received: list[dict] = []
        self.responses: list[int] = []
        self.lock = threading.Lock()
        peer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                body = peer.files.get(self.path)
                if body is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                with peer.lock:
                    status = peer.responses.pop(0) if peer.responses else 200
                    peer.received.append({"headers": dict(self.headers), "body": body, "status": status,
                                          "path": self.path, "time": time.time()})
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def have_tools() -> bool:
    return bool(shutil.which("espeak-ng") and shutil.which("sox"))


def eventually(check, timeout: float = 5.0, step: float = 0.1):
    """Run `check` until it passes (no AssertionError) or `timeout` runs out, then once more.

    For reads of secondary indexes, which DynamoDB updates asynchronously: a new job shows up
    in a listing shortly after its write, not necessarily at once."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            return check()
        except AssertionError:
            time.sleep(step)
    return check()
