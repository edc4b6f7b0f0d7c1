"""Render stage: a city in one language becomes HTML pages, in memory.

Templates come from ``templates/`` (a city may override any of them in
``content/<city>/templates/``) through Jinja2 with the i18n extension and
new-style gettext. Content text goes through the city's translator; Markdown
bodies through the process's converter (:class:`~ici_site.i18n.slots.SlottedConverter`: Python-Markdown's
rendering, made once for all languages where it can) and then ``nh3`` (:mod:`~ici_site.site.sanitize`).
"""

from __future__ import annotations

import datetime as dt
import marshal
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from operator import attrgetter
from typing import Any

from jinja2 import Environment
from markupsafe import Markup, escape

from ici_site import vocab
from ici_site.build.cache import Kept, code_version, digest
from ici_site.build.incremental import Keys, TrackedCity
from ici_site.content.addresses import address_parts, postal_address
from ici_site.content.model import Category, City, Document, Official, Service
from ici_site.i18n import machine
from ici_site.i18n.languages import direction, long_date, name_in, native_name
from ici_site.i18n.plurals import template_ngettext
from ici_site.i18n.segments import Shown
from ici_site.i18n.translations import Catalogs, Hints, content_translator, template_gettext
from ici_site.site import browser_dates, urls
from ici_site.site.anchors import prefix_ids, with_heading_ids
from ici_site.site.bidi import isolate_runs
from ici_site.site.contacts import render_jsonld
from ici_site.site.hours import Place, holiday_table, open_data, week_table
from ici_site.site.links import content_links, with_content_links
from ici_site.site.phones import link_phones, short_numbers
from ici_site.site.qr import qr_svg
from ici_site.site.shared import Shared
from ici_site.site.templating import Later, Variables, _newstyle_plural, newstyle

STALE_AFTER = dt.timedelta(days=365)  # a service not reviewed for this long is flagged



@dataclass(frozen=True, slots=True)
class Language:
    """A published language, as the switcher shows it."""

    code: str
    name: str  # in its own script
    dir: str


def machine_label(hints: Hints) -> str:
    """The label of one machine-translated block, in the reader's language."""
    return str(Markup('<small class="hint machine">{}</small>').format(hints.machine))


def inline_markup(shown: Shown, lang: str, label: str = machine.LABEL) -> Markup:
    """A translated inline text on a ``lang`` page: marked up (its language, the hint)
    when it is in another language or carries a hint. A machine-translated one is
    followed by ``label``: by default the token the finished page settles (:mod:`.machine`)."""
    text = escape(shown.text) + (Markup(label) if shown.machine else "")
    if shown.hint is None:
        html = text
    else:
        where = (Markup(' lang="{}" dir="{}"').format(shown.lang, direction(shown.lang))
                 if shown.lang != lang else "")
        html = Markup('<span{} class="{}">{}<small class="hint" lang="{}" dir="{}">{}</small></span>').format(
            where, shown.kind, text, lang, direction(lang), shown.hint)
    return Markup(isolate_runs(html, direction(lang)))  # "(SAMU social)" in Arabic reads in order


_SHOWN = attrgetter(*Shown._fields)  # every field: text, language, hint…


def _shown(renderings: list[Shown]) -> str:
    """How a body's messages are shown (text, language, hint), as one digest: the values
    themselves would make the kept bodies a quarter larger (on disk, and in ``serve``'s
    memory). Serialised by marshal in C, in its version 2: no references between objects, so
    equal values give equal bytes whatever objects hold them."""
    return digest(marshal.dumps([_SHOWN(r) for r in renderings], 2))


