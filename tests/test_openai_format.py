"""OpenAI response shapes and the prompt-as-vocabulary split (pure functions)."""

from __future__ import annotations

from transcripts.api.openai_params import prompt_terms
from transcripts.openai_format import language_name, render


def test_prompt_split_into_vocabulary_terms_keeping_word_order():
    prompt = "Xarelto, Zentrivox; " + "a long sentence about the quarterly results of Fennrix and Quillabyte"
    terms = prompt_terms(prompt)
    assert terms[:2] == ["Xarelto", "Zentrivox"]
    assert all(0 < len(t) <= 50 for t in terms)
    assert " ".join(terms[2:]) == "a long sentence about the quarterly results of Fennrix and Quillabyte"
    assert prompt_terms(None) == [] and prompt_terms(" , ;") == []


def test_verbose_json_shape():
    transcript = {"text": "hello there", "language": "en", "duration": 2.0}
    body = {"segments": [{"start": 0.0, "end": 1.5, "text": "hello there", "avg_logprob": -0.2,
                          "no_speech_prob": 0.01, "temperature": 0.0}],
            "words": [{"word": "hello", "start": 0.0, "end": 0.5, "confidence": 0.9}]}
    out = render("verbose_json", transcript, body, word_granularity=True)
    assert out["language"] == "english" and out["task"] == "transcribe" and out["usage"]["seconds"] == 2
    [seg] = out["segments"]
    assert seg["id"] == 0 and seg["text"] == " hello there" and seg["compression_ratio"] > 0
    assert out["words"] == [{"word": "hello", "start": 0.0, "end": 0.5}]
    assert "words" not in render("verbose_json", transcript, body, word_granularity=False)
    assert render("text", transcript, body, False) == "hello there\n"
    assert language_name("jw") == "javanese" and language_name(None) is None
