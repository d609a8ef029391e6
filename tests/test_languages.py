"""BCP-47 tags in, ISO 639-1 codes out."""

from __future__ import annotations

import pytest

from transcripts.languages import normalise_language


@pytest.mark.parametrize("tag, code", [
    ("en", "en"), ("en-US", "en"), ("EN-us", "en"), ("pt-BR", "pt"), ("zh-Hans", "zh"), ("zh-Hant-TW", "zh"),
    ("es-419", "es"), ("de-CH-1996", "de"), ("eng", "en"), ("iw", "he"), ("jv", "jw"), ("en_US", "en"),
])
def test_tags_map_to_iso_639_1(tag, code):
    assert normalise_language(tag) == code


@pytest.mark.parametrize("tag", ["", "xx", "zz-US", "english", "en--US", "x-klingon", "yue", "a" * 100])
def test_unknown_or_malformed_tags(tag):
    assert normalise_language(tag) is None
