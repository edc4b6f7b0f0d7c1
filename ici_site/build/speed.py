"""The speed layer: what the pipeline (:mod:`~ici_site.pipeline`) skips, how its stages
run and where its files go.

:class:`Plain` skips nothing and keeps nothing: one process, every page rendered in
memory, then written (each city's folder swapped in whole, see :mod:`~ici_site.build.writer`).
:class:`Fast` makes the same bytes faster:

- **skip**: a city whose inputs did not change since the last build into the same
  folder is not even loaded; in the others, a file whose key (:mod:`~ici_site.build.incremental`)
  is the one recorded in the manifest (:class:`~ici_site.build.manifest.Manifest`) is not made
  again, and rendered bodies and fragments come from the kept stores
  (:class:`~ici_site.build.cache.Kept`); parsed catalogs come from the catalog store;
- **run**: tasks go to forked workers (:mod:`~ici_site.build.workers`) when the work is large;
- **write**: workers write new files straight into each city's staging folder, and
  unchanged files are hard-linked into it before the swap.

Both write the manifest, the writer's record of what is in the output folder. Set
``ICI_SPEED=off`` (or pass ``fast=False`` to :func:`~ici_site.build.build`) for the plain layer.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from jinja2 import Environment

from ici_site.build.cache import FOLDER, CatalogStore, Kept, code_version, digest
from ici_site.build.incremental import Keys, Output, city_key
from ici_site.build.manifest import CityRecord, Manifest
from ici_site.build.output_watch import OutputWatch
from ici_site.build.state import State
from ici_site.build.workers import run
from ici_site.build.writer import (
    Files,
    OnDisk,
    OutputError,
    Stage,
    discard_staging,
    prepare_staging,
    write_site,
    write_staged,
    write_top_files,
)
from ici_site.content.loaders import Parsed, load_site
from ici_site.content.model import City, Network
from ici_site.errors import ContentError, Problem
from ici_site.pipeline import Built, Context, Plan, Project
from ici_site.site import precompress
from ici_site.site.network import RECORD as NETWORK
from ici_site.site.network import network_key
from ici_site.site.outputs import Made, Published
from ici_site.site.render import CityRenderer

C = TypeVar("C", bound=Context)
T = TypeVar("T")
R = TypeVar("R")


class Plain:
    """The pipeline without a speed layer: the reference every faster build must equal."""

    def __init__(self, state: State, progress: Callable[[int, int], None] | None = None) -> None:
        self.state, self.digests, self.shared = state, state.digests, state.shared
        self.progress = progress
        self.manifest: Manifest | None = None
        self.parsed: Parsed | None = None  # the documents loaded before (Fast, in a process that builds again)
        self.stages: dict[str, Stage] = {}  # city -> its staging folder (Fast's workers write there)
        self._environments: dict[str | None, Environment] = {}  # city (None: the network) -> its templates

    # -- what to skip --------------------------------------------------------------------

    def plan(self, project: Project) -> Plan:
        """Every city (the manifest is read only to know what the output folder holds)."""
        if project.out is not None:
            self.manifest = Manifest(project.root / FOLDER, project.out, self.state.manifests, self.watch(project.out))
        templates = self.digests.tree(project.root / "templates")  # every city reads them: hashed once
        base = (str(project.today), "compressed" if project.compressed else "", templates)
        keys = {slug: city_key(project.root, slug, base, self.digests) for slug in city_folders(project.root, project.only)}
        return Plan(tuple(keys), keys)

    def catalog_store(self, project: Project) -> CatalogStore | None:
        return None

    def watch(self, out: Path) -> OutputWatch | None:
        """What tells the manifest which cities changed in the output (None: a ``stat`` of every file)."""
        return None

    def kept(self, project: Project, city: City, code: str) -> tuple[Kept, Kept]:
        return Kept(None, 0), Kept(None, 0)

    def file(self, project: Project, slug: str, lang: str | None, output: Output, keys: Keys,
             make: Callable[[], tuple[bytes, list[str]]]) -> list[Made]:
        """Make one file (and its compressed copies): into the city's staging folder if it has one."""
        data, seen = make()
        key, stage = keys.of(output, lang, seen), self.stages.get(slug)
        made = Made(output.path, key, tuple(seen), write_staged(stage, output.path, data) if stage else data)
        return [made, *self._copies(project, slug, made, data, {})]

    def _copies(self, project: Project, slug: str, made: Made, data: bytes | None,
                previous: Mapping[str, tuple[str, list[str], int]], same: bool = False) -> list[Made]:
        """The ``.gz`` and ``.br`` copies of one text file (``data`` None: unchanged since the
        previous build, whose copies are kept when they are there; ``same``: made again with
        the same bytes, whose previous copies are kept whatever their key)."""
        if not project.compressed or not precompress.wanted(made.path):
            return []
        stage, found = self.stages.get(slug), []
        for suffix, compress in precompress.ENCODINGS:
            name, own = made.path + suffix, digest(made.key, suffix)
            if data is None and (name in previous if same else previous.get(name, ("",))[0] == own):
                found.append(Made(name, own, made.seen, None))
                continue
            if data is None:  # unchanged, but its copies are missing: read it from the previous output
                assert project.out is not None
                data = OnDisk(f"{project.out}/{slug}/{made.path}").read_bytes()
            packed = compress(data)
            found.append(Made(name, own, made.seen, write_staged(stage, name, packed) if stage else packed))
        return found

    def done(self, renderer: CityRenderer) -> None:
        """A part is rendered."""

    def network_key(self, project: Project, network: Network, published: dict[str, tuple[str, ...]]) -> str:
        base = digest(code_version(), str(project.today), "compressed" if project.compressed else "")
        return network_key(project.root, network, published, base, self.digests)

    def network_current(self, project: Project, key: str) -> bool:
        return False

    def published_files(self, project: Project, slug: str) -> tuple[Path | None, set[str]]:
        """The city's published folder and the files of its last build, whose links held then
        (none: every page's links are checked)."""
        return None, set()

    # -- how to run ----------------------------------------------------------------------

    def map(self, func: Callable[[C, T], R], context: C, tasks: Iterable[T], progress: bool = False) -> list[R]:
        tasks = list(tasks)
        context.prepare()  # before any worker forks: they inherit it
        counted = self._counter(tasks) if progress else None
        each = iter(tasks)  # results are told in task order

        def done(result: R) -> None:
            context.received(next(each), result)
            if counted:
                counted(result)

        return run(func, context, tasks, self.jobs_for(context, tasks), done, context.meanwhile(), context.group)

    def jobs_for(self, context: Context, tasks: list[Any]) -> int:
        """How many processes run a stage's tasks: this one alone."""
        return 1

    def _counter(self, tasks: list[Any]) -> Callable[[Any], None] | None:
        if self.progress is None:
            return None
        total, count = len(tasks), [0]
        report = self.progress

        def done(_: object) -> None:
            count[0] += 1
            report(count[0], total)

        return done

    def environment(self, root: Path, city: City | None) -> Environment:
        """The city's Jinja environment (from the state, which compiles templates only when they
        changed), looked up once per city and build: each language's part asks again."""
        slug = city.slug if city else None
        if slug not in self._environments:
            self._environments[slug] = self.state.environment(root, city)
        return self._environments[slug]

    # -- where to write ------------------------------------------------------------------

    def files(self, project: Project, city: City, made: list[Made]) -> Files:
        """The writer's view of a city: new bytes, a staged file, or the previous file to link."""
        files, previous = Files(), f"{project.out}/{city.slug}" if project.out is not None else None
        try:
            for one in made:
                if one.data is None:
                    assert previous is not None  # only a previous output has files to reuse
                    files.reuse(one.path, OnDisk(f"{previous}/{one.path}"))
                elif isinstance(one.data, OnDisk):
                    files.staged(one.path, one.data)
                else:
                    files.add(one.path, one.data)
        except OutputError as exc:  # e.g. a logo named like one of the site's own assets
            raise ContentError([Problem(city.path, None, "", f"{exc}; rename one of them")]) from None
        return files

    def write(self, project: Project, built: Built) -> list[tuple[str, CityRecord, int]]:
        """Publish what the stages made and record it in the manifest: (city, record, files
        made this time) of every city, and of the network's pages last (:data:`NETWORK`)."""
        if project.out is not None:
            write_site(project.out, {slug: city.files for slug, city in built.rendered.items()}, **self.spares())
            if project.full:  # the network's pages, or the removal of those a network file no longer asks for
                self._write_network(project, built)
        records = []
        for slug, key in built.plan.keys.items():
            current = built.plan.current.get(slug)
            record = current or _record(key, built.rendered[slug].keys.base, built.published[slug],
                                        _made(built, slug), self.manifest.found(slug) if self.manifest else {})
            made = 0 if current else sum(1 for m in _made(built, slug) if m.data is not None)
            records.append((slug, record, made))
            if self.manifest is not None and current is None and not built.skipped:
                # a skipped catalog is still broken: the next build must read it again
                self.manifest.commit(slug, record)  # with each file's inode, size and mtime
        if built.network is not None:
            key, warnings, pages = built.network
            previous = self.manifest.current(NETWORK) if self.manifest else None
            record = previous if pages is None and previous is not None else \
                _record(key, "", Published((), tuple(warnings)), [Made(p, digest(d), (), d) for p, d in (pages or {}).items()])
            records.append((NETWORK, record, len(pages or ())))
            if self.manifest is not None and project.full and not built.skipped:
                self.manifest.commit(NETWORK, record)
        elif self.manifest is not None and project.full:
            self.manifest.forget(NETWORK)
        if self.manifest is not None:
            self.manifest.save()
        return records

    def spares(self) -> dict[str, Any]:
        """How the writer treats the folders it swaps out: it removes them."""
        return {}

    def _write_network(self, project: Project, built: Built) -> None:
        """The network's new pages at the top of the output folder; those of the last build it
        no longer has are removed (all of them when content/network.yaml is gone)."""
        assert project.out is not None
        previous = self.manifest.cities.get(NETWORK) if self.manifest else None
        pages = built.network[2] if built.network else {}
        if pages is not None:  # None: the network's pages are unchanged
            write_top_files(project.out, pages, previous.files if previous else ())

    def close(self, project: Project) -> None:
        """After the build, whether it succeeded or raised."""


