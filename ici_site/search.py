"""The search index of one language: a small script the search page loads.

The build writes the documents (title, summary, text) in the reader's language
plus the source-language text, and the browser indexes them with MiniSearch
(``templates/assets/minisearch.js``), so a newcomer who types the words of an
official letter ("titre de séjour") finds the page in Arabic too. A plain
``<script>`` file, not JSON fetched at run time: it also loads from ``file://``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from . import urls
from .escape import json_for_script
from .model import City, Service
from .segments import document_messages

INDEX_FILE = "search-index.js"  # in each language folder; the budget check leaves it out
INLINE_MARKUP = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[*_`#>|]+")


@dataclass(frozen=True, slots=True)
class Entry:
    """One searchable page, in the source language: the build translates it per language."""

    route: urls.Route
    title: str
    summary: str
    texts: tuple[str, ...]  # every other message: documents to bring, Markdown blocks
    category: str  # slug, "" for pages


_ENTRIES: dict[int, tuple[City, list[Entry]]] = {}  # id(city) -> entries, for the build's lifetime


def search_entries(city: City) -> list[Entry]:
    """Every service and page of the city, cut into messages once for all its languages."""
    cached = _ENTRIES.get(id(city))
    if cached is not None and cached[0] is city:
        return cached[1]
    entries = []
    for document in (*city.services, *city.pages):
        messages = [m.text for m in document_messages(document)]
        is_service = isinstance(document, Service)
        skip = 2 if is_service else 1  # title (and summary) are their own fields
        entries.append(Entry(
            urls.Route("service" if is_service else "page", document.slug),
            document.title, document.summary if isinstance(document, Service) else "",
            tuple(messages[skip:]), document.category if isinstance(document, Service) else ""))
    _ENTRIES[id(city)] = (city, entries)
    return entries


@lru_cache(maxsize=65536)  # each language's index repeats the source texts (field o)
def _plain(text: str) -> str:
    """Message text without Markdown inline markup (link targets, emphasis marks)."""
    return " ".join(INLINE_MARKUP.sub(r"\1", text).split())


def render_index(city: City, lang: str, entries: list[Entry], translate: Callable[[str], str],
                 category_name: Callable[[str], str]) -> str:
    """The search index script of ``lang``: ``ICI_SEARCH=[{u, t, s, x, o}, …]``.

    u: link from the language folder; t, s, x: title, summary, other text as the reader
    sees them; o: the source-language text (left out on the source-language site).
    """
    docs = []
    for number, entry in enumerate(entries):
        doc = {
            "id": number,
            "u": urls.relative(f"{lang}/search.html", entry.route.path(lang)),
            "t": _plain(translate(entry.title)),
            "s": _plain(translate(entry.summary)) if entry.summary else "",
            "x": " ".join([category_name(entry.category) if entry.category else "",
                           *(_plain(translate(text)) for text in entry.texts)]).strip(),
        }
        if lang != city.source_language:
            doc["o"] = " ".join(_plain(t) for t in (entry.title, entry.summary, *entry.texts) if t)
        docs.append(doc)
    # A script file: a raw U+2028 in a translation must not end a line, nor "</script" a tag.
    return "ICI_SEARCH=" + json_for_script(docs) + ";\n"
