"""The editors' dialect: Python-Markdown with tables and sane lists, and where it is slow, the
same work done faster with the same output (the property tests of ``test_segments.py`` hold
each converter to Python-Markdown's own ``convert``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import cache

import markdown
from markdown.extensions import Extension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.treeprocessors import InlineProcessor, UnescapeTreeprocessor
from markdown.util import STX, AtomicString

# The editors' dialect: Python-Markdown with tables and sane lists ("tables", "sane_lists"), named
# by their classes: by name, Python-Markdown first reads every installed package's entry points
# (30 ms at each start).
EXTENSIONS: tuple[type[Extension], ...] = (TableExtension, SaneListExtension)
# What each of Python-Markdown's inline patterns cannot match without: one of these characters.
TRIGGERS = {"backtick": "`", "escape": "\\", "reference": "[", "link": "[", "image_link": "!",
            "image_reference": "!", "short_reference": "[", "short_image_ref": "!", "autolink": "<",
            "automail": "<", "linebreak": "\n", "html": "<", "entity": "&", "em_strong": "*_"}


class _Inline(InlineProcessor):
    """Python-Markdown's inline processor, trying on a text only the patterns that can match it:
    a pattern of :data:`TRIGGERS` whose characters are all missing would find nothing, and a
    pattern that finds nothing changes nothing. The output is the full processor's."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        names = (item.name for item in md.inlinePatterns._priority)  # type: ignore[attr-defined]  # in order: no public way
        self._needs = [TRIGGERS.get(name) for name in names]

    # Markdown's own (private) method, as Python mangles its name, and its argument's name
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if isinstance(data, AtomicString):
            return data
        start, needs = 0, self._needs
        while patternIndex < len(needs):
            wanted = needs[patternIndex]
            if wanted is not None and not any(char in data for char in wanted):
                patternIndex, start = patternIndex + 1, 0
                continue
            data, matched, start = self._InlineProcessor__applyPattern(  # type: ignore[attr-defined]
                self.inlinePatterns[patternIndex], data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


class _Unescape(UnescapeTreeprocessor):
    """Python-Markdown's restoring of backslash-escaped characters, without trying its pattern
    on a text that holds no escape (nearly all of them): the same output."""

    def run(self, root: ET.Element) -> None:
        for elem in root.iter():
            if elem.text and STX in elem.text and elem.tag != "code":
                elem.text = self.unescape(elem.text)
            if elem.tail and STX in elem.tail:
                elem.tail = self.unescape(elem.tail)
            for key, value in elem.items():
                if value is not None and STX in value:
                    elem.set(key, self.unescape(value))


def editors_markdown(extensions: list[Extension]) -> markdown.Markdown:
    """A Python-Markdown of the editors' dialect (:data:`EXTENSIONS`) and ``extensions``, faster
    where it can be with the same output (:class:`_Inline`, :class:`_Unescape`, the block-level
    tags in a set)."""
    md = markdown.Markdown(extensions=[extension() for extension in EXTENSIONS] + extensions, output_format="html")
    md.treeprocessors.register(_Inline(md), "inline", 20)  # in the place of Python-Markdown's own
    md.treeprocessors.register(_Unescape(md), "unescape", 0)  # the same
    # Asked of every element by the tree's prettifier, and of every raw HTML tag by the block
    # parser and a postprocessor: Python-Markdown's answer, from a set instead of its list of
    # some sixty tags.
    blocks = frozenset(md.block_level_elements)
    md.is_block_level = lambda tag: isinstance(tag, str) and tag.lower().rstrip("/") in blocks  # type: ignore[method-assign]
    return md


@cache  # made once (a fifth of a millisecond), reset before each text: it keeps nothing between them
def plain_converter() -> markdown.Markdown:
    """Python-Markdown in the editors' dialect, without the message walk."""
    return editors_markdown([])
