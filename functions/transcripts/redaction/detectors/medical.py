"""Medications (with their dose, route and frequency), conditions, injuries and procedures (with
the site they concern), found by the word lists of `lexicon` and the drug dictionary, in the
lower case ASR writes them: "metformin 500 milligrams twice a day", "a CT of my abdomen"."""

from __future__ import annotations

import re
from functools import lru_cache

from .. import lexicon
from ..spelling import us_spelling
from ..tokens import tokenize
from .base import CallRecognizer, token_result
from .conditions import condition_names, conditions_installed
from .schedule import RELEASE_SUFFIXES, TIMES, dose_end, frequency_at, number_word, phrase_at
from .sites import STAGE_WORDS, site_end, stage_end

ICD10_CODE = re.compile(r"[A-TV-Z]\d{2}\.\d{1,4}[A-Z]?")  # a diagnosis code as written: E11.65, M17.11
SPLIT_DRUG_MIN = 7  # letters of a drug name written in pieces; shorter joins are chance ("in" + "sulin" is 7)


class MedicalRecognizer(CallRecognizer):
    """Medications (with their dose), conditions, injuries and procedures by word lists."""

    ENTITIES = ["MEDICATION", "MEDICAL_CONDITION", "MEDICAL_PROCEDURE"]
    NAME = "medical_lexicon"

    def __init__(self, medications: frozenset[str], common_words=frozenset()):
        self.medications = medications
        self.common_words = common_words
        self._actions: dict[str, bool] = {}  # word -> whether it is a noun of an action (`_action_head`)
        self.phrases = {}
        for entity, words in (("MEDICAL_CONDITION", lexicon.CONDITIONS), ("MEDICAL_PROCEDURE", lexicon.PROCEDURES)):
            for phrase in words:
                if phrase.strip():
                    self.phrases[tuple(phrase.split())] = entity
        self.longest = max(len(p) for p in self.phrases)
        self.medical_words = frozenset(w for p in self.phrases for w in p) | lexicon.BODY_PARTS \
            | _mesh_words()
        self.medical_words -= _stop_words()
        self.vocabulary = frozenset(w for p in self.phrases for w in p) | frozenset(
            w for m in medications for w in m.split()) | lexicon.BODY_PARTS \
            | lexicon.PROCEDURE_NOUNS | lexicon.INJURY_WORDS | lexicon.CONDITION_MODIFIERS | lexicon.PROCEDURE_MODIFIERS
        super().__init__()

    def analyze(self, text, entities, nlp_artifacts=None):
        tokens = tokenize(text)
        cores = [us_spelling(t.core, self.vocabulary) for t in tokens]  # "apnoea": the lists spell "apnea"
        results, i = [], 0
        care_call = is_care_call(cores)
        while i < len(tokens):
            found = self._at(tokens, cores, i) or care_call and self._scheduled_name(tokens, cores, i) \
                or _headed_procedure(tokens, cores, i, self.medical_words, care_call, self._action_head)
            if found and found[0] == "MEDICATION" and i > 0 and cores[i - 1] in _BEFORE_A_NAME:
                found = None  # "my son Tobi" is a boy, not the TOBI inhaler
            if found:
                entity, end = found
                if entity == "MEDICATION":
                    end = dose_end(cores, end)
                    if i > 0 and cores[i - 1] in ("weekly", "daily", "nightly", "monthly", "infant", "children's"):
                        i -= 1  # "the weekly Ozempic", "the children's Motrin"
                    if i > 2 and cores[i - 1] == "of" and cores[i - 2] in lexicon.DOSE_UNITS \
                            and re.fullmatch(r"\d+(\.\d+)?", cores[i - 3]):
                        i -= 3  # "five milligrams of morphine"
                elif entity == "MEDICAL_CONDITION":
                    while i > 0 and cores[i - 1] in lexicon.CONDITION_MODIFIERS:
                        i -= 1  # "bacterial sinusitis", "chronic kidney disease", "metastatic pancreatic cancer"
                    if end < len(cores) and cores[end] in ("center", "centre", "institute", "society", "foundation"):
                        i = end  # "the cancer center" is a place
                        continue
                    if i > 1 and cores[i - 2] == "stage" and (cores[i - 1].isdigit() or cores[i - 1] in STAGE_WORDS):
                        i -= 2  # "stage three kidney disease"
                    if end < len(cores) and cores[end] in lexicon.CONDITION_HEADS:
                        end += 1  # "whiplash injury"
                    end = site_end(cores, stage_end(cores, end), procedure=False)  # "that ulcer on his left foot"
                action_after = care_call and end < len(cores) and entity != "MEDICATION" \
                    and (self._action_head(cores[end]) or cores[end] in _ANY_HEAD) \
                    and not tokens[end - 1].text.endswith(_PAUSES)
                if action_after and entity == "MEDICAL_CONDITION":
                    entity = "MEDICAL_PROCEDURE"  # "a polyp removal", "your HIV test", "the chlamydia swab"
                if entity == "MEDICAL_PROCEDURE":
                    if action_after or end < len(cores) and cores[end] in _PROCEDURE_TAILS:
                        end += 1  # "triple bypass surgery", "root canal treatment", "PD catheter insertion"
                    end = site_end(cores, end)
                    if end + 1 < len(cores) and cores[end] in ("left", "right") and cores[end + 1] == "side":
                        end += 2  # "an ACL reconstruction, left side"
                    while i > 0 and (cores[i - 1] in lexicon.PROCEDURE_MODIFIERS or cores[i - 1] in ("left", "right")):
                        i -= 1  # "laparoscopic appendectomy", "total knee replacement", "right shoulder replacement"
                results.append(token_result(entity, tokens, i, end, 0.88, "medical_lexicon"))
                i = end
            else:
                i += 1
        return results

    def _action_head(self, core: str) -> bool:
        """A noun of an action that can head a procedure after medical words ("a foot
        examination", "the splint application", "graded exposure"): see `EnglishWords.action_noun`."""
        known = self._actions.get(core)
        if known is None:
            action_noun = getattr(self.common_words, "action_noun", None)
            known = self._actions[core] = action_noun is not None and core not in _NOT_PROCEDURE_ACTIONS \
                and action_noun(core)
        return known

    def _unknown_drug(self, cores, i: int) -> bool:
        """"Gonal-F three hundred units", "Menopur seventy five": a word English does not know,
        followed by a dose with its unit, is a drug the dictionary lacks."""
        c = cores[i]
        if len(c) < 4 or not c.replace("-", "").isalpha() or c in self.common_words or c in lexicon.NAME_STOP \
                or c in lexicon.DOSE_UNITS or c in lexicon.DOSE_FORMS:
            return False
        end = dose_end(cores, i + 1)
        return end > i + 2 and any(w in lexicon.DOSE_UNITS and w not in ("tablet", "tablets", "pill", "pills")
                                   for w in cores[i + 1:end])

    def _scheduled_name(self, tokens, cores, i: int):
        """"Pan 40 before breakfast", "Eco spring 75 once daily", "Met XL 25 once in the morning":
        on a call about care, a name said right before a strength and when to take it is a
        medication whatever the name, as a name before a dose with its unit is (`_unknown_drug`):
        the recogniser writes brands no dictionary holds as English words. The name is one word,
        or two when the first is capitalised inside a sentence ("a Tor va 40 at night"); then its
        release form ("XL"), a number and a frequency or a time of day, nothing between them.
        Not a clock time ("home by eleven at night": an hour before a time of day alone), nor
        one pill ("she takes one a day")."""
        if not _name_piece(cores[i]):
            return None
        j = i + 1
        if j < len(cores) and _name_piece(cores[j]) and self._proper(tokens, i) and tokens[j].turn == tokens[i].turn \
                and not tokens[i].text.endswith(_PAUSES):
            j += 1
        name_end = j
        while j < len(cores) and j - name_end < 2 and cores[j] in RELEASE_SUFFIXES:
            j += 1
        k = j
        while k < len(cores) and (re.fullmatch(r"\d+(\.\d+)?", cores[k]) or number_word(cores[k])
                                  or cores[k] in ("hundred", "point") and k > j):
            k += 1
        if k == j or k >= len(cores) or any(tokens[m].text.endswith(_PAUSES) or tokens[m].turn != tokens[i].turn
                                            for m in range(i, k)):
            return None
        frequency = frequency_at(cores, k)
        if not frequency and not phrase_at(cores, k, TIMES):
            return None
        hour = k == j + 1 and (cores[j] in _HOURS or cores[j].isdigit() and 1 <= int(cores[j]) <= 12)
        if hour and not frequency or cores[j:k] in (["one"], ["1"]) and j == name_end:
            return None
        return "MEDICATION", name_end

    def _split_drug(self, cores, i: int) -> int | None:
        """The end of a drug's name the recogniser wrote in pieces ("Lexa Pro", "Zol Pidem",
        "co codamol", "levothyrox in"): two or three pieces that, joined, are a name in the drug
        dictionary (also with the "e" a split often drops)."""
        for size in (3, 2):
            pieces = cores[i:i + size]
            if len(pieces) < size or not all(p.isalpha() for p in pieces) or len(pieces[0]) < 2:
                continue
            joined = "".join(pieces)
            if len(joined) >= SPLIT_DRUG_MIN and (joined in self.medications or joined + "e" in self.medications
                                                  or "-".join(pieces) in self.medications):
                return i + size
        return None

    @staticmethod
    def _proper(tokens, i: int) -> bool:
        """A capital inside a sentence ("310 Kestrel Court, Tacoma"): a place or a name, not a
        word ending in "-oma"."""
        return tokens[i].raw_core[:1].isupper() and i > 0 and tokens[i - 1].turn == tokens[i].turn \
            and not tokens[i - 1].text.endswith((".", "?", "!"))

    def _at(self, tokens, cores, i):
        for size in range(min(4, len(cores) - i), 0, -1):
            phrase = " ".join(cores[i:i + size])
            if phrase in self.medications:
                return "MEDICATION", i + size
        if len(cores[i]) > 5 and cores[i].endswith("s") and cores[i][:-1].removesuffix("'") in self.medications:
            return "MEDICATION", i + 1  # "both EpiPens", "so nitrofurantoin's borderline"
        split = self._split_drug(cores, i)
        if split:
            return "MEDICATION", split
        if ICD10_CODE.fullmatch(tokens[i].raw_core):
            return "MEDICAL_CONDITION", i + 1  # "the code is E11.65": a diagnosis code names the condition
        if cores[i] in ("aids", "aid") and i > 0 and cores[i - 1] == "hearing":
            return None  # "hearing aids" are a device
        if cores[i] in _PROCEDURE_TAILS[:3] and site_end(cores, i + 1) > i + 1:
            return "MEDICAL_PROCEDURE", i + 1  # "surgery on my knee": the site makes it one
        for size in range(min(self.longest, len(cores) - i), 0, -1):
            phrase = tuple(cores[i:i + size])
            entity = self.phrases.get(phrase)
            if entity is None and phrase[-1].endswith("s") and len(phrase[-1]) > 3:
                entity = self.phrases.get(phrase[:-1] + (phrase[-1][:-1],))  # "two C-sections", "UTIs"
            if entity:
                end = i + size
                if entity == "MEDICAL_PROCEDURE" and i > 0 and cores[i - 1] in lexicon.BODY_PARTS:
                    return None  # taken with its body part below, from the earlier word
                return entity, end
        c = cores[i]
        if self._unknown_drug(cores, i):
            return "MEDICATION", i + 1
        if c.isalpha() and len(c) > 5 and c not in lexicon.SUFFIX_EXCEPTIONS and not self._proper(tokens, i):
            if c.endswith(lexicon.PROCEDURE_SUFFIXES):
                return "MEDICAL_PROCEDURE", i + 1
            if c.endswith(lexicon.CONDITION_SUFFIXES):
                return "MEDICAL_CONDITION", i + 1
        side = 0
        while side < 2 and i + 1 + side < len(cores) and cores[i + 1 + side] in lexicon.BODY_SIDES:
            side += 1  # "fractured left hip", "torn medial meniscus"
        if c in lexicon.INJURY_WORDS and i + 1 + side < len(cores) and cores[i + 1 + side] in lexicon.BODY_PARTS:
            return "MEDICAL_CONDITION", i + 2 + side
        if c in lexicon.BODY_PARTS and i + 1 < len(cores) and cores[i + 1] in _BODY_CONDITIONS:
            return "MEDICAL_CONDITION", i + 2  # "a bladder infection", "the ankle sprain"
        if c in lexicon.REMOVABLE_ORGANS and i + 1 < len(cores) and cores[i + 1] in ("out", "removed"):
            return "MEDICAL_PROCEDURE", i + 2  # "had my gallbladder out"
        if c in lexicon.BODY_PARTS:
            j = i + 1
            while j < len(cores) and cores[j] in lexicon.BODY_PARTS and j - i < 3:
                j += 1
            if j < len(cores) and (cores[j] in lexicon.PROCEDURE_NOUNS or (cores[j],) in self.phrases
                                   and self.phrases[(cores[j],)] == "MEDICAL_PROCEDURE"):
                return "MEDICAL_PROCEDURE", j + 1
            if self.phrases.get(tuple(cores[j:j + 2])) == "MEDICAL_PROCEDURE":
                return "MEDICAL_PROCEDURE", j + 2  # "left arm AV fistula"
            if j < len(cores) and len(cores[j]) > 5 and cores[j].endswith(lexicon.PROCEDURE_SUFFIXES):
                return "MEDICAL_PROCEDURE", j + 1  # "hip arthroplasty"
        return None


