"""The passes over a call's word labels that complete medical entities, after the detectors:
doses that name their drug (detectors/dose.py), clinical words told by their letters
(detectors/term_shape.py), a medication's dose and schedule, a condition's or procedure's body
site, and the modifiers the tagger reads before one."""

from __future__ import annotations

from spacy.lang.en.stop_words import STOP_WORDS

from . import lexicon
from .spelling import us_spelling
from .tokens import strip_possessive, strip_punct
from .word_labels import UNSURE_BELOW, WordLabel, bare, entity_spans

DOSE_REACH = 40  # words after a medication's name in which a dose said alone is its dose
LIST_REACH = 25  # words either side of a medication in which an unknown word with a strength is another
_DOSE_OVERRIDES = frozenset({"MEDICATION", "PERSON", "LOCATION"})  # "back lo fen 10 mg": not a person
_SPLIT_OVERRIDES = _DOSE_OVERRIDES | {"MEDICAL_CONDITION"}  # "ben dro flu me ...": not the flu


def doses(words: list[str], labels: list, confidences, common=frozenset(), split_names=None,
          names=frozenset()) -> None:
    """detectors/dose.py: the words right before a dose and its unit are a medication; so is a
    drug's name heard in pieces, before a dose or, on a call about care, alone."""
    from .detectors.dose import bare_doses, listed_strengths, medication_spans
    from .detectors.medical import is_care_call

    def near_medication(i: int) -> bool:
        return any(label is not None and label.entity == "MEDICATION" for label in labels[max(0, i - LIST_REACH):i + LIST_REACH])

    split = []  # (spans, score): before a dose ("met for men 500 twice a day"), then alone on a call about care
    if split_names:
        split.append((split_names.spans(words, near_medication), 0.6))
        if is_care_call([strip_possessive(bare(w)) for w in words]):  # "still on the met for men, is that"
            split.append((split_names.said_alone(words, common, names), 0.5))
    for spans, score in split:
        for first, end in spans:
            if any(labels[i] is not None and labels[i].entity not in _SPLIT_OVERRIDES for i in range(first, end)):
                continue
            label = WordLabel("MEDICATION", "phi", score, "split_name")
            for i in range(first, end):
                labels[i] = label
    for first, end in medication_spans(words, confidences, UNSURE_BELOW, common):
        if any(labels[i] is not None and labels[i].entity not in _DOSE_OVERRIDES for i in range(first, end)):
            continue
        label = WordLabel("MEDICATION", "phi", 0.6, "dose")
        for i in range(first, end):
            if labels[i] is None or labels[i].entity != "MEDICATION":
                labels[i] = label
    for first, end in bare_doses(words):  # "Ozempic ... the half milligram, since the ninth"
        if any(labels[i] is not None for i in range(first, end)) or not any(
                label is not None and label.entity == "MEDICATION" for label in labels[max(0, first - DOSE_REACH):first]):
            continue
        label = WordLabel("MEDICATION", "phi", 0.5, "dose_of_named_drug")
        for i in range(first, end):
            labels[i] = label
    for first, end in listed_strengths(words, common):  # "Ecosprin seventy-five, clopidogrel, Rosuvas twenty"
        if any(labels[i] is not None and labels[i].entity not in _DOSE_OVERRIDES for i in range(first, end)) \
                or not any(label is not None and label.entity == "MEDICATION"
                           for label in labels[max(0, first - LIST_REACH):first] + labels[end:end + LIST_REACH]):
            continue
        label = WordLabel("MEDICATION", "phi", 0.5, "listed_strength")
        for i in range(first, end):
            labels[i] = label


def clinical_shapes(words: list[str], labels: list, shape, common, names) -> None:
    """On a call about care, a word nothing labelled, that neither English nor the name lists
    know, and that has a clinical word's letters (detectors/term_shape.py), is phi: a medication
    when a dose follows it, else a procedure (a lab, a therapy's letters)."""
    from .detectors.medical import is_care_call
    from .detectors.schedule import dose_end
    from .name_passes import before_organisation_head

    cores = [strip_possessive(bare(w)) for w in words]
    if not is_care_call(cores):
        return
    for i, c in enumerate(cores):
        if labels[i] is not None or c in common or c in names or c in lexicon.NAME_STOP \
                or strip_punct(words[i]).isupper() or before_organisation_head(words, cores, i) or not shape.clinical(c):
            continue
        entity = "MEDICATION" if dose_end(cores, i + 1) > i + 1 else "MEDICAL_PROCEDURE"
        labels[i] = WordLabel(entity, "phi", 0.5, "term_shape")


