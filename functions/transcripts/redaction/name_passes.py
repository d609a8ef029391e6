"""The passes over a call's word labels that decide names: findings that are no names (English
words, organisations, pets, titles), a name said again, hyphenated and spelled names, surnames
after a first name, middle initials, and the names before a relation ("Maria, my daughter")."""

from __future__ import annotations

import re

from . import lexicon
from .spoken import HESITATIONS, MAIL_PROVIDERS, NATO, SPOKEN_DIGITS as _SPOKEN_DIGITS
from .tokens import CUE_WORDS, MONTHS, SPELLED, WEEKDAYS, strip_possessive, strip_punct
from .word_labels import NER_SOURCES as _NER_SOURCES, WordLabel
from .word_labels import bare as _bare  # (many passes here name a local `bare`)


_CONTRACTION = re.compile(r"^(i|you|we|they|he|she|it|that|there|what|let)'|n't$")

_NOT_PLACES = lexicon.word_set("not_places")  # "took him to the ER", "your Social?"


_NEVER_NAMES = (lexicon.NAME_STOP | lexicon.HOLIDAYS | MAIL_PROVIDERS | lexicon.TITLES | lexicon.FILLERS | set(MONTHS) | WEEKDAYS | lexicon.CALL_WORDS
                | CUE_WORDS)


def not_names(words: list[str], labels: list, common=frozenset(), first_names=frozenset(), turn_starts=None,
               known_first_names=frozenset()) -> None:
    """The NLP model's names and places include titles, fillers and card brands ("Mastercard?",
    "Mr."), the company a call opens with ("thanks for calling Lakeshore Connect"), insurers
    and pharmacies, and ordinary words said in lower case ("it's slow")."""
    organisation = _organisation_words(words)
    for i, w in enumerate(words):
        label = labels[i]
        if label is None or label.entity not in ("PERSON", "LOCATION"):
            continue
        bare = _bare(w)
        after_title = i > 0 and _bare(words[i - 1]) in lexicon.TITLES  # "dr ng"
        second = label.source == "name_triggers" and i > 0 and labels[i - 1] is not None \
            and labels[i - 1].entity == "PERSON"  # "my husband tadeusz god rest him"
        lower_word = strip_punct(w).islower() and strip_possessive(bare) in common and not _spelling(words, i)
        if i in organisation or label.entity == "PERSON" and lower_word and (
                label.source in _NER_SOURCES and not after_title
                and not (label.source == "pii_model" and (bare in known_first_names or bare in first_names
                                                          and _next_is_person(labels, i))) or second) \
                or label.entity == "LOCATION" and bare in _NOT_PLACES:
            labels[i] = None
            continue
        saint = i > 0 and _bare(words[i - 1]) in ("st", "saint") and bare.endswith("'s")  # "St. Mary's" hospital
        opening = i == 0 or words[i - 1].endswith((".", "?", "!")) and not after_title \
            or turn_starts and i in turn_starts  # "Dr." ends a title, not a sentence: "Dr. Moynihan"
        sentence_word = label.source in _NER_SOURCES and label.entity == "PERSON" and opening \
            and strip_punct(w)[:1].isupper() and strip_possessive(bare) in common and bare not in first_names \
            and not (i + 1 < len(words) and labels[i + 1] is not None and labels[i + 1].entity == "PERSON")
        if bare in lexicon.CARD_BRANDS or saint or _CONTRACTION.search(bare) or sentence_word \
                or label.entity == "PERSON" and strip_possessive(bare) in _NEVER_NAMES and not _spelling(words, i) \
                and not (after_title and strip_punct(w)[:1].isupper() and bare not in lexicon.TITLES) \
                and not _month_first_name(words, labels, i):  # "Dr Walker", "Jun Hao", "April Reyes"
            labels[i] = None
        elif i + 1 < len(words) and bare in ("st", "saint") and _bare(words[i + 1]).endswith("'s"):
            labels[i] = None


def _month_first_name(words: list[str], labels: list, i: int) -> bool:
    """A capitalised month right before a surname, inside a phrase, is a first name ("Jun Hao",
    "April Reyes"); "in May, Smith said" is not."""
    return strip_punct(words[i]).lower() in MONTHS and strip_punct(words[i])[:1].isupper() \
        and not words[i].endswith((",", ".", "?", "!", ";", ":")) and _next_is_person(labels, i)


