"""Uploads of the embedded default: a signed URL to the server's own upload endpoint.

There is no body-size cap to dodge locally, so every upload is one PUT; the flow a client
follows (create, PUT, transcribe with `upload://`) is the same as against S3.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from ..ports import UploadTarget, Uploads


class LocalUploads(Uploads):
    def __init__(self, secret: bytes):
        self.secret = secret

    def signature(self, key: str, expires: int, size: int) -> str:
        """Signs the declared size too: the PUT may not carry more than was declared."""
        return hmac.new(self.secret, f"upload\0{key}\0{expires}\0{size}".encode(), hashlib.sha256).hexdigest()

    def start(self, key: str, size: int, expires_s: int, base_url: str) -> UploadTarget:
        expires = int(time.time()) + expires_s
        url = (f"{base_url.rstrip('/')}/v1/uploads/content/{key}?expires={expires}&size={size}"
               f"&signature={self.signature(key, expires, size)}")
        return UploadTarget(method="PUT", url=url)

    def verify(self, key: str, expires: int, signature: str, size: int = 0) -> bool:
        return expires >= time.time() and hmac.compare_digest(self.signature(key, expires, size), signature or "")

    def complete(self, key: str, parts: list[tuple[int, str]]) -> None:
        return None  # single PUT: nothing to assemble
