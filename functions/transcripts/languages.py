"""Language codes: BCP-47 tags in (`en-US`, `pt-BR`, `zh-Hans`), ISO 639-1 codes out.

`langcodes` parses and normalises the tag (deprecated and three-letter codes to their
two-letter form: `iw` -> `he`, `eng` -> `en`); the region, script and variants are dropped,
since the models know languages, not regions. The set below is what Whisper models transcribe
(Whisper's own code for Javanese is "jw").
"""

from __future__ import annotations

WHISPER_LANGUAGES = frozenset(
    "af am ar as az ba be bg bn bo br bs ca cs cy da de el en es et eu fa fi fo fr gl gu ha he hi "
    "hr ht hu hy id is it ja jw ka kk km kn ko la lb ln lo lt lv mg mi mk ml mn mr ms mt my ne nl "
    "nn no oc pa pl ps pt ro ru sa sd si sk sl sn so sq sr su sv sw ta te tg th tk tl tr tt uk ur "
    "uz vi yi yo zh".split()
)

ALIASES = {"jv": "jw"}
MAX_TAG_CHARS = 64


def normalise_language(tag: str) -> str | None:
    """The Whisper code (ISO 639-1) for a BCP-47 tag or ISO 639 code, or None when the tag is
    malformed or no model here knows its language."""
    if not tag or len(tag) > MAX_TAG_CHARS:
        return None
    import langcodes  # its data tables take a tenth of a second to load: not at every cold start

    try:
        code = langcodes.Language.get(tag.strip(), normalize=True).language
    except (langcodes.LanguageTagError, ValueError):
        return None
    code = ALIASES.get((code or "").lower(), (code or "").lower())
    return code if code in WHISPER_LANGUAGES else None
