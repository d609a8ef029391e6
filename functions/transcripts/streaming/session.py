"""One real-time session: audio in, protocol events out. No I/O and no clock of its own, so it
is tested without a server; the WebSocket router feeds it frames and sends what it returns.

How text is decided (see README, "Real-time transcription"): Silero VAD cuts the stream into
utterances, so silence is never decoded. While an utterance grows, its audio is decoded again
every `step_s` of new audio; LocalAgreement-2 makes a word final once two decodes in a row
agree on it (and on all before it), and the rest of the latest decode is the partial. When the
utterance ends (`min_silence_s` of silence) its last decode commits everything left, so the
words before a pause are final within about half a second plus one decode. An utterance longer
than `max_buffer_s` without a pause is decoded from its last final word on, with the final text
before it as the prompt, which bounds each decode's cost. With `context_s`, each decode also
reads the audio of the earlier utterances that fit with its buffer in that many seconds, their
final text forced as the decoder's prefix: an utterance decoded alone lacks the neighbouring
speech that batch's 30 s windows give the model, which cost more words than anything else.
While other sessions wait for the same decoder, the window is `shared_context_s` (its cost).
(`context_lead_s`, off by default: when no whole utterance fits, the last final words before the
buffer instead, cut at a word's start; cheaper, less accurate.) With `match_text`, a decode's new
words are the ones after the utterance's final words in its text, when it repeats them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .agreement import LocalAgreement, TimedWord, join_words, word_key
from .audio import RATE, PcmConverter
from .language import LanguageEvidence
from .vad import Endpointer, SpeechProbabilities

HISTORY_S = 1.0  # audio kept before speech starts, for the VAD's padding
PROMPT_CHARS = 200
ALONE_RETRY_AFTER_S = 1.5  # new audio a decode with context must have before its empty result is retried alone
COPY_WORDS = 6  # this many words of a decode in a row that are a run of its forced prefix: the context said again


@dataclass(frozen=True)
class SessionConfig:
    sample_rate: int = 16_000
    language: str | None = None
    vocabulary: tuple[str, ...] = ()
    word_timestamps: bool = False
    keep_audio: bool = False  # save=true: the 16 kHz PCM is kept for the stored transcript
    step_s: float = 0.75
    min_silence_s: float = 0.5
    vad_threshold: float = 0.5
    max_buffer_s: float = 12.0
    hold_s: float = 0.5  # a word must end this long before the buffer's end to become final
    match_text: bool = True  # a decode's new words: those after the utterance's final words, by text
    context_lead_s: float = 0.0  # no earlier utterance fits `context_s`: this much final speech before (0: off)
    no_speech_threshold: float = 0.8
    context_s: float = 16.0  # earlier utterances are decoded with a buffer while the whole is at most this long
    shared_context_s: float | None = None  # ... this long while other sessions share the decoder (None: context_s)
    beam_size: int = 1  # beams of each decode (the server's default: settings.realtime_beam_size, README runs P, Q)
    shared_beam_size: int | None = None  # ... while other sessions share the decoder (None: beam_size)


class Session:
    def __init__(self, config: SessionConfig, decoder, probabilities: SpeechProbabilities | None = None,
                 shared=None):
        self.config = config
        self.decoder = decoder
        self.shared = shared or (lambda: False)  # whether other sessions wait for the same decoder now
        self.converter = PcmConverter(config.sample_rate)
        self.vad = probabilities or SpeechProbabilities()
        self.endpointer = Endpointer(config.vad_threshold, config.min_silence_s)
        self.agreement = LocalAgreement(match_text=config.match_text)
        self.language = config.language
        self._evidence = LanguageEvidence()  # without `language`: detected over decodes until clear
        self.finals: list[dict] = []
        self.words: list[TimedWord] = []  # every final word, on the stream's clock
        self.total = 0  # samples received (16 kHz)
        self._history = np.zeros(0, np.float32)  # samples [_history_start, total)
        self._history_start = 0
        self._utterance: int | None = None  # start sample of the open utterance
        self._buffer_start = 0  # where its decodes begin (>= the utterance start)
        self._decoded_to = 0  # total at the last decode of the open utterance
        self._closed: list[tuple[int, int]] = []  # utterances ended, not yet decoded: (start, end)
        self._starts: list[int] = []  # where recent utterances began (context for later decodes)
        self._context_floor = 0  # no decode's context begins before this (see `_decode`)
        self._partial = ""
        self._pcm: list[bytes] = []

    # ---- input -------------------------------------------------------------------------------
    @property
    def duration(self) -> float:
        return self.total / RATE

    def process(self, frames: list[bytes], end: bool = False) -> list[dict]:
        """Take the frames received since the last call, decode what is due, return the events.
        With `end`, the stream is over: everything still open becomes final."""
        for frame in frames:
            self._ingest(self.converter.convert(frame))
        if end:
            self._ingest(self.converter.drain())
            if self._utterance is not None:
                self._closed.append((self._buffer_start, self.total))
                self._utterance = None
        events: list[dict] = []
        while self._closed:
            start, stop = self._closed.pop(0)
            events += self._finish_utterance(start, stop)
        if self._utterance is not None and self.total - self._decoded_to >= self.config.step_s * RATE:
            events += self._step()
        if end and self.language is None:
            self.language = self._evidence.best()  # a short stream: the evidence it gave (None if none)
        return events

    def _ingest(self, samples: np.ndarray) -> None:
        if samples.size == 0:
            return
        if self.config.keep_audio:
            self._pcm.append((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
        self._history = np.concatenate([self._history, samples])
        self.total += samples.size
        for cut in self.endpointer.update(self.vad.feed(samples)):
            if cut.kind == "start":
                self._utterance = self._buffer_start = max(cut.sample, self._history_start)
                self._starts = [x for x in self._starts if x >= self._utterance - self._context()] + [self._utterance]
                self._decoded_to = cut.sample
            elif self._utterance is not None:
                self._closed.append((self._buffer_start, max(cut.sample, self._buffer_start)))
                self._utterance = None
        self._trim_history()

    def _trim_history(self) -> None:
        before = max(self._context(), int((self.config.context_lead_s + 0.1) * RATE))  # read before a buffer
        keep_from = self.total - int(HISTORY_S * RATE) - before
        for start, _ in self._closed:
            keep_from = min(keep_from, start - before)
        if self._utterance is not None:
            keep_from = min(keep_from, self._buffer_start - before)
        if keep_from > self._history_start:
            self._history = self._history[keep_from - self._history_start:]
            self._history_start = keep_from

    def _audio(self, start: int, stop: int) -> np.ndarray:
        return self._history[start - self._history_start:stop - self._history_start]

    # ---- decoding ----------------------------------------------------------------------------
    def _context(self) -> int:
        """The most audio kept for context (either window)."""
        return int(max(self.config.context_s, self.config.shared_context_s or 0.0) * RATE)

    def _window(self) -> int:
        """The context window of the next decode: shorter while the decoder is shared, where the
        longer window's cost made two sessions on 2 cores fall behind (README, run H)."""
        if self.config.shared_context_s is not None and self.shared():
            return int(self.config.shared_context_s * RATE)
        return int(self.config.context_s * RATE)

    def _decode(self, start: int, stop: int, final: bool = False) -> list[TimedWord]:
        """Decode [start, stop). With `context_s`, the audio from the earliest utterance start
        that keeps the whole within `context_s` is decoded too, the final text since then forced as the
        decoder's prefix: the model hears the words before, as batch's 30 s window lets it, and
        only the words after them come back."""
        since = self._context_start(start, stop)
        # the decoder's own inputs keep plain spaces between pieces (README, run J: joined here
        # too, with another change, it gained nothing); the text sent joins them (`join_words`)
        prefix = " ".join(w.word for w in self.words
                          if w.start >= since / RATE - 0.05 and w.end <= start / RATE + 0.05) if since < start else ""
        if not prefix:
            since = start
        hyp = self._decode_from(since, stop, final, prefix)
        copy = _context_copy(prefix, hyp.words) if prefix else None
        if copy:  # the new words, then the context said again: cut there (README, run Q)
            hyp = replace(hyp, words=hyp.words[:copy])
        silenced = not _spoken(hyp.words)
        if prefix and (silenced or hyp.echoed or copy == 0) \
                and hyp.no_speech_prob <= self.config.no_speech_threshold \
                and stop - start >= ALONE_RETRY_AFTER_S * RATE:
            # The context's forced text may be what went wrong: speech with no words after it (a
            # fragment's garbage final, forced as the prefix, silenced the next 11 s), or the
            # decoder saying its sentence again after it (README, run N) or beginning the context
            # again from its first word (`_context_copy`, run Q). Once more alone: words
            # for the silenced one stand; for the echo, words that do not repeat themselves (speech
            # that really repeats repeats alone too, and the first decode stays). After a silenced one, no later
            # decode's context or prompt reaches back before this utterance.
            floor, self._context_floor = self._context_floor, start
            alone = self._decode_from(start, stop, final, "")
            if _spoken(alone.words) and (silenced or not alone.echoed):
                hyp, since = alone, start
            if not (silenced and _spoken(alone.words)):
                self._context_floor = floor
        if hyp.no_speech_prob > self.config.no_speech_threshold:
            return []
        offset = since / RATE
        return [TimedWord(w.word, w.start + offset, w.end + offset, w.probability, w.glued) for w in hyp.words]

    def _decode_from(self, since: int, stop: int, final: bool, prefix: str):
        audio = self._audio(since, stop)
        hyp = self.decoder.decode(
            audio, language=self.language, prompt=self._prompt(since),
            hotwords=", ".join(self.config.vocabulary) or None, final=final, prefix=prefix,
            evidence=self._evidence if self.language is None else None, beam_size=self._beams())
        if self.language is None and hyp.detected:
            self.language = self._evidence.add(hyp.detected, audio.size / RATE)  # None until clear, then kept
        return hyp

    def _beams(self) -> int:
        """The beams of the next decode: fewer while the decoder is shared (their cost)."""
        if self.config.shared_beam_size is not None and self.shared():
            return self.config.shared_beam_size
        return self.config.beam_size

    def _context_start(self, start: int, stop: int) -> int:
        """The earliest utterance start before `start` from which the decode still reads at most
        `context_s` (so a long buffer is decoded alone, and the context's cost stays bounded)."""
        earliest = max(stop - self._window(), self._history_start, self._context_floor)
        since = next((x for x in self._starts if earliest <= x < start), start)
        if since == start and self.config.context_lead_s:
            # no earlier utterance fits: the last final words before the buffer, from a word's start
            lead = [w.start for w in self.words if start / RATE - self.config.context_lead_s <= w.start < start / RATE]
            if lead:
                since = max(int((min(lead) - 0.05) * RATE), self._history_start)
        return since

    def _prompt(self, start: int) -> str:
        before = start / RATE
        floor = self._context_floor / RATE
        text = " ".join(w.word for w in self.words
                        if w.end <= before + 0.05 and floor - 0.05 <= w.start < before - 0.05)
        return text[-PROMPT_CHARS:]

    def _step(self) -> list[dict]:
        self._decoded_to = self.total
        committed, rest = self.agreement.agree(self._decode(self._buffer_start, self.total),
                                               until=self.total / RATE - self.config.hold_s)
        events = self._final(committed)
        partial = join_words(rest)
        if partial and partial != self._partial:
            events.append({"type": "partial", "text": partial, "start": self._time(rest[0].start)})
        self._partial = partial
        if self.total - self._buffer_start > self.config.max_buffer_s * RATE:
            self._move_buffer()
        return events

    def _move_buffer(self) -> None:
        """A long utterance without a pause: later decodes start at its last final word."""
        committed = int(self.agreement.committed_end * RATE)
        if committed > self._buffer_start:
            self._buffer_start = committed
            self.agreement.rebase()
        else:  # nothing agreed for a whole buffer: take the latest decode as it is
            self._closed.append((self._buffer_start, self.total))
            self._utterance = self._buffer_start = self.total
        self._trim_history()

    def _finish_utterance(self, start: int, stop: int) -> list[dict]:
        words = self._decode(start, stop, final=True) if stop - start >= int(0.1 * RATE) else []
        committed = self.agreement.flush(words)
        self.agreement.reset()
        self._partial = ""
        return self._final(committed)

    def _final(self, words: list[TimedWord]) -> list[dict]:
        if not words:
            return []
        floor = self.words[-1].end if self.words else 0.0
        fixed = []
        for w in words:  # finals in order, never before the previous one, never past the audio
            start = min(max(w.start, floor), self.duration)
            end = min(max(w.end, start), self.duration)
            fixed.append(TimedWord(w.word, start, end, w.probability, w.glued))
            floor = end
        self.words += fixed
        event = {
            "type": "final", "text": join_words(fixed), "start": self._time(fixed[0].start),
            "end": self._time(fixed[-1].end),
            "confidence": round(float(np.mean([w.probability for w in fixed])), 4),
        }
        if self.config.word_timestamps:
            event["words"] = [word_dict(w) for w in fixed]
        self.finals.append(event)
        return [event]

    @staticmethod
    def _time(seconds: float) -> float:
        return round(seconds, 3)

    # ---- the end -----------------------------------------------------------------------------
    @property
    def text(self) -> str:
        return join_words(self.words)

    def done(self, transcript_id: str | None = None) -> dict:
        event = {"type": "done", "text": self.text, "duration": round(self.duration, 3)}
        if transcript_id:
            event["transcript_id"] = transcript_id
        return event

    def pcm(self) -> bytes:
        """The whole stream as 16 kHz mono s16le (only with keep_audio)."""
        return b"".join(self._pcm)

    def finals_words(self) -> list[dict]:
        return [word_dict(w) for w in self.words]

    def confidence(self) -> float | None:
        return round(float(np.mean([w.probability for w in self.words])), 4) if self.words else None


