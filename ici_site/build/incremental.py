"""Which files of a build must be rendered again, and the keys that decide it.

A file's key hashes everything that can change its bytes:

- every file: ici_site's code and libraries (:func:`~ici_site.build.cache.code_version`),
  the build date, the project's templates, the city's own files other than its
  documents (city.yaml, template overrides, logo), the list of the city's
  documents and categories, and the published languages;
- a page in a language: the catalogs it reads in every language of its chain (the
  city's own, ``<slug>.po``, and the interface's, ``messages.po``: :func:`catalogs_read`;
  another city's catalog is not among them), the documents passed to its template (a
  service page: that service; a category page: its services), and every
  document of a kind the templates read through ``city`` (``city.pages`` in
  the menu) — recorded while the page renders, by :class:`TrackedCity`;
- an output in a language that does not say what it shows (``documents=None``: the
  search index, the vCards, the feed): every document of the city, and the catalogs of
  that language's chain (it is made by that language's renderer, which reads no other);
- every per-city file (language chooser, status page, stylesheet, open data): every
  document and every catalog of the city.

Two files with the same key have the same bytes, so a page whose key did not
change is taken from the previous output instead of being rendered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ici_site.build.cache import Digests, code_version, digest, files_below
from ici_site.content.model import City, Document
from ici_site.i18n.catalogs import TEMPLATE_DOMAIN, po_path

DOCUMENT_KINDS = ("services", "pages", "notices")


@dataclass(frozen=True)
class Output:
    """One file of a city's site, made only when its key changed."""

    path: str  # relative to the city's folder
    make: Callable[[], str | bytes]
    documents: tuple[Document, ...] | None = None  # what it shows; None: anything of the city


class TrackedCity:
    """The city as templates see it: notes which kinds of documents a template reads."""

    __slots__ = ("_city", "_seen")

    def __init__(self, city: City, seen: set[str]) -> None:
        self._city = city
        self._seen = seen

    def __getattr__(self, name: str) -> Any:
        if name in DOCUMENT_KINDS:
            self._seen.add(name)
        return getattr(self._city, name)


def documents_in(variables: dict[str, Any]) -> tuple[Document, ...]:
    """The documents among a template's variables (alone or in lists)."""
    found: list[Document] = []
    for value in variables.values():
        if isinstance(value, Document):
            found.append(value)
        elif isinstance(value, (list, tuple)):  # asked of every page of every language: no generator
            found += [item for item in value if isinstance(item, Document)]
    return tuple(found)


class Keys:
    """The keys of one city's files for one build."""

    def __init__(self, root: Path, city: City, published: tuple[str, ...], today: str, digests: Digests) -> None:
        self.root, self.city, self.digests = root, city, digests
        self._languages: dict[str, str] = {}
        self._of_kinds: dict[tuple[str, ...], str] = {}
        content = root / "content" / city.slug
        documents = {d.path for kind in DOCUMENT_KINDS for d in getattr(city, kind)}
        own = [(name, path) for name, path in files_below(content)
               if f"content/{city.slug}/{name}" not in documents]
        index = [(d.path, getattr(d, "category", "")) for kind in DOCUMENT_KINDS for d in getattr(city, kind)]
        self.base = digest(code_version(), today, digests.tree(root / "templates"),
                           *[x for name, path in own for x in (name, digests.file(path))],
                           repr(index), repr(published))
        # each document's hash, read once for the build (a page's key asks for it again)
        self._documents = {d.path: digests.file(root / d.path) for kind in DOCUMENT_KINDS for d in getattr(city, kind)}
        self.kinds = {kind: digest(*[self.document(d) for d in getattr(city, kind)]) for kind in DOCUMENT_KINDS}
        self.everything = digest(self.base, *self.kinds.values(),
                                 *[self.catalogs(lang) for lang in city.languages])

    def document(self, document: Document) -> str:
        """Hash of a document's file."""
        found = self._documents.get(document.path)
        return found if found is not None else self.digests.file(self.root / document.path)

    def catalogs(self, lang: str) -> str:
        """Hash of the catalogs a page in ``lang`` reads (every language of its chain)."""
        if lang not in self._languages:
            self._languages[lang] = catalogs_read(self.root, self.city.slug, self.city.chain(lang), self.digests)
        return self._languages[lang]

    def translations(self, lang: str) -> str:
        """Hash of what a page in ``lang`` reads besides its documents (the code, date, templates
        and city settings of :attr:`base`, and the language's catalogs): what ``serve`` keeps of
        a document's translation (search fields, open data, status) holds while it is the same."""
        return digest(self.base, self.catalogs(lang))

    def of(self, output: Output, lang: str | None, seen: Iterable[str]) -> str:
        """The key of ``output`` (in ``lang``, or a per-city file when None)."""
        if lang is None and output.documents == ():  # a per-city file that shows no document
            return digest(self.base, output.path)  # (the sitemap): the city's settings and index only
        if lang is None:
            return digest(self.everything, output.path)
        if output.documents is None:  # anything of the city, as this language's renderer shows it
            return digest(self.base, output.path, self.catalogs(lang), self.of_kinds(DOCUMENT_KINDS))
        return digest(self.base, output.path, self.catalogs(lang),
                      *[self.document(d) for d in output.documents], self.of_kinds(sorted(seen)))

    def of_kinds(self, kinds: Iterable[str]) -> str:
        """Hash of every document of the given kinds (``services``, ``pages``…), once per set of
        kinds: every file of a city asks for one of a few."""
        kinds = tuple(kinds)
        found = self._of_kinds.get(kinds)
        if found is None:
            found = self._of_kinds[kinds] = digest(*[self.kinds[kind] for kind in kinds])
        return found


def city_key(root: Path, slug: str, base: tuple[str, ...], digests: Digests) -> str:
    """Hash of every input of one city (``base``: the build's date, whether it compresses, the
    hash of the project's templates): equal to last time means its output is still right."""
    return digest(code_version(), *base, digests.tree(root / "content" / slug), catalogs_read(root, slug, None, digests))


def progress_key(root: Path, city: City, lang: str, digests: Digests) -> str:
    """Hash of what the state of each of a city's texts in ``lang`` depends on
    (:class:`~ici_site.i18n.translations.Tally`): its settings (source language, country, fuzzy
    shown, the texts of ``city.yaml``) and its catalog in ``lang``; ``serve`` keeps the states
    while it is the same."""
    return digest(code_version(), digests.file(root / city.path), digests.file(po_path(root, city.slug, lang)))


def catalogs_read(root: Path, slug: str, codes: Iterable[str] | None, digests: Digests) -> str:
    """Hash of the catalogs a city's pages read in the languages ``codes`` (None: every
    language with a folder under ``locales/``): its own and the interface's, present or
    not (a catalog added or removed changes what the pages show). A translator's edit
    of one city's catalog leaves the other cities' keys as they were."""
    if codes is None:
        codes = sorted(p.parent.name for p in (root / "locales").glob("*/LC_MESSAGES") if p.is_dir())
    return digest(*[part for code in codes for domain in (slug, TEMPLATE_DOMAIN)
                    for part in (f"{code}/{domain}", digests.file(po_path(root, domain, code)))])
