"""What the renderers of one process share across a city's languages (and, in ``serve``,
across builds): each thing is made from its key alone, so sharing it changes no output."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from jinja2 import Environment

from ici_site.content.model import City, Document
from ici_site.i18n import plurals
from ici_site.i18n.languages import native_name
from ici_site.i18n.segments import Shown, document_messages
from ici_site.i18n.slots import Sanitiser, SlottedConverter
from ici_site.i18n.translations import Progress
from ici_site.site import search, terms
from ici_site.site.anchors import heading_texts, unique_ids
from ici_site.site.sanitize import clean_html, clean_piece
from ici_site.site.templating import compiling

K = TypeVar("K")
V = TypeVar("V")


@dataclass
class CitySearch:
    """What the search indexes of a city share across its languages."""

    city: City  # the City they were made from
    entries: list[search.SearchDocument]
    source: search.Elsewhere | None = None  # the source language's documents by term, once asked for


@dataclass
class Shared:
    """The heading ids of bodies and the search entries of cities, made once per process; and
    what a build keeps for the next one of the same process (``serve``): the search indexes'
    scores and fields, the open data's service objects, the status page's text states."""

    headings: dict[str, list[str]] = field(default_factory=dict)  # body source -> its heading ids
    _search: dict[str, CitySearch] = field(default_factory=dict)  # city slug -> the search entries of its last City
    # one per process (one rendering runs at a time), cleaning with the site's sanitiser
    markdown: SlottedConverter = field(default_factory=lambda: SlottedConverter(Sanitiser(clean_html, clean_piece)))
    remember_scores: bool = False  # serve's process: its next build scores an edited index from the last
    _scores: search.Remembered = field(default_factory=search.Remembered)
    # (city, language) -> (key of the translations, each service's HSDS object and JSON line by (path, file hash))
    _exports: dict[tuple[str, str], tuple[str, dict[tuple[str, str], tuple[dict[str, Any], str]]]] = \
        field(default_factory=dict)
    _states: dict[tuple[str, str], tuple[str, dict[str, int]]] = field(default_factory=dict)  # (city, language) -> (key, states)
    _files: dict[tuple[str, str], tuple[str, dict[str, tuple[object, Progress]]]] = field(default_factory=dict)

    def search_scores(self) -> search.Remembered | None:
        """The search scores this process keeps for its next build (``serve``'s own process;
        not a worker's, which ends with the build), else None."""
        return self._scores if self.remember_scores and multiprocessing.parent_process() is None else None

    def exports(self, slug: str, lang: str, translated: str) -> dict[tuple[str, str], tuple[dict[str, Any], str]]:
        """The open data's service objects (and JSON lines) of the city ``slug`` in ``lang`` made by this
        process's last build, if it made them with the same ``translated`` key (the city's
        settings, the date and the language's catalogs), each by (path, hash of its file):
        the caller puts this build's there. Objects are shared: never to be changed."""
        return _while(self._exports, (slug, lang), translated)

    def progress_states(self, slug: str, lang: str, translated: str) -> dict[str, int]:
        """The state of each source text of the city ``slug`` in ``lang`` this process found
        (:class:`~ici_site.i18n.translations.Tally`), if with the same ``translated`` key (the
        city's settings and the language's catalogs); a new store otherwise."""
        return _while(self._states, (slug, lang), translated)

    def progress_files(self, slug: str, lang: str, translated: str) -> dict[str, tuple[object, Progress]]:
        """The progress of each content file of the city ``slug`` in ``lang`` this process counted,
        by path, with the document it counted (taken again for an equal document), on the same
        condition as :meth:`progress_states`."""
        return _while(self._files, (slug, lang), translated)

    def entries(self, city: City) -> list[search.SearchDocument]:
        """The city's search entries (:func:`~ici_site.site.search.search_entries`), made once per
        city; only the last loaded City of each slug is kept (``serve`` loads one each edit)."""
        return self._city_search(city).entries

    def source_documents(self, city: City) -> search.Elsewhere:
        """The documents of the city's source-language index by term
        (:func:`~ici_site.site.search.source_documents`), made once per city: the same object
        while the entries are, so a kept index sees at once that they did not change."""
        found = self._city_search(city)
        if found.source is None:
            found.source = search.source_documents(city, found.entries)
        return found.source

    def _city_search(self, city: City) -> CitySearch:
        found = self._search.get(city.slug)
        if found is None or found.city is not city:
            found = self._search[city.slug] = CitySearch(city, search.search_entries(city))
        return found

    def heading_ids(self, source: str, language: str) -> list[str]:
        """The heading ids of a body: from its headings in the source language, the same on
        every language's page (rendered once for all of them)."""
        ids = self.headings.get(source)
        if ids is None:
            html = clean_html(self.markdown.headings(source, lambda text: Shown(text, language)))
            ids = self.headings[source] = unique_ids(heading_texts(html))
        return ids

    def prepare(self, city: City, root: Path) -> None:
        """Make now what every renderer of ``city`` needs, whichever process it runs in (:meth:`common_steps`);
        what the head start did not make of each body's, the renderer that first asks makes."""
        for step in self.common_steps(city, root):
            step()

    def steps(self, cities: Iterable[City], root: Path,
              environment: Callable[[Path, City], Environment] | None = None,
              messages: bool = True) -> Iterator[Callable[[], object]]:
        """What every language of ``cities`` needs, a step at a time: the :meth:`message_steps` of
        each (unless not ``messages``), then the :meth:`render_steps` of each, with its plural forms
        read from the project at ``root`` and its templates compiled in ``environment(root, city)``,
        if given."""
        cities = tuple(cities)
        for city in cities if messages else ():
            yield from self.message_steps(city)
        for city in cities:
            yield from self.render_steps(city, root, environment(root, city) if environment else None)

    def message_steps(self, city: City) -> Iterator[Callable[[], object]]:
        """The messages of each document of ``city`` (each body parsed once): what deciding its
        published languages counts, and what its renderers translate."""
        yield from (partial(document_messages, document) for document in _documents(city))

    def render_steps(self, city: City, root: Path,
                     environment: Environment | None = None) -> Iterator[Callable[[], object]]:
        """What only the renderers of ``city`` need: the heading ids and slotted form of each body
        (one missed here is made when first asked), then its :meth:`common_steps`."""
        yield from (partial(self._headings, document, city.source_language) for document in _documents(city))
        yield from (partial(self.markdown.slotted, document.body) for document in _documents(city) if document.body.strip())
        yield from self.common_steps(city, root, environment)

    def common_steps(self, city: City, root: Path,
                     environment: Environment | None = None) -> Iterator[Callable[[], object]]:
        """What every renderer of ``city`` needs, whatever its language: the city's search entries (of
        its last loaded City: ``serve`` lets the one before go), the patterns of its words, the
        names of its languages (its switcher), its templates compiled in ``environment``, and the
        plural forms of its interface catalogs in the project at ``root``
        (:func:`~ici_site.i18n.plurals.read_ahead`)."""
        yield partial(self.entries, city)
        yield terms.marks  # the words of the search index
        yield from (partial(native_name, code) for code in city.languages)
        if environment is not None:
            yield from compiling(environment)
        yield from plurals.read_ahead(root, city)

    def _headings(self, document: Document, language: str) -> None:
        if "#" in document.body or "<h" in document.body:
            self.heading_ids(document.body, language)


def _documents(city: City) -> tuple[Document, ...]:
    return (*city.services, *city.pages, *city.notices)


def _while(store: dict[tuple[str, str], tuple[str, dict[K, V]]], key: tuple[str, str], translated: str) -> dict[K, V]:
    """The store kept under ``key`` while it was made with the same ``translated`` key; else a new one."""
    found = store.get(key)
    if found is None or found[0] != translated:
        found = store[key] = (translated, {})
    return found[1]
