"""Every output path and every link of a city's site, in one place.

Paths are relative to the city's folder and always name a file (``…/index.html``),
so the folder works at any URL path and when opened from disk.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import lru_cache

ASSETS = "assets"


@dataclass(frozen=True, slots=True, order=True)
class Route:
    """A page of the site, independent of language."""

    kind: str  # "home", "category", "service", "page", or one of SINGLE_PAGES
    slug: str = ""  # empty for home and SINGLE_PAGES

    def path(self, lang: str) -> str:
        """Output path of this page in ``lang``."""
        if self.kind == "home":
            return f"{lang}/index.html"
        if self.kind in SINGLE_PAGES:
            return f"{lang}/{self.kind}.html"
        folder = {"category": "categories", "service": "services", "page": "pages"}[self.kind]
        return f"{lang}/{folder}/{self.slug}.html"


ROOT = "index.html"  # the language chooser
SERVICE_WORKER = "sw.js"  # at the city root: a worker only controls pages at or below its own folder
SINGLE_PAGES = ("search", "guide", "offline", "accessibility", "legal")  # one per language: <lang>/<kind>.html


def language_file(lang: str, name: str) -> str:
    """Output path of a per-language data file (search index, page list, manifest, feed)."""
    return f"{lang}/{name}"


STATUS = "translation-status.html"  # for coordinators; no reader's page links to it
SITEMAP = "sitemap.xml"  # only with base_url: a sitemap's URLs must be absolute
ROBOTS = "robots.txt"  # only where base_url is a host's root: crawlers read robots.txt nowhere else
FEED = "notices.atom"  # per language: <lang>/notices.atom
OPEN_DATA = "open-data"  # HSDS: open-data/services.json, open-data/hsds/*.csv and datapackage.json
READER_KINDS = ("home", "category", "service", "page", "guide", "accessibility", "legal")  # for the sitemap


def download(city: str) -> str:
    """Output path of the city's zip, which `bundle` adds to the built folder (``offer_download``)."""
    return f"{city}.zip"


def poster(lang: str, service: str | None) -> str:
    """Output path of a printable poster: a service's, or (None) the city guide's."""
    return f"{lang}/posters/{service}.html" if service else f"{lang}/poster.html"


def open_data(name: str) -> str:
    """Output path of an open-data file."""
    return f"{OPEN_DATA}/{name}"


def asset(name: str) -> str:
    """Output path of a static asset."""
    return f"{ASSETS}/{name}"


def relative(source: str, target: str) -> str:
    """The link from page ``source`` to file ``target`` (both city-relative paths): what
    ``posixpath.relpath`` gives, without asking the system for the working folder twice."""
    folder, slash, _ = source.rpartition("/")
    return _from_folder(folder + slash, target)


@lru_cache(maxsize=65536)  # every page of a folder links to the same few dozen files
def _from_folder(folder: str, target: str) -> str:
    """:func:`relative` from any page of ``folder`` (its path up to its last "/", or "")."""
    start = posixpath.dirname(folder)  # the same as the page's own: its last "/" is the folder's
    if not target or ".." in folder or ".." in target or folder.startswith("/") or target.startswith("/"):
        return posixpath.relpath(target, start or ".")
    here = [part for part in posixpath.normpath(start).split("/") if part not in ("", ".")] if start else []
    there = [part for part in posixpath.normpath(target).split("/") if part not in ("", ".")]
    common = 0
    while common < min(len(here), len(there)) and here[common] == there[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:]) or "."


def absolute(base_url: str, path: str) -> str:
    """The absolute URL of ``path`` under the city's ``base_url``."""
    return base_url + path


# -- the network's pages, at the top of the output folder, beside the city folders ----------
# Every name has a dot and no city slug can (fields.SLUG), so no city folder can take one.

NETWORK_STYLE = "network.css"  # the network's own copy of the stylesheet


def network_page(lang: str | None) -> str:
    """Output path of a network page: the language chooser (None) or one language's list of cities."""
    return ROOT if lang is None else f"index.{lang}.html"


def in_city(slug: str, path: str) -> str:
    """The path, from the output folder, of a file of a city folder."""
    return f"{slug}/{path}"
