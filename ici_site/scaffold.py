"""`ici-site new CITY`: a starter city folder that builds at once.

The country and the language come from what the editor says: ``--country`` and
``--language``, either one completing the other from CLDR (``--language lv`` → LV,
``--country UA`` → uk), else the editor's own locale (``LANG=lv_LV.UTF-8``), else
France and French. The time zone and the emergency number follow from the country.

The starter texts come out in the city's language: they are interface strings (extracted
from this module, see babel.cfg), translated by ``locales/<lang>/LC_MESSAGES/messages.po``.
A language without them there gets the English ones, and the editor is told.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import Any

import phonenumbers
from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.languages import get_official_languages
from phonenumbers import shortnumberinfo

from ici_site.content.fields import At, Invalid, slug_problem
from ici_site.content.loaders import city_name_problem
from ici_site.content.places import country as country_code
from ici_site.content.places import language as language_code
from ici_site.content.translit import ascii_name
from ici_site.errors import IciError, Problems, UsageError
from ici_site.i18n.catalogs import TEMPLATE_DOMAIN, TEMPLATE_LANGUAGE, po_path, read_catalog
from ici_site.vocab import N_

CITY_YAML = """\
# {name}: settings of the city's digital counter. See docs/content-format.md.
# Write the texts in the city's language ({lang}); translators get them from the catalogs.
name: {quoted_name}
tagline: {tagline}
country: {country}
source_language: {lang}
languages: [{lang}]
{zones}timezone: {timezone}
demo: true
"""

EMERGENCY = """\
emergency:
  - label: {label}
    phone: "{phone}"
"""

SERVICE = """\
---
title: {title}
summary: {summary}
category: registration
hours: Mo-Fr 09:00-12:00; PH off
reviewed: {today}
---
{body}
"""

# Tried in this order: a country's own number first where it has one besides 112.
EMERGENCY_NUMBERS = ("911", "999", "000", "112", "110", "119", "100", "101", "102", "15", "17", "18",
                     "113", "115", "118", "122", "123", "190", "192", "193", "197", "199")
# The starter texts, English msgids of the interface catalogs.
STARTER: dict[str, str] = {
    # Translators: starter text of a new city (`ici-site new`), its tagline; the editor replaces it
    "tagline": N_("Welcome desk for newcomers"),
    # Translators: starter text of a new city, the label of its emergency number (112, 911...)
    "label": N_("Emergency number"),
    # Translators: starter text of a new city, the title of its first service
    "title": N_("Welcome desk"),
    # Translators: starter text of a new city, the one-sentence summary of its first service
    "summary": N_("Help with your first steps in the city."),
    # Translators: starter text of a new city, the body of its first service, for the editor
    "body": N_("Replace this text with what the service does, in your own language."),
}
FALLBACK = ("FR", "fr")  # when the editor says nothing and the locale says nothing either
MAIN_ZONE = re.compile(r"\b(?:most|mainland)\b", re.IGNORECASE)  # zone.tab: "most of Ukraine", "Spain (mainland)"


def new_city(root: Path, given: str, country: str | None = None, lang: str | None = None,
             today: dt.date | None = None) -> tuple[Path, str | None]:
    """Create ``content/<slug>/`` with a city.yaml and one service; never overwrite.
    ``given`` is the folder name or the city's name in any script (see :func:`folder_and_name`).

    Returns the folder and, when the starter texts are in English for want of a
    translation, a note for the editor. Raises :class:`UsageError` (exit 2) for a name no
    build would accept, an unknown country or language, or a folder that already exists.
    """
    country, lang = city_settings(country, lang)
    slug, name = folder_and_name(given, lang)
    problem = city_name_problem(slug)  # also a catalog's name: `messages`, `network`
    if problem:
        raise UsageError([f"CITY: {problem}, e.g. 'saint-denis' (it becomes the folder and the site's name)"])
    folder = root / "content" / slug
    if folder.exists():
        raise UsageError([f"{folder.relative_to(root)} already exists; nothing was changed"])
    zones = country_zones(country)
    named = ", ".join(zones[:4]) + (", …" if len(zones) > 4 else "")
    several = f"# {country} has {len(zones)} time zones ({named}): write the city's own\n"
    texts, note = starter_texts(root, lang)
    quoted = {key: json.dumps(value, ensure_ascii=False) for key, value in texts.items()}  # YAML strings
    text = CITY_YAML.format(name=name, quoted_name=json.dumps(name, ensure_ascii=False),
                            tagline=quoted["tagline"], country=country, lang=lang,
                            timezone=zones[0], zones=several if len(zones) > 1 else "")
    phone = emergency_number(country)
    if phone:
        text += EMERGENCY.format(label=quoted["label"], phone=phone)
    (folder / "services").mkdir(parents=True)
    (folder / "city.yaml").write_text(text, encoding="utf-8")
    (folder / "services" / "welcome-desk.md").write_text(SERVICE.format(
        title=quoted["title"], summary=quoted["summary"], today=today or dt.date.today(),
        body=texts["body"]), encoding="utf-8")
    return folder, note


def starter_texts(root: Path, lang: str) -> tuple[dict[str, str], str | None]:
    """:data:`STARTER` in ``lang`` from the project's interface catalog, and None; or in
    English with a note saying why, when the catalog lacks any of them (never half and half)."""
    if lang == TEMPLATE_LANGUAGE:
        return dict(STARTER), None
    path = po_path(root, TEMPLATE_DOMAIN, lang)
    try:
        catalog = read_catalog(path) if path.is_file() else None
    except IciError:
        catalog = None
    found = {key: catalog.get(msgid) for key, msgid in STARTER.items()} if catalog else {}
    if found and all(m and m.string and not m.fuzzy for m in found.values()):
        return {key: str(m.string) for key, m in found.items()}, None  # type: ignore[union-attr]
    language = Locale.parse(lang, sep="-").get_display_name("en")
    why = "has no translation of them" if catalog else "is unreadable" if path.is_file() else "does not exist"
    return dict(STARTER), (f"the starter texts are in English: the interface catalog {path.relative_to(root)} "
                           f"{why}; replace them with {language} text")


def folder_and_name(given: str, lang: str) -> tuple[str, str]:
    """The city's folder (its web address) and its name from what the editor typed:
    ``saint-denis`` → (saint-denis, Saint Denis); ``Λιβαδειά`` → (livadeia, Λιβαδειά),
    written the way the city's language writes it in Latin letters (:mod:`.translit`)."""
    if not slug_problem(given):
        return given, given.replace("-", " ").title()
    path_like = given.startswith(".") or any(c in "/\\" or not c.isprintable() for c in given)
    folder = "" if path_like else ascii_name(given, lang)
    if not path_like and not folder:
        raise UsageError([(f"CITY: '{given}' has no letters this tool can write in Latin letters; give the "
                           "folder name, e.g. 'saint-denis', and write the city's name in city.yaml")])
    problem = slug_problem(folder or given)
    if problem:
        raise UsageError([(f"CITY: {problem}, e.g. 'saint-denis' or the city's name (it becomes the "
                           "folder and the site's address)")])
    return folder, given.strip()


