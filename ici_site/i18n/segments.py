"""Cutting content into translatable messages — for extraction and rendering alike.

Like Sphinx's ``extract_messages``, one walk decides what a message is, and the
same walk serves both sides: :func:`document_messages` lists the messages of a
document for the catalogs, and :func:`render_markdown` renders a document with
each message replaced by its translation. A message is a front-matter field or a
Markdown block (paragraph, heading, list item, table cell, blockquote paragraph,
image alt text); its inline markup (links, emphasis, inline code) stays inside it.

The walk runs on Python-Markdown's element tree *before* inline processing, so
each block's text is still the editor's Markdown source.
"""

from __future__ import annotations

import copy
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from ici_site.content.model import City, Document, Network, Notice, Page, Service
from ici_site.i18n.dialect import editors_markdown, plain_converter
from ici_site.i18n.inline import inline_tree
from ici_site.i18n.languages import direction
from ici_site.i18n.machine import LABEL

BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "th", "td", "dt", "dd"}
SKIP = {"pre", "code", "script", "style"}
PLACEHOLDER = re.compile("^\x02wzxhzdk:\\d+\x03$")
# A word: two letters in a row, or a letter standing alone ("h" in "9 h – 11 h", "à" in
# "9 à 11"), which a translator may write the reader's way. "A1", "9h-11h" or "112" are
# codes and numbers, shown as written (in their own direction: see bidi.py).
WORD = re.compile(r"[^\W\d_]{2}|(?<![^\W_])[^\W\d_](?![^\W_])")
IMAGE_ONLY = re.compile(r"^!\[(?P<alt>[^\]]*)\](?P<rest>\([^)]*\))$")
NOTES = {
    "title": "title",
    "summary": "summary",
    "documents": "document to bring",
    "keywords": "search words (never shown: words people type to find this)",
    "name": "name",
    "tagline": "tagline",
}


@dataclass(frozen=True, slots=True)
class Message:
    """One translatable unit of content."""

    text: str  # the source text: the msgid
    path: str  # file it comes from, relative to the project root
    line: int  # 1-based line in that file
    note: str  # what it is, for translators: "services/maison-des-femmes: summary"
    markdown: bool  # True for Markdown blocks (Weblate's md-text flag)


class Shown(NamedTuple):  # a tuple: made for every text of every page's language, it is made faster
    """How one message is shown: its text and the language that text is in."""

    text: str
    lang: str  # language of ``text``
    hint: str | None = None  # visible note in the reader's language, if any
    hint_lang: str = ""  # language of the hint (the reader's)
    kind: str = ""  # CSS classes saying why: "other-lang", "outdated", "machine"
    machine: bool = False  # machine-translated into the reader's language: labelled unless the page's notice says it


Translate = Callable[[str], Shown]


def normalize(text: str) -> str:
    """A block's source with its line breaks folded into spaces: the msgid."""
    return " ".join(line.strip() for line in text.strip().split("\n"))


Place = tuple[int, ...]  # an element's place: the index of each element on the way from the root
Block = tuple[Place, str, str]  # a translatable block: (place, kind, text)


def blocks_of(root: ET.Element, at: Place = ()) -> Iterator[Block]:
    """Yield (place, kind, text) for every translatable block under ``root``.

    ``kind`` is "block" for text blocks and "alt" for an image alone in its
    paragraph, whose alt text is the message.
    """
    for index, element in enumerate(root):
        if element.tag in SKIP:
            continue
        if element.tag in BLOCKS and element.text and element.text.strip():
            text = normalize(element.text)
            if not PLACEHOLDER.match(text) and not isinstance(element.text, AtomicString):
                image = IMAGE_ONLY.match(text)
                if image and element.tag == "p" and len(element) == 0:
                    if WORD.search(image.group("alt")):
                        yield (*at, index), "alt", image.group("alt").strip()
                elif WORD.search(text):
                    yield (*at, index), "block", text
        yield from blocks_of(element, (*at, index))


