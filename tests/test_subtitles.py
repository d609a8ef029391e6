"""Subtitle cues from stored results, read back with the `srt` and `webvtt-py` parsers."""

from __future__ import annotations

import srt
import webvtt

from transcripts.subtitles import NoTimings, cues, timed_words, to_srt, to_vtt

import pytest


def _words(text: str, start: float = 0.0, step: float = 0.5) -> list[dict]:
    out = []
    for i, w in enumerate(text.split()):
        out.append({"word": w, "start": round(start + i * step, 3), "end": round(start + i * step + 0.4, 3),
                    "confidence": 0.9})
    return out


def test_cues_break_at_words_within_limits_and_parse_as_srt():
    words = _words("one two three four five six seven eight nine ten eleven twelve thirteen fourteen", step=0.5)
    items = cues(timed_words({"words": words, "text": "x"}), chars_per_caption=20, max_caption_seconds=6)
    parsed = list(srt.parse(to_srt(items)))
    assert [p.index for p in parsed] == list(range(1, len(items) + 1))
    joined = " ".join(p.content for p in parsed)
    assert joined == " ".join(w["word"] for w in words)  # no word lost, split or repeated
    for p in parsed:
        assert len(p.content) <= 20
        assert p.start < p.end
    assert parsed[0].start.total_seconds() == 0.0 and parsed[-1].end.total_seconds() == words[-1]["end"]


def test_max_caption_seconds_splits_slow_speech():
    words = _words("a b c d e f g h", step=2.0)  # one word every two seconds
    items = cues(timed_words({"words": words, "text": "x"}), chars_per_caption=80, max_caption_seconds=3)
    assert all(c.end - c.start <= 3 for c in items) and len(items) == 4


def test_speakers_in_both_formats_and_redaction_tokens_stay():
    words = _words("hello there my card is [PCI] thanks") + []
    utterances = [{"speaker": 0, "start": 0.0, "end": words[1]["end"], "text": "hello there"},
                  {"speaker": 1, "start": words[2]["start"], "end": words[-1]["end"], "text": "..."}]
    items = cues(timed_words({"words": words, "utterances": utterances, "text": "x"}))
    assert [(c.speaker, c.text) for c in items] == [(0, "hello there"), (1, "my card is [PCI] thanks")]
    parsed = list(srt.parse(to_srt(items)))
    assert parsed[0].content == "Speaker 0: hello there" and parsed[1].content.startswith("Speaker 1: ")
    assert "[PCI]" in parsed[1].content
    vtt = webvtt.from_string(to_vtt(items))
    assert [c.voice for c in vtt.captions] == ["Speaker 0", "Speaker 1"]
    assert vtt.captions[1].text == "my card is [PCI] thanks"
    assert vtt.captions[0].identifier == "1" and vtt.captions[0].start == "00:00:00.000"


def test_vtt_escapes_markup():
    items = cues(timed_words({"words": _words("a<b & c>d"), "text": "x"}))
    text = to_vtt(items)
    assert "&lt;" in text and "&amp;" in text and "<b" not in text
    assert webvtt.from_string(text).captions[0].text == "a&lt;b &amp; c&gt;d"


def test_segments_give_words_when_no_word_times_were_kept():
    body = {"text": "first part here. and the second", "words": None,
            "segments": [{"start": 1.0, "end": 3.0, "text": "first part here."},
                         {"start": 4.0, "end": 5.0, "text": "and the second"}]}
    words = timed_words(body)
    assert [w["word"] for w in words] == "first part here. and the second".split()
    assert words[0]["start"] == 1.0 and words[2]["end"] == 3.0 and words[3]["start"] == 4.0
    parsed = list(srt.parse(to_srt(cues(words))))
    assert parsed[0].start.total_seconds() == 1.0 and parsed[-1].end.total_seconds() == 5.0


def test_no_speech_is_an_empty_file_and_no_timings_is_an_error():
    assert to_srt(cues(timed_words({"text": "", "words": None}))) == ""
    assert webvtt.from_string(to_vtt([])).captions == []
    with pytest.raises(NoTimings):
        timed_words({"text": "said something", "words": None})


def test_hours_are_formatted():
    items = cues([{"word": "late", "start": 3723.5, "end": 3724.25}])
    assert "01:02:03,500 --> 01:02:04,250" in to_srt(items)
    assert "01:02:03.500 --> 01:02:04.250" in to_vtt(items)
