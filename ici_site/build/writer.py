"""Write stage: the only code that touches the output tree.

A city's files are first written to a staging folder inside the output folder,
then swapped in with two renames, so a failed or interrupted build never leaves
a half-written city. The writer refuses a second write to the same path and any
path that would leave its folder.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import posixpath
import re
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path


class OutputError(Exception):
    """Two pages want the same file, or a path leaves the output folder (a bug or bad slug)."""


PROTECTED = ("content", "locales", "templates", ".ici-cache")  # the project's own folders


def output_folder_problem(out: Path, root: Path) -> str | None:
    """Why ``out`` cannot be the output folder, or None.

    The build replaces folders inside ``out`` whole, so ``out`` must not be, or
    contain, anything the user keeps: the project, its ``content/``, ``locales/``,
    ``templates/`` or cache, the home folder, ``/``. Nor may it lie inside one of the
    project's own folders (site files in ``content/`` would be read as a city).
    """
    target, project = out.resolve(), root.resolve()
    kept = [(project, "the project folder"), (Path.home().resolve(), "your home folder"), (Path("/"), "/")]
    kept += [(project / name, f"the project's {name}/") for name in PROTECTED]
    for folder, what in kept:
        if folder.is_relative_to(target):
            return f"--out {out}: the output folder would hold {what}, and a build replaces what is in it"
    for name in PROTECTED:
        if target.is_relative_to(project / name):
            return f"--out {out}: the output folder is inside the project's {name}/: choose a folder such as _site"
    for folder in (target, *target.parents):
        if folder.exists() and not folder.is_dir():
            return f"--out {out}: {folder} is a file, not a folder"
    return None


@contextlib.contextmanager
def output_lock(out: Path, fallback: Path, waiting: Callable[[str], None]) -> Iterator[None]:
    """Hold the lock of the output folder ``out`` while a build reads and writes it.

    Two builds into the same folder run one after the other: the second waits
    (``waiting`` is told once) and then sees what the first published, so the record
    of what was written (the manifest) always describes the files in place. The lock
    is the file ``.<name>.lock`` beside ``out`` (``fallback`` when that folder cannot
    be written to); the kernel releases it when the build ends, even if killed.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(out.parent / f".{out.name}.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except (PermissionError, OSError) as exc:
        if exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise
        fallback.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(fallback, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting(f"waiting for another build into {out} to finish")
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # forked workers that inherited it have ended with the build


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
        self._files: dict[str, bytes | Path] = {}
        self._new: set[str] = set()  # made by this build (the others are the previous build's)

    def add(self, path: str, data: bytes | str) -> None:
        """Add one file; a second file with the same path is an error."""
        self._put(path, data.encode("utf-8") if isinstance(data, str) else data, new=True)

    def staged(self, path: str, file: Path) -> None:
        """Add a file this build already wrote into the city's staging folder."""
        self._put(path, file, new=True)

    def reuse(self, path: str, previous: Path) -> None:
        """Add a file that is unchanged since the previous build: ``previous`` is linked, not copied."""
        self._put(path, previous, new=False)

    def _put(self, path: str, data: bytes | Path, new: bool) -> None:
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
        return [(path, data.read_bytes() if isinstance(data, Path) else data)
                for path, data in sorted(self._files.items())]

    def sources(self) -> list[tuple[str, bytes | Path]]:
        """(path, bytes or previous file) pairs in path order, for the writer."""
        return sorted(self._files.items())

    def unchanged(self, folder: Path) -> bool:
        """Whether ``folder`` already holds exactly these files (then it is left alone)."""
        if not all(isinstance(data, Path) and data == folder / path for path, data in self._files.items()):
            return False
        present = {Path(d, f).relative_to(folder).as_posix() for d, _, fs in os.walk(folder) for f in fs}
        return present == set(self._files)

    def __len__(self) -> int:
        return len(self._files)


def write_site(out: Path, cities: Mapping[str, Files]) -> None:
    """Write every city to ``out/<city>/``, replacing each previous folder whole.

    Each city is written to a hidden staging folder first (the build's workers may
    have written its new files there already: :func:`prepare_staging`); only when
    every city is complete are the folders swapped in, each with one atomic exchange
    of names (Linux ``renameat2``), so a reader or a killed build sees the old folder
    or the new one, never a mix and never none. Hidden folders left by a killed build
    are cleaned up by the next one (:func:`prepare_staging`).
    """
    out.mkdir(parents=True, exist_ok=True)
    staged: dict[str, Path] = {}
    try:
        for slug, files in cities.items():
            stage = staging_folder(out, slug)  # may already hold the files the workers wrote
            if files.unchanged(out / slug):
                continue  # nothing to do: the published folder is not touched at all
            staged[slug] = stage
            _write_folder(stage, files)
        # Every city is complete on disk: only now replace the published folders.
        for slug, stage in staged.items():
            swap(stage, out / slug)
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


def _write_folder(stage: Path, files: Files) -> None:
    """Write a city's files into a new folder: new bytes into new files, unchanged ones as hard
    links to the previous output (never written through, so the live folder stays as it was)."""
    made: set[Path] = set()
    for path, data in files.sources():
        target = stage / path
        if data == target:
            continue  # written there by a worker already
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if isinstance(data, Path):
            try:
                os.link(data, target)
            except OSError:  # a file system without hard links
                shutil.copyfile(data, target)
        else:
            target.write_bytes(data)


def staging_folder(out: Path, slug: str) -> Path:
    """Where this build writes a city before swapping it in (hidden; removed if the build dies)."""
    return out / f".{slug}.new-{os.getpid()}"


def prepare_staging(out: Path, slugs: Iterable[str]) -> dict[str, Stage]:
    """Clean up after dead builds, then give each city an empty staging folder."""
    out.mkdir(parents=True, exist_ok=True)
    clean_stale(out)
    stages = {}
    for slug in slugs:
        folder = staging_folder(out, slug)
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir()
        stages[slug] = Stage(folder)
    return stages


def discard_staging(out: Path, slugs: Iterable[str], remove_empty: bool = False) -> None:
    """Remove what a build staged and did not swap in (after a failure, or for an unchanged
    city); with ``remove_empty``, ``out`` too if that leaves it empty (the build made it)."""
    for slug in slugs:
        shutil.rmtree(staging_folder(out, slug), ignore_errors=True)
    if remove_empty:
        with contextlib.suppress(OSError):
            out.rmdir()  # fails, as it should, when the build put anything there


@dataclass(frozen=True)
class Stage:
    """A city's staging folder in one build, and the folders this process made in it."""

    folder: Path
    made: set[Path] = field(default_factory=set)


def write_staged(stage: Stage, path: str, data: bytes) -> Path:
    """Write one new file of a city into its staging folder (from a worker); return where.

    Folders are made one level at a time below the staging folder, never that folder
    itself: a worker still running when an interrupted build removed its staging folder
    fails instead of leaving a new one behind.
    """
    target = stage.folder / check_path(path)
    folder = stage.folder
    for part in target.relative_to(stage.folder).parent.parts:
        folder = folder / part
        if folder not in stage.made:
            try:
                folder.mkdir()
            except FileExistsError:
                pass
            stage.made.add(folder)
    target.write_bytes(data)
    return target


def swap(stage: Path, final: Path) -> None:
    """Put ``stage`` in the place of ``final``; the old ``final`` ends up at ``stage``."""
    if final.exists() and _exchange(stage, final):
        return
    # No atomic exchange here: two renames, with a window where ``final`` is missing
    # that clean_stale() repairs if the build dies inside it.
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists():
        os.replace(final, old)
    os.replace(stage, final)
    shutil.rmtree(old, ignore_errors=True)


def clean_stale(out: Path) -> None:
    """Remove staging folders of dead builds; put back a city a dead build had moved away."""
    for path in sorted(out.glob(".*.*-*")):
        match = STALE.fullmatch(path.name)
        if match is None or not path.is_dir() or _alive(int(match["pid"])):
            continue
        final = out / match["slug"]
        if match["kind"] == "old" and not final.exists():
            os.replace(path, final)  # died between the two renames of swap()
        else:
            shutil.rmtree(path, ignore_errors=True)


STALE = re.compile(r"\.(?P<slug>[a-z0-9-]+)\.(?P<kind>new|old)-(?P<pid>\d+)")


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


_RENAME_EXCHANGE = 2  # from <linux/fs.h>


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False where that is unavailable."""
    if sys.platform != "linux":
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    errno = ctypes.get_errno()
    if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: file system or kernel cannot
        return False
    raise OSError(errno, os.strerror(errno), str(b))
