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

    kind: str  # "home", "category", "service", "page"
    slug: str = ""  # empty for home

    def path(self, lang: str) -> str:
        """Output path of this page in ``lang``."""
        if self.kind == "home":
            return f"{lang}/index.html"
        folder = {"category": "categories", "service": "services", "page": "pages"}[self.kind]
        return f"{lang}/{folder}/{self.slug}.html"


ROOT = "index.html"  # the language chooser
STATUS = "translation-status.html"  # for coordinators; no reader's page links to it


def asset(name: str) -> str:
    """Output path of a static asset."""
    return f"{ASSETS}/{name}"


@lru_cache(maxsize=65536)  # every page links to the same few dozen files
def relative(source: str, target: str) -> str:
    """The link from page ``source`` to file ``target`` (both city-relative paths)."""
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


def absolute(base_url: str, path: str) -> str:
    """The absolute URL of ``path`` under the city's ``base_url``."""
    return base_url + path
