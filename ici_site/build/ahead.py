"""A head start on a build's catalogs, taken while the build starts.

A clean build's first part runs on one core: Python's start, the imports, the plan and
the content loaded (a third of a second for the peers' medium project of four cities, half a
second for its large one of eight). ``ici-site build`` forks this process before its own imports (:func:`start`);
it reads and checks the project's catalogs one after the other into the catalog store
(:class:`~ici_site.build.cache.CatalogStore`, where they are kept by the hash of each file's
bytes), in the order the catalog stage takes them, until the build reaches that stage
(:meth:`Ahead.stop`). The stage's readers then find those catalogs in the store.

It is only a head start, as the store is only a cache: what it did not reach the stage
reads, what fails in it fails again in the stage and is reported there, and a catalog read
with another country than the build's (a ``city.yaml`` the build refuses) is stored under
a key the build never asks for. Nothing here is imported before the fork but the standard
library: the process imports what it needs while the build imports the rest.
"""

from __future__ import annotations

import os
import select
import signal
from collections.abc import Callable
from pathlib import Path

from ici_site.build.settings import can_fork, default_jobs, fast_by_default


class Ahead:
    """The process reading catalogs ahead of a build, and how to tell it to stop."""

    def __init__(self, pid: int, stop_fd: int) -> None:
        self.pid, self._stop_fd = pid, stop_fd  # the write end of a pipe: closed, it stops

    def stop(self) -> None:
        """Stop after the catalog it is reading (a stored one is whole: written, then renamed).
        Before the build forks any worker, which would hold the pipe open."""
        if self._stop_fd >= 0:
            os.close(self._stop_fd)
            self._stop_fd = -1

    def close(self) -> None:
        """Stop it and wait for its end (after a build, whether it succeeded or failed)."""
        self.stop()
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:  # already waited for
            pass


def start(root: Path, only: tuple[str, ...] = ()) -> Ahead | None:
    """Fork the process reading the catalogs of the project at ``root`` (of the cities ``only``,
    if named, and the interface's); None when there is no second core to run it on, no fork,
    or no speed layer (``ICI_SPEED=off``: no store)."""
    if not fast_by_default() or default_jobs() < 2 or not can_fork():
        return None
    told, stop = os.pipe()  # the build keeps the end that writes: closing it stops the process
    pid = os.fork()
    if pid:
        os.close(told)
        return Ahead(pid, stop)
    os.close(stop)
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's: it stops this process
        _read(root, only, lambda: bool(select.select([told], [], [], 0)[0]))  # readable: closed, or the build gone
    finally:
        os._exit(0)  # nothing of the build's process (its buffers, its atexit) is this one's


def _read(root: Path, only: tuple[str, ...], stopped: Callable[[], bool]) -> None:
    """Read and check each catalog into the store, in the catalog stage's order, until ``stopped()``."""
    from ici_site.build.cache import FOLDER, CatalogStore, Digests
    from ici_site.i18n.translations import Catalogs

    catalogs = Catalogs(root, CatalogStore(root / FOLDER, Digests()))
    for domain, lang, region in sorted(_catalogs(root, only)):
        if stopped():
            return
        try:
            catalogs.entries(domain, lang)
            catalogs.unsafe(domain, lang, region)
        except Exception:  # noqa: BLE001, S112  # a broken catalog: the stage reports it
            continue


def _catalogs(root: Path, only: tuple[str, ...]) -> set[tuple[str, str, str | None]]:
    """(domain, language, country its numbers are read in) of the catalogs the build will read
    for the languages each ``city.yaml`` (and ``network.yaml``) lists; the build also reads
    those of their fallback languages, which it finds here or reads itself."""
    import yaml

    from ici_site.content.schema import NETWORK_FILE
    from ici_site.i18n.catalogs import TEMPLATE_DOMAIN, TEMPLATE_LANGUAGE

    content = root / "content"
    sources = [(path.parent.name, path) for path in sorted(content.glob("*/city.yaml"))
               if not only or path.parent.name in only]
    if not only:  # the network's domain is its file's name; its phone numbers are international
        sources.append((Path(NETWORK_FILE).stem, content / NETWORK_FILE))
    found: set[tuple[str, str, str | None]] = set()
    for domain, path in sources:
        try:
            values = yaml.load(path.read_bytes(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
            source, languages = str(values["source_language"]), [str(code) for code in values["languages"]]
        except (OSError, yaml.YAMLError, KeyError, TypeError):
            continue  # the build reports it
        country = "" if path.name == NETWORK_FILE else str(values.get("country") or "").upper()  # as places.country
        found.update((domain, lang, country) for lang in languages if lang != source)
        found.update((TEMPLATE_DOMAIN, lang, None) for lang in {*languages, source} if lang != TEMPLATE_LANGUAGE)
    return found
