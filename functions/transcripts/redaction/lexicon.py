"""Word lists the recognisers read: cue phrases that give a following number its meaning,
and the medical vocabulary of calls (conditions, procedures, dose units).

Cues are matched on lower-case words with punctuation stripped, longest first. The lists
are written for call-centre and clinic speech in general, never for one test transcript.

The lists are data: one file each in `data/lexicon/`, named after the list in lower case
(`NAME_STOP` is `name_stop.txt`), with a comment at its top that says what it is for. One entry
per line, in the order tried where order matters; blank lines and lines that start with `#` are
skipped, and a backslash keeps an entry that starts with `#` or `[` (`\\#`). In `cues.txt` a line
`[ENTITY]` starts the phrases of that entity type. The other modules read their own lists from
the same folder with `word_set` and `word_list`.
"""

from __future__ import annotations

from importlib import resources


def _lines(name: str) -> list[str]:
    """The entries of data/lexicon/NAME.txt as written: comments and blank lines left out."""
    text = resources.files("transcripts.redaction").joinpath(f"data/lexicon/{name}.txt").read_text(encoding="utf-8")
    return [line for line in (" ".join(raw.split()) for raw in text.splitlines()) if line and not line.startswith("#")]


def _unescaped(line: str) -> str:
    return line[1:] if line.startswith("\\") else line


def word_set(name: str) -> frozenset[str]:
    """A list whose order does not matter: words and phrases looked up."""
    return frozenset(_unescaped(line) for line in _lines(name))


def word_list(name: str) -> tuple[str, ...]:
    """A list in its file's order: phrases tried in turn, or word endings for `str.endswith`."""
    return tuple(_unescaped(line) for line in _lines(name))


def _sections(name: str) -> dict[str, tuple[str, ...]]:
    """`[KEY]` lines and the entries under each, in the file's order."""
    out: dict[str, list[str]] = {}
    key = None
    for line in _lines(name):
        if line.startswith("[") and line.endswith("]"):
            key = line[1:-1]
            out.setdefault(key, [])
        elif key is None:
            raise ValueError(f"data/lexicon/{name}.txt: {line!r} before the first [KEY] line")
        else:
            out[key].append(_unescaped(line))
    return {k: tuple(v) for k, v in out.items()}


# Cues: entity type -> phrases that announce a value of that type ("what's the security code?").
CUES: dict[str, tuple[str, ...]] = _sections("cues")

# Dates, corrections and amounts around a value.
OTHER_DATE_CUES = word_set("other_date_cues")
HEALTH_DATE_CUES = word_set("health_date_cues")
PRESCRIPTION_CONTEXT = word_set("prescription_context")
FIXING_WORDS = word_set("fixing_words")
CORRECTION_WORDS = word_set("correction_words")
NOT_AN_ID_AFTER = word_set("not_an_id_after")
ESTIMATE_WORDS = word_set("estimate_words")

# Medications and their doses.
DOSE_FORMS = word_set("dose_forms")
DOSE_ROUTES = word_list("dose_routes")
DOSE_UNITS = word_set("dose_units")
DOSE_FREQUENCY = word_list("dose_frequency")
DOSE_TIMES = word_list("dose_times")
NOT_A_DOSE_AFTER = word_set("not_a_dose_after")
NOT_MEDICATIONS = word_set("not_medications")
EXTRA_MEDICATIONS = word_set("extra_medications")

# Conditions, injuries and procedures.
CONDITIONS = word_list("conditions")
CONDITION_SUFFIXES = word_list("condition_suffixes")
PROCEDURE_SUFFIXES = word_list("procedure_suffixes")
SUFFIX_EXCEPTIONS = word_set("suffix_exceptions")
CONDITION_MODIFIERS = word_set("condition_modifiers")
PROCEDURE_MODIFIERS = word_set("procedure_modifiers")
CONDITION_HEADS = word_set("condition_heads")
INJURY_WORDS = word_set("injury_words")
BODY_PARTS = word_set("body_parts")
BODY_SIDES = word_set("body_sides")
POSSESSIVES = word_set("possessives")
DETERMINERS = word_set("determiners")
REMOVABLE_ORGANS = word_set("removable_organs")
PROCEDURES = word_list("procedures")
PROCEDURE_NOUNS = word_set("procedure_nouns")

# Addresses.
STREET_SUFFIXES = word_set("street_suffixes")
DIRECTIONS = word_set("directions")
ROUTE_WORDS = word_set("route_words")
ROUTE_KINDS = word_set("route_kinds")
FOREIGN_STREET_WORDS = word_set("foreign_street_words")
ORDINAL_WORDS = word_set("ordinal_words")
ZIP_WORDS = word_set("zip_words")
UNIT_WORDS = word_set("unit_words")
US_STATES = word_set("us_states")
STATE_CODES = word_set("state_codes")
STATE_CODES_AS_WORDS = word_set("state_codes_as_words")
TOWN_PREFIXES = word_set("town_prefixes")

# Names, and words that are never names.
NAME_TRIGGERS = word_list("name_triggers")
NAME_QUESTIONS = word_list("name_questions")
CALL_WORDS = word_set("call_words")
ORGANISATION_ENDS = word_set("organisation_ends")
ORGANISATION_HEADS = word_set("organisation_heads")
ORGANISATIONS = word_set("organisations")
RELATIONS = word_set("relations")
NAME_PARTICLES = word_set("name_particles")
HOLIDAYS = word_set("holidays")
CARD_BRANDS = word_set("card_brands")
OTHER_CARDS = word_set("other_cards")


def other_card(before: str) -> bool:
    """Whether the word right before "card" names a card that is no payment card ("his health
    card", "the Ghana Card", "a key card"; data/lexicon/other_cards.txt)."""
    return before.lower() in OTHER_CARDS
TITLES = word_set("titles")
FILLERS = word_set("fillers")
NAME_STOP = word_set("name_stop")
