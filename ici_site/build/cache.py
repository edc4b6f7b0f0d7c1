"""What the build remembers between runs, in ``.ici-cache/`` (never needed, always safe to delete).

- :class:`Digests`: content hashes of input files, recomputed only when a file's
  (inode, size, mtime) changes.
- :func:`code_version`: a hash of ici_site's own files and its libraries' versions,
  part of every key, so a new version of the code never reuses an old page.
- :class:`CatalogStore`: parsed ``.po`` files (and their safety-check results),
  keyed by the file's hash: Babel's parser is the slowest part of a clean build.
- :class:`Kept`: rendered Markdown bodies and page fragments per city and language,
  each with what proves it still right, so a page that shows every service (the
  whole guide) renders again only the parts whose inputs changed.
- the manifest (:mod:`~ici_site.build.manifest`, written with this module's marshal files): per
  output folder and city, the key of each file written last time and what it depended on, so an
  unchanged page is not rendered again.

Every key is a hash of *content*, never of a time stamp, so a cache can only
ever make a build faster, never different: a test builds with and without it.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import stat
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from ici_site.i18n.catalogs import Entry, load_entries

FOLDER = ".ici-cache"
FORMAT = 1  # bump when the layout of the files below changes
LIBRARIES = ("jinja2", "markdown", "babel", "nh3", "phonenumbers", "opening-hours-py", "pyyaml", "markupsafe")


def digest(*parts: str | bytes) -> str:
    """A short hex hash of ``parts`` (BLAKE2b, 128 bits)."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


@cache
def code_version() -> str:
    """Hash of every file of the ici_site package, Python's version and the libraries' versions."""
    package = Path(__file__).resolve().parent.parent  # ici_site/, every sub-package
    parts: list[str | bytes] = [sys.version, str(FORMAT)]
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            parts += [path.relative_to(package).as_posix(), path.read_bytes()]
    installed = _installed()
    for name in LIBRARIES:
        parts.append(f"{name}=={installed.get(_normalised(name)) or _version(name)}")
    return digest(*parts)


def _installed() -> dict[str, str]:
    """Each distribution's version, from the name of its ``<name>-<version>.dist-info`` folder (the
    first one on ``sys.path``): read without importing ``importlib.metadata``, its e-mail parser
    and its zip reader (about 20 ms of a build's start)."""
    found: dict[str, str] = {}
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:  # a zip file, a folder that does not exist
            continue
        for entry in names:
            if entry.endswith(".dist-info") and "-" in entry:
                name, _, version = entry.removesuffix(".dist-info").partition("-")
                found.setdefault(_normalised(name), version)
    return found


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _version(name: str) -> str:
    """A distribution's version as ``importlib.metadata`` reads it (one installed otherwise: an egg)."""
    from importlib import metadata  # only then
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "missing"


class Digests:
    """Content hashes of files, re-read only when a file's stat changes.

    The memo lives as long as the process (``serve`` keeps it warm) and is saved
    in the cache folder, so a fresh process hashes only files that changed.
    """

    def __init__(self) -> None:
        self._memo: dict[str, tuple[int, int, int, str]] = {}
        self._loaded: set[Path] = set()

    def load(self, folder: Path) -> None:
        """Merge the memo saved in ``folder`` (once per process)."""
        if folder in self._loaded:
            return
        self._loaded.add(folder)
        saved = read_marshal(folder / "digests.marshal")
        if isinstance(saved, dict):
            for path, value in saved.items():
                self._memo.setdefault(path, value)

    def save(self, folder: Path) -> None:
        """Keep the memo for the next process."""
        write_marshal(folder / "digests.marshal", self._memo)

    def file(self, path: Path | str) -> str:
        """Hash of a file's bytes; "" when it does not exist."""
        key = str(path)
        try:
            st = os.stat(key)
        except OSError:
            return ""
        if not stat.S_ISREG(st.st_mode):  # a pipe or device: never opened (the loader reports it)
            return f"not a file {st.st_mode:o}"
        known = self._memo.get(key)
        stamp = stamp_of(st)
        if known is not None and known[:3] == stamp:
            return known[3]
        with open(key, "rb") as fileobj:
            value = digest(fileobj.read())
        self._memo[key] = (*stamp, value)
        return value

    def tree(self, folder: Path) -> str:
        """Hash of every file under ``folder`` (names and contents); "" when it does not exist."""
        if not folder.is_dir():
            return ""
        return digest(*[part for name, path in files_below(folder) for part in (name, self.file(path))])


