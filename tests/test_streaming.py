"""The real-time session logic without a server: LocalAgreement-2, the VAD endpointer, the
query parameters, and whole sessions on synthesized speech with the real whisper-base model."""

from __future__ import annotations

import wave
from pathlib import Path

import jiwer
import numpy as np
import pytest

from conftest import ENGLISH_TEXT
from transcripts.errors import ApiError
from transcripts.streaming.agreement import LocalAgreement, TimedWord
from transcripts.streaming.params import parse_params
from transcripts.streaming.vad import FRAME, Endpointer


def words(*spec):
    return [TimedWord(w, s, e, 0.9) for w, s, e in spec]


def test_local_agreement_commits_what_two_decodes_agree_on():
    la = LocalAgreement()
    committed, rest = la.agree(words(("Hello", 0.0, 0.4), ("there", 0.5, 0.8)))
    assert committed == [] and [w.word for w in rest] == ["Hello", "there"]
    committed, rest = la.agree(words(("hello,", 0.0, 0.4), ("their", 0.5, 0.8), ("friend", 0.9, 1.2)))
    assert [w.word for w in committed] == ["hello,"]  # case and punctuation do not count
    assert [w.word for w in rest] == ["their", "friend"]
    committed, rest = la.agree(words(("Hello", 0.0, 0.4), ("their", 0.5, 0.8), ("friend", 0.9, 1.2)))
    assert [w.word for w in committed] == ["their", "friend"]  # words before the committed end are dropped
    assert la.committed_end == pytest.approx(1.2)
    assert la.flush(words(("friend", 0.9, 1.2), ("again", 1.3, 1.6))) == words(("again", 1.3, 1.6))


def test_local_agreement_drops_a_repeat_of_the_committed_tail():
    la = LocalAgreement()
    la.flush(words(("see", 0.0, 0.3), ("you", 0.3, 0.6)))
    # a new buffer that starts with the last committed words again (times moved a little)
    assert [w.word for w in la.flush(words(("you", 0.55, 0.7), ("soon", 0.7, 1.0)))] == ["soon"]


def test_endpointer_cuts_speech_after_enough_silence():
    ep = Endpointer(threshold=0.5, min_silence_s=0.5, pad_s=0.0)
    silence_frames = round(0.5 * 16000 / FRAME)
    probs = np.array([0.1] * 10 + [0.9] * 20 + [0.1] * 5 + [0.9] * 5 + [0.1] * silence_frames + [0.1] * 3)
    cuts = ep.update(probs)
    assert [c.kind for c in cuts] == ["start", "end"]  # a short dip does not end the utterance
    assert cuts[0].sample == 10 * FRAME and cuts[1].sample == 40 * FRAME
    assert not ep.in_speech


@pytest.mark.parametrize("query, param, code", [
    ([("sample_rate", "4000")], "sample_rate", "invalid_parameter"),
    ([("encoding", "opus")], "encoding", "invalid_parameter"),
    ([("language", "xx")], "language", "invalid_parameter"),
    ([("vocabulary", "x" * 51)], "vocabulary", "invalid_parameter"),
    ([("word_timestamps", "maybe")], "word_timestamps", "invalid_parameter"),
    ([("colour", "blue")], "colour", "unknown_parameter"),
    ([("save", "true"), ("save", "false")], "save", "invalid_parameter"),
    ([("webhook_url", "https://example.com/hook")], "webhook_url", "invalid_parameter"),
])
def test_bad_parameters_name_the_parameter(query, param, code):
    with pytest.raises(ApiError) as err:
        parse_params(query)
    assert (err.value.status, err.value.code, err.value.param) == (400, code, param)


def test_parameters_like_the_batch_api():
    p = parse_params([("language", "EN"), ("vocabulary", "Xarelto"), ("vocabulary", " Fennrix "),
                      ("sample_rate", "8000"), ("save", "true"), ("token", "rt_x")])
    assert (p.language, p.vocabulary, p.sample_rate, p.save) == ("en", ["Xarelto", "Fennrix"], 8000, True)


# ---- whole sessions with the real model -------------------------------------------------------

@pytest.fixture(scope="module")
def decoder():
    from transcripts.pipeline.asr import ModelCache
    from transcripts.settings import Settings
    from transcripts.streaming.decoder import StreamDecoder

    settings = Settings()
    return StreamDecoder(ModelCache(settings.models_dir, 2).get("whisper-base").model)