def _next_is_person(labels: list, i: int) -> bool:
    """A census first name right before a surname ("rebecca kowalski-nunes") is a name."""
    return i + 1 < len(labels) and labels[i + 1] is not None and labels[i + 1].entity == "PERSON"


def before_organisation_head(words: list[str], bares: list[str], i: int) -> bool:
    """Whether words[i] is a capitalised word before a capitalised organisation head ("Delta Dental",
    "Northside Neurology"): the first word of an organisation's name, whatever its letters."""
    return i + 1 < len(words) and bares[i + 1] in lexicon.ORGANISATION_HEADS and words[i][:1].isupper() \
        and words[i + 1][:1].isupper() and words[i][-1:] not in ",.;:?!"


def _organisation_words(words: list[str]) -> set[int]:
    """Word positions of organisation names: the capitalised words after "for calling",
    "welcome to" or "you've reached" up to a comma, and listed insurers and pharmacies."""
    out: set[int] = set()
    bares = [_bare(w) for w in words]
    for i, bare in enumerate(bares):
        if bare in lexicon.ORGANISATIONS or " ".join(bares[i:i + 2]) in lexicon.ORGANISATIONS:
            out.update(range(i, i + (1 if bare in lexicon.ORGANISATIONS else 2)))
        if before_organisation_head(words, bares, i):
            out.update((i, i + 1))  # "Delta Dental", "Redwood Mutual", "Lakeshore Connect"
        opening = bares[max(0, i - 1):i + 1] in (["for", "calling"], ["welcome", "to"], ["you've", "reached"],
                                                  ["youve", "reached"])
        greeting = bares[max(0, i - 2):i] in (["good", "morning"], ["good", "afternoon"], ["good", "evening"],
                                              ["calling", "from"])  # "Good afternoon, Medical Center Inn and Suites"
        if greeting:  # up to the last organisation word of the capitalised run, before a comma
            m, end = i, None
            while m < len(words) and m - i < 6 and (strip_punct(words[m])[:1].isupper() or bares[m] == "and"):
                end = m if bares[m] in lexicon.ORGANISATION_ENDS else end
                if words[m][-1:] in ",.;:?!":
                    break
                m += 1
            if end is not None:
                out.update(range(i, end + 1))
        if opening:  # "thanks for calling Redwood Mutual claims", "welcome to ..."
            end = next((m for m in range(i + 1, min(len(words), i + 7)) if bares[m] in lexicon.ORGANISATION_ENDS), None)
            if end is not None:  # "for calling the nurse advice line", in any case
                out.update(range(i + 1, end + 1))
            k = i + 1
            while k < len(words) and k - i <= 4 and strip_punct(words[k])[:1].isupper():
                out.add(k)
                if words[k][-1:] in ",.;:?!":
                    break
                k += 1
    return out


def names_before_relations(words: list[str], labels: list, common) -> None:
    """"Rodel, my husband, ...": the word before ", my husband" is that person's name."""
    for i in range(len(words) - 2):
        if labels[i] is None and words[i].endswith(",") and _bare(words[i + 1]) in ("my", "her", "his") \
                and _bare(words[i + 2]) in lexicon.RELATIONS and words[i][:1].isupper() \
                and _bare(words[i]) not in common and _bare(words[i]).isalpha():
            labels[i] = WordLabel("PERSON", "pii", 0.7)


def middle_initials(words: list[str], labels: list) -> None:
    """"Chinedu N. Okonkwo", "Marisol Ortiz de Colon": a lone letter or a particle between two
    parts of a name belongs to it, and a capital letter right before or after a name is its initial."""
    def person(k: int) -> bool:
        return 0 <= k < len(words) and labels[k] is not None and labels[k].entity == "PERSON"

    for i in range(len(words)):
        if labels[i] is not None:
            continue
        letter = re.fullmatch(r"[A-Za-z]\.?", words[i]) is not None
        if (letter or _bare(words[i]) in lexicon.NAME_PARTICLES) and person(i - 1) and person(i + 1) \
                and not words[i - 1].endswith((",", ".", "?")):
            labels[i] = WordLabel("PERSON", "pii", 0.7)  # "deborah a mcallister": lower case too
        elif re.fullmatch(r"[A-HJ-Z]\.?,?", words[i]) and (person(i - 1) and not words[i - 1].endswith((",", ".", "?"))
                                                           or person(i + 1) and not words[i].endswith((",", "."))):
            labels[i] = WordLabel("PERSON", "pii", 0.6)  # "Ananya S.", "N Dlamini-Peters": an initial beside a name