def iter_blocks(root: ET.Element) -> Iterator[tuple[ET.Element, str, str]]:
    """Yield (element, kind, text) for every translatable block under ``root`` (:func:`blocks_of`)."""
    for place, kind, text in blocks_of(root):
        yield _at(root, place), kind, text


def _at(root: ET.Element, place: Place) -> ET.Element:
    for index in place:
        root = root[index]
    return root


class _Walk(Treeprocessor):
    """Replaces each block's source with what ``translate`` returns."""

    def __init__(self, md: markdown.Markdown, translate: Translate) -> None:
        super().__init__(md)
        self.translate = translate
        self.blocks: tuple[Block, ...] | None = None  # the tree's blocks when known (Converter), for the next run

    def run(self, root: ET.Element) -> None:
        blocks, self.blocks = self.blocks, None
        for element, kind, text in [(_at(root, place), kind, text) for place, kind, text in blocks] \
                if blocks is not None else list(iter_blocks(root)):
            shown = self.translate(text)
            if kind == "alt":
                image = IMAGE_ONLY.match(normalize(element.text or ""))
                assert image is not None
                alt = shown.text.replace("]", "")
                element.text = f"![{alt}]{image.group('rest')}"
            else:
                element.text = shown.text
            if shown.machine:  # the label's place: the page decides (ici_site.i18n.machine)
                element.text += LABEL
            if not inline_tree(element, element.text):
                element.text = plain_or_markdown(element.text)
            if shown.hint is not None:
                _mark(element, shown)


# What Python-Markdown's inline patterns start from: code, escapes, links and images,
# autolinks and HTML, entities, emphasis, and a hard line break. A text without any
# is its own inline rendering.
INLINE_MARKUP = re.compile(r"[`\\\[<&*_\n]")


def plain_or_markdown(text: str) -> str:
    """``text`` as a block's content: kept from the inline patterns (an
    :class:`~markdown.util.AtomicString`, escaped as it is written out) when none of them
    could match it, which most translated paragraphs are; the output is the same."""
    return text if INLINE_MARKUP.search(text) else AtomicString(text)


def _mark(element: ET.Element, shown: Shown) -> None:
    """Give a block its lang/dir when in another language, and its visible hint."""
    if shown.lang != shown.hint_lang:
        element.set("lang", shown.lang)
        element.set("dir", direction(shown.lang))
    element.set("class", shown.kind)
    hint = ET.SubElement(element, "small")
    hint.set("class", "hint")
    hint.set("lang", shown.hint_lang)
    hint.set("dir", direction(shown.hint_lang))
    hint.text = AtomicString(shown.hint or "")
    hint.tail = None


class _Segments(Extension):
    def __init__(self, translate: Translate) -> None:
        super().__init__()
        self.translate = translate

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Priority 25 runs before the inline processor (20): texts are still Markdown.
        self.walk = _Walk(md, self.translate)
        md.treeprocessors.register(self.walk, "ici_segments", 25)


def _converter(translate: Translate) -> tuple[markdown.Markdown, _Segments]:
    segments = _Segments(translate)
    return editors_markdown([segments]), segments


@dataclass(frozen=True, slots=True)
class Parsed:
    """A Markdown source after Python-Markdown's preprocessors and block parser: what every
    language's rendering starts from (its blocks are the source's; the walk replaces their
    text). Nothing changes it: each rendering works on a copy of ``root``."""

    root: ET.Element
    blocks: tuple[Block, ...]  # its translatable blocks (:func:`blocks_of`)
    html: tuple[str | ET.Element, ...]  # raw HTML blocks the preprocessors took out (md.htmlStash)
    references: tuple[tuple[str, tuple[str, str | None]], ...]  # [label]: url "title" definitions


@lru_cache(maxsize=1024)  # a body is parsed once for all its languages (a part renders one city's bodies)
def parsed(source: str) -> Parsed:
    """``source`` cut into blocks, as :meth:`markdown.Markdown.convert` does before its tree processors."""
    md = plain_converter().reset()
    lines = source.split("\n")
    for preprocessor in md.preprocessors:
        lines = preprocessor.run(lines)
    root = md.parser.parseDocument(lines).getroot()
    assert root is not None  # parseDocument makes a tree with a root
    return Parsed(root, tuple(blocks_of(root)), tuple(md.htmlStash.rawHtmlBlocks), tuple(md.references.items()))