def pcm_of(path: Path, rate: int = 16000, pad_s: float = 0.0) -> bytes:
    import subprocess

    raw = subprocess.run(["sox", str(path), "-t", "raw", "-r", str(rate), "-c", "1", "-b", "16", "-e", "signed",
                          "-L", "-", "pad", str(pad_s), str(pad_s)], check=True, capture_output=True).stdout
    return raw


class RecordingDecoder:
    """The real decoder, noting each decode's audio length (s) and forced prefix in `calls`."""

    def __init__(self, decoder):
        self.decoder, self.calls, self.beams = decoder, [], []

    def decode(self, audio, **kw):
        self.calls.append((audio.size / 16000, kw["prefix"]))
        self.beams.append(kw.get("beam_size"))
        return self.decoder.decode(audio, **kw)


def run_session(decoder, pcm: bytes, rate: int = 16000, shared=None, **config):
    """Frames of 100 ms; the session is asked for its events every 0.5 s of audio, as a
    server keeping up in real time would. `shared`: whether other sessions wait for the decoder."""
    from transcripts.streaming.session import Session, SessionConfig

    session = Session(SessionConfig(sample_rate=rate, **config), decoder, shared=shared)
    frame = rate // 10 * 2
    frames = [pcm[i:i + frame] for i in range(0, len(pcm), frame)]
    events = []
    for i in range(0, len(frames), 5):
        events += session.process(frames[i:i + 5])
    events += session.process([], end=True)
    return session, events


def test_session_gives_partials_then_ordered_finals_inside_the_audio(decoder, english_wav):
    pcm = pcm_of(english_wav, pad_s=1.0)
    session, events = run_session(decoder, pcm, language="en", word_timestamps=True)
    kinds = [e["type"] for e in events]
    assert "partial" in kinds and "final" in kinds
    assert kinds.index("partial") < kinds.index("final")
    finals = [e for e in events if e["type"] == "final"]
    duration = len(pcm) / 32000
    previous_end = 0.0
    for f in finals:
        assert previous_end <= f["start"] <= f["end"] <= duration
        assert 0 <= f["confidence"] <= 1
        assert [w["word"] for w in f["words"]] == f["text"].split()
        previous_end = f["end"]
    assert finals[0]["start"] >= 0.8  # the padding is silence: no word lies in it
    text = " ".join(f["text"] for f in finals)
    assert jiwer.wer(jiwer_norm(ENGLISH_TEXT), jiwer_norm(text)) < 0.2
    assert session.done()["text"] == text and session.done()["duration"] == pytest.approx(duration, abs=0.01)


def test_careful_last_decode_stops_and_keeps_the_sessions_guarantees(decoder, english_wav):
    """final_beam_size > 1: each utterance's last decode is a guarded beam search on a wider
    window; it must stop (beam search on a short window without timestamps repeats the
    utterance), stay inside the audio, and leave finals ordered."""
    from transcripts.streaming.decoder import StreamDecoder

    careful = StreamDecoder(decoder.model, final_beam_size=5, final_window_s=15)
    pcm = pcm_of(english_wav, pad_s=0.5)
    audio = np.frombuffer(pcm, "<i2").astype(np.float32) / 32768
    hyp = careful.decode(audio, language="en", final=True)
    text = " ".join(w.word for w in hyp.words)
    assert len(hyp.words) <= 1.5 * len(ENGLISH_TEXT.split())
    assert all(0 <= w.start <= w.end <= audio.size / 16000 for w in hyp.words)
    assert jiwer.wer(jiwer_norm(ENGLISH_TEXT), jiwer_norm(text)) < 0.2
    session, events = run_session(careful, pcm, language="en", word_timestamps=True)
    finals = [e for e in events if e["type"] == "final"]
    assert all(a["end"] <= b["start"] for a, b in zip(finals, finals[1:]))
    assert jiwer.wer(jiwer_norm(ENGLISH_TEXT), jiwer_norm(session.done()["text"])) < 0.2


def test_session_at_8_khz_detects_the_language(decoder, english_wav):
    session, events = run_session(decoder, pcm_of(english_wav, rate=8000), rate=8000)
    assert session.language == "en"
    text = " ".join(e["text"] for e in events if e["type"] == "final")
    assert jiwer.wer(jiwer_norm(ENGLISH_TEXT), jiwer_norm(text)) < 0.3


