"""Write stage: the only code that touches the output tree.

A city's files are first written to a staging folder inside the output folder,
then swapped in with one atomic exchange (two renames where the system lacks it), so
a failed or interrupted build never leaves a half-written city. A process that builds
again (``serve``) keeps the folder swapped out as the city's spare, beside the output
folder, and makes it the next staging folder: an edit then writes only the files that
changed. The writer refuses a second write to the same path and any path that would
leave its folder. Which folder may be the output, and its lock: :mod:`~ici_site.build.output_folder`.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import re
import shutil
import stat
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ici_site.build.output_folder import exchange


class OnDisk(str):
    """The path of a file already on disk: a new one a worker wrote into a staging folder, or
    the last build's, to link. A string, not a :class:`~pathlib.Path`: a build names thousands
    of them, and the Paths of a worker's file took about as long as writing it (py-spy, a clean
    build), and a seventh of an edit's time."""

    __slots__ = ()

    def read_bytes(self) -> bytes:
        with open(self, "rb") as file:
            return file.read()


class OutputError(Exception):
    """Two pages want the same file, or a path leaves the output folder (a bug or bad slug)."""


def check_path(path: str) -> str:
    """Refuse absolute paths and '..' so nothing is written outside the folder."""
    norm = posixpath.normpath(path)
    if path.startswith("/") or norm.startswith("..") or norm in (".", ""):
        raise OutputError(f"refusing to write outside the output folder: {path!r}")
    return norm


class Files:
    """The files of one city: new bytes, new files already in its staging folder, or
    files of the previous build to link."""

    def __init__(self) -> None:
        self._files: dict[str, bytes | OnDisk] = {}
        self._new: set[str] = set()  # made by this build (the others are the previous build's)

    def add(self, path: str, data: bytes | str) -> None:
        """Add one file; a second file with the same path is an error."""
        self._put(path, data.encode("utf-8") if isinstance(data, str) else data, new=True)

    def staged(self, path: str, file: OnDisk) -> None:
        """Add a file this build already wrote into the city's staging folder."""
        self._put(path, file, new=True)

    def reuse(self, path: str, previous: OnDisk) -> None:
        """Add a file that is unchanged since the previous build: ``previous`` is linked, not copied."""
        self._put(path, previous, new=False)

    def _put(self, path: str, data: bytes | OnDisk, new: bool) -> None:
        path = check_path(path)
        if path in self._files:
            raise OutputError(f"two pages would be written to {path}")
        self._files[path] = data
        if new:
            self._new.add(path)

    def changed(self) -> set[str]:
        """The paths this build made."""
        return set(self._new)

    def items(self) -> list[tuple[str, bytes]]:
        """(path, bytes) pairs in path order (unchanged files are read back)."""
        return [(path, data.read_bytes() if isinstance(data, OnDisk) else data)
                for path, data in sorted(self._files.items())]

    def sources(self) -> list[tuple[str, bytes | OnDisk]]:
        """(path, bytes or previous file) pairs in path order, for the writer."""
        return sorted(self._files.items())

    def unchanged(self, folder: Path) -> bool:
        """Whether ``folder`` already holds exactly these files (then it is left alone)."""
        if not all(isinstance(data, OnDisk) and data == f"{folder}/{path}" for path, data in self._files.items()):
            return False
        present = {Path(d, f).relative_to(folder).as_posix() for d, _, fs in os.walk(folder) for f in fs}
        return present == set(self._files)

    def __len__(self) -> int:
        return len(self._files)


def write_site(out: Path, cities: Mapping[str, Files], spares: bool = False,
               recycled: Collection[str] = ()) -> None:
    """Write every city to ``out/<city>/``, replacing each previous folder whole.

    Each city is written to a hidden staging folder first (the build's workers may
    have written its new files there already: :func:`prepare_staging`); only when
    every city is complete are the folders swapped in, each with one atomic exchange
    of names (Linux ``renameat2``), so a reader or a killed build sees the old folder
    or the new one, never a mix and never none. Hidden folders left by a killed build
    are cleaned up by the next one (:func:`prepare_staging`).

    With ``spares`` (a process that builds again: ``serve``), the folder swapped out is
    kept as the city's spare, its next staging folder (:func:`prepare_staging`): its
    folders and most of its files are in place already. ``recycled``: the cities whose
    staging folder is such a spare.
    """
    out.mkdir(parents=True, exist_ok=True)
    staged: dict[str, Path] = {}
    try:
        for slug, files in cities.items():
            stage = staging_folder(out, slug)  # may already hold the files the workers wrote
            if files.unchanged(out / slug):
                continue  # nothing to do: the published folder is not touched at all
            staged[slug] = stage
            _write_folder(stage, files, out / slug if slug in recycled else None)
        # Every city is complete on disk: only now replace the published folders.
        for slug, stage in staged.items():
            swap(stage, out / slug, spare_folder(out, slug) if spares else None)
    finally:
        for stage in staged.values():
            if stage.exists():
                shutil.rmtree(stage, ignore_errors=True)


