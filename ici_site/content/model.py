"""The content model: typed, frozen data, no I/O.

Loaders build these from the editor's files after validating them; every later
stage only reads them. Translatable text is kept in the source language; lines
are 1-based and point into the file the value came from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from ici_site.i18n.languages import base_language


@dataclass(frozen=True, slots=True)
class Phone:
    """A validated phone number."""

    raw: str  # as the editor typed it
    tel: str  # the `tel:` target: E.164 (+33199001234) or the short number (112)
    display: str  # formatted for people, in the country's national style


@dataclass(frozen=True, slots=True)
class Official:
    """A fact written in each official language of a city, never translated: a postal
    address ("Rue de l'Exemple 1" / "Voorbeeldstraat 1"), the city's own name.

    Written as one line of text, it has one form, in the source language.
    """

    forms: tuple[tuple[str, str], ...]  # (language, text), the source language's first
    lines: tuple[int, ...] = ()  # line of each form in its file, for messages

    @property
    def source(self) -> str:
        """The form in the source language."""
        return self.forms[0][1]

    def shown(self, lang: str) -> tuple[tuple[str, str], ...]:
        """The forms a ``lang`` page shows: its own if there is one; else every form, the
        source language's first (a bilingual street sign carries both: a newcomer may match either)."""
        own = tuple(form for form in self.forms if form[0] == lang)
        return own or self.forms

    def primary(self, lang: str) -> tuple[str, str]:
        """(language, text) of the one form the machine-readable data of a ``lang`` page
        carries (vCard, JSON-LD, HSDS): a second address would read as a second place."""
        return self.shown(lang)[0]


@dataclass(frozen=True, slots=True)
class Contact:
    """How to reach the counter itself; every part optional."""

    phone: Phone | None = None
    email: str | None = None
    address: Official | None = None
    website: str | None = None


@dataclass(frozen=True, slots=True)
class Emergency:
    """One emergency number shown on every home page."""

    label: str  # translatable
    phone: Phone
    line: int  # line of the label in city.yaml


@dataclass(frozen=True, slots=True)
class Category:
    """A kind of service; built-in ones have English names translated by the templates."""

    slug: str
    name: str  # English (built-in, template domain) or source language (city's own)
    icon: str  # name of an inline SVG icon
    builtin: bool  # True: name is a template string; False: name is city content
    line: int = 0  # line in city.yaml for a city's own category


@dataclass(frozen=True, slots=True)
class Document:
    """What services, pages and notices share: a Markdown file with front matter."""

    slug: str  # the file name without .md
    path: str  # file path relative to the project root, for references
    title: str  # translatable
    body: str  # Markdown, in the source language
    body_line: int  # line of the body's first line in the file
    lines: Mapping[str, int]  # front-matter key path -> line


@dataclass(frozen=True, slots=True)
class Service(Document):
    """One local service: the heart of the site."""

    summary: str = ""  # translatable, one sentence
    category: str = ""  # slug of a Category
    address: Official | None = None  # postal address, never translated
    geo: tuple[float, float] | None = None  # (lat, lon)
    phone: Phone | None = None
    email: str | None = None
    website: str | None = None
    hours: str | None = None  # OpenStreetMap opening_hours, validated
    languages_spoken: tuple[str, ...] = ()  # language codes
    cost: str | None = None  # free | reduced | paid
    appointment: str | None = None  # required | recommended | none
    audience: tuple[str, ...] = ()  # audience tags
    documents: tuple[str, ...] = ()  # translatable items to bring
    reviewed: dt.date = dt.date(1970, 1, 1)  # when the information was last checked
    keywords: tuple[str, ...] = ()  # translatable words people search for that the text does not use


@dataclass(frozen=True, slots=True)
class Page(Document):
    """A free Markdown page (first steps, about the counter)."""

    keywords: tuple[str, ...] = ()  # translatable words people search for that the text does not use


@dataclass(frozen=True, slots=True)
class Notice(Document):
    """A short announcement shown on the home page until it expires."""

    expires: dt.date = dt.date(1970, 1, 1)
    published: dt.date | None = None  # optional: the date its feed entry carries (else the build date)


@dataclass(frozen=True, slots=True)
class Accessibility:
    """The facts of the accessibility statement (EU Directive 2016/2102, model of decision 2018/1523)."""

    status: str  # full | partial | none: compliance with EN 301 549 (WCAG 2.1 AA)
    date: dt.date  # when the statement was prepared or last reviewed
    method: str = "self"  # self | outside: who assessed the site
    contact: str | None = None  # e-mail or https URL for feedback (default: the city's e-mail)
    enforcement_name: str | None = None  # the body to turn to when the answer does not satisfy
    enforcement_url: str | None = None
    issues: tuple[str, ...] = ()  # content known not to be accessible, in the source language


@dataclass(frozen=True, slots=True)
class Legal:
    """The legal notice ("mentions légales", "Impressum"); shown on its own page when given."""

    publisher: str  # the public body that publishes the site
    responsible: str | None = None  # person responsible for the content
    address: str | None = None
    host: str | None = None  # hosting provider, name and address


