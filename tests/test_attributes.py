"""Attributes found with str.find (ici_site/site/attributes.py) are those the regular
expressions find, and the functions built on them write what those expressions wrote."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from ici_site.site.anchors import prefix_ids
from ici_site.site.attributes import quoted

# Pieces that make near misses likely: names cut or glued to others, quotes and "=" alone,
# white space the expressions' \s reads (a no-break and an ideographic space too), no quote at the end.
PIECES = st.sampled_from(['="', '"', "=", "href", "src", "id", ' id="', '\nhref="', ' src="', 'data-id="', 'href="#',
                          "data-", "x", "#", "#a", " ", "\n", "\u00a0", "\u3000", "<a ", "<img ", ">", "h", "ref",
                          "sr", "i", "d", "-", "_", "é", "ا"])
HTML = st.lists(PIECES, max_size=30).map("".join)


@settings(max_examples=1500)
@given(HTML, st.sampled_from([("href", "src"), ("id", "href"), ("src",)]), st.booleans())
def test_quoted_finds_what_the_expression_finds(html: str, names: tuple[str, ...], after_space: bool) -> None:
    expression = re.compile(("\\s" if after_space else "") + f'({"|".join(names)})="([^"]*)"')
    assert list(quoted(html, names, after_space)) == [(m.start(), m.start(2), m.end(2))
                                                      for m in expression.finditer(html)]


def _prefixed_by_expression(html: str, prefix: str) -> str:
    """prefix_ids as it was written with a regular expression (the specification)."""
    def rename(match: re.Match[str]) -> str:
        name, hash_, value = match[1], match[2], match[3]
        if name == "id":
            return f' id="{prefix}{value}"'
        return f' href="#{prefix}{value}"' if hash_ and value else match[0]

    return re.sub(r'\s(id|href)="(#?)([^"]*)"', rename, html)


@settings(max_examples=1500)
@given(HTML)
def test_prefixed_ids_are_those_of_the_expression(html: str) -> None:
    assert prefix_ids(html, "service-x--") == _prefixed_by_expression(html, "service-x--")


def test_a_body_s_ids_and_same_page_links_are_prefixed() -> None:
    html = ('<h2 id="how">How</h2><p><a href="#how">up</a> <a href="other.html#how">there</a> '
            '<a href="#">top</a> <span data-id="x">y</span></p>')
    assert prefix_ids(html, "page-a--") == (
        '<h2 id="page-a--how">How</h2><p><a href="#page-a--how">up</a> <a href="other.html#how">there</a> '
        '<a href="#">top</a> <span data-id="x">y</span></p>')
