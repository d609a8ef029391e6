"""Every kind of bad input gets its documented status and error body, and nothing is written."""

from __future__ import annotations

import json

import httpx
import pytest

from helpers import files_under, silence

from .conftest import MAX_UPLOAD_BYTES


def assert_error(resp: httpx.Response, status: int, code: str, param: str | None = "any") -> dict:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "param"}
    assert body["error"]["code"] == code, body
    assert body["error"]["message"]
    if param != "any":
        assert body["error"]["param"] == param, body
    return body["error"]


@pytest.fixture(scope="module")
def bad(server):
    """A separate project, so the 'nothing was written' check sees only these requests."""
    from helpers import Client

    return Client(server.url, server.create_key()["api_key"])


def post_json(c, payload):
    return c.http.post("/v1/transcripts", json=payload)


def test_missing_audio_names_both(bad):
    err = assert_error(post_json(bad, {"language": "en"}), 400, "missing_audio")
    assert "audio_file" in err["message"] and "audio_url" in err["message"]
    assert_error(bad.http.post("/v1/transcripts", data={"language": "en"}), 400, "missing_audio")


def test_both_audio_inputs(bad, short_wav):
    err = assert_error(bad.upload(short_wav, audio_url="https://8.8.8.8/a.wav"), 400, "multiple_audio_sources")
    assert "audio_file" in err["message"] and "audio_url" in err["message"]


def test_empty_file(bad, tmp_path):
    (tmp_path / "empty.wav").write_bytes(b"")
    assert_error(bad.upload(tmp_path / "empty.wav"), 400, "empty_file", "audio_file")


def test_text_file_renamed_wav(bad, tmp_path):
    (tmp_path / "notes.wav").write_text("meeting notes, not audio\n" * 50)
    assert_error(bad.upload(tmp_path / "notes.wav"), 415, "unsupported_audio_format", "audio_file")


