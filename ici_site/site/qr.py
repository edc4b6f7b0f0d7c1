"""QR codes as inline SVG, made at build time (no image file, no other host).

One function serves every printed output (the whole guide, posters): a reader
scans the code on paper and lands on the page in their language.
"""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup, escape


def qr_svg(url: str, label: str = "") -> Markup:
    """An inline ``<svg>`` QR code (error correction M, quiet zone of 4 modules) that
    decodes to ``url``. ``label`` becomes the SVG's accessible name; without it the
    code is hidden from screen readers (the URL is printed beside it)."""
    svg = _code(url)
    if label:
        svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    else:
        svg = svg.replace("<svg ", '<svg aria-hidden="true" ', 1)
    return Markup(svg)


@lru_cache(maxsize=4096)  # a service's page is on its poster and in the whole guide: encoded once
def _code(url: str) -> str:
    import segno  # only a city with an address (base_url) prints codes

    code = segno.make(url, error="m", micro=False)
    return str(code.svg_inline(scale=1, border=4, omitsize=True, svgclass="qr", lineclass=None, dark="#000"))
