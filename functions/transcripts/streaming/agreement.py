"""LocalAgreement-2 (Machacek et al. 2023, whisper_streaming): a word is final once two
consecutive decodes of the growing buffer agree on it, and on everything before it.

Pure: words in, committed words out. Times are seconds on the stream's clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NON_WORD = re.compile(r"[^\w']+")


@dataclass(frozen=True)
class TimedWord:
    word: str
    start: float
    end: float
    probability: float
    glued: bool = False  # a piece of the word before ("-mail" after "e"): joined without a space

    @property
    def key(self) -> str:
        """What two decodes must agree on: the word without case or punctuation."""
        return word_key(self.word)


def word_key(word: str) -> str:
    """A word without case or punctuation: what makes two decodes' words the same word."""
    return _NON_WORD.sub("", word.lower())


def join_words(words) -> str:
    """The words' text as the decoder wrote it: faster-whisper's word list keeps a piece that
    began without a space ("e", "-mail"; "3", "-5") as a word of its own, which batch's text
    joins ("e-mail", "3-5")."""
    return "".join(w.word if w.glued and i else " " + w.word for i, w in enumerate(words)).lstrip()


class LocalAgreement:
    """Holds the last hypothesis past the committed point; `agree()` commits the longest
    common prefix of it and the next one."""

    def __init__(self, match_text: bool = False):
        self.committed_end = 0.0  # stream time where the committed words end
        self._tail: list[str] = []  # keys of the last words committed (to drop repeats)
        self._previous: list[TimedWord] = []
        self.match_text = match_text
        self._buffer_keys: list[str] = []  # keys of the words committed since the buffer's start

    def _fresh(self, words: list[TimedWord]) -> list[TimedWord]:
        """The part of a hypothesis past what is committed: words that start before the
        committed end are dropped, and so is a repeat of the last committed words at its head."""
        if self.match_text and self._buffer_keys:
            keyed = [w for w in words if w.key]
            n = len(self._buffer_keys)
            if [w.key for w in keyed[:n]] == self._buffer_keys:
                return keyed[n:]  # the hypothesis repeats the committed words: what follows is new
        fresh = [w for w in words if w.start >= self.committed_end - 0.1 and w.key]
        if not fresh or fresh[0].start - self.committed_end > 1.0:
            return fresh  # far from the committed words: not a repeat of them
        for n in range(min(5, len(self._tail), len(fresh)), 0, -1):
            if [w.key for w in fresh[:n]] == self._tail[-n:]:
                return fresh[n:]
        return fresh

    def agree(self, words: list[TimedWord], until: float | None = None) -> tuple[list[TimedWord], list[TimedWord]]:
        """(newly committed words, the uncommitted rest of this hypothesis). With `until`, no
        word ending after it is committed yet: a word cut off by the buffer's end can look the
        same, wrongly, in two decodes in a row."""
        fresh = self._fresh(words)
        n = 0
        while n < len(fresh) and n < len(self._previous) and fresh[n].key == self._previous[n].key \
                and (until is None or fresh[n].end <= until):
            n += 1
        committed = fresh[:n]
        self._previous = fresh[n:]
        self._commit(committed)
        return committed, self._previous

    def flush(self, words: list[TimedWord]) -> list[TimedWord]:
        """Commit all of a last hypothesis (the utterance ended): nothing more will come."""
        fresh = self._fresh(words)
        self._commit(fresh)
        self._previous = []
        return fresh

    def _commit(self, words: list[TimedWord]) -> None:
        if words:
            self.committed_end = max(self.committed_end, words[-1].end)
            self._tail = (self._tail + [w.key for w in words])[-5:]
            self._buffer_keys += [w.key for w in words]

    def rebase(self) -> None:
        """Decodes now begin at the committed end: their words are all past it."""
        self._buffer_keys = []

    def reset(self) -> None:
        """A new utterance: nothing pending; its words are new audio, never repeats."""
        self._previous = []
        self._tail = []
        self._buffer_keys = []
