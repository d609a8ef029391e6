"""List cursors are opaque and cannot be forged or moved to another owner."""

from __future__ import annotations

import base64
import json

import pytest

from transcripts.cursor import CursorCodec
from transcripts.errors import ApiError


def test_roundtrip():
    codec = CursorCodec(b"k" * 32)
    cursor = codec.encode("proj_a", 123, "transcript_x")
    assert codec.decode("proj_a", cursor) == (123, "transcript_x")


@pytest.mark.parametrize("bad", ["", "abc", "a.b.c", "!!!.???", "eyJ9.AAAA"])
def test_garbage_is_invalid_cursor(bad):
    with pytest.raises(ApiError) as err:
        CursorCodec(b"k" * 32).decode("proj_a", bad)
    assert (err.value.status, err.value.code, err.value.param) == (400, "invalid_cursor", "cursor")


def test_forged_position_and_other_owner_rejected():
    codec = CursorCodec(b"k" * 32)
    cursor = codec.encode("proj_a", 123, "transcript_x")
    payload, mac = cursor.split(".")
    forged = base64.urlsafe_b64encode(json.dumps([999, "transcript_y"]).encode()).rstrip(b"=").decode() + "." + mac
    for attempt, owner in ((forged, "proj_a"), (cursor, "proj_b")):
        with pytest.raises(ApiError):
            codec.decode(owner, attempt)
    with pytest.raises(ApiError):
        CursorCodec(b"other" * 8).decode("proj_a", cursor)