class CityRenderer:
    """Renders every page of one city in one language."""

    def __init__(self, env: Environment, city: City, lang: str, languages: tuple[str, ...],
                 catalogs: Catalogs, today: dt.date, kept: tuple[Kept, Kept], keys: Keys,
                 shared: Shared | None = None) -> None:
        self.env, self.city, self.lang, self.today, self.published = env, city, lang, today, languages
        self.seen: set[str] = set()  # kinds of documents the templates read through `city`
        self.languages = tuple(Language(code, native_name(code), direction(code)) for code in languages)
        self.gettext, self.ngettext = template_gettext(city, lang, catalogs), template_ngettext(city, lang, catalogs)
        self._template_gettext = newstyle(self.gettext)  # one for all its pages: it remembers what it gave
        # document path -> rendered, sanitised body cut around its links (links.content_links); unflagged
        self._bodies: dict[str, tuple[tuple[str, ...], bool]] = {}
        self.unflagged = False  # the page being rendered shows a translation not flagged machine-translated
        self._details: dict[str, dict[str, Any]] = {}  # service slug -> its template variables
        self._inline: dict[str, Markup] = {}  # source text -> its inline markup (names, titles: on many pages)
        self.bodies, self.fragments, self.keys = *kept, keys  # kept from earlier builds; the keys they must match
        self.shared = Shared() if shared is None else shared  # with the other renderers of this process
        self.markdown = self.shared.markdown  # made once: a renderer that keeps all its bodies needs none
        hints = Hints.in_language(self.gettext)
        self.translate = content_translator(city, lang, catalogs, hints)
        self.machine_label = machine_label(hints)
        self.short = short_numbers(city)  # the short numbers it lists are linked in text
        self.short_key = (*sorted(self.short), "")  # part of every body's key ("" ends the list)

    # -- helpers the templates call -------------------------------------------

    def show(self, text: str, shared: bool = False) -> Markup:
        """Translated inline text, marked up when it is in another language.

        ``shared``: the site's frame (header, footer), the same on every page. A person's
        translation there leaves the page's machine-made content under one notice.
        """
        shown = self.translate(text)
        if not (shared or self.unflagged):  # once the page shows one, the others need no look
            self.unflagged = self._unflagged([shown])
        markup = self._inline.get(text)
        if markup is None:
            markup = self._inline[text] = self._markup(shown)
        return markup

    def _markup(self, shown: Shown) -> Markup:
        return inline_markup(shown, self.lang)

    def _unflagged(self, shown: list[Shown]) -> bool:
        """Whether one of these texts is a translation into the reader's language not flagged
        machine-translated (then the page's machine-made texts keep their labels)."""
        return self.lang != self.city.source_language and \
            any(r.lang == self.lang and not r.machine for r in shown)

    def plain(self, text: str) -> str:
        """Translated text without markup, for <title> and attributes."""
        return self.translate(text).text

    def body(self, document: Document, page: str, prefix: str = "") -> Markup:
        """The document's Markdown, translated block by block and sanitised, for ``page``.

        Rendered once per document: the whole-guide page shows every body its own page
        shows; only the links between pages are written for each page. A body whose
        source and translations are as in an earlier build comes from ``self.bodies``.
        ``prefix`` keeps its heading ids apart on a page that shows several bodies.
        """
        if document.path not in self._bodies:
            html, unflagged = self._render_body(document.body)
            self._bodies[document.path] = content_links(html), unflagged  # cut once, written for each page
        pieces, unflagged = self._bodies[document.path]
        self.unflagged |= unflagged
        html = with_content_links(pieces, document, page, self.lang)
        return Markup(prefix_ids(html, prefix) if prefix else html)

    def _render_body(self, source: str) -> tuple[str, bool]:
        country = self.city.country  # phone numbers are read as this country's
        page_direction = direction(self.lang)  # runs of the other direction are isolated

        key = digest(code_version(), country, page_direction, self.city.source_language, *self.short_key, source)
        found = self.bodies.get(key)  # (texts of its messages, how they were shown, html)
        if found is not None:
            again = [self.translate(text) for text in found[0]]
            if _shown(again) == found[1]:
                self.bodies.put(key, found)
                return found[2], self._unflagged(again)
        seen: list[tuple[str, Shown]] = []

        def recording(text: str) -> Shown:
            seen.append((text, self.translate(text)))
            return seen[-1][1]

        # link_phones before the page's links: it skips <a> and never touches an href
        html = link_phones(self.markdown.sanitised(source, recording), country, self.short)
        if "<h" in html:  # ids from the source-language headings: the same in every language
            html = with_heading_ids(html, self.source_ids(source))
        # then each run of the other direction (a tel: link is one already) is isolated
        html = isolate_runs(html, page_direction)
        self.bodies.put(key, (tuple(t for t, _ in seen), _shown([r for _, r in seen]), html))
        return html, self._unflagged([r for _, r in seen])

    def source_ids(self, source: str) -> list[str]:
        """The heading ids of a body (:meth:`Shared.heading_ids`)."""
        return self.shared.heading_ids(source, self.city.source_language)

    def fragment(self, name: str, document: Document, page: str, caller: Callable[[], str]) -> Markup:
        """``caller()`` (a ``{% call fragment(...) %}`` block about ``document`` on ``page``), or
        the same block as an earlier build rendered it from the same inputs.

        The key holds what the block can depend on: the templates, code, date and city
        settings (``keys.base``), the language's catalogs, the document, the page; and
        the kinds of documents it read through ``city``, checked when it is found again.
        """
        keys = self.keys
        key = digest(keys.base, self.lang, keys.catalogs(self.lang), keys.document(document), name, page)
        found = self.fragments.get(key)  # (kinds of documents it read, their digest then, html, unflagged)
        if found is not None and keys.of_kinds(found[0]) == found[1]:
            self.fragments.put(key, found)
            self.seen.update(found[0])
            self.unflagged |= found[3]
            return Markup(found[2])
        outside, unflagged = set(self.seen), self.unflagged  # the same set object: TrackedCity adds to it
        self.seen.clear()
        self.unflagged = False
        try:
            html = str(caller())
            kinds, mine = tuple(sorted(self.seen)), self.unflagged
        finally:
            self.seen.update(outside)
            self.unflagged |= unflagged
        self.fragments.put(key, (kinds, keys.of_kinds(kinds), html, mine))
        return Markup(html)

    def category_name(self, category: Category) -> Markup:
        """A category's name in the reader's language."""
        if category.builtin:
            return escape(self.gettext(category.name))
        return self.show(category.name)

    def category_title(self, category: Category) -> str:
        """A category's name without markup, for <title> and the search index."""
        return self.gettext(category.name) if category.builtin else self.plain(category.name)

    def date(self, value: dt.date) -> str:
        """A date in the reader's language, e.g. '12 octobre 2026'."""
        return long_date(value, self.lang)

    def time(self, value: dt.date) -> Markup:
        """The date as a ``<time>`` element: the reader's words, and the ISO date for machines."""
        return Markup(f'<time datetime="{value.isoformat()}">{escape(self.date(value))}</time>')

    # -- pages ------------------------------------------------------------------

    def routes(self) -> list[tuple[urls.Route, str, dict[str, Any]]]:
        """Every page of this language: (route, template, template variables)."""
        city = self.city
        pages: list[tuple[urls.Route, str, dict[str, Any]]] = []
        used = [c for c in city.categories if any(s.category == c.slug for s in city.services)]
        notices = [n for n in city.notices if n.expires >= self.today]
        pages.append((urls.Route("home"), "home.html", {"categories": used, "notices": notices}))
        for category in used:
            services = [s for s in city.services if s.category == category.slug]
            services.sort(key=lambda s: self.plain(s.title).casefold())
            pages.append((urls.Route("category", category.slug), "category.html",
                          {"category": category, "services": services}))
        for service in city.services:
            pages.append((urls.Route("service", service.slug), "service.html",
                          Variables({"service": service}, partial(self.service_variables, service))))
        for page in city.pages:
            pages.append((urls.Route("page", page.slug), "page.html", {"page": page}))

        def sections() -> dict[str, Any]:  # a service's variables are computed if its fragment is rendered
            return {"sections": [(c, [(s, Later(partial(self.service_variables, s)))
                                      for s in city.services if s.category == c.slug]) for c in used]}

        pages.append((urls.Route("guide"), "guide.html",  # "documents": what the build's keys must follow
                      Variables({"documents": city.services}, sections)))
        pages.append((urls.Route("search"), "search.html", {}))
        pages.append((urls.Route("offline"), "offline.html", {}))
        pages.append((urls.Route("accessibility"), "accessibility.html", {}))  # required of public bodies (EU)
        if city.legal:
            pages.append((urls.Route("legal"), "legal.html", {}))
        pages[0][2]["offline_pages"] = len(pages)  # the home page says how many pages saving stores
        return pages

    def service_variables(self, service: Service) -> dict[str, Any]:
        """What the service page and the whole guide show of a service (computed once)."""
        if service.slug not in self._details:
            self._details[service.slug] = self._service_variables(service)
        return self._details[service.slug]

    def _service_variables(self, service: Service) -> dict[str, Any]:
        geo, city = service.geo, self.city
        path = urls.Route("service", service.slug).path(self.lang)
        place = Place(city.country, city.holiday_region)
        variables = {
            "service": service,
            "category": city.category(service.category),
            "hours": week_table(service.hours, self.lang, self.today, place) if service.hours else None,
            "holidays": holiday_table(service.hours, self.lang, self.today, place) if service.hours else (),
            "open_data": open_data(service.hours, place, self.today) if service.hours else None,
            "stale": self.today - service.reviewed > STALE_AFTER,
            "geo_link": f"geo:{geo[0]},{geo[1]}" if geo else None,
            "osm_link": (f"https://www.openstreetmap.org/?mlat={geo[0]}&mlon={geo[1]}"
                         f"#map=18/{geo[0]}/{geo[1]}") if geo else None,
            "jsonld": Markup(render_jsonld(
                service, self.lang, self.plain(service.title), self.plain(service.summary),
                self.plain(city.name), self.today,
                urls.absolute(city.base_url, path) if city.base_url else None, place, self._jsonld_address(service))),
        }
        variables["variables"] = variables  # the details macro takes them as one value
        return variables

    def _jsonld_address(self, service: Service) -> str | dict[str, str] | None:
        """A service's address in JSON-LD: in a city with official languages, the page's form
        as a ``PostalAddress`` (its town's name differs by language); elsewhere the line as written."""
        if not service.address:
            return None
        if not self.city.official_languages:
            return service.address.source
        return postal_address(address_parts(service.address, self.lang, self.city), self.city.region)

    def addresses(self, address: Official) -> list[tuple[str, str, str]]:
        """(language, direction, text) of each form of ``address`` this page shows."""
        return [(code, direction(code), text) for code, text in address.shown(self.lang)]

    def render(self, route: urls.Route, template: str, variables: dict[str, Any]) -> str:
        """Render one page to HTML."""
        if isinstance(variables, Variables):
            variables = {**variables, **variables.later()}
        return self.render_page(template, route.path(self.lang), route, **variables)

    def render_page(self, template: str, path: str, route: urls.Route | None, **variables: Any) -> str:
        """Render ``template`` as the page at ``path``, telling what a machine translated on it."""
        self.unflagged = False
        html = self.env.get_template(template).render(self.context(path, route), **variables)
        return self.finish(html, path, route)

    def finish(self, html: str, path: str, route: urls.Route | None) -> str:
        """``html`` (a page, or a body shown elsewhere) with its machine-translation notice
        and labels settled (:mod:`~ici_site.i18n.machine`)."""
        def notice(whole: bool) -> str:
            source = self.city.source_language
            name = name_in(source, self.lang)
            language = escape(name) if name != source else \
                Markup('<span lang="{}" dir="{}">{}</span>').format(source, direction(source), native_name(source))
            return self.env.get_template("_machine_notice.html").render(
                self.context(path, route), whole=whole, source=source, language=language,
                original=urls.relative(path, route.path(source)) if route else None)

        return machine.finish(html, self.unflagged, notice, self.machine_label)

    def context(self, path: str, route: urls.Route | None) -> dict[str, Any]:
        """Variables every template sees."""
        city = self.city
        gettext = self._template_gettext

        def link(target: str) -> str:
            return urls.relative(path, target)

        return {
            "_": gettext,
            "gettext": gettext,
            "ngettext": _newstyle_plural(self.ngettext),
            "city": TrackedCity(city, self.seen),
            "lang": self.lang,
            "dir": direction(self.lang),
            "languages": self.languages,
            "route": route,
            # (language, link) of this page in each published language: its alternates and switcher
            "alternates": [(l, link(route.path(l.code))) for l in self.languages] if route else [],
            "path": path,
            "link": link,
            "page_link": lambda r, lang=self.lang: link(r.path(lang)),
            "asset": lambda name: link(urls.asset(name)),
            "absolute": (lambda target: urls.absolute(city.base_url, target)) if city.base_url else None,
            "t": self.show,
            "plain": self.plain,
            "body": lambda document, prefix="": self.body(document, path, prefix),
            "fragment": lambda name, document, caller: self.fragment(name, document, path, caller),
            "category_name": self.category_name,
            "addresses": self.addresses,
            "category_title": self.category_title,
            "machine_notice": lambda: Markup(machine.NOTICE),  # settled by ``finish``
            "date": self.date,
            "time": self.time,
            "qr": qr_svg,
            "native_name": native_name,
            "direction": direction,
            "day_names": browser_dates.day_names,  # for app.js: names and formats from Babel
            "browser_times": browser_dates.times,
            "long_date": browser_dates.long_date,
            "vocab": vocab,
            "Route": urls.Route,
            "today": self.today,
        }
