"""A body rendered once for all its languages, with a slot for each message.

Every language's rendering of a body starts from the same tree (:func:`~.segments.parsed`);
only its messages' texts differ. Most translations are plain text or a line of words, bold and
links (:mod:`.inline`): Python-Markdown writes them as the text escaped, with its ``<strong>``
and ``<a href>``, and nothing else in the body depends on them. So a body is rendered once
with a mark in the place of each message (its :class:`Slotted` form: the elements, the texts
that are no message, the raw HTML, the prettifier's line breaks), and a language's rendering
is that HTML with each slot filled. A language in which one translation needs more of
Python-Markdown (other inline markup, a line break, a text of spaces alone) is rendered whole,
as before. Property tests (``tests/test_slots.py``) hold both to Python-Markdown's own
``convert``.

The sanitiser (:class:`Sanitiser`, handed in by the site's layer) is run once on a body's slotted
form too: when it leaves that HTML as it is, a language's rendering is cleaned piece by piece
(:meth:`SlottedConverter.sanitised`) instead of parsed again whole.
"""

from __future__ import annotations

import copy
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# Python-Markdown's serializer's own escaping (private, as its stubs say): the same output
from markdown.serializers import _escape_attrib_html, _escape_cdata  # type: ignore[attr-defined]

from ici_site.i18n.inline import inline_html
from ici_site.i18n.languages import direction
from ici_site.i18n.machine import LABEL
from ici_site.i18n.segments import INLINE_MARKUP, Converter, Shown, Translate, parsed

OPEN, CLOSE = "\ue000", "\ue001"  # a slot's marks, from Unicode's private use area
SLOT = re.compile("\ue000(\\d+)(e?)\ue001")  # block 3's text ("3"), or the end of its element ("3e")
# What a filled text cannot hold: the slots' marks, and those of Python-Markdown's placeholders,
# which its postprocessors look for in the whole rendering.
RESERVED = re.compile("[\ue000\ue001\x02\x03]")
KEPT = 1024  # bodies whose slotted form a converter keeps (``serve`` sees bodies change)


@dataclass(frozen=True, slots=True)
class Slotted:
    """A body's HTML, cut at the slots of its messages (its translatable blocks)."""

    parts: tuple[str, ...]  # the HTML around the slots: one more than the slots
    slots: tuple[tuple[int, bool], ...]  # each slot: its block, and whether it ends the block's element
    leaves: tuple[bool, ...]  # each block: its element has no child element (then bold and links)
    tags: tuple[str | None, ...]  # each block: its element's tag, when written without attributes
    clean: bool = False  # the sanitiser leaves the HTML around the slots (and their marks) as it is

    def filled(self, shown: Sequence[Shown], piece: Callable[[str, bool], str | None] | None = None) -> str | None:
        """The body's HTML with its blocks shown as ``shown`` says, in order; None when one of
        them needs more of Python-Markdown than a slot holds. ``piece``: what each block's
        content, hint (False) and start tag (True) become in its place, or None to give up."""
        texts: list[str] = []
        starts: list[str | None] = []  # a block's start tag, when a hint gives it attributes
        ends: list[str] = []  # a block's hint, the last thing in its element
        for leaf, tag, rendering in zip(self.leaves, self.tags, shown, strict=True):
            content = _content(rendering.text, leaf, LABEL if rendering.machine else "")
            if content is not None and piece is not None:
                content = piece(content, False)
            if content is None:
                return None
            texts.append(content)
            if rendering.hint is None:
                starts.append(None)
                ends.append("")
            elif tag is None or RESERVED.search(rendering.hint):
                return None
            else:
                opening, hint = _start_tag(tag, rendering), _hint(rendering)
                if piece is not None:
                    clean_opening, clean_hint = piece(opening, True), piece(hint, False)
                    if clean_opening is None or clean_hint is None:
                        return None
                    opening, hint = clean_opening, clean_hint
                starts.append(opening)
                ends.append(hint)
        html = [self.parts[0]]
        for (block, end), part in zip(self.slots, self.parts[1:], strict=True):
            if end:
                html.append(ends[block])
            else:
                start = starts[block]
                if start is not None:  # the part before ends with the tag as written: <p>
                    html[-1] = html[-1][:-len(self.tags[block] or "") - 2] + start
                html.append(texts[block])
            html.append(part)
        return "".join(html)


def _content(text: str, leaf: bool, label: str) -> str | None:
    """A block's content as the message walk makes it (``text`` and the machine ``label``) and the
    serializer writes it; None when Python-Markdown has more to do with it (what
    ``segments._Walk`` leaves to the inline patterns)."""
    if RESERVED.search(text) or not (text + label).strip():
        return None
    # after a line of words, bold and links, the label (a control character) is left as it is
    html = inline_html(text) if leaf else None
    if html is not None:
        return html + label
    return None if INLINE_MARKUP.search(text) else _escape_cdata(text + label)