def _made(built: Built, slug: str) -> tuple[Made, ...]:
    return built.rendered[slug].made if slug in built.rendered else ()


def _record(key: str, base: str, published: Published, made: Iterable[Made],
            found: Mapping[str, tuple[str, list[str], tuple[int, int, int]]] | None = None) -> CityRecord:
    """The manifest's entry of a city (or the network) just built: a file linked from the last
    build's (in ``found``) has the same inode, size and mtime; the others' the commit reads."""
    found = found or {}
    return CityRecord(key, base, list(published.languages),
                      [(w.path, w.line, w.key, w.message) for w in published.warnings],
                      {m.path: (m.key, list(m.seen), found[m.path][2] if m.data is None and m.path in found
                                else (0, 0, 0)) for m in made})


def _same_bytes(path: OnDisk, size: int, data: bytes) -> bool:
    """Whether the previous build's file ``path`` (``size`` bytes when written) holds ``data``."""
    try:
        return len(data) == size and path.read_bytes() == data
    except OSError:
        return False


def city_folders(root: Path, only: tuple[str, ...] = ()) -> list[str]:
    """The cities to build; anything wrong with ``only`` is reported by the loader."""
    content = root / "content"
    folders = sorted(p.name for p in content.iterdir() if p.is_dir() and not p.name.startswith(".")) \
        if content.is_dir() else []
    if not content.is_dir() or any(name not in folders for name in only):
        load_site(root, only)  # raises the loader's own message
    return [name for name in folders if not only or name in only]