SURNAME_JOINED_MIN = 6  # letters of a surname written as two words: "o sullivan", "dela cruz", "mac leod"
PARTICLE_MAX = 3  # letters of the particle before it ("o", "mac", "de", "van", "le")
_NOT_PARTICLES = frozenset({"st"})  # "St John": a saint or a street, not a particle


def particle_surnames(words: list[str], labels: list, surnames: frozenset[str], tags: list) -> None:
    """"doctor o sullivan", "po its dela cruz", "hamish mac leod": a surname the recogniser wrote as
    a particle and a word. A short word that is neither a function word nor an adjective (the
    tagger's) before a Census surname, the two joined again a Census surname ("osullivan",
    "delacruz", "macleod"), are that surname; "a new house" is no Newhouse."""
    from spacy.lang.en.stop_words import STOP_WORDS

    for i in range(len(words) - 1):
        particle, rest = _bare(words[i]), strip_possessive(_bare(words[i + 1]))
        if len(particle) > PARTICLE_MAX or not particle.isalpha() or particle in STOP_WORDS \
                or particle in _NOT_PARTICLES or words[i].endswith((",", ".", "?", "!", ";", ":")):
            continue
        joined = particle + rest
        if len(joined) < SURNAME_JOINED_MIN or len(rest) < 3 or rest not in surnames or joined not in surnames \
                or (tags[i] or "").startswith("JJ"):
            continue
        for k in (i, i + 1):
            if labels[k] is None:
                labels[k] = WordLabel("PERSON", "pii", 0.7, "particle_surname")


def names_said_again(words: list[str], labels: list, common=None, first_names=frozenset()) -> None:
    names = {strip_possessive(_bare(w)) for w, lab in zip(words, labels) if lab and lab.entity == "PERSON"}
    names = {n for n in names if len(n) >= 3 and n.isalpha() and n not in lexicon.NAME_STOP
             and n not in MONTHS and n not in WEEKDAYS}
    for i, w in enumerate(words):
        if labels[i] is not None and labels[i].entity == "MEDICATION" and _single(labels, i) \
                and strip_possessive(_bare(w)) in names:
            labels[i] = None  # "my son Tobi ... tobi has his first": the boy again, not the drug
        if labels[i] is None and strip_possessive(_bare(w)) in names and not (
                strip_punct(w).islower() and common is not None and _bare(w) in common
                and _bare(w) not in first_names):  # "Park, like park the car"; "ana" is still Ana
            labels[i] = WordLabel("PERSON", "pii", 0.7)


def hyphenated_names(words: list[str], labels: list, common) -> None:
    """"K Osei-Bonsu": a capitalised double-barrelled word whose parts English has no use for is
    a surname (an initial before it goes with it); "Tri-County" is not."""
    for i, w in enumerate(words):
        core = strip_punct(w)
        parts = core.split("-")
        if labels[i] is not None or len(parts) != 2 or not all(p[:1].isupper() and p[1:].islower() and len(p) > 1
                                                                  for p in parts):
            continue
        if any(p.lower() in common or p.lower() in _NEVER_NAMES for p in parts):
            continue
        labels[i] = WordLabel("PERSON", "pii", 0.6)
        if i > 0 and labels[i - 1] is None and re.fullmatch(r"[A-Z]\.?", words[i - 1]):
            labels[i - 1] = WordLabel("PERSON", "pii", 0.6)


_PLACE_PREPOSITIONS = lexicon.word_set("place_prepositions")


