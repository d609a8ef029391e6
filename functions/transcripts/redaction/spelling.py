"""US spellings of British-spelt clinical words, for lookups in US-spelt vocabularies.

MeSH, the drug dictionary and the procedure lists spell the US way; callers from the UK, Ireland,
India, Australia and New Zealand (and recognisers trained on their speech) write "apnoea",
"coeliac", "haemodialysis", "generalised". A word a vocabulary lacks is looked up again with one
spelling rule of `data/uk_us_spelling.tsv` applied; the result counts only when the vocabulary has
it, so no ordinary word is ever changed.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

MIN_LETTERS = 5  # "does" is not "des": short words are left alone


@lru_cache(maxsize=1)
def rules() -> tuple[tuple[str, str], ...]:
    text = resources.files("transcripts.redaction").joinpath("data/uk_us_spelling.tsv").read_text(encoding="utf-8")
    return tuple(tuple(line.split("\t")[:2]) for line in text.splitlines() if line.strip() and not line.startswith("#"))


def us_spelling(word: str, vocabulary) -> str:
    """`word` in the vocabulary's spelling: itself when the vocabulary has it or no rule gives a
    word it has."""
    if word in vocabulary or len(word) < MIN_LETTERS + 1:
        return word
    for british, american in rules():
        start = word.find(british)
        while start >= 0:
            candidate = word[:start] + american + word[start + len(british):]
            if len(candidate) >= MIN_LETTERS and candidate in vocabulary:
                return candidate
            start = word.find(british, start + 1)
        if british in word and len(candidate := word.replace(british, american)) >= MIN_LETTERS \
                and candidate in vocabulary:
            return candidate
    return word
