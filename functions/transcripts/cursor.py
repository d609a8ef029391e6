"""Opaque, tamper-proof list cursors.

A cursor holds the keyset position (created_ns, id) of the last item served, signed with
HMAC-SHA256 over the owner too: a client can neither forge a position nor replay another
owner's cursor. Keyset paging means new jobs arriving between pages cause no duplicates or
gaps: they sort before the position and never enter later pages.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from functools import cached_property

from .errors import invalid


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class CursorCodec:
    def __init__(self, secret: bytes | Callable[[], bytes]):
        """`secret` may be a loader: a worker that never lists never fetches it."""
        self._secret = secret

    @cached_property
    def secret(self) -> bytes:
        return self._secret() if callable(self._secret) else self._secret

    def _mac(self, owner: str, payload: bytes) -> bytes:
        return hmac.new(self.secret, owner.encode() + b"\0" + payload, hashlib.sha256).digest()[:16]

    def encode(self, owner: str, created_ns: int, job_id: str) -> str:
        payload = json.dumps([created_ns, job_id], separators=(",", ":")).encode()
        return _b64(payload) + "." + _b64(self._mac(owner, payload))

    def decode(self, owner: str, cursor: str) -> tuple[int, str]:
        bad = invalid("cursor", "cursor is not valid: pass next_cursor from a previous list response unchanged",
                      code="invalid_cursor")
        try:
            payload_text, mac_text = cursor.split(".")
            payload = _unb64(payload_text)
            if not hmac.compare_digest(self._mac(owner, payload), _unb64(mac_text)):
                raise bad
            created_ns, job_id = json.loads(payload)
        except (ValueError, TypeError):
            raise bad from None
        if not isinstance(created_ns, int) or not isinstance(job_id, str):
            raise bad
        return created_ns, job_id
