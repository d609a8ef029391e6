"""`save=true`: a finished session becomes an ordinary completed transcript (the stream's audio
as a 16 kHz WAV, the finals as its text and words), listed, deletable and announced like any
other, with a webhook when the session named one. Nothing is stored without `save=true`."""

from __future__ import annotations

import io
import json
import time
import wave

from ..domain import AudioSource, Job, Options, Status, audio_key, job_prefix, new_transcript_id, result_key
from ..pipeline.assemble import TranscriptBody
from ..ports import BlobStore, EventPublisher, JobStore, TranscriptEvent

RATE = 16_000


def wav_bytes(pcm: bytes, rate: int = RATE) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm)
    return out.getvalue()


def save_session(jobs: JobStore, blobs: BlobStore, events: EventPublisher, *, owner: str, options: Options,
                 session, started_ns: int) -> str:
    """Store the session as a completed transcript; returns its id."""
    job_id = new_transcript_id(started_ns)
    words = [_word(w) for w in session.finals_words()]
    body = TranscriptBody(text=session.text, confidence=session.confidence(),
                          words=words if options.word_timestamps else None)
    try:
        blobs.put_stream(audio_key(job_id), io.BytesIO(wav_bytes(session.pcm())))
        blobs.put_bytes(result_key(job_id), json.dumps(body.to_dict()).encode())
        now = time.time_ns()
        jobs.add(Job(
            id=job_id, owner=owner, created_ns=started_ns, options=options,
            audio=AudioSource(blob_key=audio_key(job_id), filename="realtime.wav"), status=Status.COMPLETED,
            attempts=1, language=session.language or options.language, duration=round(session.duration, 3),
            started_ns=started_ns, completed_ns=now,
        ))
    except BaseException:
        blobs.delete_prefix(job_prefix(job_id))
        raise
    events.publish(TranscriptEvent("transcript.completed", job_id, owner, options.webhook_url, now))
    return job_id


def _word(w: dict) -> dict:
    return {"word": w["word"], "start": w["start"], "end": w["end"], "confidence": w["confidence"]}
