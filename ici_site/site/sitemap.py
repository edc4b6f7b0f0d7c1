"""The sitemap (sitemaps.org 0.9) and robots.txt of a city with a ``base_url``.

A sitemap's URLs must be absolute, so a city without ``base_url`` gets none. Every
reader page of every published language is listed once, with ``xhtml:link``
alternates naming the same page in each language (Google's hreflang form), so a
search engine shows a reader the page in their language. The coordinators' page
(``translation-status.html``, ``noindex``), search and offline pages are left out.

robots.txt is only read at the root of a host: it is written when ``base_url`` is
a host's root; under a sub-path the host's own robots.txt must name the sitemap
(docs/deploy.md says which line to add).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from urllib.parse import urlsplit

from ici_site.site import urls

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def xml_document(root: ET.Element) -> bytes:
    """An element tree as a UTF-8 XML document; ElementTree escapes every text and attribute."""
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def render_sitemap(base_url: str, routes: Iterable[urls.Route], languages: tuple[str, ...]) -> bytes:
    """``sitemap.xml``: each route in each language, with its alternates in every language."""
    ET.register_namespace("", SITEMAP_NS)
    ET.register_namespace("xhtml", XHTML_NS)
    urlset = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    chooser = urls.absolute(base_url, urls.ROOT)
    ET.SubElement(ET.SubElement(urlset, f"{{{SITEMAP_NS}}}url"), f"{{{SITEMAP_NS}}}loc").text = chooser
    for route in routes:
        if route.kind not in urls.READER_KINDS:
            continue
        for lang in languages:
            url = ET.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
            ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = urls.absolute(base_url, route.path(lang))
            for other in languages:
                ET.SubElement(url, f"{{{XHTML_NS}}}link", rel="alternate", hreflang=other,
                              href=urls.absolute(base_url, route.path(other)))
            ET.SubElement(url, f"{{{XHTML_NS}}}link", rel="alternate", hreflang="x-default", href=chooser)
    return xml_document(urlset)


def at_host_root(base_url: str) -> bool:
    """Whether ``base_url`` is the root of its host (the only place robots.txt is read)."""
    return urlsplit(base_url).path in ("", "/")


def render_robots(base_url: str) -> str:
    """``robots.txt`` for a city at the root of its host: everything may be crawled; the sitemap."""
    return f"User-agent: *\nDisallow:\n\nSitemap: {urls.absolute(base_url, urls.SITEMAP)}\n"