class Converter:
    """Renders Markdown with every message passed through a ``translate`` function; one
    per process (:class:`~ici_site.site.shared.Shared`), reused for every body (making one costs
    a fifth of a millisecond, and an edit's build has a renderer for each language that converts
    nothing).

    Does what :meth:`markdown.Markdown.convert` does, from the source's blocks
    (:func:`parsed`, made once per source) instead of parsing them again in every language.
    """

    def __init__(self) -> None:
        self._md, self._segments = _converter(lambda text: Shown(text, ""))

    def __call__(self, source: str, translate: Translate) -> str:
        if not source.strip():
            return ""
        blocks = parsed(source)
        return self._rendered(blocks, copy.deepcopy(blocks.root), blocks.blocks, translate)

    def headings(self, source: str, translate: Translate) -> str:
        """The HTML of the body's headings h2–h6 alone, in order, each as the whole body renders
        it (its inline markup is its own; reference links are the body's): what its heading ids
        are made from. A body with raw HTML, which may hold headings of its own, is rendered whole."""
        blocks = parsed(source) if source.strip() else None
        if blocks is None or blocks.html:
            return self(source, translate)
        root, places = ET.Element(blocks.root.tag), {}
        for place in _heading_places(blocks.root):
            places[place] = (len(root),)
            root.append(copy.deepcopy(_at(blocks.root, place)))  # its tail is not its text
        return self._rendered(blocks, root, tuple((places[place], kind, text) for place, kind, text in blocks.blocks
                                                  if place in places), translate)

    def _rendered(self, blocks: Parsed, root: ET.Element, translated: tuple[Block, ...], translate: Translate,
                  finish: Callable[[ET.Element], None] = lambda root: None) -> str:
        """What :meth:`markdown.Markdown.convert` makes of ``root`` (a copy of the tree of
        ``blocks``, or a part of it) with the texts of ``translated`` passed through ``translate``
        (and ``finish`` given the tree as it is written out)."""
        md = self._md.reset()
        self._segments.walk.translate, self._segments.walk.blocks = translate, translated
        md.htmlStash.rawHtmlBlocks = list(blocks.html)
        md.htmlStash.html_counter = len(blocks.html)
        md.references.update(blocks.references)  # type: ignore[arg-type]  # a title is None when absent
        for treeprocessor in md.treeprocessors:
            replaced = treeprocessor.run(root)
            if replaced is not None:
                root = replaced
        finish(root)
        output = md.serializer(root)
        start, end = output.find(f"<{md.doc_tag}>"), output.rfind(f"</{md.doc_tag}>")
        output = output[start + len(md.doc_tag) + 2:end].strip() if start >= 0 and end >= 0 else ""
        for postprocessor in md.postprocessors:
            output = postprocessor.run(output)
        return output.strip()


HEADINGS = {"h2", "h3", "h4", "h5", "h6"}  # those that get an id (:data:`ici_site.site.anchors.HEADING`)


def _heading_places(root: ET.Element, at: Place = ()) -> Iterator[Place]:
    """The place of every heading h2–h6 under ``root``, in document order."""
    for index, element in enumerate(root):
        if element.tag in HEADINGS:
            yield (*at, index)
        else:
            yield from _heading_places(element, (*at, index))


def render_markdown(source: str, translate: Translate) -> str:
    """Render Markdown to HTML, passing every message through ``translate``."""
    return Converter()(source, translate)


@lru_cache(maxsize=8192)
def markdown_messages(source: str, path: str, first_line: int, note: str) -> tuple[Message, ...]:
    """The messages of a Markdown body that starts on line ``first_line`` of its file
    (remembered: status pages and publishing ask for them in every language)."""
    found = [text for _, _, text in parsed(source).blocks]  # what the walk translates, in order
    return tuple(Message(text, path, first_line + line, note, True) for text, line in _locate(found, source))