_BEFORE_A_NAME = lexicon.RELATIONS | lexicon.word_set("before_a_name")
_PAUSES = (",", ".", "?", "!", ";", ":")
_HOURS = frozenset("one two three four five six seven eight nine ten eleven twelve".split())
_NOT_NAME_PIECES = lexicon.word_set("time_leads") | lexicon.word_set("not_drug_names")


def _name_piece(core: str) -> bool:
    """A word that can be (part of) a drug's name: letters, not a function word, a time's lead,
    a number or a dose's own word."""
    return len(core) >= 2 and core.replace("-", "").isalpha() and core not in _stop_words() \
        and core not in _NOT_NAME_PIECES and not number_word(core) and core not in lexicon.DOSE_UNITS \
        and core not in lexicon.DOSE_FORMS and core not in RELEASE_SUFFIXES
_PROCEDURE_HEADS = lexicon.PROCEDURE_NOUNS | lexicon.word_set("procedure_heads")
_ANY_HEAD = _PROCEDURE_HEADS | lexicon.word_set("compound_heads")
CARE_CALL_WORDS = 6  # different care words that make a call one about someone's care (as detectors/context.py)
_CARE_WORDS = lexicon.HEALTH_DATE_CUES | lexicon.PROCEDURE_NOUNS


def is_care_call(cores) -> bool:
    """Whether a call names `CARE_CALL_WORDS` different care words: it is about someone's care."""
    return len(set(cores) & _CARE_WORDS) >= CARE_CALL_WORDS


