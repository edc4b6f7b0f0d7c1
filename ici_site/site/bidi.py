"""Text of one direction inside text of the other, kept in reading order.

In an Arabic sentence the Unicode bidi algorithm places a Latin address, an e-mail,
a URL or a number written in groups by its own rules, and the reader gets
"rue de 8 l'Exemple", "h – 11 h 9" or "20 11 00 99 01". :func:`isolate_runs` wraps
each such run of a page's HTML in ``<bdi dir="ltr">``: the browser then lays it out
as one unit, in its own direction, wherever the line puts it.

A run, in right-to-left text: from a left-to-right letter to the last, with no
right-to-left letter between ("cours@example.org", "9 h – 11 h"), with the numbers
joined to those words ("8 rue de l'Exemple", "Lielā iela 8", but not the "15" of
"15 (SAMU)", which is the sentence's); or one number written in groups ("01 99 00
11 20", "16 500"). The sentence's punctuation at its ends stays outside, except a
bracket the run opened and a URL's closing "/". Digits alone keep the reader's
order: "9–11" in Arabic reads right to left, as Arabic readers expect.
In left-to-right text the same is done for runs of right-to-left letters (an
Arabic name in a French sentence), without the digits at their ends.

An element with its own ``dir`` (text shown in another language, a ``tel:`` link)
sets the direction of what it holds. The HTML is the sanitiser's output (or our
own escaped text); one pass reads it, each text once, in linear time.
"""

from __future__ import annotations

import html as htmllib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import NamedTuple

# A tag as nh3 writes them (double-quoted attributes); anything else is text.
TAG = re.compile(r'<(/?)([A-Za-z][A-Za-z0-9]*)((?:\s+[^\s"\'<>/=]+(?:\s*=\s*"[^"]*")?)*)\s*/?>')
TAGS = re.compile(f"({TAG.pattern})")  # the same, whole: str.split gives each tag and its groups
DIR = re.compile(r'\sdir\s*=\s*"(ltr|rtl|auto)"', re.IGNORECASE)
VOID = frozenset({"br", "img", "hr", "wbr", "input", "meta", "link", "source"})
RAW = frozenset({"pre", "script", "style", "textarea"})  # copied as they are: code is never touched
# Elements inside a line: a run may go through them. Any other element ends a run.
INLINE = frozenset({"a", "abbr", "b", "bdi", "cite", "code", "del", "em", "i", "ins", "kbd", "mark", "q", "s",
                    "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var"})
# Every right-to-left letter is in these blocks: text without them has nothing to isolate
# in a left-to-right page.
RTL_SCRIPT = re.compile("[\u0590-\u08ff\u200f\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff]")
# Runs over the text's kinds (see _Kinds): L left-to-right letter, R right-to-left letter,
# D digit, B an element no run may cross, N anything else.
RUNS = {"rtl": re.compile(r"[LD](?:[^RB]*[LD])?"), "ltr": re.compile(r"R(?:[^LB]*R)?")}
L, R, D = 1, 2, 4  # kinds of characters an element holds, as bits of one number
BITS = {"L": L, "R": R, "D": D}
NEEDED = {"rtl": L | D, "ltr": R}  # what text must hold to have runs to isolate
NUMBER_PART = re.compile(r"[\d\s.,:/+-]*")  # digits joined to words: "8 ", " 3001", "-3001"
GROUPED_NUMBER = re.compile(r"\+?\d+(?:[ \u00a0\u202f]\d+)+")  # "01 99 00 11 20", "16 500"
OPENS, CLOSES = "([{", ")]}"
OBJECT = "\ufffc"  # stands for an element in the text of its parent
MAX_DEPTH = 64  # deeper elements are left as they are (the sanitiser's output is never this deep)


class _Kinds(dict[int, str]):
    """``str.translate`` table: each character's kind for the runs, worked out once."""

    def __missing__(self, code: int) -> str:
        if len(self) > 65536:  # hostile text with every character of Unicode: stay small
            self.clear()
        bidi = unicodedata.bidirectional(chr(code))
        kind = "L" if bidi == "L" else "R" if bidi in ("R", "AL") or code == 0x060C else \
            "D" if bidi in ("EN", "AN") else "N"  # the Arabic comma belongs to the Arabic sentence
        self[code] = kind
        return kind


BIDI_KINDS = _Kinds()


