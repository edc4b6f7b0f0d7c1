"""Checks on a catalogue's raw text, before Babel parses it; then on the placeholders
of its template strings.

Babel's ``read_po`` is lenient: it decodes with whatever charset the header
names, accepts a file cut off in the middle of a string, and ignores a
``Plural-Forms`` that does not match the language. A translator's file that
was truncated by a crash, saved in the wrong encoding, or left with merge
conflict markers must instead be refused with its file and line, so that it
is fixed by hand and never rewritten by ``update``.
"""

from __future__ import annotations

import gettext as stdlib_gettext
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NoReturn

from babel.core import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.plurals import get_plural

from .errors import ContentError, Problem
from .sources import SourceError, check_conflict_markers

MAX_CATALOG_BYTES = 20 << 20  # a city's catalogue is tens of KB; this bounds memory
STRING = r'"(?:[^"\\]|\\.)*"'
PO_LINE = re.compile(rf"(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?{STRING}\Z")
FIX = "restore the file from version control or ask the translator for it again"


@dataclass(frozen=True, slots=True)
class Header:
    """The fields of a catalogue's header entry, with the line each starts on."""

    fields: dict[str, tuple[str, int]]  # name -> (value, 1-based line)


def check_catalog(data: bytes, rel: str, lang: str | None) -> str:
    """The catalogue's text (byte-order mark and CRLF removed, which Windows editors
    add); raise :class:`ContentError` if it is not a sound UTF-8 catalogue for ``lang``.

    ``lang`` is the language the file's folder names (None for a ``.pot``).
    """
    if len(data) > MAX_CATALOG_BYTES:
        _fail(rel, None, f"catalogue is over {MAX_CATALOG_BYTES >> 20} MB; {FIX}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        at = data[: exc.start].count(b"\n") + 1
        _fail(rel, at, "catalogue is not UTF-8 text; save it as UTF-8 (Poedit and Weblate do)")
    text = text.replace("\r\n", "\n")
    if not text.strip():
        _fail(rel, None, f"catalogue is empty; {FIX}, or delete it and run 'update' to start afresh")
    try:
        check_conflict_markers(text, rel)
    except SourceError as exc:
        raise ContentError([exc.problem]) from None
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        body = line.strip()
        if body.startswith("#~"):  # an obsolete entry: its lines are PO lines too
            body = body[2:].strip()
        elif body.startswith("#"):
            continue
        if body and not body.startswith("|") and not PO_LINE.match(body):
            _fail(rel, number, f"not valid PO syntax (an unclosed string, or a file cut short?): {FIX}")
    header = read_header(lines)
    if header is not None:
        _check_header(header, rel, lang)
    return text


def _check_header(header: Header, rel: str, lang: str | None) -> None:
    problems = []
    content_type, line = header.fields.get("Content-Type", ("", 0))
    charset = re.search(r"charset=([^\s;]+)", content_type)
    if charset and charset.group(1).lower() not in ("utf-8", "utf8", "charset"):
        problems.append(Problem(rel, line, "", f"charset is '{charset.group(1)}': save the file as UTF-8 "
                                "and write 'Content-Type: text/plain; charset=UTF-8'"))
    declared = header.fields.get("Language", ("", 0))[0].strip().replace("-", "_")
    if lang and declared and declared != lang.replace("-", "_"):
        problems.append(Problem(rel, header.fields["Language"][1], "",
                                f"Language is '{declared}' but the file is in the folder of '{lang}'"))
    if lang and "Plural-Forms" in header.fields:
        problems.extend(_plural_problems(header.fields["Plural-Forms"], rel, lang))
    if problems:
        raise ContentError(problems)


# The counts a page shows (services, pages, notices) stay far below a million, where
# CLDR 38+ gives French, Spanish, Italian and Portuguese a third form ("1 million de
# pages") that gettext's classic rules (msginit, Poedit, Weblate's default) lack.
PLURAL_SAMPLES = range(1001)


def _plural_problems(field: tuple[str, int], rel: str, lang: str) -> list[Problem]:
    """The header's Plural-Forms field checked by :func:`_plural_problem`."""
    value, line = field
    problem = _plural_problem(value, lang)
    return [Problem(rel, line, "", problem)] if problem else []


@lru_cache(maxsize=256)  # every catalogue of a language has the same header line
def _plural_problem(value: str, lang: str) -> str | None:
    """A problem if the catalogue's plural rule could show a wrong form for a count.

    A rule with CLDR's number of forms is accepted as written (translators' tools
    write the classic gettext rule, e.g. Latvian's, which differs from CLDR's on
    which counts share a form but not on how many forms there are). A rule with
    another number of forms is accepted only if, on the counts a page shows, it never
    gives one form to counts that CLDR tells apart: French ``nplurals=2; plural=(n > 1)``
    passes, Arabic ``nplurals=2; plural=(n != 1)`` (the same word for 0, 2 and 3
    things) does not. Every rule must name a form below ``nplurals`` for every count.
    """
    try:
        locale = Locale.parse(lang.replace("-", "_"))
        expected = get_plural(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None
    fix = f"write 'Plural-Forms: {expected.plural_forms}'"
    count = re.search(r"nplurals\s*=\s*(\d+)", value)
    formula = re.search(r"plural\s*=\s*([^;]+)", value)
    if not count or not formula:
        missing = "nplurals" if not count else "plural"
        return f"Plural-Forms has no {missing}; {fix}"
    try:
        rule = stdlib_gettext.c2py(formula.group(1).strip())
    except (ValueError, SyntaxError, RecursionError):
        return f"Plural-Forms has a plural rule gettext cannot read; {fix}"
    nplurals, seen = int(count.group(1)), dict[int, tuple[int, str]]()
    for n in PLURAL_SAMPLES:
        try:
            form, category = rule(n), locale.plural_form(n)
        except ZeroDivisionError:
            return f"Plural-Forms has a plural rule that divides by zero for {n}; {fix}"
        if not 0 <= form < nplurals:
            return f"Plural-Forms gives {n} form {form} but has nplurals={nplurals}; {fix}"
        first, first_category = seen.setdefault(form, (n, category))
        if first_category != category and nplurals != expected.num_plurals:
            return (f"Plural-Forms has nplurals={nplurals} but '{lang}' has {expected.num_plurals} plural "
                    f"forms in CLDR, and its rule gives {first} and {n} the same form where CLDR has "
                    f"'{first_category}' and '{category}'; {fix}")
    return None


def read_header(lines: list[str]) -> Header | None:
    """The header entry (``msgid ""`` first in the file) split into fields, or None."""
    index = 0
    while index < len(lines) and (not lines[index].strip() or lines[index].startswith("#")):
        index += 1
    if index + 1 >= len(lines) or lines[index].strip() != 'msgid ""' or not lines[index + 1].startswith("msgstr "):
        return None
    parts: list[tuple[str, int]] = []
    number = index + 1
    first = lines[number][len("msgstr "):].strip()
    while True:
        parts.append((_unquote(first), number + 1))
        number += 1
        if number >= len(lines) or not lines[number].startswith('"'):
            break
        first = lines[number].strip()
    fields: dict[str, tuple[str, int]] = {}
    current, start = "", 0
    for chunk, line in parts:
        if not current:
            start = line
        current += chunk
        while "\n" in current:
            entry, current = current.split("\n", 1)
            name, _, value = entry.partition(":")
            if name.strip():
                fields[name.strip()] = (value.strip(), start)
            start = line
    return Header(fields)


def _unquote(quoted: str) -> str:
    body = quoted[1:-1] if len(quoted) >= 2 else ""
    return body.replace("\\n", "\n").replace('\\"', '"').replace("\\\\", "\\")


def _fail(rel: str, line: int | None, message: str) -> NoReturn:
    raise ContentError([Problem(rel, line, "", message)])


# A %-placeholder as Python's % operator reads it: %(name)s, %d, %%, or a broken one.
PLACEHOLDER = re.compile(r"%(?:\((\w*)\))?[-#0 +]*\d*(?:\.\d+)?([diouxXeEfFgGcrsa%])?")
NUMERIC = set("diouxXeEfFgGc")


def check_formats(catalog: Catalog, rel: str) -> None:
    """Refuse template translations whose %-placeholders a page cannot fill.

    Jinja's new-style gettext applies ``%`` to every template string, so a
    translation naming a placeholder its msgid does not have (``%(dat)s``), a broken
    one (``%(date)`` without its letter) or a lone ``%`` would stop the build in the
    middle of rendering. ``msgfmt --check`` refuses such a file too.
    """
    problems = []
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        values: dict[str, object] = {"num": 1} if len(ids) > 1 else {}
        for text in ids:
            for name, kind in PLACEHOLDER.findall(text):
                if name:
                    values[name] = 1 if kind in NUMERIC else "x"
        if not _formats(ids[0], values):
            continue  # the msgid itself cannot be formatted: a template's mistake, not the translator's
        for string in strings:
            if string and not _formats(string, values):
                wanted = " ".join(sorted({m[0] for t in ids for m in PLACEHOLDER.finditer(t) if m[1]})) or "none"
                problems.append(Problem(rel, message.lineno, "msgstr", (
                    f"placeholders do not match the original text: keep exactly these: {wanted} "
                    "(write a percent sign as %%)")))
                break
    if problems:
        raise ContentError(problems)


def _formats(text: str, values: dict[str, object]) -> bool:
    try:
        text % values  # the same operation the page does
    except (KeyError, ValueError, TypeError):
        return False
    return True
