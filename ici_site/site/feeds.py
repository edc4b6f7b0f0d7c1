"""The Atom 1.0 feed of a city's current notices, one per published language.

``<lang>/notices.atom`` holds the notices the home page shows (not yet expired), in
the reader's language, each body rendered and sanitised as on the page. Every page
links to its language's feed with ``<link rel="alternate">``. Links are relative to
the feed (so a copied folder still works); with ``base_url`` the feed also has an
``xml:base``, a ``self`` link and absolute links.

Atom requires an ``updated`` date: a notice's ``published`` date when its front matter
gives one, otherwise the build date (reproducible with SOURCE_DATE_EPOCH).
"""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from ici_site.site import urls
from ici_site.site.sitemap import xml_document

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


@dataclass(frozen=True, slots=True)
class Entry:
    """One notice as its feed shows it, already in the reader's language."""

    key: str  # stable: "<city>/notices/<slug>"
    title: str
    html: str  # the rendered, sanitised body
    updated: dt.date


def stable_id(name: str) -> str:
    """A URN that stays the same from build to build (UUID 5 of ``name``)."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'https://ici-site.example.org/' + name)}"


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def render_feed(slug: str, lang: str, title: str, author: str, entries: list[Entry], today: dt.date,
                base_url: str | None) -> bytes:
    """``<lang>/notices.atom`` (RFC 4287): ``slug`` is the city's, ``author`` its name."""
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed", {XML_LANG: lang})
    home = urls.Route("home").path(lang)
    here = urls.language_file(lang, urls.FEED)
    if base_url:
        feed.set(XML_BASE, urls.absolute(base_url, here))

    def add(parent: ET.Element, name: str, text: str | None = None, **attributes: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{name}", attributes)
        element.text = text
        return element

    add(feed, "id", urls.absolute(base_url, here) if base_url else stable_id(f"{slug}/{here}"))
    add(feed, "title", title)
    add(feed, "updated", _timestamp(max([e.updated for e in entries], default=today)))
    add(add(feed, "author"), "name", author)
    if base_url:
        add(feed, "link", rel="self", type="application/atom+xml", href=urls.absolute(base_url, here))
    page = urls.absolute(base_url, home) if base_url else urls.relative(here, home)
    add(feed, "link", rel="alternate", type="text/html", href=page)
    for entry in entries:
        item = add(feed, "entry")
        add(item, "id", stable_id(f"{entry.key}/{lang}"))
        add(item, "title", entry.title)
        add(item, "updated", _timestamp(entry.updated))
        add(item, "link", rel="alternate", type="text/html", href=page)
        add(item, "content", entry.html, type="html")
    return xml_document(feed)