def write_top_files(out: Path, files: Mapping[str, bytes], previous: Iterable[str]) -> None:
    """Write ``files`` at the top of ``out`` beside the city folders (the network's pages),
    each replaced whole with a rename; remove the ``previous`` ones not among them.

    A file whose bytes are unchanged is not touched. Only names without a '/' may be
    written here: no file of the network goes into a city's folder.
    """
    out.mkdir(parents=True, exist_ok=True)
    for path, data in sorted(files.items()):
        name = check_path(path)
        if "/" in name:
            raise OutputError(f"refusing to write into a city folder: {path!r}")
        target = out / name
        if target.is_file() and not target.is_symlink() and target.read_bytes() == data:
            continue
        tmp = out / f".{name}.{os.getpid()}.tmp"
        try:
            tmp.write_bytes(data)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
    for path in sorted(set(previous) - set(files)):
        name = check_path(path)
        if "/" not in name:
            (out / name).unlink(missing_ok=True)


def _write_folder(stage: Path, files: Files, live: Path | None = None) -> None:
    """Write a city's files into its staging folder: new bytes into files of their own,
    unchanged ones as hard links to the previous output (never written through, so the
    live folder stays as it was). A recycled staging folder (a spare; ``live``, the city's
    published folder) is made to hold exactly these files: a link to the live file already
    there is kept, anything else replaced or removed."""
    made: set[str] = set()
    present = _entries(stage) if live else {}
    linked = _entries(live) if live else {}
    here, there = str(stage), str(live)
    for path, data in files.sources():
        inode, target = present.pop(path, None), f"{here}/{path}"
        if isinstance(data, OnDisk) and data == target:
            continue  # written there by a worker already
        folder = target.rpartition("/")[0]
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        if isinstance(data, OnDisk):
            if inode is not None:
                if inode == linked.get(path) and data == f"{there}/{path}":
                    continue  # the spare links the live file already
                os.unlink(target)
            try:
                os.link(data, target)
            except OSError:  # a file system without hard links
                shutil.copyfile(data, target)
        else:
            _write_own(target, data)
    for path in present:  # what the spare holds that this build does not
        os.unlink(f"{here}/{path}")
    for folder, _, names in os.walk(stage, topdown=False) if present else ():
        if not names and folder != here:  # its subfolders may all be gone now (a language no longer published)
            try:
                os.rmdir(folder)
            except OSError:  # one is left: not empty
                pass


def _entries(folder: Path) -> dict[str, int]:
    """path -> inode of every file below ``folder`` (no ``stat``: the folder listing has them)."""
    found: dict[str, int] = {}
    pending = [("", str(folder))]
    while pending:
        prefix, where = pending.pop()
        with os.scandir(where) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((f"{prefix}{entry.name}/", entry.path))
                else:
                    found[prefix + entry.name] = entry.inode()
    return found


def _write_own(target: Path | str, data: bytes) -> None:
    """Write ``data`` to ``target`` in a staging folder: into the file there when no other
    folder links it (a spare's old version: no new file is made), else into a new file."""
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
    except FileExistsError:
        st = os.lstat(target)
        if stat.S_ISREG(st.st_mode) and st.st_nlink == 1:
            fd = os.open(target, os.O_WRONLY | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC)
        else:  # a link to a published file: never written through
            os.unlink(target)
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
    try:  # without a file object: no buffer, and no fstat, ioctl or lseek of each of thousands of files
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def staging_folder(out: Path, slug: str) -> Path:
    """Where this build writes a city before swapping it in (hidden; removed if the build dies)."""
    return out / f".{slug}.new-{os.getpid()}"


def spare_folder(out: Path, slug: str) -> Path:
    """Where a process that builds again keeps a city's folder swapped out (:func:`write_site`):
    beside ``out`` (as its lock), so the output folder holds the site alone."""
    return _spares(out) / f".{slug}.spare-{os.getpid()}"


def _spares(out: Path) -> Path:
    return out.parent / f".{out.name}.spares"


def make_spare(out: Path, slug: str) -> None:
    """Give the city ``slug`` the spare a build that changed nothing would leave (``serve``'s
    warm-up): its published files, linked. The next build then writes only what changed
    instead of linking every file first. Nothing when it has one already; none where the
    file system has no hard links (the build makes its folder as without a spare)."""
    live, spare = out / slug, spare_folder(out, slug)
    if spare.exists() or not live.is_dir():
        return
    try:  # cut short, it is a spare all the same: the build links what it lacks
        for folder, _, names in os.walk(live):
            target = spare / os.path.relpath(folder, live)
            target.mkdir(parents=True, exist_ok=True)
            for name in names:
                os.link(f"{folder}/{name}", target / name)
    except OSError:
        shutil.rmtree(spare, ignore_errors=True)


