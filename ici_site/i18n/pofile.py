"""Reading and writing one ``.po`` file: Babel's ``read_po``/``write_po`` with what the
build adds: a broken file is an error naming its line (:mod:`~ici_site.i18n.catalog_checks`),
a write is atomic and never loses a translator's concurrent change, the file's own
mode and volatile headers are kept, and :class:`Entry` is what the build reads of an entry.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import secrets
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, normalize, read_po, unescape, write_po

from ici_site.errors import ContentError, IciError, Problem
from ici_site.i18n.catalog_checks import PlainEntry, check_catalog, plain_layout, text_lines

TEMPLATE_DOMAIN = "messages"
TEMPLATE_LANGUAGE = "en"  # language of the template msgids
MARKDOWN_FLAG = "md-text"  # Weblate: the message is Markdown
MACHINE_FLAG = "machine-translated"  # a machine translation nobody has reviewed yet
WIDTH = 76
# Header fields that change with the day or the Babel release, not with any message:
# a catalog that differs only there is not rewritten (no noise in translators' diffs).
VOLATILE_HEADER = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date|Generated-By): .*\\n"$', re.MULTILINE)


# -- reading and writing ---------------------------------------------------------


def read_catalog(path: Path, any_plural_rule: bool = False) -> Catalog:
    """Read a .po/.pot file; a broken file is a :class:`ContentError` naming file and line.

    ``any_plural_rule``: accept a sound ``Plural-Forms`` that is not CLDR's (for ``update``,
    which writes CLDR's).
    """
    return _babel_catalog(_checked_text(path, any_plural_rule), _display(path))


def _checked_text(path: Path, any_plural_rule: bool = False) -> str:
    """The text of a .po/.pot file that passed :func:`check_catalog` (else its ContentError)."""
    return check_catalog(path.read_bytes(), _display(path), path.parent.parent.name if path.suffix == ".po" else None,
                         plurals=path.stem == TEMPLATE_DOMAIN, any_plural_rule=any_plural_rule)


def _babel_catalog(text: str, rel: str) -> Catalog:
    """A checked catalog's text read by Babel; what Babel refuses is a ContentError naming ``rel``."""
    try:
        catalog = read_po(io.StringIO(text), abort_invalid=True)
    except PoFileError as exc:
        what = re.sub(r" on \d+$", "", str(exc))  # Babel appends a 0-based line
        raise ContentError([Problem(rel, exc.lineno + 1, "", f"broken catalog: {what}")]) from None
    except (UnicodeDecodeError, LookupError) as exc:
        raise ContentError([Problem(rel, None, "", f"catalog is not readable as UTF-8: {exc}")]) from None
    except ValueError as exc:  # a header field Babel cannot read (a Language that is no language code)
        header = text.find('msgid ""')
        line = text.count("\n", 0, header) + 1 if header >= 0 else None
        raise ContentError([Problem(rel, line, "", f"the catalog's header cannot be read ({exc}): "
                                    "correct that field of the header (the msgid \"\" entry at the top of the file)")]) from None
    for message in [*catalog, *catalog.obsolete.values()]:
        _restore_previous(message)
    return catalog


def _restore_previous(message: Message) -> None:
    """Turn ``#|`` lines back into ``previous_id``.

    Babel's reader (2.18) keeps them as translator comments ("| msgid ..."), so a
    second ``update`` would lose the previous text Poedit and Weblate show.
    """
    previous: list[str] = []
    kept = []
    for comment in message.user_comments:
        if not comment.startswith("|"):
            kept.append(comment)
            continue
        line = comment[1:].strip()
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgid", "msgid_plural"):
            previous.append("")
            line = rest
        if previous and line.startswith('"'):
            previous[-1] += unescape(line)
    if previous:
        message.user_comments = kept
        message.previous_id = previous


def _display(path: Path) -> str:
    """``locales/...`` for messages: the path from the project's locales folder on."""
    parts = path.parts
    if "locales" in parts:
        return Path(*parts[len(parts) - 1 - parts[::-1].index("locales"):]).as_posix()
    return path.as_posix()


class CatalogChanged(IciError):
    """A catalog was saved by someone else (Poedit, Weblate, an editor) while
    ``update`` ran: it is left as they saved it, not overwritten."""

    def __init__(self, problems: Iterable[Problem | str], written: Iterable[Path] = ()) -> None:
        super().__init__(problems)
        self.written = list(written)  # the other catalogs, which were updated


Unread = object()  # a write_catalog() that does not compare with what was read (.pot, .mo)