class Text(NamedTuple):
    """A text between tags: its offsets in the HTML, the text it reads (character references
    decoded) and the kind of each of its characters (:data:`BIDI_KINDS`), read once."""

    start: int
    end: int
    text: str
    kinds: str


@dataclass(slots=True)
class _Element:
    """An element of the HTML, by its offsets (what is left alone is copied as it was)."""

    name: str
    start: int  # offset of its start tag
    inner: int  # offset just after its start tag
    dir: str | None  # its dir attribute
    end: int = -1  # offset of its end tag
    stop: int = -1  # offset just after its end tag
    children: list[_Element | Text] = field(default_factory=list)  # elements and texts
    kinds: int = 0  # the kinds of letters its text holds, as BITS


def isolate_runs(html: str, direction: str) -> str:
    """``html`` (a page's text in ``direction``) with each run of the other direction in a ``<bdi>``."""
    html = str(html)  # (Markup's own methods, slicing and translating, escape their arguments first)
    if direction == "ltr" and not RTL_SCRIPT.search(html):
        return html  # most pages: nothing right-to-left in them
    root = _parse(html)
    if not root.kinds & NEEDED[direction]:
        return html
    out: list[str] = []
    _children(html, root, direction, out, 0)
    return "".join(out)


def _parse(html: str) -> _Element:
    """The element tree of ``html``, each element with the kinds of letters it holds."""
    root = _Element("", 0, 0, None)
    stack: list[_Element] = [root]
    open_names: dict[str, int] = {}
    # cut at every tag in C (text, tag, "/", name, attributes, text, …): no match object per tag
    parts = TAGS.split(html)
    position = 0  # offset of the text before the tag
    for at in range(0, len(parts) - 1, 5):
        text, tag, end_tag, name, attributes = parts[at:at + 5]
        start = position + len(text)
        if text:
            _text(text, position, stack[-1])
        position = start + len(tag)
        name = name.lower()
        if end_tag:  # an end tag closes its element and any left open inside it
            if open_names.get(name):
                while True:
                    element = stack.pop()
                    open_names[element.name] -= 1
                    if element.name == name:
                        _close(element, stack[-1], start, position)
                        break
                    _close(element, stack[-1], start, start)  # closed by the end tag of another
            else:  # one without its start tag is copied as it is, like an empty element
                stack[-1].children.append(_Element("", start, position, None, position, position))
            continue
        found = DIR.search(attributes) if attributes else None  # a <bdi> without dir finds its own direction: auto
        direction = found.group(1).lower() if found else "auto" if name == "bdi" else None
        element = _Element(name, start, position, direction)
        stack[-1].children.append(element)
        if name in VOID:
            _close(element, stack[-1], position, position)
        else:
            stack.append(element)
            open_names[name] = open_names.get(name, 0) + 1
    if parts[-1]:
        _text(parts[-1], position, stack[-1])
    while len(stack) > 1:  # elements never closed end with the text
        element = stack.pop()
        _close(element, stack[-1], len(html), len(html))
    root.end = root.stop = len(html)
    return root


def _text(raw: str, start: int, parent: _Element) -> None:
    """A text between tags (``raw``, at ``start`` in the HTML) added to ``parent``."""
    text = htmllib.unescape(raw) if "&" in raw else raw
    kinds = text.translate(BIDI_KINDS)
    parent.children.append(Text(start, start + len(raw), text, kinds))
    parent.kinds |= (L if "L" in kinds else 0) | (R if "R" in kinds else 0) | (D if "D" in kinds else 0)


def _close(element: _Element, parent: _Element, end: int, stop: int) -> None:
    element.end, element.stop = end, stop
    parent.kinds |= element.kinds


def _children(html: str, parent: _Element, direction: str, out: list[str], depth: int) -> None:
    """Write the content of ``parent`` (whose text runs in ``direction``) with its runs isolated."""
    other = "L" if direction == "rtl" else "R"
    texts: list[str] = []  # the content as one string, an element standing for one character
    atoms: list[str] = []  # each character's kind, an element's summed up in one
    for child in parent.children:
        if isinstance(child, Text):
            texts.append(child.text)
            atoms.append(child.kinds)
        else:
            texts.append(OBJECT)
            atoms.append(_atom(child, direction, other))
    text, kinds = "".join(texts), "".join(atoms)
    runs = [run for run in (_run(text, kinds, match, direction) for match in RUNS[direction].finditer(kinds))
            if run is not None and not (run[1] - run[0] == 1 and text[run[0]] == OBJECT)]
    _write(html, parent, texts, runs, direction, out, depth)


