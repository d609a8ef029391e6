"""The passes that read an address where no detector found one: the answer to "and the address?",
whatever its country writes it like, and the town said after its "in"."""

from __future__ import annotations

from spacy.lang.en.stop_words import STOP_WORDS

from . import lexicon, policy
from .spoken import SPOKEN_DIGITS as _SPOKEN_DIGITS, TEENS, TENS
from .word_labels import WordLabel, turn_groups as _groups
from .word_labels import bare as _bare


ADDRESS_ANSWER_WORDS = 12  # the longest answer to "and the address?" taken as the address

_ADDRESS_LEADS = lexicon.word_set("address_leads")  # "yes, it's", "sure, so": said before the address
_NOT_A_HOME = frozenset({"email", "e-mail", "mail", "ip", "web", "website", "mac", "wallet"})  # "your email address?"

_HOME_WORDS = lexicon.word_set("home_words")


def _number_word(word: str) -> bool:
    return any(c.isdigit() for c in word) or word in _SPOKEN_DIGITS or word in TENS or word in TEENS


def _address_start(cores: list[str], k: int) -> bool:
    """A house number and a name after it ("302, Sai Krupa", "fourteen admiralty way"), or a word
    that leads a home's number ("flat 2", "block 12", "plot fourteen"): not "six weeks", "the old one"."""
    from .detectors.number_net import units

    if cores[k] in _HOME_WORDS:
        return k + 1 < len(cores) and _number_word(cores[k + 1])
    if not _number_word(cores[k]) or cores[k] in ("oh", "o"):
        return False  # "Oh, yes, ...": a sigh
    j = k
    while j < len(cores) and _number_word(cores[j]):
        j += 1
    return j < len(cores) and cores[j] not in STOP_WORDS and cores[j] not in units() and cores[j].isalpha()


def address_answers(words: list[str], labels: list, turns: list[int]) -> None:
    """The answer to "and the address?" is an address, whatever its country writes it like ("Flat
    302, Sai Krupa Apartments, Seventh Main", "Block 12, Lot 8, Sampaguita Street"): the next turn from
    its first house number (or "flat", "block", "plot") up to a function word ("and", "in", "but")
    or the end of its sentence."""
    bounds = _groups(turns)
    answers = []
    for (first, last), (answer, answer_end) in zip(bounds, bounds[1:]):
        cores = [_bare(w) for w in words[first:last]]
        unpunctuated = not any(w.endswith((".", ",", "?", "!")) for w in words[first:last])  # lower-case speech
        if not (words[last - 1].endswith("?") or unpunctuated) or "address" not in cores[-12:]:
            continue
        at = len(cores) - 1 - cores[::-1].index("address")
        if at > 0 and cores[at - 1] in _NOT_A_HOME:
            continue
        answers.append((answer, answer_end))
    for first, last in bounds:  # "my new address is flat 4, ...": the answer in the same turn
        cores = [_bare(w) for w in words[first:last]]
        for k in range(len(cores) - 2):
            if cores[k] == "address" and cores[k + 1] in ("is", "s", "its") and not words[first + k].endswith((",", ".")) \
                    and not (k and cores[k - 1] in _NOT_A_HOME):
                answers.append((first + k + 2, last))
    for answer, answer_end in answers:
        cores = [_bare(w) for w in words[answer:answer_end]]
        start = next((answer + k for k in range(len(cores)) if _address_start(cores, k)), answer_end)
        end = start
        while end < min(answer_end, start + ADDRESS_ANSWER_WORDS):
            if end > start and _bare(words[end]) in STOP_WORDS and not _number_word(_bare(words[end])):
                break  # "61 Ladybarn Lane, and it's ...", "Old Mill Road, out in Scappoose"
            end += 1
            if words[end - 1].endswith((".", "?", "!")):
                break
        stopped_at = end
        while end > start and (_bare(words[end - 1]) in _ADDRESS_LEADS or labels[end - 1] is not None):
            end -= 1  # up to the town or postcode another detector found, or a closing "thanks"
        label = WordLabel("STREET_ADDRESS", policy.classes_of("STREET_ADDRESS")[0], 0.5, "address_answer")
        for i in range(start, end):
            if labels[i] is None:
                labels[i] = label
        if stopped_at > start and stopped_at < answer_end and _bare(words[stopped_at]) == "in":
            _town_after_in(words, labels, stopped_at + 1, answer_end)


def _town_after_in(words: list[str], labels: list, k: int, stop: int) -> None:
    """"... heol y deri in cardiff postcode ...": one to three words after an answer's "in", up to a
    comma, a postcode word or the turn's end, are its town."""
    end = k
    while end < min(stop, k + 3) and _bare(words[end]).isalpha() and _bare(words[end]) not in STOP_WORDS \
            and _bare(words[end]) not in lexicon.ZIP_WORDS:
        end += 1
        if words[end - 1].endswith((",", ".", "?", "!")):
            break
    if end > k and (end == stop or words[end - 1].endswith((",", ".", "?", "!")) or _bare(words[end]) in lexicon.ZIP_WORDS):
        for i in range(k, end):
            if labels[i] is None:
                labels[i] = WordLabel("LOCATION", policy.classes_of("LOCATION")[0], 0.5, "address_answer")
