"""The stream's language, when the client gave none: evidence from every decode until it is clear.

Whisper's language detection on a short piece of audio is unreliable: on the console's looping
microphone clip, 0.4-1 s that began mid-word or held mostly the pause scored Hebrew, Russian or
Welsh above English (0.3-0.5), where 2 s or more of the same clip scored English at 0.8-0.97.
Fixing the language from the first decode that happened to be an utterance's last one let such
a fragment decide the whole session (the finals came back in Hebrew). So each decode's
distribution is added, weighted by its audio's length, and the language is fixed only once two
decodes in a row of at least `after_s` each leave the same language ahead, with `threshold` or
more of the evidence (LocalAgreement's rule for words, applied to the language; faster-whisper's
batch detection uses the same 0.5 threshold over more windows), or the evidence reaches `settle_s`
seconds. Until then each decode uses the evidence so far, its own detection included. (One long
decode was not enough: 0.7 s of a word's end, a pause and "thank you for" scored Vietnamese 0.6.)
"""

from __future__ import annotations

from collections import defaultdict


class LanguageEvidence:
    def __init__(self, after_s: float = 2.0, threshold: float = 0.5, settle_s: float = 30.0):
        self.after_s = after_s
        self.threshold = threshold
        self.settle_s = settle_s
        self._scores: dict[str, float] = defaultdict(float)  # language -> sum of probability x seconds
        self._seconds = 0.0
        self._ahead: str | None = None  # the language ahead after the last decode of `after_s` or more

    def best(self) -> str | None:
        return max(self._scores, key=self._scores.get) if self._scores else None

    def choose(self, detected: list[tuple[str, float]], seconds: float) -> str:
        """The language to decode this audio in: the evidence so far with this detection added
        (not kept: `add` keeps it once the decode is done)."""
        scores = dict(self._scores)
        for language, p in detected:
            scores[language] = scores.get(language, 0.0) + p * seconds
        return max(scores, key=scores.get) if scores else "en"

    def add(self, detected: list[tuple[str, float]], seconds: float) -> str | None:
        """Adds a decode's detection; returns the language once it is settled, else None."""
        for language, p in detected:
            self._scores[language] += p * seconds
        self._seconds += seconds
        best = self.best()
        if best is None:
            return None
        if self._seconds >= self.settle_s:
            return best
        if seconds < self.after_s:
            return None
        agreed = best == self._ahead and self._scores[best] / self._seconds >= self.threshold
        self._ahead = best
        return best if agreed else None
