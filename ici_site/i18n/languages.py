"""Facts about languages, all from CLDR through Babel: names, direction, locales."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache, lru_cache

from babel import Locale
from babel.dates import format_date

# language-REGION (fa-AF, pt-BR, es-419): a regional variety that readers of the language
# itself can read. A script subtag (sr-Latn, zh-Hant) is another alphabet: no such fallback.
REGIONAL = re.compile(r"([a-z]{2,3})-(?:[A-Z]{2}|[0-9]{3})")


@cache
def locale(code: str) -> Locale:
    """The Babel locale of a language code such as 'fr' or 'pt-BR'."""
    return Locale.parse(code, sep="-")


@cache  # asked for every text a page marks up
def direction(code: str) -> str:
    """'rtl' or 'ltr', from CLDR's character order (never a hard-coded list)."""
    return "rtl" if locale(code).character_order == "right-to-left" else "ltr"


def base_language(code: str) -> str | None:
    """The language a regional variety falls back to: 'fa' for 'fa-AF' (Dari); None for
    a code without a region, or with a script ('sr-Latn')."""
    match = REGIONAL.fullmatch(code)
    return match.group(1) if match else None


@cache
def native_name(code: str) -> str:
    """The language's name in itself, e.g. 'العربية', 'Українська', 'Français', and for a
    regional variety CLDR's own name where it has one: 'دری' (fa-AF), not 'فارسی (افغانستان)'."""
    name = name_in(code, code)
    return name[:1].upper() + name[1:]


def name_in(code: str, reader: str) -> str:
    """The language's name in the reader's language, e.g. 'arabe' for fr, 'dari' for fa-AF."""
    own = locale(reader).languages.get(str(locale(code)))  # CLDR names some varieties: fa_AF, en_GB
    return own or locale(code).get_display_name(locale(reader)) or code


@lru_cache(maxsize=4096)  # the same dates (reviewed, valid until) recur on many pages
def long_date(value: dt.date, code: str) -> str:
    """``value`` in the words of language ``code``, e.g. "12 octobre 2026" (CLDR's long format)."""
    return format_date(value, "long", locale=locale(code))