def medical_extents(words: list[str], labels: list, turns: list[int]) -> None:
    """Whichever detector found a medication, condition or procedure, it extends the same way:
    a medication over its dose and schedule ("Utrogestan 100 at night"), a condition over its stage,
    a condition or procedure over the body site said with it ("a Doppler scan of both legs", "the
    ulcer on your left shin")."""
    from .detectors.schedule import dose_end
    from .detectors.sites import site_end, stage_end

    cores = [bare(w) for w in words]
    for first, end in entity_spans(labels):
        label = labels[first]
        if label.entity not in _EXTENDED:
            continue
        if label.entity == "MEDICATION":
            reach = dose_end(cores, end)
        else:
            procedure = label.entity == "MEDICAL_PROCEDURE"
            reach = site_end(cores, end if procedure else stage_end(cores, end), procedure=procedure)
        k = end
        while k < reach and labels[k] is None and turns[k] == turns[first]:
            labels[k] = label
            k += 1


_EXTENDED = frozenset({"MEDICATION", "MEDICAL_CONDITION", "MEDICAL_PROCEDURE"})
MODIFIER_REACH = 3  # words before a condition or procedure taken as its modifiers
# Penn tags of a noun phrase's modifiers (the tagger's, on the call's text): adjectives, nouns of a
# compound, past participles ("a fractured", "deviated", "frozen").
_MODIFIER_TAGS = frozenset({"JJ", "JJR", "JJS", "NN", "NNS", "NNP", "NNPS", "VBN"})


def word_tags(tokens, norms, offsets: list[int], size: int) -> list[str | None]:
    """The tagger's Penn tag of each word (the first token's behind it; None: no token)."""
    tags: list[str | None] = [None] * size
    g = 0
    for token in tokens:
        while g + 1 < len(offsets) and token.idx >= offsets[g + 1]:
            g += 1
        first, norm = norms[g]
        start = token.idx - offsets[g]
        for w in norm.words_of(start, start + len(token.text)):
            if tags[first + w] is None:
                tags[first + w] = token.tag_
    return tags


def modifier_extents(words: list[str], labels: list, turns: list[int], tags: list[str | None],
                      medical_words=frozenset(), common=frozenset()) -> None:
    """A condition or procedure takes the modifiers said right before it, as LABELLING.md has them
    ("[ischaemic] heart disease", "[periductal] mastitis", "[partial] ACL tear", "[panoramic] x ray",
    "[urine] microalbumin"): up to `MODIFIER_REACH` words in the same turn that the tagger reads as
    an adjective, a noun or, after a determiner or adjective, a participle ("a [fractured] hip", not
    "he's [got] asthma"), and that the medical vocabulary knows (MeSH disease names' words, body
    parts, the term lists) or English does not. Not a stop word, a capitalised proper noun (a
    clinic's name), a word before a comma, or anything labelled. On the development calls, taking
    every modifier the tagger found also took "recent", "new", "possible", "bad": for each word it
    added, it over-redacted one and a half."""
    def modifier(k: int) -> bool:
        core = bare(words[k])
        tag = tags[k]
        if labels[k] is not None or core in STOP_WORDS or not core.replace("-", "").isalpha() \
                or words[k].endswith((",", ".", "?", "!", ";", ":")):
            return False
        if tag in ("NNP", "NNPS"):
            return strip_punct(words[k]).isupper()  # "[NOF] fracture", not "Riverside Physical Therapy"
        if tag == "VBN":
            return k > 0 and tags[k - 1] in ("DT", "PRP$", "JJ")
        return tag in _MODIFIER_TAGS and (us_spelling(core, medical_words) in medical_words or core not in common)

    for first, end in entity_spans(labels):
        label = labels[first]
        if label.entity not in ("MEDICAL_CONDITION", "MEDICAL_PROCEDURE"):
            continue
        k = first
        while k > 0 and first - k < MODIFIER_REACH and turns[k - 1] == turns[first] and modifier(k - 1):
            k -= 1
        for i in range(k, first):
            labels[i] = label
