"""The names of the world's currencies in English, singular and plural ("shillings", "naira",
"pesos", "rand", "ringgit"), from the Unicode CLDR data that Babel ships, instead of a list typed
by hand: a number said before one is an amount, not an identifier (`detectors/number_net`).
Only currencies that are legal tender somewhere today, by their last word ("Kenyan shillings" ->
"shillings")."""

from __future__ import annotations

import datetime
from functools import lru_cache


@lru_cache(maxsize=1)
def currency_words() -> frozenset[str]:
    try:
        from babel import Locale
        from babel.numbers import get_currency_name, get_territory_currencies
    except ImportError:  # the redaction extra brings Babel; without it, the hand list in net_units.txt
        return frozenset()
    today = datetime.date.today()
    codes = {code for territory in Locale("en").territories if territory.isalpha()
             for code in get_territory_currencies(territory, start_date=today, tender=True)}
    words = {get_currency_name(code, count=count, locale="en").split()[-1].lower()
             for code in codes for count in (1, 2)}
    return frozenset(words)