def file_state(path: Path) -> str | None:
    """What ``path`` holds now (a hash of its bytes), None when there is no such file.

    Taken when a catalog is read and again just before it is replaced: a file
    saved in between by anyone else is noticed whatever its size or time stamps.
    """
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def write_catalog(path: Path, catalog: Catalog, read: str | None | object = Unread) -> bool:
    """Write ``catalog`` unless only its volatile headers would change; return True if written.

    ``read`` is :func:`file_state` of the file when it was read: if it holds something
    else now, :class:`CatalogChanged` is raised and the file is left alone.
    """
    if path.stem != TEMPLATE_DOMAIN:
        # Babel flags every text that looks like a %-format ("36 % de" reads as "% d"), and
        # msgfmt --check then refuses each translation that moves the sign; content is
        # never %-formatted, so a content catalog's messages are plain text.
        for message in catalog:
            message.flags.discard("python-format")
    data = po_bytes(catalog)
    if path.exists() and _without_volatile(path.read_bytes()) == _without_volatile(data):
        return False
    atomic_write(path, data, read)
    return True


def po_bytes(catalog: Catalog) -> bytes:
    """The catalog as .po text: sorted by file, lines of at most WIDTH, previous msgids kept.

    Babel (2.18) wraps a long previous msgid (``#| msgid``) as if it were a
    comment, splitting quoted strings across lines: msgfmt, Poedit and Weblate
    then refuse the file. So each previous msgid is written as a short token and
    replaced here by a correctly quoted ``#|`` block.
    """
    previous: dict[str, str] = {}
    changed = []
    for message in [*catalog, *catalog.obsolete.values()]:
        if message.previous_id:
            tokens = []
            for text in message.previous_id:
                token = f"ICIPREVIOUS{len(previous):06d}"
                previous[f'"{token}"'] = text
                tokens.append(token)
            changed.append((message, message.previous_id))
            message.previous_id = tokens
    buffer = io.BytesIO()
    try:
        write_po(buffer, catalog, width=WIDTH, sort_by_file=True, include_previous=True)
    finally:
        for message, original in changed:
            message.previous_id = original
    text = buffer.getvalue().decode("utf-8")
    for token, original in previous.items():
        text = text.replace(token, normalize(original, width=WIDTH - 3).replace("\n", "\n#| "), 1)
    return text.encode("utf-8")


def _without_volatile(data: bytes) -> str:
    return VOLATILE_HEADER.sub("", data.decode("utf-8", "replace"))