def places_said_again(words: list[str], labels: list) -> None:
    """"10 bayshore drive in mobile" ... "visiting her in mobile": a one-word town named once is
    the town again after "in", "from" or "to", in any case."""
    places = {_bare(w) for w, lab in zip(words, labels) if lab and lab.entity == "LOCATION"}
    places = {p for p in places if len(p) >= 3 and p.isalpha() and p not in lexicon.NAME_STOP}
    for i in range(1, len(words)):
        if labels[i] is None and _bare(words[i]) in places and _bare(words[i - 1]) in _PLACE_PREPOSITIONS:
            labels[i] = WordLabel("LOCATION", "pii", 0.6)


def _single(labels: list, i: int) -> bool:
    """Whether word i's entity is that one word alone."""
    return all(not (0 <= k < len(labels)) or labels[k] is None or labels[k].entity != labels[i].entity
               for k in (i - 1, i + 1))


def surnames_after_names(words: list[str], labels: list, common) -> None:
    """"rebecca kowalski-nunes", "tamika oduya", "Hyun-woo Park": the word right after a name,
    or right before a surname, when English has no use for it, is part of the name."""
    def unusual(k: int) -> bool:
        bare = _bare(words[k])
        return len(bare) >= 2 and bare.replace("-", "").replace("'", "").isalpha() and bare not in common \
            and bare not in _NEVER_NAMES and not all(part in common for part in bare.split("-"))

    for i in range(len(words)):
        label = labels[i]
        if label is None or label.entity not in ("PERSON", "LOCATION"):
            continue
        after, before = i + 1, i - 1
        if label.entity == "PERSON" and after < len(words) and labels[after] is None \
                and words[i][-1:] not in ",.;:?!" and unusual(after):
            labels[after] = WordLabel("PERSON", "pii", 0.6)
        if before >= 0 and labels[before] is None and words[before][-1:] not in ",.;:?!" \
                and words[before][:1].isupper() and unusual(before) \
                and ("-" in words[before] or label.entity == "PERSON" and before > 0 and words[before - 1][-1:] in ",;"):
            labels[before] = WordLabel("PERSON", "pii", 0.6)  # "Hyun-woo Park", "Doctor Tavares, Inês Tavares"


def spelled_words(words: list[str], labels: list) -> None:
    """A word spelled out letter by letter ("oduya, like o d u y a", "Kilo, Oscar, Whiskey",
    "M-W-A-N-G-I, dash, C-L-A-R-K-E"): callers spell names, streets and e-mail parts, so the
    spelling, and the word before it that it spells, are personal data."""
    i = 0
    while i < len(words):
        run = _spelling_run(words, i)
        if run is None:
            i += 1
            continue
        end, letters = run
        other = next((k for k in range(i, end) if labels[k] is not None and labels[k].cls != "pii"), None)
        if other is not None and other - i < 3:
            i = end
            continue
        end = other if other is not None else end  # the spelling stops where another entity starts
        target = next((k for k in range(i - 1, max(-1, i - 9), -1)
                       if "".join(c for c in _bare(words[k]) if c.isalpha()) == letters), None)
        label = labels[target] if target is not None and labels[target] is not None else WordLabel("PERSON", "pii", 0.7)
        if target is not None or len(letters) >= 4:
            for k in ([target] if target is not None else []) + list(range(i, end)):
                labels[k] = labels[k] if labels[k] is not None and labels[k].cls == "pii" else label
        i = end