def _spoken(words: list[TimedWord]) -> bool:
    """Whether a decode gave any word at all (a lone "." is none)."""
    return any(any(c.isalnum() for c in w.word) for w in words)


def _context_copy(prefix: str, words: list[TimedWord]) -> int | None:
    """Where a decode after a forced prefix says that context again: the first of `COPY_WORDS`
    words in a row that are a run of the prefix, compared as LocalAgreement compares words
    (`word_key`: case and punctuation aside). At the end of a held-out stream (run Q) the decoder
    gave the utterance, then the context's sentence, then the utterance once more, "curves." now
    "curves", so `_echo_start`'s exact copy missed it; at 0 it began the context again before any
    new word. Speech seldom says six words of the last
    sentences again word for word. None: no such run."""
    said = [key for key in map(word_key, prefix.split()) if key]
    runs = {tuple(said[i:i + COPY_WORDS]) for i in range(len(said) - COPY_WORDS + 1)}
    keyed = [(k, key) for k, key in enumerate(w.key for w in words) if key]
    for n in range(len(keyed) - COPY_WORDS + 1):
        if tuple(key for _, key in keyed[n:n + COPY_WORDS]) in runs:
            return keyed[n][0]
    return None


def word_dict(w: TimedWord) -> dict:
    return {"word": w.word, "start": round(w.start, 3), "end": round(w.end, 3),
            "confidence": round(min(max(w.probability, 0.0), 1.0), 4)}
