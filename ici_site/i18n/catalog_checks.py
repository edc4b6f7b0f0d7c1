"""Checks on a catalog's raw text, before Babel parses it; then on the placeholders
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

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple, NoReturn

from babel.messages.pofile import unescape

from ici_site.content.sources import SourceError, check_conflict_markers
from ici_site.errors import ContentError, Problem
from ici_site.i18n.plural_rules import cldr_plural_forms, disagreement, read_rule

MAX_CATALOG_BYTES = 20 << 20  # a city's catalog is tens of KB; this bounds memory
STRING = r'"[^"\\]*+(?:\\.[^"\\]*+)*+"'  # unrolled: one step per run of plain characters
# A line of PO is a keyword and a string (only msgstr takes an index: msgstr[1]) or a string alone.
KEYWORD = re.compile(rf"(msgctxt|msgid_plural|msgid|msgstr)(\[\d+\])?\s+({STRING})\Z")
CONTINUATION = re.compile(rf"{STRING}\Z")
FIX = "restore the file from version control or ask the translator for it again"


# The plain layout every catalog `update`, Poedit and Weblate write is in: blank and comment lines,
# then an entry's msgid and msgstr, each string on a line of its own; an obsolete entry ('#~')
# has the mark on each of its lines. Read by whole entries in C (:func:`plain_layout`).
_LINE = r'"[^"\\\n]*+(?:\\.[^"\\\n]*+)*+"[ \t]*+\n'  # a string, and the end of its line
_NOTES = r"(?:[ \t]*+(?:#(?![~-])[^\n]*+)?\n)*+"  # blank lines and comments ('#~', '#-' are not)
_PLAIN_ENTRY = re.compile(
    rf"(?P<notes>{_NOTES})[ \t]*+(?:"
    rf"msgid ++(?P<msgid>{_LINE}(?:[ \t]*+{_LINE})*+)[ \t]*+msgstr ++(?P<msgstr>{_LINE}(?:[ \t]*+{_LINE})*+)"
    rf"|#~[ \t]*+msgid ++(?P<gone>{_LINE}(?:[ \t]*+#~[ \t]*+{_LINE})*+)[ \t]*+#~[ \t]*+msgstr ++{_LINE}"
    rf"(?:[ \t]*+#~[ \t]*+{_LINE})*+)")
_NOTES_ONLY = re.compile(_NOTES)
_FLAGS = re.compile(r"^[ \t]*+#,(.*)$", re.MULTILINE)
_PART = re.compile(STRING)  # a string of the lines of one entry (each on its line)
_JOINT = re.compile(r'"[ \t]*+\n[ \t]*+"')  # the end of a line's string and the start of the next
_ISOLATES = ("\u2068", "\u2069")  # in a comment: Babel refuses unbalanced ones (left to it)


class PlainEntry(NamedTuple):  # a tuple: made for every entry of every catalog, it is made faster
    """One entry of a catalog in the plain layout."""

    line: int  # 1-based line of its msgid
    obsolete: bool
    msgid: str
    msgstr: str  # "" for an obsolete entry (never read)
    flags: tuple[str, ...]


@lru_cache(maxsize=2)  # the same text is checked (check_catalog), then read (pofile.plain_entries)
def text_lines(text: str) -> tuple[str, ...]:
    """``text.split("\\n")``, split once for the check and the reading of a catalog."""
    return tuple(text.split("\n"))


@lru_cache(maxsize=2)  # the same text is checked (check_catalog), then read (pofile.plain_entries)
def plain_layout(text: str) -> tuple[PlainEntry, ...] | None:
    """Every entry of ``text`` when it is all in the plain layout and no msgid comes twice:
    then :func:`raw_entries` has nothing to refuse in it, and these are the entries Babel
    reads. None for any other text (then the line-by-line readers, which report what is
    wrong). Property tests hold both to those readers."""
    text = text if text.endswith("\n") else text + "\n"
    found: list[PlainEntry] = []
    end, line = 0, 1
    isolates = any(mark in text for mark in _ISOLATES)  # most catalogs have none: not looked for in each comment
    for match in _PLAIN_ENTRY.finditer(text):
        notes, msgid, msgstr, gone = match.group("notes", "msgid", "msgstr", "gone")
        if match.start() != end or (isolates and any(mark in notes for mark in _ISOLATES)):
            return None
        start, end = end + len(notes), match.end()
        line += notes.count("\n")
        flagged = notes.find("#,")  # the flags' lines: none before the line of the first "#,"
        comments = notes[notes.rfind("\n", 0, flagged) + 1:] if flagged != -1 else ""
        flags = (_flags if len(comments) < 256 else _flags.__wrapped__)(comments) if comments else ()
        if gone is None:
            found.append(PlainEntry(line, False, _joined(msgid), _joined(msgstr), flags))
        else:
            found.append(PlainEntry(line, True, _joined(gone, marked=True), "", flags))
        line += text.count("\n", start, end)
    tail = text[end:]
    if _NOTES_ONLY.fullmatch(tail) is None or any(mark in tail for mark in _ISOLATES) \
            or len({entry.msgid for entry in found}) < len(found):
        return None
    return tuple(found)


@lru_cache(maxsize=64)  # most entries of a catalog end their comments with the same flags (short ones kept)
def _flags(comments: str) -> tuple[str, ...]:
    """The flags of an entry's comment lines (``#, fuzzy, md-text``: each after its ``#,``)."""
    return tuple(flag.strip() for written in _FLAGS.findall(comments) for flag in written.strip().split(","))