def _spelling_run(words: list[str], i: int) -> tuple[int, str] | None:
    """words[i:end] spell `letters` (lower case, 3 or more), or None. Letters beside digits
    are part of a code ("h x k nine two two"), not a spelling."""
    letters, k, nato = "", i, 0
    while k < len(words):
        bare = _bare(words[k])
        plain = bare.strip("-")
        if len(plain) == 1 and plain.isalpha():
            step = 4 if [_bare(w) for w in words[k + 1:k + 3]] == ["as", "in"] and k + 3 < len(words) else 1
            letters, k = letters + plain, k + step
        elif SPELLED.fullmatch(plain) or _LETTER_PAIR.fullmatch(plain):
            letters, k = letters + plain.replace("-", ""), k + 1  # "H-A, double D, A-D": pairs too
        elif bare in NATO and (nato or k + 1 < len(words) and _bare(words[k + 1]) in NATO):
            letters, k, nato = letters + NATO[bare].lower(), k + 1, nato + 1
        elif bare in ("dash", "hyphen", "dot", "underscore") and letters and k + 1 < len(words):
            k += 1  # "A-D-A-E-Z-E dot N": an e-mail spelled
        elif bare in HESITATIONS and letters and k + 1 < len(words) and _letters_at(words, k + 1):
            k += 1  # "K-O-W-A-L, uh, C-Z-Y-K": a hesitation inside the spelling is part of it
        elif bare in ("double", "triple", "capital", "lowercase") and k + 1 < len(words) \
                and len(_bare(words[k + 1])) == 1 and _bare(words[k + 1]).isalpha():
            letters += _bare(words[k + 1]) * (2 if bare == "double" else 3 if bare == "triple" else 1)
            k += 2  # "b r e double n a n", "capital a d a"
        else:
            break
        if words[k - 1][-1:] in ".?!":
            break
    if len(letters) < 3:
        return None
    around = [_bare(words[j]) for j in (i - 1, k) if 0 <= j < len(words)]
    after_email = any("@" in w or _bare(w).endswith(_MAIL_ENDINGS) or _bare(w) in MAIL_PROVIDERS
                      for w in words[max(0, i - 12):i])  # "jaewon.choi90 at gmail.com. So J-A-E-W-O-N dot C-H-O-I 9-0"
    if not after_email and any(any(c.isdigit() for c in w) or w in _SPOKEN_DIGITS for w in around):
        return None
    if after_email and k < len(words) and _bare(words[k]).isdigit():
        k += 1  # "n g o c t r a n 1952": the e-mail spelled, with its digits
    return k, letters


_MAIL_ENDINGS = lexicon.word_list("mail_endings")
_LETTER_PAIR = re.compile(r"[A-Za-z]-[A-Za-z]")


def _letters_at(words: list[str], k: int) -> bool:
    """Whether the spelling goes on at words[k]: a hyphenated group of letters ("C-Z-Y-K", "A-L")
    or two letters in a row ("c z y k"); one letter alone is a word ("um, I never spell it")."""
    def letter(j: int) -> bool:
        plain = _bare(words[j]).strip("-") if j < len(words) else ""
        return len(plain) == 1 and plain.isalpha()

    plain = _bare(words[k]).strip("-")
    return bool(SPELLED.fullmatch(plain) or _LETTER_PAIR.fullmatch(plain)) or letter(k) and letter(k + 1)


def spelled_after_names(words: list[str], labels: list) -> None:
    """"Vasquez. V as in Victor, A S Q U E Z": the letters belong to the name before them."""
    i = 0
    while i < len(words):
        if labels[i] is not None and labels[i].entity == "PERSON":
            j = i + 1
            if j + 1 < len(words) and _bare(words[j]) in _SPELLING_LEADS and _spelling(words, j + 1):
                j += 1  # "Smythe, that's S, M, Y, T, H, E"
            while j < len(words) and (labels[j] is None or labels[j].entity == "PERSON") and _spelling(words, j):
                labels[j] = labels[j] or WordLabel("PERSON", "pii", 0.7)
                j += 1
            i = j if j > i + 1 else i + 1
        else:
            i += 1


_SPELLING_LEADS = lexicon.word_set("spelling_leads")


def _spelling(words: list[str], j: int) -> bool:
    """A word of a spelling: letters ("K", "P-A-T-E-L"), "dash" between them, or the "as in
    Victor" after one."""
    def letter(k: int) -> bool:
        bare = words[k].strip(".,;:!?\"'()[]…-") if 0 <= k < len(words) else ""
        return len(bare) == 1 and bare.isalpha() or bool(SPELLED.fullmatch(bare))

    if SPELLED.fullmatch(strip_punct(words[j])):
        return True
    if _bare(words[j]) in ("dash", "hyphen") and letter(j - 1) and letter(j + 1):
        return True

    if letter(j):  # one letter alone ("I see") is no spelling; two in a row, or "X as in ...", are
        return letter(j - 1) or letter(j + 1) or [_bare(w) for w in words[j + 1:j + 3]] == ["as", "in"]
    back = [_bare(w) for w in words[max(0, j - 3):j]]
    if _bare(words[j]) in ("as", "in") and any(len(b) == 1 for b in back):
        return True
    return len(back) >= 2 and back[-2:] == ["as", "in"]