def files_below(folder: Path) -> list[tuple[str, str]]:
    """(name below ``folder``, path) of every file under it, a folder's files before its
    subfolders', each in name order; none in ``__pycache__``. Strings: a Path per file
    took longer than its ``stat``."""
    found: list[tuple[str, str]] = []
    top = len(str(folder)) + 1
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            found.append((path[top:].replace(os.sep, "/"), path))
    return found


class CatalogStore:
    """Parsed catalogs by file hash: in memory for this process, on disk for the next."""

    def __init__(self, folder: Path | None, digests: Digests, writable: bool = True) -> None:
        self.folder, self.digests = folder, digests
        self.writable = writable  # False for `check`: it reads what builds stored, writes nothing
        self._memory: dict[str, Any] = {}

    def entries(self, path: Path) -> dict[str, Entry]:
        """What :func:`~ici_site.i18n.catalogs.load_entries` returns, from the cache when it can."""
        key = self.digests.file(path)
        if not key:
            return {}
        name = _entries_name(key)
        if name not in self._memory:
            stored = self._read(name)
            if stored is None:
                entries = load_entries(path)
                self._write(name, {k: tuple(e) for k, e in entries.items()})  # marshal takes tuples, not their subclasses
            else:
                entries = {k: Entry._make(v) for k, v in stored.items()}
            self._memory[name] = entries
        return self._memory[name]  # type: ignore[no-any-return]

    def unsafe(self, path: Path, region: str | None,
               compute: Callable[[], dict[str, tuple[str, ...]]]) -> dict[str, tuple[str, ...]]:
        """The safety check's findings for a catalog, computed once per file hash and region."""
        name = _unsafe_name(self.digests.file(path), region)
        if name not in self._memory:
            stored = self._read(name)
            if stored is None:
                stored = compute()
                self._write(name, stored)
            self._memory[name] = stored
        return self._memory[name]  # type: ignore[no-any-return]

    def holds(self, path: Path, region: str | None) -> bool:
        """Whether this process has the catalog parsed and checked already (a lookup, no work)."""
        key = self.digests.file(path)  # "": no file, no entries to parse
        return (not key or _entries_name(key) in self._memory) and _unsafe_name(key, region) in self._memory

    def _read(self, name: str) -> Any:
        return read_marshal(self.folder / "catalogs" / name) if self.folder else None

    def _write(self, name: str, value: Any) -> None:
        if self.folder and self.writable:
            write_marshal(self.folder / "catalogs" / name, value)


def _entries_name(key: str) -> str:
    """The store's name of a catalog's entries (``key``: the hash of the file's bytes)."""
    return f"po-{digest(key, code_version())}"


def _unsafe_name(key: str, region: str | None) -> str:
    """The store's name of a catalog's safety findings, read in ``region``."""
    return f"unsafe-{digest(key, str(region), code_version())}"


