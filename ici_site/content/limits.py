"""Bounds that keep reading Markdown linear in its length.

Python-Markdown's inline link patterns scan from every ``[`` to its closing
``]`` (to the end of the paragraph when there is none), and the HTML
preprocessor (the standard library's ``html.parser``) scans from every ``<`` to
the next ``>``: 20 KB of ``[`` take minutes. Lists and quotes nest by recursion:
a few hundred levels exhaust Python's stack. A text is refused (content with its
file and line; a translation is not shown) when the scanning it would cause is
more than :data:`WORK_PER_CHAR` times its length, it nests too deeply, or it has
more lines or Markdown markers than any page needs (:data:`MAX_LINES`,
:data:`MAX_MARKUP`: beyond them Python-Markdown takes minutes). This is
counted here in one pass, so the check itself is linear; real text is far below
both bounds (a paragraph's links scan their own text once).
"""

from __future__ import annotations

import re

WORK_PER_CHAR = 4  # real text scans each character about once or twice
WORK_FLOOR = 4096  # short texts are cheap whatever they hold
MAX_NESTING = 16  # lists and quotes; content needs four levels at most
# Python-Markdown's work per block and per inline element is large (and removing each block
# from the front of a list is quadratic): a 1 MB text of short paragraphs or of entities
# takes minutes. A service page has tens of lines and of markers.
MAX_LINES = 2000
MAX_MARKUP = 5000
MARKUP = re.compile(r"[\[\]()<>`&\\*_]")
TEXT_LINE = re.compile(r"^[ \t]*\S", re.MULTILINE)

PARAGRAPH = re.compile(r"\n[ \t]*\n")
# The characters whose scans are counted; a backslash escapes the next character.
TOKEN = re.compile(r"\\.|[\[\]()]|<(?=[A-Za-z/!?])|>", re.DOTALL)
NESTING = re.compile(r"[ \t]*(?:(?:[*+-]|\d{1,9}[.)])(?:[ \t]+|$)|>[ \t]?)")
# A line nested more than MAX_NESTING levels starts with more than MAX_NESTING characters of
# indentation, list markers and quote signs (each level takes one at least: a tab, ">"…).
MAY_BE_DEEP = re.compile(rf"^[ \t*+\-0-9.)>]{{{MAX_NESTING + 1}}}", re.MULTILINE)

BRACKETS = ("has too many '[' without a matching ']' (or brackets nested too deeply) for the page to be "
            "made in reasonable time; write '\\[' for a bracket that is not a link")
TAGS = ("has too many '<' without a closing '>' for the page to be made in reasonable time; "
        "write '&lt;' for a '<' that is not HTML")
NESTED = f"nests lists or quotes more than {MAX_NESTING} levels deep; flatten it"


def markdown_problem(text: str) -> tuple[int, str] | None:
    """(0-based line, what is wrong) if ``text`` is too costly to read as Markdown, else None."""
    # The counts first (in C): they bound how many tokens the scans below loop over. Each line of
    # text takes a character and a line break, and each marker a character: a shorter text is
    # within both limits without them (most texts: a translation is a paragraph).
    lines = len(TEXT_LINE.findall(text)) if len(text) > 2 * MAX_LINES else 0
    if lines > MAX_LINES:
        return 0, f"has {lines} lines of text; the limit is {MAX_LINES}: split it into several pages"
    nested = _too_deep(text)
    if nested is not None:
        return nested, NESTED
    markers = len(MARKUP.findall(text)) if len(text) > MAX_MARKUP else 0
    if markers > MAX_MARKUP:
        return 0, (f"has {markers} Markdown markers and brackets ([ ] ( ) < > ` & \\ * _); the limit is "
                   f"{MAX_MARKUP}: split it into several pages")
    # Each '<' adds at most the text's length to the tag work, and each '[' or '(' at most its
    # paragraph's to the bracket work: the scans are needed only where that bound is over budget.
    if text.count("<") * len(text) > _budget(len(text)) and _tag_work(text) > _budget(len(text)):
        return 0, TAGS
    start = 0
    for end in [m.start() for m in PARAGRAPH.finditer(text)] + [len(text)]:
        openers = text.count("[", start, end) + text.count("(", start, end)
        if openers * (end - start) > _budget(end - start) and _bracket_work(text, start, end) > _budget(end - start):
            return text.count("\n", 0, start) + (start > 0), BRACKETS
        start = end
    return None


def _budget(length: int) -> int:
    return WORK_PER_CHAR * length + WORK_FLOOR


def _too_deep(text: str) -> int | None:
    """The 0-based line of the first line nested more than MAX_NESTING levels, or None.

    A line's depth is its indentation in steps of four (a tab is one step) plus the
    list markers and quote signs that start it ("> - > - text" is four).
    """
    if not MAY_BE_DEEP.search(text):  # most texts: no line could be (one search instead of a loop)
        return None
    for number, line in enumerate(text.split("\n")):
        if not line:
            continue
        indent = len(line) - len(line.lstrip(" \t"))
        depth = line[:indent].expandtabs(4).count(" ") // 4
        at = 0
        while depth <= MAX_NESTING and (marker := NESTING.match(line, at)) is not None and marker.end() > at:
            depth, at = depth + 1, marker.end()
        if depth > MAX_NESTING:
            return number
    return None


def _bracket_work(text: str, start: int, end: int) -> int:
    """How far the link patterns scan in ``text[start:end]``: from each ``[`` to its
    ``]``, and from each ``(`` right after a ``]`` to its ``)`` (to the end when unmatched)."""
    work, squares, rounds = 0, list[int](), list[tuple[int, bool]]()
    previous, previous_end = "", -1
    for match in TOKEN.finditer(text, start, end):
        token, at = match.group(), match.start()
        if token == "[":
            squares.append(at)
        elif token == "]" and squares:
            work += at - squares.pop()
            token = "]["  # a closed pair: a '(' right after it opens a link's address
        elif token == "(":
            rounds.append((at, previous == "][" and at == previous_end))
        elif token == ")" and rounds:
            opened, counted = rounds.pop()
            work += at - opened if counted else 0
        previous, previous_end = token, match.end()
    work += sum(end - at for at in squares)
    return work + sum(end - at for at, counted in rounds if counted)


def _tag_work(text: str) -> int:
    """How far ``html.parser`` scans: from each ``<`` that may open a tag to the next ``>``."""
    work, pending, total = 0, 0, 0  # open '<' so far, and the sum of their positions
    for match in TOKEN.finditer(text):
        token = match.group()
        if token == "<":
            pending, total = pending + 1, total + match.start()
        elif token == ">" and pending:
            work += pending * match.start() - total
            pending, total = 0, 0
    return work + pending * len(text) - total
