"""The outputs for the world outside the site: one line each in the build's lists of outputs.

Per city: the sitemap and robots.txt (with ``base_url``) and the open data (HSDS).
Per language: the Atom feed of notices. Each is an
:class:`~ici_site.build.incremental.Output`, so the incremental build re-makes it only
when its key changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from ici_site.build.incremental import Output
from ici_site.content.model import Service
from ici_site.site import feeds, opendata, sitemap, urls
from ici_site.site.hours import week_table
from ici_site.site.qr import qr_svg
from ici_site.site.render import CityRenderer


def city_publications(chooser: CityRenderer) -> Iterator[Output]:
    """The per-city publishing files (keyed on every input of the city)."""
    city = chooser.city
    if city.base_url:
        base_url = city.base_url
        # documents=(): they show no document's text, only the list of pages (in the keys' base)
        yield Output(urls.SITEMAP, lambda: sitemap.render_sitemap(
            base_url, [route for route, _, _ in chooser.routes()], chooser.published), ())
        if sitemap.at_host_root(base_url):
            yield Output(urls.ROBOTS, lambda: sitemap.render_robots(base_url), ())


def language_files(renderer: CityRenderer) -> Iterator[Output]:
    """The publishing files of one language."""
    city, lang = renderer.city, renderer.lang
    path = urls.language_file(lang, urls.FEED)
    current = tuple(n for n in city.notices if n.expires >= renderer.today)

    def feed() -> bytes:
        entries = [feeds.Entry(f"{city.slug}/notices/{n.slug}", renderer.plain(n.title),
                               renderer.finish(str(renderer.body(n, path)), path, None),  # labels per block
                               n.published or renderer.today) for n in current]
        entries.sort(key=lambda e: (e.updated, e.key), reverse=True)  # newest first
        name = renderer.plain(city.name)
        return feeds.render_feed(city.slug, lang, f"{name} – {renderer.gettext('News')}", name, entries,
                                 renderer.today, city.base_url)

    yield Output(path, feed, tuple(city.notices))  # every notice: an expired one leaves the feed
    yield from open_data_files(renderer)
    if city.base_url:  # a QR code must hold an absolute URL
        yield Output(urls.poster(lang, None), partial(render_poster, renderer, None), ())
        for service in city.services:
            yield Output(urls.poster(lang, service.slug), partial(render_poster, renderer, service), (service,))


def render_poster(renderer: CityRenderer, service: Service | None) -> str:
    """The A4 poster of a service (None: of the city's guide) in the renderer's language."""
    city, lang = renderer.city, renderer.lang
    assert city.base_url
    page = urls.Route("service", service.slug) if service else urls.Route("home")
    url = urls.absolute(city.base_url, page.path(lang))
    path = urls.poster(lang, service.slug if service else None)
    hours = week_table(service.hours, lang, renderer.today) if service and service.hours else None
    return renderer.render_page("poster.html", path, None, service=service, hours=hours, url=url, qr=qr_svg(url, url))


def _exported(service: dict[str, Any]) -> tuple[dict[str, Any], str]:
    return service, opendata.service_line(service)


def open_data_files(renderer: CityRenderer) -> Iterator[Output]:
    """The HSDS JSON of one language; with the source language, the tabular package too."""
    city, keys = renderer.city, renderer.keys
    exporter = opendata.Exporter(city, renderer.lang, renderer.plain, renderer.gettext, renderer.today)
    services = tuple(city.services)
    made: list[list[tuple[dict[str, Any], str]]] = []

    def exported() -> list[tuple[dict[str, Any], str]]:  # made once for the JSON and the tables
        if not made:  # an unchanged service's object and line are the last build's while the translations are the same
            kept = renderer.shared.exports(city.slug, renderer.lang, keys.translations(renderer.lang))
            found = {}
            for service in services:
                mark = (service.path, keys.document(service))
                found[mark] = kept.get(mark) or _exported(exporter.service(service))
            kept.clear()
            kept.update(found)
            made.append(list(found.values()))
        return made[0]

    def objects() -> list[dict[str, Any]]:
        return [thing for thing, _ in exported()]

    yield Output(opendata.json_path(renderer.lang, city.source_language),
                 lambda: opendata.render_json([line for _, line in exported()]), services)
    if renderer.lang != city.source_language:
        return
    folder = urls.open_data(opendata.TABLES)
    yield Output(f"{folder}/datapackage.json",
                 lambda: opendata.render_package(city.slug, renderer.plain(city.name)), ())
    for name, make, filled in opendata.tabular_makers(objects):
        yield Output(f"{folder}/{name}", make, services if filled else ())  # (): a header alone