class Kept:
    """What rendering made, by key, for one city and language: in ``memory`` (the process's
    :class:`~ici_site.build.state.State`, which ``serve`` keeps warm; None in a worker, whose
    process ends with the build), on disk for the next process.

    Each entry carries what proves it still right, and the renderer checks that proof
    before using it (:meth:`~ici_site.site.render.CityRenderer.body`, ``fragment``): a stale
    entry can make a build slower, never different.
    """

    def __init__(self, path: Path | None, limit: int,
                 memory: dict[Path, tuple[dict[str, Any], int]] | None = None) -> None:
        self.path, self.limit = path, limit  # limit: entries worth keeping (a few per document)
        self._memory = memory
        self._old: dict[str, Any] = {}
        self._on_disk = 0  # how many entries the file's records hold (0: no file)
        if path is not None:
            if memory is not None and path in memory:
                self._old, self._on_disk = memory[path]
            else:
                self._old, self._on_disk = read_journal(path)
                if memory is not None:
                    memory[path] = self._old, self._on_disk
        self._used: dict[str, Any] = {}

    def get(self, key: str) -> Any:
        """The entry stored under ``key``, or None; call :meth:`put` to keep one found still right."""
        found = self._used.get(key)
        return found if found is not None else self._old.get(key)

    def put(self, key: str, value: Any) -> None:
        """Keep ``value`` (marshal-able) under ``key``."""
        self._used[key] = value

    def save(self) -> None:
        """Keep what this build used, and older entries while there is room: the new entries
        are appended to the file (an edit adds a body or two to a file of every body), which is
        written anew, without what no longer fits, once it holds twice as many as it keeps."""
        if self.path is None:
            return
        new = {key: value for key, value in self._used.items() if self._old.get(key) != value}
        if not new:
            return
        kept = dict(self._used)
        for key, entry in self._old.items():
            if len(kept) >= self.limit:
                break
            kept.setdefault(key, entry)
        if self._on_disk and self._on_disk + len(new) <= 2 * max(self.limit, len(kept)) \
                and append_marshal(self.path, new):
            self._on_disk += len(new)
        else:
            write_marshal(self.path, kept)
            self._on_disk = len(kept)
        if self._memory is not None:
            self._memory[self.path] = kept, self._on_disk


def stamp_of(st: os.stat_result) -> tuple[int, int, int]:
    """(inode, size, mtime): what changes when a file is replaced or written."""
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def file_stamp(path: Path) -> tuple[int, int, int]:
    """The stamp of the file at ``path``; zeros when there is none."""
    try:
        return stamp_of(os.stat(path))
    except OSError:
        return (0, 0, 0)


def read_marshal(path: Path) -> Any:
    """The value marshalled in ``path`` (None if there is none, or it is broken): read whole, then
    loaded (``marshal.load`` from the file object reads it piece by piece, four times slower)."""
    try:
        with open(path, "rb") as fileobj:
            return marshal.loads(fileobj.read())
    except (OSError, EOFError, ValueError, TypeError):
        return None


def read_journal(path: Path) -> tuple[dict[str, Any], int]:
    """The entries of a file of marshalled dictionaries, the later ones winning, and how many
    its records hold: 0 when it does not end with a whole record (a build stopped while
    appending one), so that the next save writes it anew rather than after the broken end."""
    entries: dict[str, Any] = {}
    count = 0
    try:
        with open(path, "rb") as fileobj:
            size = os.fstat(fileobj.fileno()).st_size
            while fileobj.tell() < size:
                record = marshal.load(fileobj)
                if not isinstance(record, dict):
                    return entries, 0
                entries.update(record)
                count += len(record)
    except (OSError, EOFError, ValueError, TypeError):
        return entries, 0
    return entries, count


def append_marshal(path: Path, value: Any) -> bool:
    """Append one record to ``path`` in a single write (False: it could not be written)."""
    data = marshal.dumps(value)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    except OSError:
        return False
    try:
        return os.write(fd, data) == len(data)
    except OSError:
        return False
    finally:
        os.close(fd)


def write_marshal(path: Path, value: Any) -> None:
    """Write atomically; a cache that cannot be written only makes the next build slower."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        with open(tmp, "wb") as fileobj:
            marshal.dump(value, fileobj)
        os.replace(tmp, path)
    except OSError:
        pass
