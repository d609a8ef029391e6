"""ISO 639-1 codes Whisper models can transcribe (Whisper's own code for Javanese is "jw")."""

WHISPER_LANGUAGES = frozenset(
    "af am ar as az ba be bg bn bo br bs ca cs cy da de el en es et eu fa fi fo fr gl gu ha he hi "
    "hr ht hu hy id is it ja jw ka kk km kn ko la lb ln lo lt lv mg mi mk ml mn mr ms mt my ne nl "
    "nn no oc pa pl ps pt ro ru sa sd si sk sl sn so sq sr su sv sw ta te tg th tk tl tr tt uk ur "
    "uz vi yi yo zh".split()
)

ALIASES = {"jv": "jw"}


def normalise_language(code: str) -> str | None:
    """The Whisper code for an ISO 639-1 code, or None when no model here knows it."""
    code = ALIASES.get(code.lower(), code.lower())
    return code if code in WHISPER_LANGUAGES else None
