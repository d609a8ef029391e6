"""Word lists that tell a name from an ordinary word when ASR writes both in lower case.

"yeah gloria at your walk-in counter": no capital, no "my name is". A word is taken for a
first name when the US Census list of first names (shipped by the `names` package) holds it
and English does not otherwise use it: it is not in the WordNet index that spaCy's English
lemmatiser carries, nor a stop word. "grace", "will" and "mark" are words first; "gloria",
"kevin" and "tamika" are not. Where a name's support is needed anyway (after "it's", said again,
before a surname), philter-lite's first names from many countries count too ("callum", "chinedu").
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from .lexicon import word_list, word_set
from .tokens import strip_possessive

CENSUS_FILES = ("dist.female.first", "dist.male.first")


def _census(*files: str) -> frozenset[str]:
    """The names of the `names` package's Census files (a name, then its figures, per line)."""
    return frozenset(line.split()[0].lower() for name in files
                     for line in resources.files("names").joinpath(name).read_text(encoding="ascii").splitlines()
                     if line.strip())


def census_first_names() -> frozenset[str]:
    return _census(*CENSUS_FILES)


def census_last_names() -> frozenset[str]:
    """The 1990 Census surnames the `names` package ships (88,799)."""
    return _census("dist.all.last")


# Words WordNet leaves out that calls are full of, and contractions as ASR writes them without
# the apostrophe ("youre", "thats").
ASR_WORDS = word_set("asr_words")


_ACTION_ENDINGS = tuple((ending, "" if verb == "-" else verb)
                        for ending, verb in (line.split() for line in word_list("action_noun_suffixes")))


class EnglishWords:
    """Single English words the spaCy pipeline knows, with their inflections: its lemmatiser's
    WordNet index (nouns, verbs, adjectives, adverbs) and irregular forms, and its stop words.
    `"told" in words`, `"recommended" in words`, `"they'll" in words` are all true."""

    _SUFFIXES = (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("d", ""),
                 ("ing", ""), ("ing", "e"), ("ly", ""), ("er", ""), ("est", ""), ("ers", ""))

    def __init__(self, nlp):
        lemmatizer = nlp.get_pipe("lemmatizer")
        index = lemmatizer.lookups.get_table("lemma_index")
        exceptions = lemmatizer.lookups.get_table("lemma_exc")
        words = {w for pos in ("noun", "verb", "adj", "adv") for w in index[pos] if "_" not in w}
        words |= {w for pos in ("noun", "verb", "adj", "adv") for w in exceptions[pos] if "_" not in w}
        self.words = frozenset(words | set(nlp.Defaults.stop_words) | ASR_WORDS)
        self.verbs = frozenset(index["verb"]) | frozenset(exceptions["verb"])
        self.nouns = frozenset(index["noun"]) | frozenset(exceptions["noun"])
        self.adjectives = frozenset(index["adj"])

    def action_noun(self, word: str) -> bool:
        """A noun made of a verb by its ending ("examination", "removal", "treatment", "insertion"):
        WordNet knows the noun and the verb, and not an adjective of that spelling ("dental").
        `data/lexicon/action_noun_suffixes.txt`."""
        if word not in self.nouns or word in self.adjectives:  # "dental", "classic": adjectives first
            return False
        for ending, verb_ending in _ACTION_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                stem = word[: -len(ending)]
                if stem + verb_ending in self.verbs or len(stem) > 3 and stem[-1] == stem[-2] and stem[:-1] in self.verbs:
                    return True
        return False

    def __contains__(self, word: str) -> bool:
        if word in self.words:
            return True
        if "'" in word and not re.fullmatch(r"[a-z]'[a-z]+", word):  # "i'm", "they'll"; not "o'brien"
            return True
        for suffix, replacement in self._SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                stem = word[: -len(suffix)]
                if stem + replacement in self.words or len(stem) > 3 and stem[-1] == stem[-2] and stem[:-1] in self.words:
                    return True
        return False


def lowercase_first_names(common: EnglishWords) -> frozenset[str]:
    return frozenset(n for n in census_first_names() if n not in common and len(n) >= 3)


def world_first_names(other_words=frozenset()) -> frozenset[str]:
    """The Census first names and philter-lite's, less the words philter-lite found are no names
    and `other_words` (drug and medical words). Said after "it's" or "this is", or again after a
    name was found, these are names; alone they are not: "aye", "hiya" and "arvo" are on the list."""
    listed, not_names = philter_names()
    return census_first_names() | (listed - not_names - other_words)


PHILTER_PACKAGE = "philter_lite"


def philter_names() -> tuple[frozenset[str], frozenset[str]]:
    """(first names, words that are no names) from the name sets of `philter-lite` (BSD-3; the
    de-identification tool of UCSF's Philter): 97,000 first names from many countries ("callum",
    "chinedu", "gurpreet") and 195,000 words it found are no names. Only its data file is read:
    importing the package would import NLTK. Empty sets when it is not installed."""
    import importlib.util

    spec = importlib.util.find_spec(PHILTER_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return frozenset(), frozenset()
    path = Path(next(iter(spec.submodule_search_locations))) / "filters" / "set.toml"
    found: dict[str, frozenset[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, values = line.partition(" = ")
        if key.strip() in ("firstnames", "nonames"):
            found[key.strip()] = frozenset(v.lower() for v in _QUOTED.findall(values) if v.isalpha())
    return found.get("firstnames", frozenset()), found.get("nonames", frozenset())


_QUOTED = re.compile(r'"([^"]*)"')


_WORD = re.compile(r"(?<![\w@.])[a-z][a-z'\-]{2,}(?![\w@])")


def capitalise_unknown(text: str, common: EnglishWords, keep_lower: frozenset[str]) -> str:
    """In a turn written all in lower case, give a capital to each word English has no other
    use for ("yeah arjun he's on the plan" -> "yeah Arjun he's on the plan"), so spaCy's NER,
    which leans on capitals, sees names as it would in edited text. Same length, so offsets
    hold; words in `keep_lower` (medical vocabulary) and turns with any capital stay as they are."""
    if any(c.isupper() for c in text.replace(" I ", " ")):
        return text

    def cap(m: re.Match) -> str:
        word = m.group()
        bare = strip_possessive(word)
        if bare in common or bare in keep_lower or any(part in common for part in bare.split("-")):
            return word
        return word[0].upper() + word[1:]

    return _WORD.sub(cap, text)
