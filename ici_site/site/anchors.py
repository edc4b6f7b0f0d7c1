"""Anchors of the headings of Markdown bodies, so an editor can link to a section.

A heading's id is made from its text **in the city's source language** (what the editor
wrote), not from the translation: ``[how to register](cours.md#inscription)`` then leads to
the same section on the French, Arabic and Ukrainian page alike, and the id does not move
when a translator rewords the heading.

The id is a slug, not a transliteration (that would need a table per script, and guess
wrong for some): lower case; letters and digits of every script kept as they are (HTML ids
and URL fragments take any Unicode); accents on Latin letters dropped, since editors type
``ecole`` for ``école``; every other run of characters becomes one ``-``.
"Inscription à l'école" → ``inscription-a-l-ecole``, "Pieteikšanās kārtība" →
``pieteiksanas-kartiba``, "Запис на курс" → ``запис-на-курс``, "التسجيل" → ``التسجيل``.
A heading with no letter or digit is ``section``. Ids are unique per body: a repeated one,
or one the templates use (``RESERVED``), gets ``-2``, ``-3``…

A page showing several bodies (the whole guide, the news on the home page) prefixes each
body's ids with ``<kind>-<slug>--`` (:func:`prefix_ids`): a slug never holds ``--``, so
those ids cannot meet each other or a template's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from html import unescape

from ici_site.site.attributes import quoted

# Ids the project's templates give their own elements on pages that show a body
# (tests/test_anchors.py checks this list against templates/*.html).
RESERVED = frozenset({
    "main", "save", "save-status", "listen", "share", "emergency", "emergency-title", "facts-title",
    "hours-title", "documents-title", "toc-title", "topics-title", "news-title", "pages-title", "offline",
    "offline-title", "results", "results-status", "results-title", "q", "choose-title", "cities-title",
})
HEADING = re.compile(r"<h([2-6])(?:\s[^>]*)?>(.*?)</h\1>", re.DOTALL)
OPEN_HEADING = re.compile(r"<h([2-6])(?=[\s>])")  # a heading in another language has lang, dir, class
TAG = re.compile(r"<[^>]*>")


def slug(text: str) -> str:
    """The slug of a heading's plain text (see the module's docstring for the rule)."""
    kept: list[str] = []
    for char in unicodedata.normalize("NFKD", text.lower()):
        if unicodedata.category(char).startswith("M"):
            if not (kept and kept[-1].isascii()):
                kept.append(char)  # a vowel sign of Devanagari, a shadda...: part of the word
        elif char.isalnum():
            kept.append(char)
        elif kept and kept[-1] != "-":
            kept.append("-")
    return unicodedata.normalize("NFC", "".join(kept).strip("-")) or "section"


def heading_texts(html: str) -> list[str]:
    """The plain text of each heading of sanitised body HTML, in order."""
    return [unescape(TAG.sub("", inner)).strip() for _level, inner in HEADING.findall(html)]


def unique_ids(texts: Iterable[str]) -> list[str]:
    """One id per heading text, unique within the body and apart from ``RESERVED``."""
    ids: list[str] = []
    for text in texts:
        base = candidate = slug(text)
        n = 1
        while candidate in RESERVED or candidate in ids:
            n += 1
            candidate = f"{base}-{n}"
        ids.append(candidate)
    return ids


def add_heading_ids(html: str, source_html: str) -> str:
    """``html`` (a translated body) with an id on each heading, made from the headings of
    ``source_html`` (the same body in the source language: same blocks, same order)."""
    return with_heading_ids(html, unique_ids(heading_texts(source_html)))


def with_heading_ids(html: str, source_ids: list[str]) -> str:
    """``html`` (a translated body) with an id on each heading: ``source_ids``, those of the
    same body in the source language (:func:`unique_ids` of its :func:`heading_texts`)."""
    ids = iter(source_ids)
    extra: list[str] = []  # only if a translation added a heading of its own: made then
    count = 0

    def tag(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        found = next(ids, None)
        if not found and not extra:
            extra.extend(unique_ids(heading_texts(html)))
        return f'<h{match[1]} id="{found or extra[count - 1] + "-" + str(count)}"'

    return OPEN_HEADING.sub(tag, html)


def prefix_ids(html: str, prefix: str) -> str:
    """Body HTML with ``prefix`` before each id and each link to an id on the same page."""
    pieces, done = [], 0
    for start, value, end in quoted(html, ("id", "href"), after_space=True):
        if html[value - 3] == "d":  # id="…" (a "#" it starts with is dropped, as it always was)
            pieces += [html[done:start], f' id="{prefix}{html[value + (html[value] == "#"):end]}"']
        elif html[value] == "#" and end > value + 1:  # href="#…"
            pieces += [html[done:start], f' href="#{prefix}{html[value + 1:end]}"']
        else:
            continue
        done = end + 1
    if not pieces:
        return html
    pieces.append(html[done:])
    return "".join(pieces)
