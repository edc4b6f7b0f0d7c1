"""Checks on a catalogue's raw text, before Babel parses it; then on the placeholders
of its template strings.

Babel's ``read_po`` is lenient: it decodes with whatever charset the header
names, accepts a file cut off in the middle of a string, and ignores a
``Plural-Forms`` that does not match the language. It also silently keeps one
of two entries with the same msgid (``msgfmt`` refuses the file), lets an
entry with a ``msgctxt`` (which this project never writes) replace the real
translation, and drops an obsolete entry that has the msgid of a live one. A
translator's file that was truncated by a crash, saved in the wrong encoding,
left with merge conflict markers, or holds such entries must instead be
refused with its file and line, so that it is fixed by hand and never
rewritten by ``update``.
"""

from __future__ import annotations

import gettext as stdlib_gettext
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NoReturn

from babel.core import Locale, UnknownLocaleError
from babel.messages.plurals import get_plural
from babel.messages.pofile import unescape

from .errors import ContentError, Problem
from .sources import SourceError, check_conflict_markers

MAX_CATALOG_BYTES = 20 << 20  # a city's catalogue is tens of KB; this bounds memory
STRING = r'"(?:[^"\\]|\\.)*"'
PO_LINE = re.compile(rf"(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?{STRING}\Z")
KEYWORD = re.compile(rf"(msgctxt|msgid_plural|msgid|msgstr)(?:\[\d+\])?\s+({STRING})\Z")
FIX = "restore the file from version control or ask the translator for it again"


@dataclass(frozen=True, slots=True)
class Header:
    """The fields of a catalogue's header entry, with the line each starts on."""

    fields: dict[str, tuple[str, int]]  # name -> (value, 1-based line)


@dataclass(slots=True)
class RawEntry:
    """One entry as the file spells it, before Babel merges anything."""

    line: int  # 1-based line of its first keyword
    obsolete: bool  # written with '#~'
    fields: dict[str, str]  # msgctxt, msgid, msgid_plural, msgstr (forms joined) -> text


def check_catalog(data: bytes, rel: str, lang: str | None, plurals: bool = True) -> str:
    """The catalogue's text (byte-order mark and CRLF removed, which Windows editors
    add); raise :class:`ContentError` if it is not a sound UTF-8 catalogue for ``lang``.

    ``lang`` is the language the file's folder names (None for a ``.pot``); ``plurals``
    says whether plural entries belong in it (the interface's, not a city's content).
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
    _check_entries(raw_entries(lines), rel, plurals)
    header = read_header(lines)
    if header is not None:
        _check_header(header, rel, lang)
    return text


def raw_entries(lines: list[str]) -> list[RawEntry]:
    """Every entry of a catalogue's (syntactically checked) lines, live and obsolete."""
    entries: list[RawEntry] = []
    entry: RawEntry | None = None
    field = ""
    for number, line in enumerate(lines, 1):
        body = line.strip()
        obsolete = body.startswith("#~")
        if obsolete:
            body = body[2:].strip()
        if not body or body.startswith(("#", "|")):  # a comment, or a previous msgid ('#|', '#~|')
            continue
        keyword = KEYWORD.match(body)
        if keyword is None:  # a continuation line: '"..."'
            if entry is not None and field:
                entry.fields[field] += unescape(body)
            continue
        field = keyword.group(1)
        if entry is None or field == "msgctxt" or (field == "msgid" and "msgid" in entry.fields):
            entry = RawEntry(number, obsolete, {})
            entries.append(entry)
        entry.fields[field] = entry.fields.get(field, "") + unescape(keyword.group(2))
    return entries


def _check_entries(entries: list[RawEntry], rel: str, plurals: bool) -> None:
    """Refuse what Babel would silently resolve: two entries for one msgid, a ``msgctxt``,
    a plural entry in a content catalogue."""
    problems = []
    seen: dict[str, RawEntry] = {}
    for entry in entries:
        msgid = entry.fields.get("msgid", "")
        preview = short(msgid)
        if "msgctxt" in entry.fields:
            problems.append(Problem(rel, entry.line, "msgctxt", f"the entry for '{preview}' has a msgctxt, which "
                                    "this project never writes and the build would read as the translation of "
                                    "the same msgid; delete the msgctxt line, or the entry if it is a copy"))
        if "msgid_plural" in entry.fields and not plurals:
            problems.append(Problem(rel, entry.line, "msgid_plural", f"the entry for '{preview}' has plural forms, "
                                    "which a city's content never has; delete the entry"))
        first = seen.setdefault(msgid, entry)
        if first is not entry:
            if entry.obsolete == first.obsolete:
                kind = "obsolete entries" if entry.obsolete else "entries"
                what = (f"two {kind} have the msgid '{preview}' (the first at line {first.line}; msgfmt refuses "
                        "the file, the build would silently use one): keep one and delete the other")
            else:
                live = first if entry.obsolete else entry
                what = (f"an obsolete entry ('#~') and the entry at line {live.line} have the msgid '{preview}'; "
                        "delete the obsolete one, after copying its translation if it is the better one")
            problems.append(Problem(rel, entry.line, "msgid", what))
    if problems:
        raise ContentError(problems)


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


def short(msgid: str) -> str:
    """A msgid as messages quote it: at most 50 characters."""
    return msgid if len(msgid) <= 50 else msgid[:47] + "..."


def _fail(rel: str, line: int | None, message: str) -> NoReturn:
    raise ContentError([Problem(rel, line, "", message)])
