"""Fetch a client's `audio_url` into the BlobStore, within the size limit and address policy."""

from __future__ import annotations

import httpcore

from .errors import JobFailed
from .outbound import BadUrl, ForbiddenAddress, OutboundClient
from .ports import BlobStore


class _Limited:
    """A file-like reader over response chunks that stops at `limit` bytes."""

    def __init__(self, chunks, limit: int):
        self.chunks = iter(chunks)
        self.limit = limit
        self.seen = 0
        self.buffer = b""

    def read(self, size: int = -1) -> bytes:
        while not self.buffer:
            chunk = next(self.chunks, None)
            if chunk is None:
                return b""
            self.seen += len(chunk)
            if self.seen > self.limit:
                raise JobFailed("file_too_large", f"audio_url serves more than {self.limit} bytes")
            self.buffer = chunk
        out, self.buffer = (self.buffer, b"") if size < 0 else (self.buffer[:size], self.buffer[size:])
        return out


def fetch_to_blob(client: OutboundClient, url: str, blobs: BlobStore, key: str, max_bytes: int) -> int:
    try:
        with client.stream("GET", url) as resp:
            if resp.status != 200:
                raise JobFailed("audio_fetch_failed", f"audio_url answered HTTP {resp.status}")
            declared = resp.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise JobFailed("file_too_large", f"audio_url serves {declared} bytes; the limit is {max_bytes}")
            return blobs.put_stream(key, _Limited(resp.chunks, max_bytes))
    except ForbiddenAddress as exc:
        raise JobFailed("url_not_allowed", "audio_url resolves to an address this deployment may not reach") from exc
    except BadUrl as exc:
        raise JobFailed("audio_fetch_failed", f"audio_url could not be fetched: {exc}") from exc
    except (httpcore.TimeoutException, httpcore.NetworkError, httpcore.ProtocolError, OSError) as exc:
        raise JobFailed("audio_fetch_failed", "audio_url could not be fetched: network error or timeout") from exc