def _headed_procedure(tokens, cores, i: int, medical_words=frozenset(), care_call: bool = True,
                      action_head=lambda core: False):
    """On a call about care, the words before a procedure's head noun name the procedure ("a
    malaria test", "the stool culture"): one word, not a function word or a number; or up to
    `HEAD_MODIFIERS` words the medical vocabularies know ("a nerve conduction study", "blood
    pressure monitoring", "the lipid profile"), as any word before a compound head
    (`compound_heads.txt`, words that are no procedure with an everyday word before them: "a new
    profile", "the fraud monitoring team"). Off a call about care, only compounds of words the
    vocabularies know: two or more before any head ("liver function tests"), or one before a
    compound head ("a sleep study"), never "a pressure test" or "a stress test"."""
    from spacy.lang.en.stop_words import STOP_WORDS

    def modifier(k: int) -> bool:
        return cores[k].replace("-", "").isalpha() and len(cores[k]) >= 3 and cores[k] not in STOP_WORDS \
            and cores[k] not in _NOT_PROCEDURE_MODIFIERS and not tokens[k].text.endswith((".", "?", "!", ",", ";", ":"))

    for head in range(i + 1, min(i + 1 + HEAD_MODIFIERS, len(cores))):
        if not modifier(head - 1):
            return None
        if cores[head] in _ANY_HEAD:
            known = all(cores[k] in medical_words for k in range(i, head))
            if care_call and (head == i + 1 and cores[head] in _PROCEDURE_HEADS or known) \
                    or known and (head > i + 1 or cores[head] in _COMPOUND_HEADS):
                return "MEDICAL_PROCEDURE", head + 1
            return None
        if care_call and action_head(cores[head]) and all(cores[k] in _ACTION_MODIFIERS for k in range(i, head)):
            return "MEDICAL_PROCEDURE", head + 1  # "a foot examination", "his fundus examination"
    return None


HEAD_MODIFIERS = 3  # words of a compound before its head noun: "renal function test"
_COMPOUND_HEADS = lexicon.word_set("compound_heads")
_NOT_PROCEDURE_MODIFIERS = lexicon.word_set("not_procedure_modifiers")
MESH_MIN_NAMES = 5  # a word in fewer MeSH disease names is an everyday one there by chance ("new", "temporary")


def _mesh_words() -> frozenset[str]:
    """Words of at least `MESH_MIN_NAMES` MeSH disease names ("renal", "pressure", "lipid")."""
    from collections import Counter

    if not conditions_installed():
        return frozenset()
    counts = Counter(w for name in condition_names() for w in set(name.split()))
    return frozenset(w for w, n in counts.items() if n >= MESH_MIN_NAMES)


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


_BODY_CONDITIONS = lexicon.word_set("body_conditions")
_NOT_PROCEDURE_ACTIONS = lexicon.word_set("not_procedure_actions")
_ACTION_MODIFIERS = lexicon.BODY_PARTS | lexicon.word_set("body_substances")  # "a foot examination", "a blood transfusion"
_PROCEDURE_TAILS = ("surgery", "operation", "surgeries", "procedure", "placement", "implantation", "evaluation")