def _atom(element: _Element, direction: str, other: str) -> str:
    """The kind an element has in its parent's text: a letter, a digit, a barrier or neither."""
    own = "R" if other == "L" else "L"
    if element.name not in INLINE or element.dir == "auto" or element.kinds & BITS[own] and element.dir is None:
        return "B"
    if element.dir is not None:
        return "L" if element.dir == "ltr" else "R"
    return other if element.kinds & BITS[other] else "D" if element.kinds & BITS["D"] else "N"


def _run(text: str, kinds: str, match: re.Match[str], direction: str) -> tuple[int, int] | None:
    """The span of a run to isolate, from a match of RUNS; None when it needs none."""
    start, end = match.span()
    if direction == "ltr":
        return start, end
    first, last = kinds.find("L", start, end), kinds.rfind("L", start, end)
    if first < 0:  # digits alone keep the reader's order, unless one number in groups
        start -= start > 0 and text[start - 1] == "+"  # "+33 1 99 00 11 20"
        return (start, end) if GROUPED_NUMBER.fullmatch(text, start, end) else None
    # "8 rue de l'Exemple", "Lielā iela 8": a number next to the words is theirs; in
    # "15 (SAMU)" or "(SAMU) 15" it is the sentence's
    if not NUMBER_PART.fullmatch(text, start, first):
        start = first
    if not NUMBER_PART.fullmatch(text, last + 1, end):
        end = last + 1
    if "N" not in kinds[start:end] and OBJECT not in text[start:end]:
        return None  # nothing between its letters and digits ("OFII", "A1"): they keep their order
    # brackets opened (> 0) or closed (< 0) inside the run and not paired there, counted once
    balance = [text.count(o, start, end) - text.count(c, start, end) for o, c in zip(OPENS, CLOSES, strict=True)]
    while end < len(text) and (text[end] == "/" or text[end] in CLOSES and balance[CLOSES.index(text[end])] > 0):
        if text[end] != "/":  # "https://example.org/", "Saint-Jean (Loiret)"
            balance[CLOSES.index(text[end])] -= 1
        end += 1
    while start and text[start - 1] in OPENS and balance[OPENS.index(text[start - 1])] < 0:
        balance[OPENS.index(text[start - 1])] += 1
        start -= 1
    return start, end


def _write(html: str, parent: _Element, texts: list[str], runs: list[tuple[int, int]], direction: str,
           out: list[str], depth: int) -> None:
    """Copy ``parent``'s children to ``out``, opening and closing a ``<bdi>`` around each run."""
    opening = '<bdi dir="ltr">' if direction == "rtl" else '<bdi dir="rtl">'
    events = sorted([(start, 1, opening) for start, _ in runs] + [(end, 0, "</bdi>") for _, end in runs])
    index, inside, offset = 0, False, 0  # next event; whether a run is open; offset of the child
    for child, text in zip(parent.children, texts, strict=True):
        stop = offset + len(text)
        if isinstance(child, Text):
            cut = offset
            while index < len(events) and (events[index][0] < stop or events[index][0] == stop and not events[index][1]):
                at, opens, tag = events[index]
                out.append(_escape(text[cut - offset:at - offset]))
                out.append(tag)
                inside, cut, index = bool(opens), at, index + 1
            out.append(html[child.start:child.end] if cut == offset else _escape(text[cut - offset:]))
        else:
            if index < len(events) and events[index][0] == offset and events[index][1]:
                out.append(events[index][2])
                inside, index = True, index + 1
            _element(html, child, direction, out, depth, inside)
            if index < len(events) and events[index][0] == stop and not events[index][1]:
                out.append(events[index][2])
                inside, index = False, index + 1
        offset = stop


def _element(html: str, element: _Element, direction: str, out: list[str], depth: int, isolated: bool) -> None:
    """Copy one element, its content with runs isolated unless a run holds it all."""
    inside = element.dir or direction
    if isolated or depth >= MAX_DEPTH or inside == "auto" or element.name in VOID or element.name in RAW \
            or not element.kinds & NEEDED[inside]:  # nothing of the other direction in it
        out.append(html[element.start:element.stop])
        return
    out.append(html[element.start:element.inner])
    _children(html, element, inside, out, depth + 1)
    out.append(html[element.end:element.stop])


def _escape(text: str) -> str:
    """Text as HTML, the way the sanitiser writes it."""
    return htmllib.escape(text, quote=False).replace("\u00a0", "&nbsp;")