def test_silence_gives_no_text(decoder, silence_wav):
    session, events = run_session(decoder, pcm_of(silence_wav))
    assert events == [] and session.done()["text"] == ""


def test_saved_audio_is_the_stream(decoder, short_wav, tmp_path):
    from transcripts.streaming.save import wav_bytes

    pcm = pcm_of(short_wav)
    session, _ = run_session(decoder, pcm, keep_audio=True)
    out = tmp_path / "s.wav"
    out.write_bytes(wav_bytes(session.pcm()))
    with wave.open(str(out)) as w:
        assert (w.getframerate(), w.getnchannels(), w.getnframes()) == (16000, 1, len(pcm) // 2)


def jiwer_norm(text: str) -> str:
    import re

    return " ".join(re.sub(r"[^a-z0-9' ]", " ", text.lower()).split())


def test_local_agreement_waits_for_words_at_the_buffers_end():
    la = LocalAgreement()
    la.agree(words(("call", 0.0, 0.4), ("me", 0.5, 0.9)))
    committed, rest = la.agree(words(("call", 0.0, 0.4), ("me", 0.5, 0.9)), until=0.6)
    assert [w.word for w in committed] == ["call"] and [w.word for w in rest] == ["me"]
    committed, _ = la.agree(words(("call", 0.0, 0.4), ("me", 0.5, 0.9), ("back", 1.0, 1.3)), until=1.0)
    assert [w.word for w in committed] == ["me"]


def test_forced_prefix_gives_only_the_words_after_it(decoder):
    """The text already final for the start of the audio is forced as the decoder's prefix:
    only the words after it come back (CTranslate2 returns the forced tokens too), timed from
    the audio's start."""
    from transcripts.pipeline.decode import decode

    audio = decode(Path(__file__).parents[1] / "functions/transcripts/samples/jfk.ogg", 3600).samples
    hyp = decoder.decode(audio, language="en", prefix="And so my fellow Americans,")
    text = " ".join(w.word for w in hyp.words)
    assert jiwer_norm(text).startswith("ask not what your country")
    assert hyp.words[0].start >= 1.5  # after "Americans" (which ends near 2.1 s)
    assert all(0 <= w.start <= w.end <= audio.size / 16000 for w in hyp.words)
    whole = ("And so my fellow Americans, ask not what your country can do for you, "
             "ask what you can do for your country.")
    assert jiwer.wer(jiwer_norm(whole), jiwer_norm("And so my fellow Americans, " + text)) < 0.1


def test_session_decodes_the_utterance_before_with_each_buffer(decoder, english_wav):
    """context_s: a buffer is decoded with the earlier utterance's audio before it and that
    utterance's finals as the forced prefix, and no word comes out twice."""
    recording = RecordingDecoder(decoder)
    calls = recording.calls
    one = pcm_of(english_wav)
    silence = bytes(32000)  # 1 s: the first utterance ends
    pcm = one + silence + one[:len(one) // 2] + silence
    session, events = run_session(recording, pcm, language="en", context_s=30.0)
    with_prefix = [(seconds, prefix) for seconds, prefix in calls if prefix]
    assert with_prefix, "no decode carried the earlier utterance"
    text = session.done()["text"]
    assert all(jiwer_norm(prefix) in jiwer_norm(text) for _, prefix in with_prefix)  # final words only
    first_half = " ".join(ENGLISH_TEXT.split()[:len(ENGLISH_TEXT.split()) // 2])
    assert jiwer.wer(jiwer_norm(ENGLISH_TEXT + " " + first_half), jiwer_norm(text)) < 0.25
    finals = [e for e in events if e["type"] == "final"]
    assert all(a["end"] <= b["start"] for a, b in zip(finals, finals[1:]))
    calls.clear()
    run_session(recording, pcm, language="en", context_s=0.0)
    assert calls and not any(prefix for _, prefix in calls)


def test_local_agreement_by_text_keeps_a_word_whose_time_moved_into_the_committed_one():
    """match_text: a decode that repeats the utterance's final words gives the words after them
    as new, even when the alignment puts the next word's start inside the last final word
    (by time alone it is dropped: "for | renovation until" came out "for | until")."""
    first = words(("closed", 0.0, 0.4), ("for", 0.5, 0.9), ("renovation", 1.0, 1.6))
    moved = words(("closed", 0.0, 0.4), ("for", 0.5, 0.75), ("renovation", 0.7, 1.6), ("until", 1.7, 2.0))
    for match_text, expected in ((False, ["until"]), (True, ["renovation", "until"])):
        la = LocalAgreement(match_text=match_text)
        la.agree(first)
        committed, rest = la.agree(first, until=0.95)
        assert [w.word for w in committed] == ["closed", "for"]
        committed, rest = la.agree(moved)
        assert [w.word for w in committed + rest] == expected, match_text


def test_local_agreement_by_text_falls_back_to_times():
    """A decode whose words differ from the final ones, or one after the buffer moved past them
    (`rebase`), is cut by time, as without match_text."""
    la = LocalAgreement(match_text=True)
    la.agree(words(("call", 0.0, 0.4), ("me", 0.5, 0.9)))
    la.agree(words(("call", 0.0, 0.4), ("me", 0.5, 0.9)), until=0.45)  # "call" is final
    committed, rest = la.agree(words(("Paul", 0.0, 0.35), ("me", 0.5, 0.9), ("back", 1.0, 1.3)), until=1.0)
    assert [w.word for w in committed] == ["me"] and [w.word for w in rest] == ["back"]
    la.rebase()  # decodes start at the committed end now: no final words in them
    committed, rest = la.agree(words(("me", 0.6, 0.9), ("back", 1.0, 1.3), ("now", 1.4, 1.6)))
    assert [w.word for w in committed] == ["back"] and [w.word for w in rest] == ["now"]  # "me" was final


def test_session_without_a_whole_utterance_in_reach_reads_the_last_final_words(decoder, english_wav):
    """context_lead_s: when no earlier utterance fits the context window, a decode starts at the
    first final word of the last `context_lead_s` seconds before its buffer, those words forced
    as the prefix: the model still hears the speech before, at a bounded cost."""
    recording = RecordingDecoder(decoder)
    calls = recording.calls
    one = pcm_of(english_wav)
    pcm = one + bytes(32000) + one[:len(one) // 2] + bytes(32000)
    session, events = run_session(recording, pcm, language="en", context_s=0.1, context_lead_s=2.0,
                                  match_text=True)
    with_prefix = [(seconds, prefix) for seconds, prefix in calls if prefix]
    assert with_prefix, "no decode carried the words before"
    text = session.done()["text"]
    for seconds, prefix in with_prefix:
        assert jiwer_norm(prefix) in jiwer_norm(text)  # final words only
        assert len(prefix.split()) < len(ENGLISH_TEXT.split()) / 2  # a tail, not the utterance
    first_half = " ".join(ENGLISH_TEXT.split()[:len(ENGLISH_TEXT.split()) // 2])
    assert jiwer.wer(jiwer_norm(ENGLISH_TEXT + " " + first_half), jiwer_norm(text)) < 0.25
    finals = [e for e in events if e["type"] == "final"]
    assert all(a["end"] <= b["start"] for a, b in zip(finals, finals[1:]))


def test_session_sharing_the_decoder_reads_the_shorter_context(decoder, english_wav):
    """shared_context_s: while other sessions wait for the same decoder, a decode reads at most
    that window (here none), so sessions that share 2 cores keep up; alone, the full window."""
    one = pcm_of(english_wav)
    pcm = one + bytes(32000) + one[:len(one) // 2] + bytes(32000)
    for shared, expect_context in ((False, True), (True, False)):
        recording = RecordingDecoder(decoder)
        session, _ = run_session(recording, pcm, shared=lambda: shared, language="en", context_s=30.0,
                                 shared_context_s=0.0)
        assert any(prefix for _, prefix in recording.calls) == expect_context, shared
        assert session.done()["text"]


def test_session_decodes_with_beams_alone_and_greedily_while_sharing_the_decoder(decoder, english_wav):
    """beam_size / shared_beam_size: alone, every decode is a beam search (run P); while other
    sessions wait for the same decoder, greedy, as cheap as before."""
    pcm = pcm_of(english_wav) + bytes(32000)
    for shared, expect in ((False, 3), (True, 1)):
        recording = RecordingDecoder(decoder)
        session, _ = run_session(recording, pcm, shared=lambda: shared, language="en", beam_size=3, shared_beam_size=1)
        assert recording.beams and set(recording.beams) == {expect}, shared
        assert "support" in session.done()["text"].lower()


def test_session_slots_count_every_key():
    from transcripts.streaming.limits import SessionSlots

    slots = SessionSlots(2)
    slots.take("a")
    slots.take("b")
    slots.take("b")
    assert slots.total() == 3
    slots.give_back("b")
    assert slots.total() == 2


def test_word_pieces_are_joined_as_batch_text_joins_them(decoder, audio_dir):
    """faster-whisper's word list keeps a piece that began without a space as a word of its own
    ("3", "-5"): the finals', the partials' and done's text join it as batch's text does
    ("3-5", not "3 -5"); `words` keep the pieces."""
    from helpers import espeak
    from transcripts.streaming.agreement import join_words

    wav = espeak("Please send me an e-mail before the end of the week. The delivery takes three to five days.",
                 audio_dir / "pieces.wav")
    audio = np.frombuffer(pcm_of(wav), "<i2").astype(np.float32) / 32768
    hyp = decoder.decode(audio, language="en")
    glued = [w for w in hyp.words if w.glued]
    assert glued and all(not w.word[0].isspace() for w in glued)
    assert "3-5" in join_words(hyp.words) and "3 -5" not in join_words(hyp.words)
    session, events = run_session(decoder, pcm_of(wav, pad_s=0.5), language="en", word_timestamps=True)
    done = session.done()["text"]
    assert "3-5" in done and " -" not in done
    finals = [e for e in events if e["type"] == "final"]
    assert all(" -" not in f["text"] for f in finals)
    pieces = [w["word"] for f in finals for w in f["words"]]
    assert "-5" in pieces  # the words stay the decoder's pieces, with their own times


def test_loop_start_finds_a_run_repeated_to_the_end():
    from transcripts.streaming.decoder import _loop_start

    assert _loop_start(list(range(20))) is None
    assert _loop_start([9, 8] + [1, 2] * 6) == 2
    assert _loop_start([9, 8] + [1, 2] * 6 + [1]) == 2  # the last copy cut short by the length cap
    assert _loop_start([7, 1, 2, 3] * 3) is None  # three copies: speech may do that
    assert _loop_start([5] * 11) is None and _loop_start([4] + [5] * 12) == 1


def test_a_decode_that_loops_returns_no_loop(decoder, english_wav, monkeypatch):
    """A greedy decode can loop to its token cap (".V .I .V .I ..." on a bench recording: 27
    inserted words, and as the next decode's forced prefix it lost the next utterance whole).
    Such a prefix makes it loop here; the loop is cut off, after one retry with a repetition
    penalty when the decode is the utterance's last (its words are final whatever they are)."""
    import transcripts.streaming.decoder as decoder_module

    audio = np.frombuffer(pcm_of(english_wav), "<i2").astype(np.float32)[:5 * 16000] / 32768
    prefix = "I .V .I .V .I .V .I .V"

    def looped(hyp):
        keys = [w.key for w in hyp.words]
        return any(keys[i:i + 2] * 4 == keys[i:i + 8] for i in range(max(0, len(keys) - 7)))

    with monkeypatch.context() as m:
        m.setattr(decoder_module, "LOOP_MIN_TOKENS", 10**6)  # the guard off: this input does loop
        assert looped(decoder.decode(audio, language="en", prefix=prefix))
    for final in (False, True):
        hyp = decoder.decode(audio, language="en", prefix=prefix, final=final)
        assert not looped(hyp), final
        assert all(0 <= w.start <= w.end <= audio.size / 16000 for w in hyp.words)


def test_the_decoder_encodes_its_prompt_and_prefix_as_the_model_was_trained(decoder):
    """The shipped whisper-base tokenizer lacks the merge `Ġ t`, so " the" was encoded as a bare
    space and "the": fed that prefix, the decoder wrote "yesterday nd the". The decoder's own
    tokenizer has it back: each word below is one token, the vocabulary's own."""
    from faster_whisper.tokenizer import Tokenizer

    text = " the tracking page this that to them"
    ids = decoder.hf_tokenizer.encode(text, add_special_tokens=False).ids
    vocab = decoder.hf_tokenizer.get_vocab()
    assert ids == [vocab["Ġ" + w] for w in text.split()]
    tokenizer = Tokenizer(decoder.hf_tokenizer, True, task="transcribe", language="en")
    assert tokenizer.decode(tokenizer.encode(text)) == text


def test_missing_merges_puts_a_dropped_merge_back_at_its_rank():
    """GPT-2's layout: token 256 + k is the product of merge k, so a merge lost from the list is
    found from the vocabulary; a vocabulary in another layout gets nothing guessed."""
    from transcripts.pipeline.backends.whisper_tokens import missing_merges

    vocab = {f"x{i}": i for i in range(256)} | {"a": 97, "b": 98, "c": 99}
    del vocab["x97"], vocab["x98"], vocab["x99"]
    vocab |= {"ab": 256, "abc": 257, "bc": 258}
    merges = [("a", "b"), ("ab", "c"), ("b", "c")]
    assert missing_merges(vocab, merges) == []
    assert missing_merges(vocab, merges[1:]) == [(0, ("a", "b"))]
    assert missing_merges(vocab, [merges[0], merges[2]]) == [(1, ("ab", "c"))]
    shuffled = vocab | {"ab": 258, "bc": 256}  # ids not in merge order: not GPT-2's layout
    assert missing_merges(shuffled, merges[1:]) == []


def test_a_short_fragment_first_does_not_decide_the_language(decoder, english_wav, audio_dir):
    """A stream that begins mid-word (the console's looping microphone): the first utterance,
    0.7 s of a word's end, scores another language on its own; it must not fix the session's."""
    import subprocess

    from helpers import espeak

    clip = espeak("Hello from the microphone.", audio_dir / "mic-hello.wav")
    fragment = audio_dir / "mic-fragment.wav"
    subprocess.run(["sox", str(clip), "-r", "16000", str(fragment), "trim", "1.46", "0.7"], check=True)
    pcm = pcm_of(fragment, pad_s=0.8) + pcm_of(english_wav, pad_s=0.5)
    session, events = run_session(decoder, pcm)
    assert session.language == "en"
    text = " ".join(e["text"] for e in events if e["type"] == "final")
    assert jiwer.wer(jiwer_norm(ENGLISH_TEXT), jiwer_norm(text)) < 0.4


def test_language_evidence_waits_for_enough_clear_speech():
    from transcripts.streaming.language import LanguageEvidence

    evidence = LanguageEvidence(after_s=2.0, threshold=0.5, settle_s=30.0)
    assert evidence.add([("he", 0.43), ("en", 0.2)], 0.7) is None  # short: not trusted
    assert evidence.choose([("vi", 0.8), ("en", 0.1)], 2.8) == "vi"  # a long decode outweighs it ...
    assert evidence.add([("vi", 0.8), ("en", 0.1)], 2.8) is None  # ... but one long decode does not decide
    assert evidence.add([("en", 0.9), ("vi", 0.01)], 3.8) is None  # the next one disagrees
    assert evidence.add([("en", 0.9), ("vi", 0.01)], 4.8) == "en"  # two in a row agree
    unclear = LanguageEvidence(after_s=2.0, threshold=0.5, settle_s=6.0)
    assert unclear.add([("nn", 0.3), ("no", 0.3)], 3.0) is None  # long enough, but unclear
    assert unclear.add([("nn", 0.3), ("no", 0.25)], 3.0) == "nn"  # settled by the evidence's length


def test_a_decode_that_says_its_sentence_again_is_found_at_the_end():
    """"... the long war. Our town still has the stone bridge, ... the long war.": a whole
    sentence said twice in a row is too long a loop for `_loop_start`; the copy is found at the
    end, and short repeats of speech are left alone."""
    from transcripts.streaming.decoder import ECHO_MIN_TOKENS, _echo_start

    sentence = list(range(100, 100 + ECHO_MIN_TOKENS + 5))
    assert _echo_start([1, 2] + sentence + sentence) == 2 + len(sentence)
    assert _echo_start([1, 2] + sentence) is None
    short = [7, 8, 9, 10]
    assert _echo_start(sentence + short + short) is None  # "no, no, no" and "I said, I said" stay


class ScriptedDecoder:
    """Answers by whether a decode has a forced prefix (the context) or not: the session's policy
    for a context that went wrong, without the model's whims."""

    def __init__(self, with_prefix, alone):
        self.with_prefix, self.alone, self.calls = with_prefix, alone, []

    def decode(self, audio, *, language, prompt="", hotwords=None, final=False, prefix="", evidence=None, beam_size=None):
        from transcripts.streaming.decoder import Hypothesis

        self.calls.append(bool(prefix))
        seconds = audio.size / 16000
        text, echoed = (self.with_prefix if prefix else self.alone)(seconds)
        n = len(text.split())
        words = [TimedWord(w, seconds - 1.2 + 0.9 * i / max(n, 1), seconds - 1.2 + 0.9 * (i + 1) / max(n, 1), 0.9)
                 for i, w in enumerate(text.split())]
        return Hypothesis(words, "en", 1.0, 0.1, [], echoed)


def test_a_context_that_silences_or_echoes_is_dropped_for_a_decode_alone(decoder, english_wav):
    """With the real VAD on speech: every decode with a prefix is scripted to fail (no words, or
    the sentence said again); the session decodes alone and keeps those words. When the decode alone
    repeats itself too (speech that really repeats), the first decode stays."""
    from transcripts.streaming.session import Session, SessionConfig

    pcm = pcm_of(english_wav, pad_s=1.0) * 2  # the second utterances have the first's text as context
    frames = [pcm[i:i + 3200] for i in range(0, len(pcm), 3200)]

    def run(with_prefix, alone):
        scripted = ScriptedDecoder(with_prefix, alone)
        session = Session(SessionConfig(language="en"), scripted)
        for i in range(0, len(frames), 5):
            session.process(frames[i:i + 5])
        session.process([], end=True)
        return session, scripted

    half = len(pcm) / 2 / 32000
    session, scripted = run(lambda s: ("", False), lambda s: ("alone words", False))
    assert any(scripted.calls)  # (the second half's decodes did have the context)
    assert any(f["start"] >= half and "alone" in f["text"] for f in session.finals)  # silenced: alone stands
    session, _ = run(lambda s: ("echo echo", True), lambda s: ("alone words", False))
    assert "echo" not in session.text and any(f["start"] >= half and "alone" in f["text"] for f in session.finals)
    session, _ = run(lambda s: ("repeated speech", True), lambda s: ("repeated speech", True))
    assert any(f["start"] >= half and "repeated" in f["text"] for f in session.finals)  # it really repeats: kept


def test_a_decode_that_says_its_context_again_is_cut_there_or_decoded_alone(english_wav):
    """At the end of a held-out stream (run Q) the decoder, after its forced prefix, gave the
    utterance, then the context's sentence, then the utterance again ("curves." now "curves"): 41
    words inserted. No exact copy, so `_echo_start` misses it; six words in a row of the prefix are
    the sign. After new words the decode is cut there; from its first word, it is decoded alone."""
    from transcripts.streaming.session import Session, SessionConfig, _context_copy

    context = "Jake suggested I try wiping the hard drive before I spend 800 bucks on a new one."
    said = "I popped into Marks on the way home. Jake suggested I try wiping the hard drive".split()
    words = [TimedWord(w, k, k + 1, 0.9) for k, w in enumerate(said)]
    assert _context_copy(context, words) == 8  # the new words stand, the copy goes
    assert _context_copy(context, words[8:]) == 0  # the context again from the first word
    assert _context_copy(context, words[:12]) is None  # five words of it are speech that repeats
    assert _context_copy(context, [TimedWord("JAKE,", 0, 1, 0.9)] + words[9:]) == 0  # case and commas aside
    pcm = pcm_of(english_wav, pad_s=1.0)
    frames = [pcm[i:i + 3200] for i in range(0, len(pcm), 3200)]
    alone = "alone words come in here at last"
    session = Session(SessionConfig(language="en"), ScriptedDecoder(lambda s: (alone, False), lambda s: (alone, False)))
    for i in range(0, len(frames), 5):
        session.process(frames[i:i + 5])
    # the second time, a decode with the first's finals as its prefix says them again after its new words
    scripted = session.decoder = ScriptedDecoder(lambda s: (f"fresh talk begins right here now {alone}", False),
                                                 lambda s: ("other words", False))
    for i in range(0, len(frames), 5):
        session.process(frames[i:i + 5])
    session.process([], end=True)
    assert any(scripted.calls) and "fresh talk" in session.text
    assert "now alone" not in session.text  # the context said again is cut off