def city_settings(country: str | None, lang: str | None) -> tuple[str, str]:
    """(country, language) from what the editor gave, each checked; one completes the other."""
    country = _checked(country_code, country, "--country")
    lang = _checked(language_code, lang, "--language")
    if country and lang:
        return country, lang
    if lang:
        return _territory(lang) or FALLBACK[0], lang
    if country:
        spoken = get_official_languages(country, de_facto=True)
        return country, spoken[0].replace("_", "-") if spoken else "en"
    return _from_locale() or FALLBACK


def _checked(check: Callable[[Any, At], str], value: str | None, option: str) -> str | None:
    """``value`` as ``check`` reads it, None if not given; a usage error if wrong."""
    try:
        return check(value, At("", 0, "", Problems())) if value else None
    except Invalid as exc:
        raise UsageError([f"{option}: {exc}"]) from None


def _territory(lang: str) -> str | None:
    """The country a language code names (fa-AF → AF) or CLDR links to it (lv → LV,
    ar → EG), if it has phone numbers."""
    try:
        likely = Locale.parse(lang, sep="-")
        if not likely.territory:
            likely = Locale.parse(get_global("likely_subtags").get(lang.split("-")[0], lang))
    except (UnknownLocaleError, ValueError):
        return None
    return likely.territory if likely.territory in phonenumbers.SUPPORTED_REGIONS else None


def _from_locale() -> tuple[str, str] | None:
    """(country, language) of the editor's locale, e.g. LANG=lv_LV.UTF-8; None for C/POSIX."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "").split(".")[0].split("@")[0]
        if value and value not in ("C", "POSIX"):
            try:
                locale = Locale.parse(value)
            except (UnknownLocaleError, ValueError):
                return None
            territory = locale.territory or _territory(locale.language)
            return (territory, locale.language) if territory in phonenumbers.SUPPORTED_REGIONS else None
    return None


def country_zones(country: str) -> list[str]:
    """The time zones of ``country`` (IANA names), the one most of the country uses first: in
    the time zone database's ``zone.tab`` (where the system has it) the zone said to be the
    country's mainland or most of it, else the first it lists (Madrid before Ceuta and the
    Canaries, Kyiv before Crimea); without that file, CLDR's list (through Babel)."""
    listed: list[tuple[str, str]] = []  # (zone, comment)
    for folder in zoneinfo.TZPATH:
        try:
            lines = (Path(folder) / "zone.tab").read_text(encoding="utf-8").splitlines()
        except OSError:
            continue
        rows = [line.split("\t") for line in lines if line.startswith(f"{country}\t")]  # code, coordinates, zone, comment
        listed = [(row[2], row[3] if len(row) > 3 else "") for row in rows if len(row) > 2]
        break
    if not listed:
        return list(get_global("territory_zones").get(country, ["Europe/Brussels"]))
    main = next((zone for zone, comment in listed if MAIN_ZONE.search(comment)), listed[0][0])
    return [main, *(zone for zone, _ in listed if zone != main)]


def emergency_number(country: str) -> str | None:
    """The country's emergency short number (112 in Europe, 911, 999...), if phonenumbers knows it."""
    for number in EMERGENCY_NUMBERS:
        parsed = phonenumbers.parse(number, country)
        if shortnumberinfo.is_emergency_number(number, country) and \
                shortnumberinfo.is_valid_short_number_for_region(parsed, country):
            return number
    return None
