"""Outbound URL policy: what a client's audio_url or webhook_url may reach."""

from __future__ import annotations

import pytest

from transcripts.errors import ApiError
from transcripts.outbound import AddressPolicy, BadUrl, ForbiddenAddress, OutboundClient, parse_allowlist, validate_client_url

REFUSED = [
    "http://127.0.0.1/a.wav",
    "http://localhost/a.wav",
    "http://10.1.2.3/a.wav",
    "http://172.16.0.5/a.wav",
    "http://192.168.1.1/a.wav",
    "http://169.254.169.254/latest/meta-data/",  # AWS / most clouds' metadata
    "http://[fd00:ec2::254]/latest/meta-data/",  # AWS metadata over IPv6
    "http://[::1]/a.wav",
    "http://[::ffff:127.0.0.1]/a.wav",
    "http://0.0.0.0/a.wav",
    "http://100.64.0.1/a.wav",  # carrier-grade NAT
    "http://224.0.0.1/a.wav",
]


@pytest.mark.parametrize("url", REFUSED)
def test_private_loopback_link_local_refused(url):
    with pytest.raises(ForbiddenAddress):
        AddressPolicy().check_url(url)
    with pytest.raises(ApiError) as err:
        validate_client_url(AddressPolicy(), url, "audio_url")
    assert (err.value.status, err.value.code, err.value.param) == (400, "url_not_allowed", "audio_url")


@pytest.mark.parametrize("url", ["ftp://8.8.8.8/a.wav", "file:///etc/passwd", "gopher://8.8.8.8/", "http:///nohost",
                                 "http://user:pw@8.8.8.8/a.wav", "not a url"])
def test_bad_schemes_and_shapes(url):
    with pytest.raises(ApiError) as err:
        validate_client_url(AddressPolicy(), url, "audio_url")
    assert err.value.code == "invalid_url"


def test_public_addresses_pass():
    AddressPolicy().check_url("https://8.8.8.8/a.wav")
    AddressPolicy().check_url("http://[2606:4700:4700::1111]/a.wav")


def test_allowlist_opens_only_what_it_names():
    policy = AddressPolicy(parse_allowlist("127.0.0.1/32, 10.0.0.0/8"))
    policy.check_url("http://127.0.0.1:9000/a.wav")
    policy.check_url("http://10.9.9.9/a.wav")
    with pytest.raises(ForbiddenAddress):
        policy.check_url("http://169.254.169.254/")
    with pytest.raises(ForbiddenAddress):
        policy.check_url("http://192.168.0.1/")


def redirect_to(peer, location: str, status: int = 302) -> None:
    """Make the peer answer every GET with a redirect to `location`."""
    from http.server import BaseHTTPRequestHandler

    class Redirect(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(status)
            self.send_header("location", location)
            self.end_headers()

        def log_message(self, *a):
            pass

    peer.server.RequestHandlerClass = Redirect


def test_connection_time_check_blocks_redirect_to_metadata(peer):
    """The allow-listed peer redirects to the metadata address: the hop is refused at connect."""
    redirect_to(peer, "http://169.254.169.254/latest/meta-data/")
    client = OutboundClient(AddressPolicy(parse_allowlist("127.0.0.1/32")), timeout_s=5)
    with pytest.raises(ForbiddenAddress):
        with client.stream("GET", peer.url + "/a.wav"):
            pass


def test_client_fetches_from_allowlisted_peer(peer):
    peer.files["/a.bin"] = b"hello"
    client = OutboundClient(AddressPolicy(parse_allowlist("127.0.0.1/32")), timeout_s=5)
    with client.stream("GET", peer.url + "/a.bin") as resp:
        assert resp.status == 200 and b"".join(resp.chunks) == b"hello"
    blocked = OutboundClient(AddressPolicy(), timeout_s=5)
    with pytest.raises(ForbiddenAddress):
        with blocked.stream("GET", peer.url + "/a.bin"):
            pass


def test_bad_url_on_redirect(peer):
    redirect_to(peer, "file:///etc/passwd", status=301)
    client = OutboundClient(AddressPolicy(parse_allowlist("127.0.0.1/32")), timeout_s=5)
    with pytest.raises(BadUrl):
        with client.stream("GET", peer.url + "/x"):
            pass