def _start_tag(tag: str, shown: Shown) -> str:
    """The start tag ``segments._mark`` gives a block with a hint (attributes in the serializer's order)."""
    where = (f' dir="{_escape_attrib_html(direction(shown.lang))}" lang="{_escape_attrib_html(shown.lang)}"'
             if shown.lang != shown.hint_lang else "")
    return f'<{tag} class="{_escape_attrib_html(shown.kind)}"{where}>'


def _hint(shown: Shown) -> str:
    """The visible hint ``segments._mark`` adds at the end of a block."""
    lang = _escape_attrib_html(shown.hint_lang)
    return (f'<small class="hint" dir="{_escape_attrib_html(direction(shown.hint_lang))}" lang="{lang}">'
            f'{_escape_cdata(shown.hint or "")}</small>')


@dataclass(frozen=True)
class Sanitiser:
    """What a body's HTML is cleaned with (:mod:`~ici_site.site.sanitize`)."""

    clean: Callable[[str], str]  # a body's HTML, cleaned
    piece: Callable[[str, bool], str | None]  # a filled piece (a start tag: True) as ``clean`` writes it in a
    # body it leaves as it is otherwise, or None when that is not known without cleaning the body


class SlottedConverter(Converter):
    """A :class:`~.segments.Converter` that renders a body from its :class:`Slotted` form when
    the translations fit its slots: the same HTML, in a third of the time (the 1,280 bodies of
    a medium project's build, ``docs/performance.md``); and cleans it with ``sanitiser``
    (:meth:`sanitised`)."""

    def __init__(self, sanitiser: Sanitiser | None = None) -> None:
        super().__init__()
        self.sanitiser = sanitiser
        self._slotted: dict[str, Slotted | None] = {}

    def __call__(self, source: str, translate: Translate) -> str:
        return self._converted(source, translate, None)

    def sanitised(self, source: str, translate: Translate) -> str:
        """``sanitiser.clean(self(source, translate))``, the same HTML, without parsing each
        language's again where the sanitiser leaves the body's slotted form as it is."""
        assert self.sanitiser is not None, "a converter made without a sanitiser"
        return self._converted(source, translate, self.sanitiser)

    def _converted(self, source: str, translate: Translate, sanitiser: Sanitiser | None) -> str:
        slotted = self.slotted(source) if source.strip() else None
        html = None
        if slotted is not None:
            texts = [text for _, _, text in parsed(source).blocks]
            shown = [translate(text) for text in texts]  # each once, in order, as the walk asks
            if sanitiser is not None and slotted.clean:
                html = slotted.filled(shown, sanitiser.piece)
                if html is not None:
                    return html
            html = slotted.filled(shown)
            translate = dict(zip(texts, shown)).__getitem__
        if html is None:
            html = super().__call__(source, translate)
        return html if sanitiser is None else sanitiser.clean(html)

    def slotted(self, source: str) -> Slotted | None:
        """The body's slotted form (None when it cannot have one: an image's alt text is a
        message, or the source holds a reserved character), made once."""
        if source not in self._slotted:
            if len(self._slotted) >= KEPT:
                self._slotted.clear()
            self._slotted[source] = self._made(source)
        return self._slotted[source]

    def _made(self, source: str) -> Slotted | None:
        blocks = parsed(source)
        if RESERVED.search(source) or any(kind != "block" for _, kind, _ in blocks.blocks):
            return None
        marks = iter([Shown(f"{OPEN}{index}{CLOSE}", "") for index in range(len(blocks.blocks))])
        leaves: dict[int, bool] = {}
        tags: dict[int, str | None] = {}

        def finish(root: ET.Element) -> None:  # each block's end, once the prettifier has added its line breaks
            for element in root.iter():
                mark = SLOT.fullmatch(element.text or "")
                if mark is not None:
                    index = int(mark[1])
                    leaves[index], tags[index] = len(element) == 0, None if element.attrib else element.tag
                    end = f"{OPEN}{index}e{CLOSE}"
                    if len(element):
                        element[-1].tail = (element[-1].tail or "") + end
                    else:
                        element.text = (element.text or "") + end

        html = self._rendered(blocks, copy.deepcopy(blocks.root), blocks.blocks, lambda _: next(marks), finish)
        pieces = SLOT.split(html)
        slots = tuple((int(index), end == "e") for index, end in zip(pieces[1::3], pieces[2::3], strict=True))
        parts = tuple(pieces[0::3])
        count = len(blocks.blocks)
        if sorted(slots) != [(index, end) for index in range(count) for end in (False, True)]:
            return None  # a mark lost or moved: this body is rendered whole in every language
        for (index, end), before in zip(slots, parts):
            tag = tags[index]
            if not end and tag is not None and not before.endswith(f"<{tag}>"):
                tags[index] = None
        return Slotted(parts, slots, tuple(leaves[index] for index in range(count)),
                       tuple(tags[index] for index in range(count)),
                       self.sanitiser is not None and self.sanitiser.clean(html) == html)