def _locate(texts: list[str], source: str) -> Iterator[tuple[str, int]]:
    """Pair each message with the 0-based line it starts on, scanning forward."""
    lines = source.split("\n")
    cursor = 0
    for text in texts:
        probe = text.split(" ")[0:4]
        needle = " ".join(probe)
        for index in range(cursor, len(lines)):
            if needle in " ".join(lines[index].split()):
                cursor = index
                break
        yield text, cursor


def document_messages(document: Document) -> list[Message]:
    """Every message of a service, page or notice, in file order."""
    folder = {Service: "services", Page: "pages", Notice: "notices"}[type(document)]
    where = f"{folder}/{document.slug}"
    path = document.path
    messages = [Message(document.title, path, document.lines["title"], f"{where}: title", False)]
    if isinstance(document, Service):
        messages.append(Message(document.summary, path, document.lines["summary"], f"{where}: summary", False))
        for index, item in enumerate(document.documents):
            line = document.lines[f"documents[{index}]"]
            messages.append(Message(item, path, line, f"{where}: {NOTES['documents']}", False))
    for index, item in enumerate(getattr(document, "keywords", ())):
        line = document.lines[f"keywords[{index}]"]
        messages.append(Message(item, path, line, f"{where}: {NOTES['keywords']}", False))
    messages.extend(markdown_messages(document.body, path, document.body_line, f"{where}: text"))
    return messages


def city_messages(city: City) -> list[Message]:
    """Every message of a city's content: city.yaml, then each document."""
    path = city.path
    messages = [Message(city.name, path, city.lines["name"], "city: name", False)]
    if city.tagline:
        messages.append(Message(city.tagline, path, city.lines["tagline"], "city: tagline", False))
    for number in city.emergency:
        messages.append(Message(number.label, path, number.line, "city: emergency number label", False))
    for category in city.categories:
        if not category.builtin:
            messages.append(Message(category.name, path, category.line, f"city: category {category.slug}", False))
    messages.extend(statement_messages(city))
    for document in (*city.services, *city.pages, *city.notices):
        messages.extend(document_messages(document))
    return messages


def network_messages(network: Network) -> list[Message]:
    """Every message of the network: its name, then each block of its text."""
    messages = [Message(network.name, network.path, network.lines["name"], "network: name", False)]
    if network.text:
        messages.extend(markdown_messages(network.text, network.path, network.text_line, "network: text"))
    return messages


def content_messages(source: City | Network) -> list[Message]:
    """The messages of a city's content or of the network's (one catalog domain each)."""
    return network_messages(source) if isinstance(source, Network) else city_messages(source)


# What each translatable text of the accessibility statement and the legal notice is. The
# contact, the web addresses, the legal notice's postal address and its host (a company's
# name and address) stay as written: facts, like every other address of the site.
STATEMENT_NOTES = {
    "accessibility.enforcement.name": "accessibility statement: the public body people can turn to when "
                                      "the city's answer does not satisfy them",
    "accessibility.issues": "accessibility statement: content that is not accessible",
    "legal.publisher": "legal notice: the public body that publishes the site",
    "legal.responsible": "legal notice: who is responsible for the content (a role; keep a person's name)",
}


def statement_messages(city: City) -> list[Message]:
    """The translatable texts of the accessibility statement and the legal notice."""
    path, messages = city.path, []
    a, legal = city.accessibility, city.legal
    if a and a.enforcement_name:
        key = "accessibility.enforcement.name"
        messages.append(Message(a.enforcement_name, path, city.lines[key], f"city: {STATEMENT_NOTES[key]}", False))
    for index, issue in enumerate(a.issues if a else ()):
        line = city.lines[f"accessibility.issues[{index}]"]
        messages.append(Message(issue, path, line, f"city: {STATEMENT_NOTES['accessibility.issues']}", False))
    for field in ("publisher", "responsible"):
        text = getattr(legal, field) if legal else None
        if text:
            key = f"legal.{field}"
            messages.append(Message(text, path, city.lines[key], f"city: {STATEMENT_NOTES[key]}", False))
    return messages