def test_truncated_audio(bad, tmp_path, english_wav):
    data = english_wav.read_bytes()
    (tmp_path / "cut.wav").write_bytes(data[: len(data) // 3])
    assert_error(bad.upload(tmp_path / "cut.wav"), 400, "audio_truncated", "audio_file")


def test_file_over_size_limit(bad, tmp_path):
    big = tmp_path / "big.wav"
    big.write_bytes(b"RIFF" + b"\x00" * (MAX_UPLOAD_BYTES + 300_000))
    assert_error(bad.upload(big), 413, "file_too_large")


def test_audio_over_duration_limit(bad, tmp_path):
    long = silence(tmp_path / "long.wav", 70, rate=8000)  # 1.1 MB: under the size limit
    err = assert_error(bad.upload(long), 400, "audio_too_long", "audio_file")
    assert "60" in err["message"]


@pytest.mark.parametrize("url,code", [
    ("ftp://8.8.8.8/a.wav", "invalid_url"),
    ("file:///etc/passwd", "invalid_url"),
    ("http://169.254.169.254/latest/meta-data/", "url_not_allowed"),
    ("http://10.0.0.7/a.wav", "url_not_allowed"),
    ("http://192.168.1.10/a.wav", "url_not_allowed"),
    ("http://127.0.0.2/a.wav", "url_not_allowed"),  # loopback, but outside the allow-list
    ("http://[::1]/a.wav", "url_not_allowed"),
])
def test_audio_url_refused(bad, url, code):
    assert_error(post_json(bad, {"audio_url": url}), 400, code, "audio_url")


def test_webhook_url_refused(bad):
    payload = {"audio_url": "https://8.8.8.8/a.wav", "webhook_url": "http://169.254.169.254/hook"}
    assert_error(post_json(bad, payload), 400, "url_not_allowed", "webhook_url")


@pytest.mark.parametrize("language", ["xx", "english", "zz-US", ""])
def test_unknown_language(bad, language):
    assert_error(post_json(bad, {"audio_url": "https://8.8.8.8/a.wav", "language": language}),
                 400, "invalid_parameter", "language")


def test_unknown_redact_class(bad):
    assert_error(post_json(bad, {"audio_url": "https://8.8.8.8/a.wav", "redact": ["pii", "ssn"]}),
                 400, "invalid_parameter", "redact")


@pytest.mark.parametrize("fields", [{"redact_audio_mode": "silence"}, {"redact": ["pii"], "redact_audio_mode": "loud"}])
def test_redact_audio_mode_validated(bad, fields):
    assert_error(post_json(bad, {"audio_url": "https://8.8.8.8/a.wav", **fields}), 400, "invalid_parameter",
                 "redact_audio_mode")


@pytest.mark.parametrize("fields,param", [
    ({"speakers_expected": 2}, "speakers_expected"),  # hints need diarize: true
    ({"diarize": True, "speakers_expected": 21}, "speakers_expected"),
    ({"diarize": True, "min_speakers": 0}, "min_speakers"),
    ({"diarize": True, "min_speakers": 3, "max_speakers": 2}, "min_speakers"),
    ({"diarize": True, "speakers_expected": 2, "max_speakers": 3}, "speakers_expected"),
    ({"diarize": True, "speakers_expected": "two"}, "speakers_expected"),
])
def test_speaker_hints_validated(bad, fields, param):
    assert_error(post_json(bad, {"audio_url": "https://8.8.8.8/a.wav", **fields}), 400, "invalid_parameter", param)


def test_multichannel_validated(bad, short_wav):
    assert_error(post_json(bad, {"audio_url": "https://8.8.8.8/a.wav", "multichannel": True}),
                 400, "invalid_parameter", "multichannel")
    assert_error(post_json(bad, {"audio_url": "https://8.8.8.8/a.wav", "diarize": True, "multichannel": True,
                                 "speakers_expected": 2}), 400, "invalid_parameter", "multichannel")
    err = assert_error(bad.upload(short_wav, diarize=True, multichannel=True), 400, "not_multichannel", "multichannel")
    assert "one" in err["message"]


def test_metadata_limits(bad, short_wav):
    too_many = {f"k{i}": "v" for i in range(21)}
    assert_error(post_json(bad, {"audio_url": "https://8.8.8.8/a.wav", "metadata": too_many}),
                 400, "invalid_parameter", "metadata")
    assert_error(post_json(bad, {"audio_url": "https://8.8.8.8/a.wav", "metadata": {"n": 5}}),
                 400, "invalid_parameter", "metadata")
    assert_error(post_json(bad, {"audio_url": "https://8.8.8.8/a.wav", "metadata": {"k": "v" * 501}}),
                 400, "invalid_parameter", "metadata")
    assert_error(bad.upload(short_wav, metadata=too_many), 400, "invalid_parameter", "metadata")


def test_unknown_fields(bad, short_wav):
    assert_error(post_json(bad, {"audio_url": "https://8.8.8.8/a.wav", "speaker_labels": True}),
                 400, "unknown_parameter", "speaker_labels")
    assert_error(bad.upload(short_wav, punctuate="true"), 400, "unknown_parameter", "punctuate")


def test_unknown_model_lists_available(bad):
    err = assert_error(post_json(bad, {"audio_url": "https://8.8.8.8/a.wav", "model": "whisper-huge"}),
                       400, "unknown_model", "model")
    assert "whisper-base" in err["message"]


def test_wrong_types_and_bodies(bad):
    assert_error(post_json(bad, {"audio_url": "https://8.8.8.8/a.wav", "word_timestamps": "maybe"}),
                 400, "invalid_parameter", "word_timestamps")
    assert_error(bad.http.post("/v1/transcripts", content=b"{not json", headers={"content-type": "application/json"}),
                 400, "invalid_json")
    assert_error(bad.http.post("/v1/transcripts", content=b"x", headers={"content-type": "text/plain"}),
                 415, "unsupported_content_type")


@pytest.mark.parametrize("query,param", [
    ({"cursor": "not-a-cursor"}, "cursor"),
    ({"limit": 0}, "limit"),
    ({"limit": 101}, "limit"),
    ({"limit": "ten"}, "limit"),
    ({"status": "done"}, "status"),
    ({"created_after": "yesterday"}, "created_after"),
    ({"colour": "red"}, "colour"),
])
def test_bad_list_queries(bad, query, param):
    resp = bad.http.get("/v1/transcripts", params=query)
    assert resp.status_code == 400
    assert resp.json()["error"]["param"] == param


def raw_json(c, text: str) -> httpx.Response:
    return c.http.post("/v1/transcripts", content=text.encode(), headers={"content-type": "application/json"})


URL_FIELD = '"audio_url": "https://8.8.8.8/a.wav"'


@pytest.mark.parametrize("fields,param", [
    ('"metadata": {"k": "\\ud800"}', "metadata"),
    ('"metadata": {"\\udfff": "v"}', "metadata"),
    ('"vocabulary": ["ok", "\\ud800x"]', "vocabulary"),
    ('"webhook_url": "https://8.8.8.8/\\ud800"', "webhook_url"),
    ('"language": "\\ud800e"', "language"),
    ('"\\ud800": 1', None),
])
def test_lone_surrogates_in_json(bad, fields, param):
    """A lone UTF-16 surrogate is refused before anything is stored (it answered 500 after)."""
    assert_error(raw_json(bad, "{" + URL_FIELD + ", " + fields + "}"), 400, "invalid_text", param)


def test_lone_surrogates_in_forms(bad, short_wav):
    assert_error(bad.upload(short_wav, metadata='{"k": "\\ud800"}'), 400, "invalid_text", "metadata")
    assert_error(bad.upload(short_wav, vocabulary='["\\ud800"]'), 400, "invalid_text", "vocabulary")
    listing = bad.http.get("/v1/transcripts")
    assert listing.status_code == 200 and listing.json()["data"] == []


def test_deeply_nested_json(bad):
    deep = "[" * 10_000 + "]" * 10_000
    assert_error(raw_json(bad, '{"metadata": ' + deep + "}"), 400, "invalid_json")
    assert_error(raw_json(bad, '{"metadata": ' + "[" * 50 + "]" * 50 + "}"), 400, "invalid_json")
    assert_error(bad.http.post("/v1/uploads", content=("[" * 5000 + "]" * 5000).encode(),
                               headers={"content-type": "application/json"}), 400, "invalid_json")


@pytest.mark.parametrize("query,param", [
    ({"created_after": "9223372036"}, "created_after"),
    ({"created_before": "9223372036854775808"}, "created_before"),
    ({"created_after": "-1"}, "created_after"),
])
def test_list_times_out_of_range(bad, query, param):
    assert_error(bad.http.get("/v1/transcripts", params=query), 400, "invalid_parameter", param)
    assert bad.http.get("/v1/transcripts", params={"created_after": "9223372035"}).status_code == 200


def test_multipart_refusals_have_documented_codes(bad, short_wav):
    data = short_wav.read_bytes()
    two = bad.http.post("/v1/transcripts", files=[("audio_file", ("a.wav", data)), ("audio_file", ("b.wav", data))])
    assert_error(two, 400, "invalid_parameter", "audio_file")
    many = bad.http.post("/v1/transcripts", data={f"f{i}": "x" for i in range(201)},
                         files={"audio_file": ("a.wav", data)})
    assert_error(many, 400, "too_many_fields")
    broken = bad.http.post("/v1/transcripts", content=b"--xyz\r\nContent-Disposition: form-data\r\n\r\nabc",
                           headers={"content-type": "multipart/form-data"})
    assert_error(broken, 400, "invalid_multipart")


def test_method_not_allowed_names_allowed_methods(bad):
    resp = bad.http.request("TRACE", "/v1/models")
    assert_error(resp, 405, "method_not_allowed")
    assert "GET" in resp.headers["allow"]


def test_long_audio_url_is_invalid_url(bad):
    assert_error(post_json(bad, {"audio_url": "https://8.8.8.8/" + "a" * 2100}), 400, "invalid_url", "audio_url")


@pytest.mark.parametrize("host", [
    "[2002:7f00:1::]",  # 6to4 of 127.0.0.1
    "[2002:a00:1::]",  # 6to4 of 10.0.0.1
    "[64:ff9b::7f00:1]",  # NAT64 of 127.0.0.1
    "[64:ff9b::a9fe:a9fe]",  # NAT64 of 169.254.169.254
    "[64:ff9b:1::8.8.8.8]",  # local-use NAT64 prefix
    "[2001:0:4136:e378:8000:63bf:80ff:fffe]",  # Teredo whose client is 127.0.0.1
])
def test_ipv6_embedding_private_ipv4_refused(bad, host):
    assert_error(post_json(bad, {"audio_url": f"http://{host}/a.wav"}), 400, "url_not_allowed", "audio_url")


def test_upload_put_over_declared_size(bad, short_wav):
    upload = bad.http.post("/v1/uploads", json={"size": 10}).json()
    err = assert_error(httpx.put(upload["url"], content=b"\0" * 110_000), 413, "file_too_large", "size")
    assert "10" in err["message"]
    refused = bad.http.post("/v1/transcripts", json={"audio_url": upload["audio_url"]})
    assert_error(refused, 400, "upload_not_found", "audio_url")  # nothing was kept
    size = len(short_wav.read_bytes())
    forged = upload["url"].replace("size=10", f"size={size}")
    assert_error(httpx.put(forged, content=short_wav.read_bytes()), 403, "invalid_signature")


def one_hertz_wav(path, seconds: int = 13_800):
    """8-bit mono at 1 Hz: a 13.8 KB file that declares 3 h 50 min of audio."""
    import wave

    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(1)
        w.setframerate(1)
        w.writeframes(bytes([128]) * seconds)
    return path


def digital_silence_flac(path, seconds: float, rate: int = 8000):
    """FLAC of exact zeros in long frames: about 17 bytes a second, so hours fit in a few
    hundred KB (the issue's file: 13,800 s in 348 KB)."""
    import av
    import numpy as np

    with av.open(str(path), "w", format="flac") as out:
        stream = out.add_stream("flac", rate=rate, options={"frame_size": "32768"})
        stream.layout = "mono"
        step = rate
        for n in range(int(seconds)):
            frame = av.AudioFrame.from_ndarray(np.zeros((1, step), np.int16), format="s16", layout="mono")
            frame.sample_rate = rate
            frame.pts = n * step
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def test_sample_rate_below_floor(bad, tmp_path):
    err = assert_error(bad.upload(one_hertz_wav(tmp_path / "1hz.wav")), 400, "unsupported_sample_rate", "audio_file")
    assert "1 Hz" in err["message"] and "4000" in err["message"]


def test_implausibly_few_bytes_per_second(bad, tmp_path):
    flac = digital_silence_flac(tmp_path / "silence.flac", 120)
    assert flac.stat().st_size < 120 * 100  # 72 bytes/s: 8 KB of headers, then 17 bytes/s
    err = assert_error(bad.upload(flac), 400, "implausible_audio", "audio_file")
    assert "bytes/s" in err["message"]


def test_wav_header_hiding_most_of_the_audio(bad, tmp_path, english_wav):
    """A header that declares 1 s of a 10 s file: refused, never a silent partial transcript."""
    import struct

    data = bytearray(english_wav.read_bytes())
    at = data.index(b"data")
    byte_rate = struct.unpack("<I", data[28:32])[0]
    data[at + 4:at + 8] = struct.pack("<I", byte_rate)
    (tmp_path / "short_header.wav").write_bytes(bytes(data))
    err = assert_error(bad.upload(tmp_path / "short_header.wav"), 400, "audio_length_mismatch", "audio_file")
    assert "1.0 s" in err["message"]


def test_auth(server):
    assert_error(httpx.get(server.url + "/v1/transcripts"), 401, "missing_api_key")
    assert_error(httpx.get(server.url + "/v1/transcripts", headers={"Authorization": "Bearer sk_wrong"}),
                 401, "invalid_api_key")
    assert_error(httpx.get(server.url + "/v1/transcripts", headers={"Authorization": "Basic abc"}),
                 401, "invalid_api_key")
    resp = httpx.post(server.url + "/v1/transcripts", json={"audio_url": "https://8.8.8.8/a.wav"})
    assert resp.status_code == 401 and resp.headers["www-authenticate"] == "Bearer"


def test_unknown_transcript_is_404(bad):
    assert_error(bad.http.get("/v1/transcripts/transcript_nope"), 404, "not_found", "transcript_id")
    assert_error(bad.http.delete("/v1/transcripts/transcript_nope"), 404, "not_found", "transcript_id")


def test_nothing_was_written(bad, server):
    """Runs last in this module: none of the refused requests left a job or a file."""
    listing = bad.http.get("/v1/transcripts").json()
    assert listing["data"] == [] and listing["has_more"] is False
    leftovers = [p for p in files_under(server.data_dir / "blobs")]
    owned = [json.loads(p.read_text()) for p in leftovers if p.name == "result.json"]
    assert not [p for p in leftovers if p.name == "audio"], leftovers
    assert not owned
