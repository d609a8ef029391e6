"""A Python client for the Transcripts API, on the core dependencies only (httpcore, stdlib).

    from transcripts.client import Client

    client = Client()  # TRANSCRIPTS_API_URL (default http://127.0.0.1:8000), TRANSCRIPTS_API_KEY
    job = client.create("call.mp3", word_timestamps=True)
    done = client.wait(job["id"])
    print(client.srt(done["id"]))

A file bigger than `max_direct_bytes` (default 4 MB, what fits through API Gateway and Lambda)
goes through `POST /v1/uploads` by itself: one PUT (or one per part on S3), then the job is
created with its `upload://` URL. API errors raise `ApiError` with the API's code and message.
httpcore is the HTTP layer because it is already a core dependency (webhooks use it): the client
adds no package to the install or to the Lambda bundle (httpx is a test dependency only).
"""

from __future__ import annotations

import json
import os
import secrets
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpcore

DEFAULT_URL = "http://127.0.0.1:8000"
DEFAULT_MAX_DIRECT_BYTES = 4 * 1024 * 1024
CHUNK = 1024 * 1024
DONE = ("completed", "error")


class ApiError(Exception):
    """An answer other than 2xx: `status`, and the API's `code`, `message` and `param`."""

    def __init__(self, status: int, code: str, message: str, param: str | None = None):
        super().__init__(f"{code}: {message}")
        self.status, self.code, self.message, self.param = status, code, message, param


