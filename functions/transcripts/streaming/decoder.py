"""faster-whisper on a short buffer, for streaming.

faster-whisper's `transcribe()` always pads audio to Whisper's 30 s window, so decoding 3 s of
speech costs the encoder as much as 30 s (0.6-0.9 s on 2 CPU cores with whisper-base). Here the
log-Mel features are cut to the buffer plus one second of padding (CTranslate2's encoder takes
any length up to 30 s; whisper.cpp's `audio_ctx` does the same), which makes a decode of a few
seconds about five times cheaper. One greedy pass, then CTranslate2's cross-attention
alignment gives each word its times and probability, as faster-whisper's word timestamps do.

A decode may carry a `prefix`: the final text of the audio's first part (an earlier utterance,
decoded again for context), forced as the decoder's first tokens, so only the words after it
come back. CTranslate2 returns the forced tokens with the new ones; they are cut off here
(left in, the prefix comes out again and reads as a loop).

A greedy decode can loop ("I .V .I .V ..." until the token cap): on a bench recording one
did, which put 27 words of it in the finals and, forced as the next decode's prefix, lost the
next utterance whole. Faster-whisper's compression-ratio test misses a loop in a few seconds
of text, so a run of 1-8 tokens repeated to the end over 12 tokens or more counts as a loop
here, and is cut off (the words before it stay); when the decode is the utterance's last one
(whose words are final whatever they are), it is first retried once with a light repetition
penalty.

An utterance's last decode (`final=True`) may be a careful one instead (`final_beam_size` > 1):
beam search with timestamp tokens on features padded to `final_window_s`, guarded like
faster-whisper's `transcribe()` (compression-ratio and log-probability checks, temperature
fallback). Beam search needs both here: on features cut to the utterance, or without timestamp
tokens, its WER was 3-6 times greedy's (it may not stop, repeating the utterance). Off by default:
it did not close the gap to batch (README, "Real-time transcription").

The WhisperModel is the process's own (pipeline.asr.ModelCache): loaded once, shared by every
session and by batch jobs. Calls run in worker threads; CTranslate2 releases the GIL.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field

import numpy as np

from .agreement import TimedWord
from .language import LanguageEvidence
from ..pipeline.backends.whisper_tokens import repaired_once

RATE = 16_000
PAD_S = 1.0
MAX_FRAMES = 3000  # Whisper's 30 s window
DETECTED_KEPT = 10  # languages of a detection kept as evidence (the rest share a few per cent)
# Greedy decoding of a short buffer can loop ("Funk Funk Funk ..."): tokens are capped by the
# audio's length, and a hypothesis that compresses too well (faster-whisper's own test) is dropped.
TOKENS_PER_S = 8
MAX_COMPRESSION_RATIO = 2.4
LOOP_MAX_PERIOD, LOOP_MIN_TOKENS = 8, 12  # a loop: a run of at most 8 tokens repeated over 12 or more
LOOP_PENALTY = 1.1  # repetition penalty of the one retry of a decode that looped
ECHO_MIN_TOKENS = 12  # a block of this many tokens said twice in a row ends a decode: a whole sentence again
PREPEND = "\"'“¿([{-"
APPEND = "\"'.。,，!！?？:：”)]}、"


@dataclass
class Hypothesis:
    words: list[TimedWord]  # times relative to the buffer's start
    language: str
    language_probability: float
    no_speech_prob: float
    detected: list[tuple[str, float]] = field(default_factory=list)  # this audio's top languages, when detected
    echoed: bool = False  # the text ends with a copy of the 12+ tokens before it, begun after the prefix


class StreamDecoder:
    def __init__(self, whisper_model, beam_size: int = 1, min_window_s: float = 0.0, final_beam_size: int = 1,
                 final_window_s: float = 15.0):
        self.model = whisper_model  # faster_whisper.WhisperModel
        self.beam_size = beam_size
        self.min_window_s = min_window_s  # features padded to at least this (more context, more cost)
        self.final_beam_size = final_beam_size  # > 1: an utterance's last decode is a careful one
        self.final_window_s = final_window_s
        # the prompt and the forced prefix are text encoded here: with the merges whole (tokens.py)
        self.hf_tokenizer = repaired_once(whisper_model.hf_tokenizer)

    def decode(self, audio: np.ndarray, *, language: str | None, prompt: str = "",
               hotwords: str | None = None, final: bool = False, prefix: str = "",
               evidence: LanguageEvidence | None = None, beam_size: int | None = None) -> Hypothesis:
        """With `prefix` (the text already final for the start of `audio`), that text is forced as
        the decoder's first tokens and only the words after it come back (times still from the
        start of `audio`). `beam_size`: this decode's beams (None: the decoder's)."""
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import merge_punctuations

        m = self.model
        careful = final and self.final_beam_size > 1 and not prefix
        window_s = self.final_window_s if careful else self.min_window_s
        content_frames = max(1, audio.size // m.feature_extractor.hop_length)
        frames = min(MAX_FRAMES, math.ceil(max(audio.size / RATE + PAD_S, window_s) * 100))
        padded = np.pad(audio, (0, max(0, frames * m.feature_extractor.hop_length - audio.size)))
        features = m.feature_extractor(padded)[:, :frames]
        encoded = m.encode(features)
        probability = 1.0
        detected: list[tuple[str, float]] = []
        if language is None:
            if m.model.is_multilingual:
                detected = [(token[2:-2], float(p)) for token, p in m.model.detect_language(encoded)[0][:DETECTED_KEPT]]
                language, probability = detected[0]
                if evidence is not None:  # a short piece alone is not trusted (language.py)
                    language = evidence.choose(detected, audio.size / RATE)
            else:
                language = "en"
        tokenizer = Tokenizer(self.hf_tokenizer, m.model.is_multilingual, task="transcribe", language=language)
        previous = tokenizer.encode(" " + prompt.strip()) if prompt.strip() else []
        forced = tokenizer.encode(" " + prefix.strip()) if prefix.strip() else []
        prompt_tokens = m.get_prompt(tokenizer, previous, without_timestamps=not careful, hotwords=hotwords) + forced
        # timestamp tokens take room too: about one pair per segment
        new_tokens = len(forced) + 8 + int(TOKENS_PER_S * audio.size / RATE) * (2 if careful else 1)
        max_length = min(m.max_length, len(prompt_tokens) + new_tokens)
        if careful:
            result = m.generate_with_fallback(encoded, prompt_tokens, tokenizer,
                                              _careful_options(tokenizer, self.final_beam_size,
                                                               max_length - len(prompt_tokens)))[0]
        else:
            result = self._greedy(encoded, prompt_tokens, max_length, beam_size=beam_size)
        tokens = self._new_tokens(result, tokenizer, forced)
        looped = tokens and (_repetitive(tokenizer.decode(tokens)) or _loop_start(tokens) is not None)
        if looped and final and not careful:
            # the utterance's last decode looped: nothing after it would give its last words, so
            # once more with a light repetition penalty (it broke the loop in the case seen)
            result = self._greedy(encoded, prompt_tokens, max_length, repetition_penalty=LOOP_PENALTY,
                                  beam_size=beam_size)
            tokens = self._new_tokens(result, tokenizer, forced)
        echo = _echo_start(forced + tokens)
        echoed = echo is not None and echo > len(forced)
        words: list[TimedWord] = []
        if tokens and _repetitive(tokenizer.decode(tokens)):
            tokens = []  # a loop over most of the text: dropped (the next decode has more audio)
        tokens = tokens[:_loop_start(tokens)]  # a loop at the end, after real words: cut off
        if tokens:
            alignment = m.find_alignment(tokenizer, [forced + tokens], encoded, min(content_frames, frames))[0]
            alignment = _after(alignment, len(forced))
            merge_punctuations(alignment, PREPEND, APPEND)
            limit = audio.size / RATE
            for w in alignment:
                text = w["word"].strip()
                if text:
                    start = min(float(w["start"]), limit)
                    words.append(TimedWord(text, start, min(max(float(w["end"]), start), limit),
                                           float(w["probability"]), glued=bool(words) and not w["word"][:1].isspace()))
        return Hypothesis(words, language, float(probability), float(result.no_speech_prob), detected, echoed)

    def _greedy(self, encoded, prompt_tokens: list[int], max_length: int, repetition_penalty: float = 1.0,
                beam_size: int | None = None):
        return self.model.model.generate(
            encoded, [prompt_tokens], beam_size=beam_size or self.beam_size, max_length=max_length, return_scores=True,
            return_no_speech_prob=True, suppress_blank=True, suppress_tokens=[-1],
            repetition_penalty=repetition_penalty,
        )[0]

    @staticmethod
    def _new_tokens(result, tokenizer, forced: list[int]) -> list[int]:
        tokens = [t for t in result.sequences_ids[0] if t < tokenizer.eot]
        if forced and tokens[:len(forced)] == forced:  # CTranslate2 returns the forced tokens too
            tokens = tokens[len(forced):]
        return tokens


def _loop_start(tokens: list[int]) -> int | None:
    """Where a decoding loop begins: the end of `tokens` is one run of 1-8 tokens repeated
    (the last copy may be cut short) over at least `LOOP_MIN_TOKENS` tokens and 4 copies. None:
    no loop. Speech seldom says the same few tokens four times in a row; a greedy decoder
    stuck on them does it until the length cap."""
    n = len(tokens)
    for period in range(1, LOOP_MAX_PERIOD + 1):
        start = n - period
        while start > 0 and tokens[start - 1] == tokens[start - 1 + period]:
            start -= 1
        if n - start >= max(4 * period, LOOP_MIN_TOKENS):
            return start
    return None


def _echo_start(tokens: list[int]) -> int | None:
    """Where the text began again: `tokens` end with an exact copy of the `ECHO_MIN_TOKENS` or
    more tokens right before it ("... the long war. Our town still has the stone bridge, ... the
    long war." after "Our town still has the stone bridge, ... the long war."), a loop too long
    for `_loop_start`. The decoder does it after a forced prefix; speech that repeats itself (a
    looping clip) reads the same, so the session tells them apart by decoding again without the
    prefix. None: no such copy."""
    n = len(tokens)
    for period in range(ECHO_MIN_TOKENS, n // 2 + 1):
        if tokens[n - period:] == tokens[n - 2 * period:n - period]:
            return n - period
    return None


def _after(alignment: list[dict], n: int) -> list[dict]:
    """The aligned words after the first `n` tokens (the forced prefix); a word that begins
    inside the prefix belongs to it."""
    seen, out = 0, []
    for word in alignment:
        if seen >= n:
            out.append(word)
        seen += len(word["tokens"])
    return out


def _careful_options(tokenizer, beam_size: int, max_new_tokens: int):
    """faster-whisper's own defaults for `transcribe()` (the batch path), as one decode's options."""
    from faster_whisper.transcribe import TranscriptionOptions, get_suppressed_tokens

    return TranscriptionOptions(
        beam_size=beam_size, best_of=5, patience=1.0, length_penalty=1.0, repetition_penalty=1.0,
        no_repeat_ngram_size=0, log_prob_threshold=-1.0, no_speech_threshold=0.6,
        compression_ratio_threshold=MAX_COMPRESSION_RATIO, condition_on_previous_text=True,
        prompt_reset_on_temperature=0.5, temperatures=[0.0, 0.2, 0.4, 0.6, 0.8, 1.0], initial_prompt=None,
        prefix=None, suppress_blank=True, suppress_tokens=get_suppressed_tokens(tokenizer, [-1]),
        without_timestamps=False, max_initial_timestamp=1.0, word_timestamps=True, prepend_punctuations=PREPEND,
        append_punctuations=APPEND, multilingual=False, max_new_tokens=max_new_tokens, clip_timestamps="0",
        hallucination_silence_threshold=None, hotwords=None)


def _repetitive(text: str) -> bool:
    data = text.strip().encode()
    return len(data) > 24 and len(data) / len(zlib.compress(data)) > MAX_COMPRESSION_RATIO
