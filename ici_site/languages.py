"""Facts about languages, all from CLDR through Babel: names, direction, locales."""

from __future__ import annotations

from functools import cache

from babel import Locale


@cache
def locale(code: str) -> Locale:
    """The Babel locale of a language code such as 'fr' or 'pt-BR'."""
    return Locale.parse(code, sep="-")


def direction(code: str) -> str:
    """'rtl' or 'ltr', from CLDR's character order (never a hard-coded list)."""
    return "rtl" if locale(code).character_order == "right-to-left" else "ltr"


@cache
def native_name(code: str) -> str:
    """The language's name in itself, e.g. 'العربية', 'Українська', 'Français'."""
    name = locale(code).get_display_name(locale(code)) or code
    return name[:1].upper() + name[1:]


def name_in(code: str, reader: str) -> str:
    """The language's name in the reader's language, e.g. 'arabe' for fr."""
    return locale(code).get_display_name(locale(reader)) or code
