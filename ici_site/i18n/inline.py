"""The inline shortcut: a line of words, **bold** and [text](target) links, the inline
content most translated blocks have, read without Python-Markdown's inline patterns.

The grammar is narrow on purpose (no other markup character, no image, no emphasis with
``_``, no space inside the markers): within it, the patterns make exactly a
``<strong>`` of each bold run and an ``<a href>`` of each link, and property tests hold
both users to that (the renderer: ``tests/test_segments.py``; the safety check, which
reads a translation's text and links from it: ``tests/test_properties_safety.py``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

# Python-Markdown's serializer's own escaping (private, as its stubs say): the same output
from markdown.serializers import _escape_attrib_html, _escape_cdata  # type: ignore[attr-defined]
from markdown.util import AtomicString

# One line of plain runs, **bold** runs and [text](target) links, starting with a letter
# (or with bold or a link starting with one) and not ending in a space: Python-Markdown's
# inline patterns make <strong> and <a href> of its markers and leave the rest as it is.
_RUN = r"[^`\\\[\]<&*_|#\x00-\x1f\x7f]"
# Not an image: the "[" follows no "!" (looked at after the "[", so that the pattern starts
# with a character: its search jumps from "[" to "[" instead of trying every place).
LINK = re.compile(rf"\[(?<!!\[)(?P<text>{_RUN}+)\]\((?P<target>[^\s()<>\"'`\\&\[\]*]+)\)")
INLINE_LINE = re.compile(rf"(?=[^\W\d_]|\*\*[^\W\d_]|\[[^\W\d_])"
                         rf"(?:{_RUN}++|(?<!\*)\*\*(?![\s*]){_RUN}+(?<![\s*])\*\*(?!\*)|{LINK.pattern})++(?<!\s)")
_BOLD_OR_LINK = re.compile(rf"\*\*(?P<bold>{_RUN}+)\*\*|{LINK.pattern}")


def inline_tree(element: ET.Element, text: str) -> bool:
    """Give a block without children its content when ``text`` is an :data:`INLINE_LINE`, as
    the inline patterns would (their work is skipped; a property test holds it to theirs);
    False for any other text."""
    if len(element) or not INLINE_LINE.fullmatch(text):
        return False
    if "*" not in text and "[" not in text:  # words alone (most blocks): no bold, no link
        element.text = AtomicString(text)
        return True
    last: ET.Element | None = None
    for before, tag, inner, href in _runs(text):
        if last is None:
            element.text = AtomicString(before)
        else:
            last.tail = AtomicString(before)
        if tag:
            last = ET.SubElement(element, tag, {} if href is None else {"href": href})
            last.text = AtomicString(inner)
    return True


def inline_html(text: str) -> str | None:
    """What Python-Markdown writes for the content :func:`inline_tree` gives a block without
    children (``text`` escaped, with its ``<strong>`` and ``<a href>``); None for any other text.
    A property test holds it to the serializer's output."""
    if not INLINE_LINE.fullmatch(text):
        return None
    if "*" not in text and "[" not in text:
        return _escape_cdata(text)
    return "".join(_escape_cdata(before) + _element_html(tag, inner, href) for before, tag, inner, href in _runs(text))


def _element_html(tag: str, inner: str, href: str | None) -> str:
    """A run's element as the serializer writes it (nothing for the words after the last)."""
    if not tag:
        return ""
    where = "" if href is None else f' href="{_escape_attrib_html(href)}"'
    return f"<{tag}{where}>{_escape_cdata(inner)}</{tag}>"


def _runs(text: str) -> Iterator[tuple[str, str, str, str | None]]:
    """An :data:`INLINE_LINE` cut at its bold runs and links: (the words before one, "strong" or
    "a", its text, a link's target), then the words after the last ("", "", None)."""
    start = 0
    for match in _BOLD_OR_LINK.finditer(text):
        before = text[start:match.start()]
        yield (before, "strong", match["bold"], None) if match["bold"] is not None else \
            (before, "a", match["text"], match["target"])
        start = match.end()
    yield text[start:], "", "", None
