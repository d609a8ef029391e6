"""Presidio's country-specific recognisers and a phone recogniser for the regions callers come
from, both listed in data files (`data/country_recognizers.tsv`, `data/phone_regions.txt`)."""

from __future__ import annotations

from importlib import resources


def _rows(name: str) -> list[list[str]]:
    text = resources.files("transcripts.redaction").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


def phone_regions() -> tuple[str, ...]:
    return tuple(row[0].strip() for row in _rows("phone_regions.txt"))


def country_recognizers() -> list:
    """One instance of each listed Presidio recogniser, English."""
    import presidio_analyzer.predefined_recognizers as predefined

    out = []
    for name, _country, _entity in _rows("country_recognizers.tsv"):
        out.append(getattr(predefined, name)(supported_language="en"))
    return out


def phone_recognizer():
    from presidio_analyzer.predefined_recognizers import PhoneRecognizer

    return PhoneRecognizer(supported_regions=phone_regions())