def discard_spares(out: Path) -> None:
    """Remove the spares this process kept (``serve`` stops)."""
    for path in _spares(out).glob(f".*.spare-{os.getpid()}"):
        shutil.rmtree(path, ignore_errors=True)
    with contextlib.suppress(OSError):
        _spares(out).rmdir()  # fails, as it should, while another process keeps spares there


def prepare_staging(out: Path, slugs: Iterable[str], recycle: bool = False) -> dict[str, Stage]:
    """Clean up after dead builds, then give each city a staging folder: empty, or with
    ``recycle`` the city's spare when this process kept one (:func:`write_site`)."""
    out.mkdir(parents=True, exist_ok=True)
    clean_stale(out, keep_spares=recycle)
    stages = {}
    for slug in slugs:
        folder, spare = staging_folder(out, slug), spare_folder(out, slug)
        if folder.exists():
            shutil.rmtree(folder)
        if recycle and spare.is_dir():
            os.replace(spare, folder)
        else:
            folder.mkdir()
        stages[slug] = Stage(folder, recycled=recycle and any(folder.iterdir()))
    return stages


def discard_staging(out: Path, slugs: Iterable[str], remove_empty: bool = False, recycle: bool = False) -> None:
    """Remove what a build staged and did not swap in (after a failure, or for an unchanged
    city: with ``recycle``, that one is kept as its spare); with ``remove_empty``, ``out``
    too if that leaves it empty (the build made it)."""
    for slug in slugs:
        stage = staging_folder(out, slug)
        if recycle and stage.is_dir() and not spare_folder(out, slug).exists():
            _keep(stage, spare_folder(out, slug))
        shutil.rmtree(stage, ignore_errors=True)
    if remove_empty:
        with contextlib.suppress(OSError):
            out.rmdir()  # fails, as it should, when the build put anything there


@dataclass(frozen=True)
class Stage:
    """A city's staging folder in one build, and the folders this process made in it."""

    folder: Path
    made: set[str] = field(default_factory=set)
    recycled: bool = False  # a spare: it holds an earlier build's files (:func:`write_site`)


def write_staged(stage: Stage, path: str, data: bytes) -> OnDisk:
    """Write one new file of a city into its staging folder (from a worker); return where.

    Folders are made one level at a time below the staging folder, never that folder
    itself: a worker still running when an interrupted build removed its staging folder
    fails instead of leaving a new one behind.
    """
    name = check_path(path)
    folder = str(stage.folder)
    target = OnDisk(f"{folder}/{name}")
    for part in name.split("/")[:-1]:
        folder = f"{folder}/{part}"
        if folder not in stage.made:
            try:
                os.mkdir(folder)
            except FileExistsError:
                pass
            stage.made.add(folder)
    _write_own(target, data)
    return target


def swap(stage: Path, final: Path, keep: Path | None = None) -> None:
    """Put ``stage`` in the place of ``final``; the old ``final`` is removed, or moved to ``keep``."""
    if final.exists() and exchange(stage, final):
        if keep:
            _keep(stage, keep)
        return
    # No atomic exchange here: two renames, with a window where ``final`` is missing
    # that clean_stale() repairs if the build dies inside it.
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists():
        os.replace(final, old)
    os.replace(stage, final)
    if keep and old.exists():
        _keep(old, keep)
    shutil.rmtree(old, ignore_errors=True)


def _keep(folder: Path, spare: Path) -> None:
    """Move ``folder`` to ``spare``; where that cannot be (another file system), remove it."""
    try:
        spare.parent.mkdir(exist_ok=True)
        os.replace(folder, spare)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


def clean_stale(out: Path, keep_spares: bool = False) -> None:
    """Remove staging folders and spares of dead builds (this process's spares too, unless
    ``keep_spares``); put back a city a dead build had moved away."""
    for path in sorted([*out.glob(".*.*-*"), *_spares(out).glob(".*.spare-*")]):
        match = STALE.fullmatch(path.name)
        if match is None or not path.is_dir() or _alive(int(match["pid"])) or \
                (keep_spares and match["kind"] == "spare" and int(match["pid"]) == os.getpid()):
            continue
        final = out / match["slug"]
        if match["kind"] == "old" and not final.exists():
            os.replace(path, final)  # died between the two renames of swap()
        else:
            shutil.rmtree(path, ignore_errors=True)


STALE = re.compile(r"\.(?P<slug>[a-z0-9-]+)\.(?P<kind>new|old|spare)-(?P<pid>\d+)")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # ours from an earlier run in this process: finished or failed
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
