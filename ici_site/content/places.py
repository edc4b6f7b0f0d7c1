"""Checkers of the fields that name a language or a place's rules: a language code known
to CLDR, a country with a phone numbering plan, a region with public holidays of its
own, an IANA time zone (the checker protocol of :mod:`~ici_site.content.fields`).
"""

from __future__ import annotations

import difflib
import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import phonenumbers
from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.localedata import exists as locale_exists

from ici_site.content.fields import At, Invalid, Reported, did_you_mean, text
from ici_site.content.model import Official
from ici_site.content.sources import Node
from ici_site.i18n.languages import name_in


def language(value: Any, at: At) -> str:
    """A language code known to CLDR (`fr`, `uk`, `pt-BR`)."""
    code = text(value, at)
    if not re.fullmatch(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", code):
        raise Invalid(f"'{code}' is not a language code such as 'fr', 'uk' or 'pt-BR'")
    try:
        Locale.parse(code, sep="-")
        known = locale_exists(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        known = False
    if not known:
        alias = get_global("language_aliases").get(code.replace("-", "_"))  # CLDR: prs → fa_AF (Dari)
        if alias and locale_exists(alias):
            name = alias.replace("_", "-")
            raise Invalid(f"'{code}' is written '{name}' in CLDR ({name_in(name, 'en')}): write '{name}'") from None
        raise Invalid(f"'{code}' is not a language known to CLDR") from None
    return code


def country(value: Any, at: At) -> str:
    """An ISO 3166-1 alpha-2 code with a phone numbering plan."""
    code = text(value, at).upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise Invalid(f"'{code}' is not an ISO 3166-1 country code such as FR or LV")
    return code


def holiday_region(value: Any, at: At) -> str:
    """A subdivision of the city's country with public holidays of its own: ISO 3166-2
    (``FR-57``, ``DE-BY``) or the name the ``holidays`` package knows (``Alsace``)."""
    import holidays  # only a city with a region needs its calendars

    name = text(value, at).strip()
    if not at.country:
        raise Reported  # the country is wrong, and reported there
    try:
        calendar = holidays.country_holidays(at.country)
    except NotImplementedError:
        raise Invalid(f"there is no calendar of regional holidays for {at.country}; remove 'holiday_region'") from None
    codes = {code.upper(): code for code in calendar.subdivisions}
    aliases = {alias.upper(): code for alias, code in getattr(calendar, "subdivisions_aliases", {}).items()}
    key = name.upper().removeprefix(f"{at.country}-")
    if key in codes or key in aliases:
        return codes.get(key) or aliases[key]
    choices = [f"{at.country}-{code}" if len(code) <= 3 else code for code in calendar.subdivisions]
    if not choices:
        raise Invalid(f"{at.country} has no regions with holidays of their own; remove 'holiday_region'")
    hint = did_you_mean(name, [*choices, *getattr(calendar, "subdivisions_aliases", {})])
    raise Invalid(f"'{name}' is not a region of {at.country}{hint or ';'} regions: {', '.join(choices)}")


def timezone(value: Any, at: At) -> str:
    """An IANA time zone name."""
    name = text(value, at)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        close = difflib.get_close_matches(name, sorted(available_timezones()), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else " such as Europe/Paris"
        raise Invalid(f"'{name}' is not an IANA time zone{hint}") from None
    return name


def by_language(value: Any, at: At) -> Official:
    """Text, or one line of text per official language (``{fr: Bruxelles, nl: Brussel}``).

    Plain text comes back as one form of language "": the source language, which the
    loader knows and checks each language against (:func:`~ici_site.content.addresses.resolve_official`).
    """
    if not isinstance(value, Node):
        return Official((("", text(value, at)),), (at.line,))
    forms, lines, failed = [], [], False
    for key, item in value.items():
        here = at.child(f"{at.key}.{key}", value.key_lines.get(key, value.line))
        try:
            forms.append((language(key, here), text("" if item is None else item, here)))
            lines.append(here.line)
        except Invalid as exc:
            here.report(str(exc))
            failed = True
    if failed:
        raise Reported
    if not forms:
        raise Invalid("is empty; write the text, or one line per official language such as 'fr: ...'")
    return Official(tuple(forms), tuple(lines))
