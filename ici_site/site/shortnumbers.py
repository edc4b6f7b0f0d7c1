"""National short numbers (112, 1522, 15900): which ones a country has, and their ``tel:`` form.

libphonenumber's short-number metadata (``phonenumbers.shortnumberinfo``) knows most national
lines: emergency numbers, 116 xxx helplines, Belgium's 1733, Spain's 016, Italy's 1522.
A few real lines are missing from it; :data:`MISSING` lists them, each with who runs it, so a
city can list them like any other number. Add a line there only with its source.

A short number is dialled as it is written, inside its country: its ``tel:`` target is its
digits (``tel:15900``), never ``+30 15900``, which no network can route from abroad.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import shortnumberinfo

# Real national short numbers libphonenumber's metadata does not have (checked with 9.0.43).
MISSING: dict[str, frozenset[str]] = {
    # 15900: SOS line for women victims of violence, free, 24/7, run by the General Secretariat
    # for Equality of the Greek government (isotita.gr)
    "GR": frozenset({"15900"}),
}

SEPARATORS = re.compile(r"[\s.\-]")


def digits_of(raw: str) -> str | None:
    """The digits of ``raw`` when it is written like a short number (digits, spaces, dots, dashes)."""
    digits = SEPARATORS.sub("", raw)
    return digits if digits.isascii() and digits.isdigit() else None


def is_short_number(digits: str, country: str) -> bool:
    """Whether ``digits`` is a short number people can call in ``country`` (112, 1733, 15900)."""
    if digits in MISSING.get(country, ()):
        return True
    try:
        number = phonenumbers.parse(digits, country)
    except phonenumbers.NumberParseException:
        return False
    return bool(shortnumberinfo.is_valid_short_number_for_region(number, country))
