"""EventPublisher contract: events with a webhook become deliveries; forget drops them."""

from __future__ import annotations

import time

from transcripts.ports import TranscriptEvent


def event(transcript_id="transcript_1", url="https://example.com/hook", type_="transcript.completed"):
    return TranscriptEvent(type_, transcript_id, "proj_a", url, time.time_ns())


def test_publish_records_a_pending_delivery(event_publisher):
    event_publisher.publish(event())
    [delivery] = event_publisher.deliveries("transcript_1")
    assert delivery["event_type"] == "transcript.completed"
    assert delivery["state"] == "pending"
    assert delivery["attempts"] == []


def test_redelivered_event_is_not_duplicated(event_publisher):
    event_publisher.publish(event())
    event_publisher.publish(event())
    assert len(event_publisher.deliveries("transcript_1")) == 1


def test_event_without_webhook_has_no_delivery(event_publisher):
    event_publisher.publish(event(url=None))
    assert event_publisher.deliveries("transcript_1") == []


def test_forget(event_publisher):
    event_publisher.publish(event())
    event_publisher.publish(event("transcript_2"))
    event_publisher.forget("transcript_1")
    assert event_publisher.deliveries("transcript_1") == []
    assert len(event_publisher.deliveries("transcript_2")) == 1