def atomic_write(path: Path, data: bytes, read: str | None | object = Unread) -> None:
    """Write to a temporary file beside ``path`` and rename it over: never a half file.

    The new file keeps the old one's permissions (and owner, when we may set it); a
    new file gets the usual ones (0666 less the umask), never a temporary file's 0600.
    A symbolic link is written through: its target gets the new text and the link stays
    (docs/translators.md). ``read``: see :func:`write_catalog`.
    """
    target = path.resolve() if path.is_symlink() else path
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)  # the umask applies
    try:
        with os.fdopen(fd, "wb") as fileobj:
            fileobj.write(data)
        _keep_mode(target, tmp)
        if read is not Unread and file_state(target) != read:  # as late as can be: just before the rename
            raise CatalogChanged([Problem(_display(path), None, "", "changed while update ran (saved by Poedit?): "
                                          "it was left as saved; run update again")])
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _keep_mode(old: Path, new: Path) -> None:
    """Give ``new`` the permissions and, where allowed, the owner of ``old`` (if it exists)."""
    try:
        st = os.stat(old)
    except FileNotFoundError:
        return
    os.chmod(new, stat.S_IMODE(st.st_mode))
    if (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
        with contextlib.suppress(OSError):  # only root may give a file away: otherwise it stays ours
            os.chown(new, st.st_uid, st.st_gid)


# -- lookup for the build ---------------------------------------------------------



class Entry(NamedTuple):  # a tuple: made for every entry of every catalog (and again from the store)
    """One translation as the build sees it."""

    string: str  # the msgstr, "" when untranslated
    fuzzy: bool  # marked fuzzy (the source changed since it was translated)
    line: int  # line of the entry in the .po, for reports
    markdown: bool = False  # a Markdown block (md-text flag): its markup is checked too
    machine: bool = False  # flagged machine-translated: shown with a label


def load_entries(path: Path) -> dict[str, Entry]:
    """msgid -> Entry for a catalog; empty if the file does not exist.

    A sound catalog whose entries are all plain (one msgid, one msgstr: every city's) is
    read in one pass here; any other goes through :func:`read_catalog` (Babel), which
    also reports what is wrong with it. A property test holds the two to the same entries.
    """
    if not path.exists():
        return {}
    text = _checked_text(path)
    found = plain_entries(text) if path.stem != TEMPLATE_DOMAIN else None
    return found if found is not None else catalog_entries(_babel_catalog(text, _display(path)))


def catalog_entries(catalog: Catalog) -> dict[str, Entry]:
    """msgid -> Entry of each live, singular entry of a catalog Babel read."""
    entries = {}
    for message in catalog:
        if message.id and isinstance(message.id, str) and isinstance(message.string, str):
            entries[message.id] = Entry(message.string, message.fuzzy, message.lineno or 0,
                                        MARKDOWN_FLAG in message.flags, MACHINE_FLAG in message.flags)
    return entries


def plain_entries(text: str) -> dict[str, Entry] | None:
    """The entries Babel's ``read_po`` finds in ``text`` (checked by :func:`check_catalog`):
    by whole entries when it is in the plain layout (:func:`plain_layout`), else read line by
    line as Babel's parser does; None when the file has anything but plain entries
    and comments (a plural, a msgctxt, a '#~|' or '#-' line, a comment inside an entry, a
    header anywhere but first): Babel then reads it, and reports what it refuses."""
    lines = text_lines(text)
    header_end = _header_end(lines)
    try:  # the header through Babel, which reads its fields (what it refuses there, it reports)
        read_po(io.StringIO("\n".join(lines[:header_end])), abort_invalid=True)
    except Exception:  # noqa: BLE001  # read_catalog reads the file again and reports it
        return None
    layout = plain_layout(text)
    return _plain(layout, header_end > 0) if layout is not None else plain_lines(lines, header_end)


def plain_lines(lines: Sequence[str], header_end: int) -> dict[str, Entry] | None:
    """:func:`plain_entries` line by line, from the line after the header."""
    entries: dict[str, Entry] = {}
    flags: list[str] = []
    msgid: list[str] | None = None  # the entry being read: its msgid's parts, then its msgstr's
    msgstr: list[str] | None = None
    obsolete, first = False, 0
    for number in range(header_end, len(lines)):
        line = lines[number].strip()
        if not line:
            continue
        old = line.startswith("#~")
        if line[0] == "#" and not old:
            # Babel refuses a conflict line, a comment between msgid and msgstr, and (in a '#:'
            # line) unbalanced isolation marks: left to it, with its message
            if line[1:2] == "-" or (msgid is not None and msgstr is None) or "\u2068" in line or "\u2069" in line:
                return None
            if msgid is not None and msgstr is not None:  # the entry before this comment is complete
                _add(entries, msgid, msgstr, flags, first, obsolete)
                msgid = msgstr = None
                flags = []
            if line[1:2] == ",":
                flags.extend(flag.strip() for flag in line[2:].lstrip().split(","))
            continue
        if old:
            line = line[2:].lstrip()
            if not line:
                continue
        if line[0] == '"':
            if msgid is None:
                return None
            (msgid if msgstr is None else msgstr).append(line)
            continue
        keyword, _, arg = line.partition(" ")
        if keyword == "msgid":
            if msgid is not None:
                if msgstr is None:
                    return None
                _add(entries, msgid, msgstr, flags, first, obsolete)
                flags = []
            msgid, msgstr, obsolete, first = [arg], None, old, number + 1
        elif keyword == "msgstr" and msgid is not None and msgstr is None and old == obsolete:
            msgstr = [arg]
        else:
            return None
    if msgid is not None:
        if msgstr is None:
            return None
        _add(entries, msgid, msgstr, flags, first, obsolete)
    return None if "" in entries else entries


def _plain(layout: tuple[PlainEntry, ...], header: bool) -> dict[str, Entry] | None:
    """The entries :func:`plain_entries` reads line by line, from the plain layout's (the
    first, when ``header``, is the header entry)."""
    entries = {entry.msgid: Entry(entry.msgstr, "fuzzy" in entry.flags, entry.line, MARKDOWN_FLAG in entry.flags,
                                  MACHINE_FLAG in entry.flags)
               for entry in layout[1 if header else 0:] if not entry.obsolete}
    return None if "" in entries else entries


def _header_end(lines: Sequence[str]) -> int:
    """The index of the first line after the header entry (``msgid ""`` before any other
    entry, with its msgstr and their string lines); 0 without one."""
    index = 0
    while index < len(lines) and (not lines[index].strip() or lines[index].strip()[:1] == "#"
                                  and lines[index].strip()[:2] != "#~"):
        index += 1
    if index >= len(lines) or lines[index].strip() != 'msgid ""':
        return 0
    index += 1
    while index < len(lines) and lines[index].strip().startswith(('"', "msgstr")):
        index += 1
    return index


def _add(entries: dict[str, Entry], msgid: list[str], msgstr: list[str], flags: list[str], line: int,
         obsolete: bool) -> None:
    """One entry as Babel's parser adds it (an obsolete one is not read by the build)."""
    if obsolete:
        return
    text = "".join(unescape(part.strip()) for part in msgid)
    string = "".join(unescape(part.strip()) for part in msgstr)
    entries[text] = Entry(string, "fuzzy" in flags, line, MARKDOWN_FLAG in flags, MACHINE_FLAG in flags)
