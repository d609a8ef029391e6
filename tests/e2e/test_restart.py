"""A server killed mid-job (SIGKILL, no clean-up) loses no job and no webhook on restart."""

from __future__ import annotations

import time

from standardwebhooks.webhooks import Webhook

from helpers import Client, Server, concat

from .conftest import SERVER_ENV


def long_clip(audio_dir, english_wav):
    return concat(audio_dir / "restart-long.wav", *([english_wav] * 4), rate=8000)


def wait_for(predicate, timeout=60, step=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise TimeoutError


def test_running_and_queued_jobs_resume_after_crash(tmp_path, audio_dir, english_wav, short_wav):
    server = Server(tmp_path / "data", dict(SERVER_ENV)).start()
    try:
        key = server.create_key()
        c = Client(server.url, key["api_key"])
        running = c.upload(long_clip(audio_dir, english_wav)).json()["id"]
        queued = [c.upload(short_wav).json()["id"] for _ in range(2)]
        wait_for(lambda: c.http.get(f"/v1/transcripts/{running}").json()["status"] == "processing")
        server.kill()

        server.start()
        c = Client(server.url, key["api_key"])
        for job_id in [running, *queued]:
            job = c.wait(job_id)
            assert job["status"] == "completed", job
        assert "ask" not in c.wait(queued[0])["text"].lower()  # each job kept its own audio
        assert "thank you for calling" in c.wait(running)["text"].lower()
    finally:
        server.stop()


def test_job_that_keeps_losing_its_worker_ends_in_error(tmp_path, audio_dir, english_wav):
    env = {**SERVER_ENV, "TRANSCRIPTS_MAX_JOB_ATTEMPTS": "1"}
    server = Server(tmp_path / "data", env).start()
    try:
        key = server.create_key()
        c = Client(server.url, key["api_key"])
        job_id = c.upload(long_clip(audio_dir, english_wav)).json()["id"]
        wait_for(lambda: c.http.get(f"/v1/transcripts/{job_id}").json()["status"] == "processing")
        server.kill()
        server.start()
        job = Client(server.url, key["api_key"]).wait(job_id)
        assert job["status"] == "error"
        assert job["error"]["code"] == "worker_lost" and job["error"]["message"]
    finally:
        server.stop()


def test_pending_webhook_survives_restart(tmp_path, peer, short_wav):
    env = {**SERVER_ENV, "TRANSCRIPTS_WEBHOOK_RETRY_DELAYS_S": "3,3"}
    server = Server(tmp_path / "data", env).start()
    try:
        key = server.create_key()
        c = Client(server.url, key["api_key"])
        peer.responses = [503]
        job_id = c.upload(short_wav, webhook_url=peer.url + "/hook").json()["id"]
        deliveries = f"/v1/transcripts/{job_id}/webhook_deliveries"

        def first_attempt_recorded():  # the peer answering is not yet the server storing the answer
            data = c.http.get(deliveries).json()["data"]
            return bool(data) and [a["status_code"] for a in data[0]["attempts"]] == [503]

        wait_for(first_attempt_recorded, timeout=60)
        server.kill()  # the retry is pending, 3 s away
        server.start()
        wait_for(lambda: len(peer.received) >= 2, timeout=30)
        assert [r["status"] for r in peer.received] == [503, 200]
        payload = Webhook(key["webhook_secret"]).verify(peer.received[1]["body"], peer.received[1]["headers"])
        assert payload["data"]["id"] == job_id
        log = Client(server.url, key["api_key"]).http.get(deliveries).json()
        assert [a["status_code"] for a in log["data"][0]["attempts"]] == [503, 200]
    finally:
        server.stop()


def test_second_server_on_same_data_dir_refuses_to_start(tmp_path):
    first = Server(tmp_path / "data", dict(SERVER_ENV)).start()
    try:
        second = Server(tmp_path / "data", dict(SERVER_ENV))
        try:
            second.start(timeout=30)
            raise AssertionError("the second server started")
        except RuntimeError as exc:
            assert "one server per data directory" in str(exc)
        assert first.proc.poll() is None
    finally:
        first.stop()
