"""What one process remembers from one build to the next.

``serve`` makes one :class:`State` and hands it to each build, so an edit finds the
file hashes, parsed catalogs, compiled templates, kept bodies and the manifest warm;
``build`` and ``check`` make a fresh one. Nothing of it lives in a module: a test that
builds twice with two states gets two independent builds, without resetting anything.
Everything in it is keyed by content, so it can make a build faster, never different.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment

from ici_site.build.ahead import Ahead
from ici_site.build.cache import CatalogStore, Digests, digest
from ici_site.build.output_watch import OutputWatch
from ici_site.content.loaders import Parsed
from ici_site.content.model import City
from ici_site.site.shared import Shared
from ici_site.site.templating import make_environment

# serve's process keeps a large state (kept bodies, search scores, catalogs) from one build to
# the next, which every full collection of the garbage collector scans: with young collections
# every 10,000 new objects instead of 700, fewer of an edit's short-lived objects reach the old
# generation and full collections are rare (an edit at large: 75-105 ms of collection became
# 20-27 ms, docs/performance.md). For the process that serves, set by serve and by the
# benchmarks that build as it does; a one-off build keeps Python's default.
SERVING_GC_THRESHOLD = (10_000, 10, 10)


@dataclass
class State:
    """The memory of one process (a fresh one per one-off build; ``serve`` keeps its own)."""

    digests: Digests = field(default_factory=Digests)  # file hashes, re-read when a file's stat changes
    shared: Shared = field(default_factory=Shared)  # what renderers share across languages
    kept: dict[Path, tuple[dict[str, Any], int]] = field(default_factory=dict)  # kept bodies and fragments, by
    # file, and how many entries the file holds
    manifests: dict[Path, Any] = field(default_factory=dict)  # manifests this process saved, by file
    # the pages of an edit shown before its build (build/edited.py), by (city, path): their key,
    # the kinds of documents they read and their bytes; the build takes those whose key holds
    shown: dict[tuple[str, str], tuple[str, tuple[str, ...], bytes]] = field(default_factory=dict)
    parsed: Parsed = field(default_factory=dict)  # the documents loaded, taken again while their bytes are the same
    _stores: dict[tuple[Path | None, bool], CatalogStore] = field(default_factory=dict)
    _environments: dict[tuple[str, str], tuple[str, Environment]] = field(default_factory=dict)
    _watches: dict[Path, OutputWatch] = field(default_factory=dict)
    ahead: Ahead | None = None  # the catalogs read ahead of this process's build (`build`), until it reads its own

    def output_watch(self, out: Path) -> OutputWatch:
        """What changed in the output folder ``out`` since this process checked or wrote each city there."""
        if out not in self._watches:
            self._watches[out] = OutputWatch(out)
        return self._watches[out]

    def catalog_store(self, folder: Path | None, writable: bool = True) -> CatalogStore:
        """The parsed catalogs of a cache folder (one that is not ``writable`` only reads
        what builds left there: ``check``)."""
        if self.ahead is not None:  # the build reads its catalogs from here on: the head start ends
            self.ahead.stop()
        if (folder, writable) not in self._stores:
            self._stores[folder, writable] = CatalogStore(folder, self.digests, writable)
        return self._stores[folder, writable]

    def environment(self, root: Path, city: City | None) -> Environment:
        """The city's Jinja environment, with its compiled templates: shared by the cities
        without templates of their own and the network (None), and reused while no template
        (the project's or the city's) changed; a new one when any did."""
        own = root / "content" / city.slug / "templates" if city else None
        name = (str(root), city.slug if city and own and own.is_dir() else "")
        templates = digest(self.digests.tree(root / "templates"), self.digests.tree(own) if own else "", name[1])
        known = self._environments.get(name)
        if known is None or known[0] != templates:
            known = self._environments[name] = (templates, make_environment(root, city))
        return known[1]
