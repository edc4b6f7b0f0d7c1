"""What the editor's files may hold: every field of ``city.yaml``, of a service, page and
notice's front matter, and of ``network.yaml``, with the check each value passes
(:mod:`~ici_site.content.fields`). The loaders (:mod:`~ici_site.content.loaders`) read files against these.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ici_site.content import fields as f
from ici_site.content import places
from ici_site.content.model import Notice, Page, Service
from ici_site.content.sources import Node
from ici_site.vocab import APPOINTMENT, AUDIENCE, COST, ICONS

CONTACT = {
    "phone": f.Field(f.phone),
    "email": f.Field(f.email),
    "address": f.Field(places.by_language),
    "website": f.Field(f.url),
}
EMERGENCY = {"label": f.Field(f.text, required=True), "phone": f.Field(f.phone, required=True)}
THEME = {"color": f.Field(f.color), "logo": f.Field(f.text)}


def _email_or_url(value: Any, at: f.At) -> str:
    """An e-mail address or an https:// web address (a contact form)."""
    try:
        return f.email(value, at)
    except f.Invalid:
        try:
            return f.url(value, at)
        except f.Invalid:
            raise f.Invalid(f"'{value}' is neither an e-mail address nor a web address starting with https://") \
                from None


ACCESSIBILITY = {
    "status": f.Field(f.one_of(("full", "partial", "none")), required=True),
    "date": f.Field(f.date, required=True),
    "method": f.Field(f.one_of(("self", "outside"))),
    "contact": f.Field(_email_or_url),
    "enforcement": f.Field(f.mapping({"name": f.Field(f.text, required=True), "url": f.Field(f.url)})),
    "issues": f.Field(f.list_of(f.text)),
}
LEGAL = {
    "publisher": f.Field(f.text, required=True),
    "responsible": f.Field(f.text),
    "address": f.Field(f.text),
    "host": f.Field(f.text),
}
CUSTOM_CATEGORY = {
    "slug": f.Field(f.slug, required=True),
    "name": f.Field(f.text, required=True),
    "icon": f.Field(f.one_of(ICONS)),
}


def _fallbacks(value: Any, at: f.At) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, Node):
        raise f.Invalid("expected 'language: [fallback, ...]' lines, e.g. {uk: [ru]}")
    result, failed = {}, False
    for key, chain in value.items():
        here = at.child(f"{at.key}.{key}", value.key_lines[key])
        try:
            result[places.language(key, here)] = f.list_of(places.language)(chain, here)
        except f.Invalid as exc:
            here.report(str(exc))
            failed = True
        except f.Reported:
            failed = True
    if failed:
        raise f.Reported
    return result


CITY = {
    "name": f.Field(places.by_language, required=True),
    "tagline": f.Field(f.text),
    "country": f.Field(places.country, required=True),
    "holiday_region": f.Field(places.holiday_region),
    "source_language": f.Field(places.language, required=True),
    "languages": f.Field(f.list_of(places.language, unique=True), required=True),
    "official_languages": f.Field(f.list_of(places.language, unique=True)),
    "fallbacks": f.Field(_fallbacks),
    "min_translated": f.Field(f.share),
    "timezone": f.Field(places.timezone, required=True),
    "region": f.Field(f.text),
    "base_url": f.Field(f.base_url),
    "contact": f.Field(f.mapping(CONTACT)),
    "emergency": f.Field(f.list_of(f.mapping(EMERGENCY))),
    "theme": f.Field(f.mapping(THEME)),
    "categories": f.Field(f.list_of(f.mapping(CUSTOM_CATEGORY))),
    "show_fuzzy": f.Field(f.boolean),
    "demo": f.Field(f.boolean),
    "offer_download": f.Field(f.boolean),
    "accessibility": f.Field(f.mapping(ACCESSIBILITY)),
    "legal": f.Field(f.mapping(LEGAL)),
}

SERVICE = {
    "title": f.Field(f.text, required=True),
    "summary": f.Field(f.text, required=True),
    "category": f.Field(f.slug, required=True),
    "address": f.Field(places.by_language),
    "geo": f.Field(f.geo),
    "phone": f.Field(f.phone),
    "email": f.Field(f.email),
    "website": f.Field(f.url),
    "hours": f.Field(f.hours),
    "languages_spoken": f.Field(f.list_of(places.language, unique=True)),
    "cost": f.Field(f.one_of(COST)),
    "appointment": f.Field(f.one_of(APPOINTMENT)),
    "audience": f.Field(f.list_of(f.one_of(AUDIENCE), unique=True)),
    "documents": f.Field(f.list_of(f.text)),
    "reviewed": f.Field(f.date, required=True),
    "keywords": f.Field(f.list_of(f.text)),
}
PAGE = {"title": f.Field(f.text, required=True), "keywords": f.Field(f.list_of(f.text))}
LISTS = ("documents", "keywords")  # translatable lists: each item is a message with its own line
NOTICE = {"title": f.Field(f.text, required=True), "expires": f.Field(f.date, required=True),
          "published": f.Field(f.date)}

NETWORK_FILE = "network.yaml"  # in content/, beside the city folders
# Catalog domains that are not cities (catalogs.TEMPLATE_DOMAIN, Network.slug): a city
# folder with one of these names would share its catalogs.
DOMAIN_NAMES = ("messages", "network")
NETWORK = {
    "name": f.Field(f.text, required=True),
    "text": f.Field(f.text),
    "source_language": f.Field(places.language, required=True),
    "languages": f.Field(f.list_of(places.language, unique=True), required=True),
    "fallbacks": f.Field(_fallbacks),
    "min_translated": f.Field(f.share),
    "cities": f.Field(f.list_of(f.slug, unique=True)),
    "demo": f.Field(f.boolean),
}

DOCUMENT_SCHEMAS: dict[str, tuple[type[Service | Page | Notice], Mapping[str, f.Field]]] = {
    "services": (Service, SERVICE),
    "pages": (Page, PAGE),
    "notices": (Notice, NOTICE),
}