def _joined(lines: str, marked: bool = False) -> str:
    """The text of an entry's string lines (``marked``: each after '#~'), each unescaped as Babel
    unescapes it; without a backslash, every quote is one that starts or ends a line's string."""
    if "\\" in lines or marked:
        return "".join(unescape(part) for part in _PART.findall(lines))
    lines = lines.rstrip()
    return lines[1:-1] if "\n" not in lines else _JOINT.sub("", lines)[1:-1]  # most strings: one line


@dataclass(frozen=True, slots=True)
class Header:
    """The fields of a catalog's header entry, with the line each starts on."""

    fields: dict[str, tuple[str, int]]  # name -> (value, 1-based line)


@dataclass(slots=True)
class RawEntry:
    """One entry as the file spells it, before Babel merges anything."""

    line: int  # 1-based line of its first keyword
    obsolete: bool  # written with '#~'
    fields: dict[str, str]  # msgctxt, msgid, msgid_plural -> text; msgstr -> "" (its text is not read)


def check_catalog(data: bytes, rel: str, lang: str | None, plurals: bool = True,
                  any_plural_rule: bool = False) -> str:
    """The catalog's text (byte-order mark and CRLF removed, which Windows editors
    add); raise :class:`ContentError` if it is not a sound UTF-8 catalog for ``lang``.

    ``lang`` is the language the file's folder names (None for a ``.pot``); ``plurals``
    says whether plural entries belong in it (the interface's, not a city's content);
    ``any_plural_rule`` accepts a sound ``Plural-Forms`` other than CLDR's (``update`` then
    writes CLDR's).
    """
    if len(data) > MAX_CATALOG_BYTES:
        _fail(rel, None, f"catalog is over {MAX_CATALOG_BYTES >> 20} MB; {FIX}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        at = data[: exc.start].count(b"\n") + 1
        _fail(rel, at, "catalog is not UTF-8 text; save it as UTF-8 (Poedit and Weblate do)")
    text = text.replace("\r\n", "\n")
    if not text or text.isspace():  # (not text.strip(), without copying the text)
        _fail(rel, None, f"catalog is empty; {FIX}, or delete it and run 'update' to start afresh")
    try:
        check_conflict_markers(text, rel)
    except SourceError as exc:
        raise ContentError([exc.problem]) from None
    lines = text_lines(text)
    if plain_layout(text) is None:  # else nothing there for raw_entries to refuse
        _check_entries(raw_entries(lines, rel), rel, plurals)
    header = read_header(lines)
    if header is not None:
        _check_header(header, rel, lang, any_plural_rule)
    return text


def raw_entries(lines: Sequence[str], rel: str) -> list[RawEntry]:
    """Every entry of a catalog's lines, live and obsolete; raise :class:`ContentError` at the
    first line that is not PO (the file ``rel``: an unclosed string, a file cut short)."""
    entries: list[RawEntry] = []
    entry: RawEntry | None = None
    field = ""
    for number, line in enumerate(lines, 1):
        body = line.strip()
        obsolete = body.startswith("#~")  # an obsolete entry: its lines are PO lines too
        if obsolete:
            body = body[2:].strip()
        elif body.startswith("#"):  # a comment
            continue
        if not body or body.startswith("|"):  # a previous msgid ('#|', '#~|')
            continue
        keyword = KEYWORD.match(body)
        if keyword is None or (keyword.group(2) and keyword.group(1) != "msgstr"):  # msgstr[n] alone has an index
            if keyword is not None or not CONTINUATION.match(body):
                _fail(rel, number, f"not valid PO syntax (an unclosed string, or a file cut short?): {FIX}")
            if entry is not None and field and field != "msgstr":  # a continuation line: '"..."'
                entry.fields[field] += unescape(body)
            continue
        field = keyword.group(1)
        if entry is None or field == "msgctxt" or (field == "msgid" and "msgid" in entry.fields):
            entry = RawEntry(number, obsolete, {})
            entries.append(entry)
        # the checks read what identifies an entry; the translation, most of the file, is not unescaped
        entry.fields[field] = "" if field == "msgstr" else entry.fields.get(field, "") + unescape(keyword.group(3))
    return entries


def _check_entries(entries: list[RawEntry], rel: str, plurals: bool) -> None:
    """Refuse what Babel would silently resolve: two entries for one msgid, a ``msgctxt``,
    a plural entry in a content catalog."""
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


def _check_header(header: Header, rel: str, lang: str | None, any_rule: bool) -> None:
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
        problems.extend(_plural_problems(header.fields["Plural-Forms"], rel, lang, any_rule))
    if problems:
        raise ContentError(problems)


def _plural_problems(field: tuple[str, int], rel: str, lang: str, any_rule: bool) -> list[Problem]:
    """The header's Plural-Forms field checked by :func:`plural_problem`."""
    value, line = field
    problem = plural_problem(value, lang, any_rule)
    return [Problem(rel, line, "", problem)] if problem else []


def plural_problem(value: str, lang: str, any_rule: bool = False) -> str | None:
    """A problem if the catalog's plural rule is not CLDR's rule for ``lang``.

    A rule that cannot be read, or names a form past ``nplurals``, is fixed by hand.
    A sound rule that gives some count another form than CLDR's (gettext's classic
    French, a translator's own) is fixed by ``update``: it writes CLDR's rule and moves
    the translated forms (:func:`~ici_site.i18n.plural_rules.conform`); ``any_rule`` lets
    ``update`` read such a catalog.
    """
    expected = cldr_plural_forms(lang)
    if expected is None:
        return None
    try:
        read_rule(value)
    except ValueError as exc:
        return f"Plural-Forms {exc}; write 'Plural-Forms: {expected}'"
    differs = None if any_rule else disagreement(value, lang)
    if differs:
        return (f"Plural-Forms {differs}: every catalog of a language has CLDR's rule; run "
                f"'python build.py update', which writes 'Plural-Forms: {expected}' and moves the "
                "translated plural forms to match")
    return None


def read_header(lines: Sequence[str]) -> Header | None:
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