@dataclass(frozen=True, slots=True)
class City:
    """One city: its settings and all its content, in the source language."""

    slug: str  # folder name under content/
    path: str  # path of city.yaml, for references
    name: str  # translatable
    tagline: str  # translatable, may be ""
    country: str  # ISO 3166-1 alpha-2
    holiday_region: str | None  # subdivision with public holidays of its own (``holidays`` code, "57")
    source_language: str
    languages: tuple[str, ...]  # to publish, source language included, official languages first
    fallbacks: Mapping[str, tuple[str, ...]]  # language -> chain, source language last
    min_translated: float  # share of content messages needed to publish a language
    timezone: str  # IANA name
    base_url: str | None  # absolute URL ending in /, or None
    contact: Contact
    emergency: tuple[Emergency, ...]
    theme_color: str  # CSS colour #rrggbb
    logo: str | None  # file name inside the city folder
    categories: tuple[Category, ...]  # built-in ones then the city's own
    show_fuzzy: bool  # show fuzzy translations, marked as outdated
    demo: bool  # example content: every page says so
    lines: Mapping[str, int]  # city.yaml key path -> line
    services: tuple[Service, ...] = ()  # sorted by slug
    pages: tuple[Page, ...] = ()  # sorted by slug
    notices: tuple[Notice, ...] = ()  # sorted by slug
    region: str = ""  # state, province or region (open data addresses need one), never translated
    offer_download: bool = False  # pages link to <city>.zip, which `bundle` puts in the city folder
    accessibility: Accessibility | None = None  # None: the statement says the site is not yet assessed
    legal: Legal | None = None  # None: no legal-notice page
    official_languages: tuple[str, ...] = ()  # the city's own languages, as city.yaml lists them, or ()
    names: Mapping[str, str] = field(default_factory=dict)  # official language -> the city's name in it

    def chain(self, language: str) -> tuple[str, ...]:
        """Languages to try for ``language``, ending with the source language."""
        return language_chain(language, self.fallbacks, self.source_language)

    def category(self, slug: str) -> Category:
        """The category with this slug (validated to exist)."""
        return next(c for c in self.categories if c.slug == slug)


def language_chain(language: str, fallbacks: Mapping[str, tuple[str, ...]], source: str) -> tuple[str, ...]:
    """``language``, its fallbacks, then the source language: what a reader of ``language`` is shown.

    A regional variety reads its base language next (Dari ``fa-AF``: Persian ``fa``), as
    gettext does, unless ``fallbacks`` puts the base language elsewhere.
    """
    chain = [language, *fallbacks.get(language, ())]
    base = base_language(language)
    if base and base not in chain:
        chain.insert(1, base)
    return tuple(dict.fromkeys([*chain, source]))


@dataclass(frozen=True, slots=True)
class Network:
    """The network of cities (``content/network.yaml``): a page listing every city.

    Its texts are translated like a city's, in the catalog domain ``slug``.
    """

    path: str  # content/network.yaml, for references
    name: str  # translatable
    text: str  # translatable Markdown, may be ""
    text_line: int  # line of ``text`` in network.yaml (its first line for a block scalar)
    source_language: str
    languages: tuple[str, ...]  # to publish, source language included
    fallbacks: Mapping[str, tuple[str, ...]]  # language -> chain, source language last
    min_translated: float  # share of the network's messages a language needs to be published
    cities: tuple[str, ...]  # slugs of the member cities, in the order the page lists them
    demo: bool  # the member cities' sites are examples: the network's pages say so
    lines: Mapping[str, int]  # network.yaml key path -> line
    slug: str = "network"  # its catalog domain (no city may take this name)
    country: str = ""  # no country: phone numbers in its texts are read as international
    show_fuzzy: bool = False  # fuzzy translations are never shown

    def chain(self, language: str) -> tuple[str, ...]:
        """Languages to try for ``language``, ending with the source language."""
        return language_chain(language, self.fallbacks, self.source_language)


class Translated(Protocol):
    """What the translation stage needs of a city or of the network: a catalog domain
    (``slug``), languages and how a reader's language falls back."""

    @property
    def slug(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def source_language(self) -> str: ...
    @property
    def languages(self) -> tuple[str, ...]: ...
    @property
    def fallbacks(self) -> Mapping[str, tuple[str, ...]]: ...
    @property
    def min_translated(self) -> float: ...
    @property
    def country(self) -> str: ...
    @property
    def show_fuzzy(self) -> bool: ...
    @property
    def lines(self) -> Mapping[str, int]: ...

    def chain(self, language: str) -> tuple[str, ...]: ...


@dataclass(frozen=True, slots=True)
class Site:
    """Every city of a project, and the network they form (if ``content/network.yaml`` exists)."""

    root: str  # project root folder
    cities: tuple[City, ...]
    network: Network | None = None

    @property
    def by_slug(self) -> dict[str, City]:
        """Each city by its folder name, in order."""
        return {city.slug: city for city in self.cities}
