"""The output folder: which folder may be one, the lock two builds into it share, and the
atomic exchange of two folders in it.

The writer (:mod:`~ici_site.build.writer`) replaces the city folders inside it whole;
these checks keep that from ever touching what a user keeps.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

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


_RENAME_EXCHANGE = 2  # from <linux/fs.h>


def exchange(a: Path, b: Path) -> bool:
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