class Client:
    def __init__(self, base_url: str | None = None, api_key: str | None = None, timeout: float = 120.0,
                 max_direct_bytes: int | None = None):
        self.base_url = (base_url or os.environ.get("TRANSCRIPTS_API_URL") or DEFAULT_URL).rstrip("/")
        self.api_key = api_key if api_key is not None else os.environ.get("TRANSCRIPTS_API_KEY", "")
        self.max_direct_bytes = max_direct_bytes if max_direct_bytes is not None else DEFAULT_MAX_DIRECT_BYTES
        self.timeout = timeout
        self._pool = httpcore.ConnectionPool()

    def close(self) -> None:
        self._pool.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ transcripts
    def create(self, audio: str | os.PathLike, **options) -> dict:
        """A job for a local file or an `http(s)://` URL. Options are the API's (`diarize`,
        `word_timestamps`, `redact`, `language`, `vocabulary`, `webhook_url`, `metadata`, ...)."""
        options = {k: v for k, v in options.items() if v is not None}
        text = os.fspath(audio)
        if text.startswith(("http://", "https://")):
            return self._json("POST", "/v1/transcripts", {"audio_url": text, **options})
        path = Path(text)
        size = path.stat().st_size
        if size > self.max_direct_bytes:
            return self._json("POST", "/v1/transcripts", {"audio_url": self.upload(path), **options})
        return self._multipart("/v1/transcripts", path, "audio_file", options)

    def upload(self, path: Path) -> str:
        """Send a file through `POST /v1/uploads`; returns its `upload://` audio_url."""
        size = path.stat().st_size
        target = self._json("POST", "/v1/uploads", {"size": size, "filename": path.name[:200]})
        if target.get("parts"):
            done = []
            with path.open("rb") as f:
                for part in target["parts"]:
                    headers = self._put(part["url"], _read_exactly(f, part["size"]), part["size"])
                    done.append({"part_number": part["part_number"], "etag": headers.get("etag", "")})
            self._json("POST", target["complete_url"], {"parts": done})
        else:
            with path.open("rb") as f:
                self._put(target["url"], _chunks(f), size)
        return target["audio_url"]

    def get(self, transcript_id: str) -> dict:
        return self._json("GET", f"/v1/transcripts/{transcript_id}")

    def list(self, status: str | None = None, limit: int | None = None, page_size: int = 100,
             **filters) -> Iterator[dict]:
        """Transcripts newest first, page after page, up to `limit` (None: all)."""
        cursor, seen = None, 0
        while True:
            size = page_size if limit is None else max(1, min(page_size, limit - seen))
            query = {"limit": size, "status": status, "cursor": cursor, **filters}
            page = self._json("GET", "/v1/transcripts", query={k: v for k, v in query.items() if v is not None})
            for item in page["data"]:
                yield item
                seen += 1
                if limit is not None and seen >= limit:
                    return
            cursor = page.get("next_cursor")
            if not page.get("has_more") or not cursor:
                return

    def delete(self, transcript_id: str) -> None:
        self._request("DELETE", f"/v1/transcripts/{transcript_id}")

    def wait(self, transcript_id: str, timeout: float | None = None, poll_s: float = 1.0,
             on_update: Callable[[dict], None] | None = None) -> dict:
        """Poll until the transcript is completed or failed; `on_update` sees every poll."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            job = self.get(transcript_id)
            if on_update is not None:
                on_update(job)
            if job["status"] in DONE:
                return job
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"{transcript_id} is still {job['status']} after {timeout} s")
            time.sleep(poll_s)

    def srt(self, transcript_id: str, **options) -> str:
        return self._request("GET", f"/v1/transcripts/{transcript_id}/srt", query=options)[2].decode()

    def vtt(self, transcript_id: str, **options) -> str:
        return self._request("GET", f"/v1/transcripts/{transcript_id}/vtt", query=options)[2].decode()

    # ------------------------------------------------------------------ HTTP
    def _headers(self, extra: dict | None = None) -> list[tuple[bytes, bytes]]:
        headers = {"authorization": f"Bearer {self.api_key}", "user-agent": "transcripts-client/1",
                   "accept": "application/json", **(extra or {})}
        return [(k.encode(), str(v).encode()) for k, v in headers.items()]

    def _extensions(self) -> dict:
        return {"timeout": {"connect": 10.0, "read": self.timeout, "write": self.timeout, "pool": 10.0}}

    def _request(self, method: str, path: str, *, query: dict | None = None, content=b"",
                 headers: dict | None = None) -> tuple[int, dict, bytes]:
        url = self.base_url + path + (("?" + urlencode(query)) if query else "")
        if isinstance(content, bytes):
            headers = {"content-length": str(len(content)), **(headers or {})} if method in ("POST", "PUT") \
                else headers
        resp = self._pool.request(method, url, headers=self._headers(headers), content=content,
                                  extensions=self._extensions())
        status, body = resp.status, resp.content
        if status >= 400:
            raise _error(status, body)
        return status, {k.decode().lower(): v.decode() for k, v in resp.headers}, body

    def _json(self, method: str, path: str, payload: dict | None = None, query: dict | None = None) -> dict:
        content = json.dumps(payload).encode() if payload is not None else b""
        headers = {"content-type": "application/json"} if payload is not None else None
        _, _, body = self._request(method, path, query=query, content=content, headers=headers)
        return json.loads(body) if body else {}

    def _multipart(self, path: str, file: Path, field: str, options: dict) -> dict:
        boundary = "transcripts-" + secrets.token_hex(12)
        head = b"".join(_form_field(boundary, k, v) for k, v in _form_values(options))
        name = file.name.replace('"', "_")
        head += (f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n'
                 "Content-Type: application/octet-stream\r\n\r\n").encode()
        tail = f"\r\n--{boundary}--\r\n".encode()
        size = len(head) + file.stat().st_size + len(tail)

        def body():
            yield head
            with file.open("rb") as f:
                yield from _chunks(f)
            yield tail

        _, _, raw = self._request("POST", path, content=body(), headers={
            "content-type": f"multipart/form-data; boundary={boundary}", "content-length": str(size)})
        return json.loads(raw)

    def _put(self, url: str, content, size: int) -> dict:
        """A PUT to an upload URL (ours or a presigned S3 one): no API key travels there."""
        if urlsplit(url).scheme not in ("http", "https"):
            url = self.base_url + url
        resp = self._pool.request("PUT", url, headers=[(b"content-length", str(size).encode())], content=content,
                                  extensions=self._extensions())
        if resp.status >= 300:
            raise _error(resp.status, resp.content)
        return {k.decode().lower(): v.decode() for k, v in resp.headers}


def _error(status: int, body: bytes) -> ApiError:
    try:
        err = json.loads(body)["error"]
        return ApiError(status, err.get("code") or "error", err.get("message") or "", err.get("param"))
    except (ValueError, KeyError, TypeError):
        return ApiError(status, f"http_{status}", body[:200].decode(errors="replace").strip() or "no body")


def _chunks(f) -> Iterator[bytes]:
    while chunk := f.read(CHUNK):
        yield chunk


def _read_exactly(f, size: int) -> Iterator[bytes]:
    left = size
    while left > 0:
        chunk = f.read(min(CHUNK, left))
        if not chunk:
            return
        left -= len(chunk)
        yield chunk


def _form_values(options: dict) -> Iterator[tuple[str, str]]:
    for key, value in options.items():
        if isinstance(value, bool):
            yield key, "true" if value else "false"
        elif isinstance(value, dict):
            yield key, json.dumps(value)
        elif isinstance(value, (list, tuple)):
            for item in value:
                yield key, str(item)
        else:
            yield key, str(value)


def _form_field(boundary: str, name: str, value: str) -> bytes:
    return f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