class Fast(Plain):
    """Skips what did not change, forks workers for large work, writes from the workers."""

    def __init__(self, state: State, jobs: int, warm: bool = False, forced: bool = False,
                 progress: Callable[[int, int], None] | None = None) -> None:
        super().__init__(state, progress)
        self.jobs, self.warm, self.forced = jobs, warm, forced  # forced: workers even for a small site
        self.parsed = state.parsed if warm else None  # serve loads the site twice an edit (shown, then built)
        self.shared.remember_scores = warm  # the next build scores an edited search index from this one's
        self.changed: tuple[str, ...] = ()
        self.new_out = False
        self._previous: dict[str, dict[str, tuple[str, list[str], int]]] = {}

    def plan(self, project: Project) -> Plan:
        """The cities whose key differs from the one recorded for the output folder; the
        others are current (not even loaded). Their staging folders are made now."""
        self.digests.load(project.root / FOLDER)  # read only: `check` writes nothing, not even the cache
        every = super().plan(project)
        manifest = self.manifest
        current = {slug: record for slug, key in every.keys.items()
                   if manifest and (record := manifest.current(slug)) is not None and record.key == key}
        self.changed = tuple(slug for slug in every.keys if slug not in current)
        if project.out is not None:
            self.new_out = not project.out.exists()  # a failed first build leaves no folder behind
            self.stages = prepare_staging(project.out, self.changed, recycle=self.warm)
        return Plan(self.changed, every.keys, current)

    def catalog_store(self, project: Project) -> CatalogStore | None:
        return self.state.catalog_store(project.root / FOLDER, writable=project.out is not None)

    def watch(self, out: Path) -> OutputWatch | None:
        """A process that builds again (``serve``) watches its output: an edit checks again only
        the cities where something else changed a file (:mod:`~ici_site.build.output_watch`)."""
        return self.state.output_watch(out) if self.warm else None

    def kept(self, project: Project, city: City, code: str) -> tuple[Kept, Kept]:
        """The city's kept bodies and fragments in ``code`` (none for `check`, which keeps nothing);
        remembered by this process unless it is a worker, which ends with the build."""
        folder = project.root / FOLDER / "kept" / city.slug if project.out is not None else None
        limit = 3 * (len(city.services) + len(city.pages) + len(city.notices))  # a few entries per document
        memory = self.state.kept if multiprocessing.parent_process() is None else None
        return (Kept(folder / f"{code}.bodies" if folder else None, limit, memory),
                Kept(folder / f"{code}.fragments" if folder else None, limit, memory))

    def done(self, renderer: CityRenderer) -> None:
        renderer.bodies.save()
        renderer.fragments.save()

    def previous(self, slug: str) -> dict[str, tuple[str, list[str], int]]:
        """path -> (key, kinds read, size) of the files of the city's last build still in place."""
        if slug not in self._previous:
            record = self.manifest.current(slug) if self.manifest else None
            self._previous[slug] = {path: (key, seen, stamp[1]) for path, (key, seen, stamp) in record.files.items()} \
                if record else {}
        return self._previous[slug]

    def file(self, project: Project, slug: str, lang: str | None, output: Output, keys: Keys,
             make: Callable[[], tuple[bytes, list[str]]]) -> list[Made]:
        """The last build's file when its key is unchanged, or when the file made again has the
        same bytes (most files an edit remakes: the other search shards, the category pages…):
        it is linked, not written, and no link of it is checked again. Else made and written,
        as without the layer."""
        previous = self.previous(slug)
        old = previous.get(output.path)
        if old is not None and keys.of(output, lang, old[1]) == old[0]:
            kept = Made(output.path, old[0], tuple(old[1]), None)
            return [kept, *self._copies(project, slug, kept, None, previous)]
        data, seen = self._shown(slug, output, lang, keys) or make()
        if old is not None and project.out is not None \
                and _same_bytes(OnDisk(f"{project.out}/{slug}/{output.path}"), old[2], data):
            kept = Made(output.path, keys.of(output, lang, seen), tuple(seen), None)
            return [kept, *self._copies(project, slug, kept, None, previous, same=True)]
        return super().file(project, slug, lang, output, keys, lambda: (data, seen))

    def _shown(self, slug: str, output: Output, lang: str | None, keys: Keys) -> tuple[bytes, list[str]] | None:
        """The bytes of a page ``serve`` showed before this build (:mod:`~ici_site.build.edited`),
        if they were made from the same inputs (the same key); taken once."""
        shown = self.state.shown.pop((slug, output.path), None)
        if shown is None or keys.of(output, lang, shown[1]) != shown[0]:
            return None
        return shown[2], list(shown[1])

    def published_files(self, project: Project, slug: str) -> tuple[Path | None, set[str]]:
        if project.out is None:
            return None, set()
        return project.out / slug, set(self.previous(slug))

    def network_current(self, project: Project, key: str) -> bool:
        previous = self.manifest.current(NETWORK) if self.manifest else None
        return previous is not None and previous.key == key

    def jobs_for(self, context: Context, tasks: list[Any]) -> int:
        """Every core when the work is large enough to be worth forking for (:meth:`_large`), and
        two tasks or more are not at hand already (an edit's build finds every catalog it did not
        touch in memory: forking for lookups cost more than they do)."""
        if sum(1 for task in tasks if not context.known(task)) < 2:
            return 1
        return self.jobs if self.forced or self._large(context) else 1

    def _large(self, context: Any) -> bool:
        """Worth forking workers for: a large site before its keys are known; then a first build,
        one where the templates, code or date changed, or any build of a process that will not
        build again (``serve`` renders an edit in its own process, whose caches stay warm)."""
        keys: dict[str, Keys] | None = getattr(context, "keys", None)
        if keys is None:
            cities: dict[str, City] = getattr(context, "cities", {})
            return sum(len(c.languages) * (len(c.services) + len(c.pages)) for c in cities.values()) > 200
        rebuilt = any((record := self.manifest.current(slug) if self.manifest else None) is None
                      or record.base != k.base for slug, k in keys.items())
        return rebuilt or not self.warm

    def spares(self) -> dict[str, Any]:
        """A process that builds again (``serve``) keeps each city's folder swapped out, as the
        staging folder of its next build: an edit then writes only what changed."""
        return {"spares": self.warm, "recycled": {slug for slug, stage in self.stages.items() if stage.recycled}}

    def write(self, project: Project, built: Built) -> list[tuple[str, CityRecord, int]]:
        records = super().write(project, built)
        if project.out is not None:
            self.digests.save(project.root / FOLDER)
        return records

    def close(self, project: Project) -> None:
        """Remove what was staged and not swapped in (after a failure, or for a city with nothing new)."""
        if project.out is not None:
            discard_staging(project.out, self.changed, remove_empty=self.new_out, recycle=self.warm)
