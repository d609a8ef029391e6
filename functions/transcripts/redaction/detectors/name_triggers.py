"""Names in lower-case speech that spaCy's NER misses: the word after a phrase that introduces
a name ("my husband,", "talked to", "dr", "this is"), and census first names English has no other
use for ("yeah gloria at your walk-in counter")."""

from __future__ import annotations

from .. import lexicon
from ..tokens import CUE_WORDS, MONTHS, WEEKDAYS, strip_possessive, tokenize
from .base import CallRecognizer, token_result


class NameTriggerRecognizer(CallRecognizer):
    """Names the NLP model misses in lower-case speech: the word after "my husband,", "talked to",
    "dr", "this is"; and letters spelled out after a name or after "spell". After a weak trigger
    ("it's", "hi", "thanks") an ordinary English word is no name ("it's free")."""

    ENTITIES = ["PERSON"]
    NAME = "name_triggers"

    def __init__(self, common_words=frozenset(), first_names=frozenset()):
        self.common_words = common_words
        self.first_names = first_names
        self.triggers: dict[str, list[tuple[str, ...]]] = {}
        for trigger in sorted((tuple(t.split()) for t in lexicon.NAME_TRIGGERS), key=len, reverse=True):
            self.triggers.setdefault(trigger[0], []).append(trigger)
        super().__init__()

    def analyze(self, text, entities, nlp_artifacts=None):
        tokens = tokenize(text)
        cores = [t.core for t in tokens]
        pos = _pos_by_start(nlp_artifacts)
        results = []
        for i in range(len(tokens)):
            for trig in self.triggers.get(cores[i], ()):
                if tuple(cores[i:i + len(trig)]) != trig:
                    continue
                j = i + len(trig)
                same_turn = tokens[i].turn
                if j < len(tokens) and trig in _QUESTION_TRIGGERS and (tokens[j - 1].text.endswith("?")
                                                                       or tokens[j].turn != tokens[j - 1].turn):
                    same_turn = tokens[j].turn  # "your full name?" / "tomasz wrobel"
                while j < len(tokens) and (cores[j] in lexicon.FILLERS or cores[j] in ("uh", "um")) \
                        and tokens[j].turn == same_turn:
                    j += 1  # "your son, yeah, arjun"
                weak_english = j < len(tokens) and trig in _WEAK_TRIGGERS and cores[j] in self.common_words \
                    and cores[j] not in self.first_names  # "it's free", but "hi, it's rebecca"
                naming = "name" in trig or "name's" in trig  # "my name is Jun Hao", "her name's April"
                if j < len(tokens) and tokens[j].turn == same_turn and self._namelike(tokens[j], cores[j], pos, naming) \
                        and not weak_english:
                    end = j + 1
                    if end < len(tokens) and tokens[end].turn == tokens[j].turn and not tokens[j].text.endswith((",", ".", "?")) \
                            and self._namelike(tokens[end], cores[end], pos) and pos.get(tokens[end].start) == "PROPN":
                        end += 1
                    results.append(token_result("PERSON", tokens, j, end, 0.7, "name_triggers"))
                break
        return results

    @staticmethod
    def _namelike(token, core, pos, naming: bool = False) -> bool:
        """Whether the word after a trigger can be a name; a month is one only after a phrase that
        gives a name ("my name is Jun Hao", not "talked to them in March")."""
        core = strip_possessive(core)  # "doctor okonkwo's office"
        if not core.replace("-", "").isalpha() or len(core) < 2 or core in lexicon.NAME_STOP or core in CUE_WORDS:
            return False
        if core in MONTHS and not naming or core in WEEKDAYS:
            return False
        return pos.get(token.start) in ("PROPN", "NOUN", "ADJ", "X", None) and pos.get(token.start) != "VERB"


_QUESTION_TRIGGERS = frozenset(tuple(t.split()) for t in lexicon.NAME_QUESTIONS)
_WEAK_TRIGGERS = frozenset(tuple(t.split()) for t in lexicon.word_list("weak_name_triggers"))


class KnownNameRecognizer(CallRecognizer):
    """First names in any case from the census list (`names.py`), when English has no other
    use for the word: "yeah gloria at your walk-in counter"."""

    ENTITIES = ["PERSON"]
    NAME = "known_names"

    def __init__(self, first_names: frozenset[str]):
        self.first_names = first_names
        super().__init__()

    def analyze(self, text, entities, nlp_artifacts=None):
        tokens = tokenize(text)
        pos = _pos_by_start(nlp_artifacts)
        return [token_result("PERSON", tokens, i, i + 1, 0.6, "known_names") for i, t in enumerate(tokens)
                if (core := strip_possessive(t.core)) in self.first_names and core.isalpha()
                and pos.get(t.start) not in ("VERB", "AUX")]  # "zara's is the infant one"


def _pos_by_start(nlp_artifacts) -> dict[int, str]:
    if nlp_artifacts is None or nlp_artifacts.tokens is None:
        return {}
    return {tok.idx: tok.pos_ for tok in nlp_artifacts.tokens}
