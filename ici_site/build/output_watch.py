"""Which city folders of the output something else changed since this process last looked:
what lets ``serve`` trust its own output without a ``stat`` of every file each edit.

A build notices hand edits of the output (a file changed, added or removed) by the
(inode, size, mtime) of every file, recorded when it was written
(:class:`~ici_site.build.manifest.Manifest`): 17,000 ``stat`` calls at the large size, 40–70 ms
of an edit's build in ``serve``. Linux tells a process of every change in a folder it
watches (inotify(7)), so a warm process watches the folders of each city it checked or wrote
and checks again only a city where something changed. Where inotify is missing (another
system, or the watches are used up) every city is checked, as before.

Events are only read, never waited for: a change made before a build asks is already
queued (the kernel queues it with the write). Watches follow folders, not names: a city
folder swapped out by a build stops being watched when its new one is, and one replaced or
moved by hand is found by its inode.
"""

from __future__ import annotations

import ctypes
import os
import struct
from pathlib import Path
from typing import Any

IN_MODIFY, IN_ATTRIB, IN_CLOSE_WRITE = 0x2, 0x4, 0x8
IN_MOVED_FROM, IN_MOVED_TO, IN_CREATE, IN_DELETE = 0x40, 0x80, 0x100, 0x200
IN_DELETE_SELF, IN_MOVE_SELF, IN_Q_OVERFLOW = 0x400, 0x800, 0x4000
IN_ONLYDIR, IN_DONT_FOLLOW = 0x1000000, 0x2000000
CHANGES = (IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE
           | IN_DELETE_SELF | IN_MOVE_SELF)
EVENT = struct.Struct("iIII")  # struct inotify_event: wd, mask, cookie, len (then len bytes of name)


class OutputWatch:
    """The city folders of one output folder that changed since :meth:`arm` (inotify)."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self._libc, self._fd = _inotify()
        self._slugs: dict[int, str] = {}  # watch -> its city
        self._armed: dict[str, tuple[int, list[int]]] = {}  # city -> (inode of its folder, its watches)
        self._changed: set[str] = set()

    def unchanged(self, slug: str) -> bool:
        """Whether nothing changed in the city's folder since it was armed (False: not watched)."""
        armed = self._armed.get(slug)
        if armed is None:
            return False
        self._read()
        if slug in self._changed:
            return False
        try:
            return os.stat(self.out / slug).st_ino == armed[0]  # not replaced (or its parent moved) by hand
        except OSError:
            return False

    def arm(self, slug: str) -> None:
        """Watch the city's folder as it is now (just checked or written): what changes after counts."""
        self.disarm(slug)
        if self._fd is None or not slug:  # no inotify; or the network's pages, at the top: always checked
            return
        self._read()  # events queued so far were about the folder as it was
        self._changed.discard(slug)
        folder, watches = self.out / slug, list[int]()
        try:
            self._armed[slug] = (os.stat(folder).st_ino, watches)
        except OSError:
            return
        for directory, _, _ in os.walk(folder):
            watch = self._libc.inotify_add_watch(self._fd, os.fsencode(directory),
                                                 CHANGES | IN_ONLYDIR | IN_DONT_FOLLOW)
            if watch < 0:  # the watches are used up (fs.inotify.max_user_watches), or it vanished
                self.disarm(slug)
                return
            watches.append(watch)
            self._slugs[watch] = slug

    def disarm(self, slug: str) -> None:
        """Stop watching the city's folder (checked by ``stat`` again until armed)."""
        armed = self._armed.pop(slug, None)
        for watch in armed[1] if armed else ():
            self._libc.inotify_rm_watch(self._fd, watch)
            self._slugs.pop(watch, None)  # its IN_IGNORED event, still queued, is no one's now

    def close(self) -> None:
        """Let the watches go."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd, self._armed, self._slugs = None, {}, {}

    def _read(self) -> None:
        """Note the cities of the events queued (without waiting for any)."""
        while self._fd is not None:
            try:
                data = os.read(self._fd, 65536)
            except BlockingIOError:
                return
            at = 0
            while at < len(data):
                watch, mask, _, length = EVENT.unpack_from(data, at)
                at += EVENT.size + length
                if mask & IN_Q_OVERFLOW:  # events were lost: anything may have changed
                    self._changed.update(self._armed)
                elif watch in self._slugs:
                    self._changed.add(self._slugs[watch])


def _inotify() -> tuple[Any, int | None]:
    """The C library and a non-blocking inotify instance, or (None, None) where there is none."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
    except (OSError, AttributeError):  # not Linux
        return None, None
    return (libc, fd) if fd >= 0 else (None, None)
