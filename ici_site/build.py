"""The build, stage by stage: load → translate → render → write.

Everything is loaded, validated and rendered in memory before the first byte
is written, so a content error never leaves a half-written site.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import Environment, TemplateNotFound, TemplateSyntaxError, UndefinedError

from . import front, precompress, publishing, urls
from .cache import DIGESTS, FOLDER, CityRecord, Kept, Manifest, catalog_store, code_version, digest
from .catalogs import TEMPLATE_DOMAIN, TEMPLATE_LANGUAGE, content_domains, po_path
from .csp import with_script_hashes
from .errors import ContentError, Problem, UsageError
from .hours import hours_warnings
from .images import read_logo
from .incremental import Keys, Output, documents_in
from .links import check_links, page_ids
from .loaders import load_site
from .model import City, Network, Translated
from .network import RECORD as NETWORK
from .network import link_problems, members, network_files, network_key
from .render import CityRenderer, Shared, make_environment
from .segments import content_messages
from .status import interface_problems, status_page
from .translations import Catalogs, progress
from .workers import Workers, default_jobs
from .writer import (
    Files,
    OutputError,
    Stage,
    discard_staging,
    output_folder_problem,
    output_lock,
    prepare_staging,
    write_site,
    write_staged,
    write_top_files,
)


@dataclass
class Report:
    """What a build did, for the one-line summary."""

    cities: int = 0
    languages: int = 0
    pages: int = 0
    rendered: int = 0  # files made this time; the others were unchanged
    seconds: float = 0.0
    warnings: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)  # broken catalogues left out (--keep-going)

    def summary(self) -> str:
        """One line for the terminal."""
        return (f"built {self.cities} cities, {self.languages} languages, "
                f"{self.pages} pages in {self.seconds:.2f} s ({self.rendered} files rendered)")

    def add(self, record: CityRecord, rendered: int) -> None:
        """Count one city."""
        self.cities += 1
        self.languages += len(record.languages)
        self._add(record, rendered)

    def add_network(self, record: CityRecord, made: dict[str, bytes] | None) -> None:
        """Count the network's pages (``made``: those written this time)."""
        self._add(record, len(made or ()))

    def _add(self, record: CityRecord, rendered: int) -> None:
        self.pages += sum(1 for path in record.files if path.endswith(".html"))
        self.rendered += rendered
        for warning in (Problem(*w) for w in record.warnings):
            if warning not in self.warnings:  # an interface catalogue's problems come with every city
                self.warnings.append(warning)


def build_date() -> dt.date:
    """Today, or the day of SOURCE_DATE_EPOCH so builds are reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def build(root: Path, out: Path | None, only: tuple[str, ...] = (),
          today: dt.date | None = None, jobs: int | None = None,
          progress: Callable[[int, int], None] | None = None, keep_going: bool = False,
          warm: bool = False, compressed: bool = False,
          waiting: Callable[[str], None] | None = None) -> Report:
    """Build every city (or those in ``only``) of the project at ``root`` into ``out``.

    ``out`` must not hold or lie in the project's own folders (:class:`UsageError`);
    builds into the same ``out`` run one after the other (``waiting`` is told when
    this one waits for another): see :func:`_build` for the rest.
    """
    if out is None:
        return _build(root, None, only, today, jobs, progress, keep_going, warm, compressed)
    problem = output_folder_problem(out, root)
    if problem:
        raise UsageError([problem])
    fallback = root / FOLDER / f"output-{digest(str(out.resolve()))[:16]}.lock"  # if out's folder is read-only
    with output_lock(out, fallback, waiting or _tell):
        return _build(root, out, only, today, jobs, progress, keep_going, warm, compressed)


def _tell(message: str) -> None:
    print(f"{message}…", file=sys.stderr, flush=True)


def _build(root: Path, out: Path | None, only: tuple[str, ...], today: dt.date | None, jobs: int | None,
           progress: Callable[[int, int], None] | None, keep_going: bool, warm: bool,
           compressed: bool) -> Report:
    """The build itself, holding the output folder's lock (:func:`build`).

    With ``out=None`` everything is rendered and checked but nothing is written.
    Cities whose inputs did not change since the last build into ``out`` are not
    even loaded; in the others only the files whose key changed are rendered
    (:mod:`~ici_site.incremental`), on ``jobs`` processes (default: every core).
    ``warm`` (``serve``) renders an edit in this process, whose caches the next
    edit finds warm; a one-off build renders it on the workers too.
    ``progress(done, total)`` is called as parts of the site are rendered.
    ``compressed`` also writes a ``.gz`` and a ``.br`` copy of every text file (:mod:`~ici_site.precompress`).
    """
    started = time.perf_counter()
    today = today or build_date()
    report = Report()
    cache = root / FOLDER
    DIGESTS.load(cache)  # read only: `check` (out=None) writes nothing, not even the cache
    stored = cache if out is not None else None
    manifest = Manifest(cache, out) if out is not None else None
    keys = {slug: city_key(root, slug, today, compressed) for slug in city_folders(root, only)}
    unchanged = {slug: record for slug in keys if manifest
                 and (record := manifest.current(slug)) is not None and record.key == keys[slug]}
    changed = tuple(slug for slug in keys if slug not in unchanged)
    full = not only  # the network's pages are made by a build of every city
    # raises ContentError listing every problem (the network's too)
    site = load_site(root, changed, cities=bool(changed), network=full) if changed or full else None
    job = Job(root, {c.slug: c for c in site.cities} if site else {}, str(today),
              Catalogs(root, catalog_store(cache, writable=out is not None)), manifest, warm, out, compressed)
    new_out = out is not None and not out.exists()  # a failed first build leaves no folder behind
    try:
        with Workers(jobs or default_jobs()) as workers:
            _use(job)
            forced = jobs is not None and jobs > 1  # asked for: use workers even for a small site

            def parallel(func: Callable[[Any], Any], tasks: Any, **options: Any) -> list[Any]:
                # asked each time: once the keys are known, an edit renders in this process
                return workers.map(func, tasks, parallel=forced or job.large(), **options)

            report.skipped = read_catalogues(content_domains(site) if site else (), job.catalogs,  # raises
                                             keep_going, parallel)  # unless keep_going
            published = dict(zip(changed, parallel(_publish, changed)))
            job.prepare({slug: languages for slug, (languages, _) in published.items()})
            results = render_cities(job, workers, changed, parallel, progress)
            workers.restart()  # forked with what the parent knows: nothing is copied to check the links
            broken = parallel(_check_links, changed)
            if any(broken):
                raise ContentError([problem for found in broken for problem in found])  # each where written
            network = network_stage(job, site.network, unchanged) if site and site.network else None
            if out is not None:
                write_site(out, job.files)
                if full:  # the network's pages, or the removal of those a network file no longer asks for
                    write_network(job, network)
    finally:  # after the workers stopped: a failure, or a city with nothing new
        if out is not None:
            discard_staging(out, changed, remove_empty=new_out)
    for slug, key in keys.items():  # only now is the site in place ^
        record = unchanged.get(slug) or job.record(slug, key, published[slug], results[slug])
        report.add(record, sum(data is not None for _, _, _, data in results.get(slug, ())))
        if manifest is not None and slug not in unchanged and not report.skipped:  # a skipped catalogue
            # is still broken: the next build must read it again, not reuse this output
            manifest.commit(slug, record)  # with each file's inode, size and mtime
    if network is not None:
        report.add_network(*network)
    if manifest is not None and full:
        if network is not None and not report.skipped:
            manifest.commit(NETWORK, network[0])
        elif network is None:
            manifest.forget(NETWORK)
    if manifest is not None:
        manifest.save()
    if stored is not None:
        DIGESTS.save(stored)
    report.seconds = time.perf_counter() - started
    return report


def render_cities(job: Job, workers: Workers, changed: tuple[str, ...], parallel: Callable[..., list[Any]],
                  progress: Callable[[int, int], None] | None) -> dict[str, list[Rendered]]:
    """Render every city × language (each city's files into ``job.files``).

    The workers write new files straight into hidden staging folders (none for
    ``check``), so pages neither travel back nor wait in memory; until the swap in
    :func:`~ici_site.writer.write_site` the published folders are not touched.
    """
    job.stages = prepare_staging(job.out, changed) if job.out is not None else {}
    workers.restart()  # fork again: the workers need what the parent just learnt
    parts = [(slug, lang) for slug in changed for lang in (*job.published[slug], None)]
    rendered = parallel(_render_part, parts, done=_Counter(len(parts), progress))
    results: dict[str, list[Rendered]] = {slug: [] for slug in changed}
    for (slug, _), part in zip(parts, rendered, strict=True):
        results[slug].extend(part)
    job.files = {slug: _files(job.root, job.cities[slug], job.out, found) for slug, found in results.items()}
    return results


def read_catalogues(cities: Iterable[Translated], catalogs: Catalogs, keep_going: bool,
                    mapper: Callable[..., list[list[Problem]]]) -> list[Problem]:
    """Read every catalogue the cities use, so all broken ones are reported at once.

    With ``keep_going`` a broken catalogue is left out (readers see the fallback
    language instead) and its problems are returned; otherwise they are raised.
    ``mapper`` (the workers' ``map``) parses them, on every core for a large site:
    each worker leaves what it parsed in the catalogue store, where this process
    then finds it.
    """
    needed: set[tuple[str, str]] = set()
    for city in cities:
        for lang in city.languages:
            needed.update((city.slug, code) for code in city.chain(lang) if code != city.source_language)
            needed.update((TEMPLATE_DOMAIN, code) for code in interface_chain(city, lang))
    problems: list[Problem] = []
    tasks = sorted(needed)
    for (domain, lang), broken in zip(tasks, mapper(_read_catalogue, tasks), strict=True):
        if broken:
            problems.extend(broken)
            catalogs.skip(domain, lang)
        else:
            catalogs.entries(domain, lang)
    if problems and not keep_going:
        raise ContentError(problems)
    return problems


def network_stage(job: Job, network: Network, unchanged: dict[str, CityRecord]) -> tuple[CityRecord, dict[str, bytes] | None]:
    """The network's pages (:mod:`~ici_site.network`), their links checked against the city
    folders of this build: its record for the manifest, and the files (None: the pages of
    the last build are still right)."""
    published = {**{slug: tuple(record.languages) for slug, record in unchanged.items()}, **job.published}
    base = digest(code_version(), job.today, "compressed" if job.compressed else "")
    key = network_key(job.root, network, published, base)
    previous = job.manifest.current(NETWORK) if job.manifest else None
    if previous is not None and previous.key == key:
        return previous, None
    languages, warnings = languages_reaching(network, job.catalogs)
    with template_errors(job.root, None):
        made = network_files(city_environment(job.root, None), network, languages,
                             members(job.root, network, job.cities, published), job.catalogs)
        pages = {path: make().encode("utf-8") for path, make in made}
    cities: dict[str, bytes | Path] = {}
    for slug in network.cities:  # what each page's links may lead to
        if slug in job.files:
            cities.update((urls.in_city(slug, path), data) for path, data in job.files[slug].sources())
        elif slug in unchanged and job.out is not None:
            cities.update((urls.in_city(slug, path), job.out / slug / path) for path in unchanged[slug].files)
    problems = link_problems(network, pages, cities)
    if problems:
        raise ContentError(problems)
    if job.compressed:
        pages.update(precompress.copies(pages))
    warnings += interface_warnings(network, job.catalogs)
    record = CityRecord(key, "", list(languages), [(w.path, w.line, w.key, w.message) for w in warnings],
                        {path: (digest(data), [], (0, 0, 0)) for path, data in pages.items()})
    return record, pages


def write_network(job: Job, network: tuple[CityRecord, dict[str, bytes] | None] | None) -> None:
    """Write the network's new pages at the top of the output folder, and remove those of the
    last build it no longer has (all of them when content/network.yaml is gone)."""
    assert job.out is not None and job.manifest is not None
    previous = job.manifest.cities.get(NETWORK)
    made = network[1] if network else {}
    if made is not None:  # None: the network's pages are unchanged
        write_top_files(job.out, made, previous.files if previous else ())


def city_link_problems(root: Path, city: City, outputs: Files, catalogs: Catalogs,
                       folder: Path | None, before: set[str]) -> list[Problem]:
    """Where each broken relative link or anchor of a city's pages was written (none: all lead somewhere).

    ``folder`` is the city's published folder and ``before`` the files of its last build.
    When this build has the same files and no changed page lost an id, the unchanged
    pages' links (checked last time) still hold: only the changed pages' links are
    checked. Otherwise every page is, the unchanged ones read back from the folder.
    """
    sources = dict(outputs.sources())
    changed = outputs.changed()
    only = changed if folder and before == set(sources) and _ids_kept(folder, changed, sources) else None
    written = {lang: _translation_lines(root, city.slug, lang, catalogs)
               for lang in city.languages if lang != city.source_language}
    if city.offer_download:  # not made by the build: `bundle` adds it to the published folder
        sources.setdefault(urls.download(city.slug), b"")
    return check_links(root, city, sources.items(), written, only)


def _ids_kept(folder: Path, changed: set[str], sources: dict[str, bytes | Path]) -> bool:
    """Whether every changed page still has every id its previous version had."""
    for path in changed:
        old = folder / path
        if path.endswith(".html") and old.is_file():
            new = sources[path]
            if not page_ids(old.read_bytes()) <= page_ids(new.read_bytes() if isinstance(new, Path) else new):
                return False
    return True


def _translation_lines(root: Path, domain: str, lang: str, catalogs: Catalogs) -> dict[str, tuple[str, int]]:
    """translation -> (catalogue, line), to name the entry a broken link came from."""
    path = po_path(root, domain, lang).relative_to(root).as_posix()
    return {entry.string: (path, entry.line) for entry in catalogs.entries(domain, lang).values() if entry.string}


def interface_chain(city: Translated, lang: str) -> tuple[str, ...]:
    """The languages whose interface catalogues a ``lang`` page reads (English ends it: the msgids)."""
    chain = city.chain(lang)
    return chain[: chain.index(TEMPLATE_LANGUAGE)] if TEMPLATE_LANGUAGE in chain else chain


def published_languages(city: City, catalogs: Catalogs) -> tuple[tuple[str, ...], list[Problem]]:
    """The city's languages that reach ``min_translated``, and the city's warnings: one for each
    other language, and the content's own (opening hours)."""
    published, below = languages_reaching(city, catalogs)
    # the city's content warnings travel with its languages
    return published, [*hours_warnings(city), *below, *interface_warnings(city, catalogs)]


def languages_reaching(source: City | Network, catalogs: Catalogs) -> tuple[tuple[str, ...], list[Problem]]:
    """The languages of a city (or of the network) that reach ``min_translated``, and a warning
    for each other."""
    messages = content_messages(source)
    published, warnings = [], []
    for lang in source.languages:
        share = progress(source, lang, catalogs, messages).share
        if share >= source.min_translated:
            published.append(lang)
        else:
            warnings.append(Problem(
                source.path, source.lines["languages"], "languages",
                f"'{lang}' is not published: {percent(share)} of the content is translated, "
                f"min_translated is {percent(source.min_translated)}"))
    return tuple(published), warnings


def interface_warnings(source: Translated, catalogs: Catalogs) -> list[Problem]:
    """The broken strings of the interface catalogues a city's (or the network's) pages read:
    they show English, and the build says where they are."""
    interface = {code for lang in source.languages for code in interface_chain(source, lang)}
    return [problem for code in sorted(interface) if (TEMPLATE_DOMAIN, code) not in catalogs.skipped
            for problem in interface_problems(catalogs.root, code)]


def percent(share: float) -> str:
    """A share as a percentage rounded down to a tenth: 99.96 % translated never reads "100%"."""
    return f"{math.floor(round(share * 1000, 6)) / 10:g}%"


def language_outputs(renderer: CityRenderer) -> Iterator[Output]:
    """Every file of one city in one language. A new per-language output is one more line."""
    paths = []
    for route, template, variables in renderer.routes():
        paths.append(route.path(renderer.lang))
        yield Output(paths[-1], partial(renderer.render, route, template, variables), documents_in(variables))
    for output in front.language_files(renderer):  # search index, manifest, vCards
        paths.append(output.path)
        yield output
    yield from publishing.language_files(renderer)  # feed, posters: not saved for offline reading
    yield front.page_list(renderer, paths)  # last: it lists every file above


def city_outputs(root: Path, city: City, chooser: CityRenderer, catalogs: Catalogs,
                 version: str) -> Iterator[Output]:
    """The files of a city outside its language folders. A new per-city output is one more line.

    ``version`` changes with any input of the city: it names the service worker's caches.
    """
    env = chooser.env
    yield Output(urls.ROOT, lambda: env.get_template("root.html").render(
        chooser.context(urls.ROOT, None), **front.root_texts(city, chooser.published, catalogs)))
    yield Output(urls.STATUS, lambda: env.get_template("translation-status.html").render(
        chooser.context(urls.STATUS, None), **status_page(city, chooser.published, catalogs)))
    yield Output(urls.asset("style.css"), lambda: front.minify_css(env.get_template("assets/style.css").render(city=city)))
    if city.base_url:  # the posters' own print stylesheet (posters need an absolute URL for their QR code)
        yield Output(urls.asset("poster.css"), lambda: env.get_template("assets/poster.css").render(city=city), ())
    if city.logo:
        yield Output(urls.asset(city.logo), partial(_logo, root, city))
    yield from front.city_files(chooser, version)  # scripts and service worker
    yield from publishing.city_files(chooser)  # sitemap, robots.txt, open data


def _logo(root: Path, city: City) -> bytes:
    """The city's logo, checked again as it is copied (it may have changed since it was loaded)."""
    try:
        return read_logo(root / "content" / city.slug / str(city.logo))
    except ValueError as exc:
        raise ContentError([Problem(city.path, city.lines.get("theme"), "theme.logo", str(exc))]) from None


@contextmanager
def template_errors(root: Path, city: City | None) -> Iterator[None]:
    """Turn a broken template into a ContentError naming the file and line."""
    try:
        yield
    except TemplateSyntaxError as exc:
        where = Path(exc.filename).resolve().relative_to(root.resolve()).as_posix() if exc.filename else exc.name
        raise ContentError([Problem(str(where), exc.lineno, "", f"template error: {exc.message}")]) from None
    except TemplateNotFound as exc:
        raise ContentError([Problem("templates", None, "", f"template '{exc.name}' not found")]) from None
    except UndefinedError as exc:
        raise ContentError([Problem(f"content/{city.slug}/templates" if city else "templates", None, "",
                                    f"template error: {exc.message}")]) from None
    except OutputError as exc:  # e.g. a logo named like one of the site's own assets
        raise ContentError([Problem(city.path if city else "content", None, "",
                                    f"{exc}; rename one of them")]) from None


# -- the pieces of a build that run in worker processes --------------------------------

# path, key, kinds read, and the bytes or the staged file (None: unchanged, the previous file is kept)
Rendered = tuple[str, str, list[str], bytes | Path | None]


def city_folders(root: Path, only: tuple[str, ...]) -> list[str]:
    """The cities to build; anything wrong with ``only`` is reported by the loader."""
    content = root / "content"
    folders = sorted(p.name for p in content.iterdir() if p.is_dir() and not p.name.startswith(".")) \
        if content.is_dir() else []
    if not content.is_dir() or any(name not in folders for name in only):
        load_site(root, only)  # raises the loader's own message
    return [name for name in folders if not only or name in only]


def city_key(root: Path, slug: str, today: dt.date, compressed: bool = False) -> str:
    """Hash of every input of one city: equal to last time means its output is still right."""
    return digest(code_version(), str(today), "compressed" if compressed else "", DIGESTS.tree(root / "templates"),
                  DIGESTS.tree(root / "content" / slug), DIGESTS.tree(root / "locales"))


@dataclass
class Job:
    """What the workers of one build share (inherited when they are forked)."""

    root: Path
    cities: dict[str, City]
    today: str
    catalogs: Catalogs
    manifest: Manifest | None
    warm: bool = False  # edits render in this process (serve keeps its caches warm for the next)
    out: Path | None = None  # where the site is published (None: `check`)
    compressed: bool = False  # write .gz and .br beside every text file
    published: dict[str, tuple[str, ...]] = field(default_factory=dict)
    keys: dict[str, Keys] = field(default_factory=dict)
    envs: dict[str, Environment] = field(default_factory=dict)
    files: dict[str, Files] = field(default_factory=dict)  # what each city's build made
    stages: dict[str, Stage] = field(default_factory=dict)  # city -> its staging folder (none for `check`)
    shared: Shared = field(default_factory=Shared)  # what renderers of one process share

    def large(self) -> bool:
        """Worth forking workers for: a first build, one where the templates, code or date
        changed, or any rebuild in a process that will not build again."""
        if not self.keys:
            return sum(len(c.languages) * (len(c.services) + len(c.pages)) for c in self.cities.values()) > 200
        rebuilt = any(self._previous(slug) is None or self._previous(slug).base != keys.base  # type: ignore[union-attr]
                      for slug, keys in self.keys.items())
        return rebuilt or not self.warm

    def _previous(self, slug: str) -> CityRecord | None:
        return self.manifest.current(slug) if self.manifest else None

    def prepare(self, published: dict[str, tuple[str, ...]]) -> None:
        """Compute the keys of every changed city, once its published languages are known."""
        self.published = published
        for slug, city in self.cities.items():
            self.keys[slug] = Keys(self.root, city, published[slug], self.today)

    def previous(self, slug: str) -> dict[str, tuple[str, list[str]]]:
        """path -> (key, kinds read) of the files of the city's last build still in place."""
        record = self._previous(slug)
        return {path: (key, seen) for path, (key, seen, _) in record.files.items()} if record else {}

    def record(self, slug: str, key: str, published: tuple[tuple[str, ...], list[Problem]],
               results: list[Rendered]) -> CityRecord:
        """The manifest entry of a city just built."""
        languages, warnings = published
        return CityRecord(key, self.keys[slug].base, list(languages),
                          [(w.path, w.line, w.key, w.message) for w in warnings],
                          {path: (k, seen, (0, 0, 0)) for path, k, seen, _ in results})


_JOB: Job | None = None


def _use(job: Job) -> None:
    global _JOB
    _JOB = job


def _read_catalogue(task: tuple[str, str]) -> list[Problem]:
    """The problems of one catalogue (none if it is sound), read into the job's catalogues."""
    assert _JOB is not None
    try:
        _JOB.catalogs.entries(*task)
    except ContentError as exc:
        return [p for p in exc.problems if isinstance(p, Problem)]
    return []


def _publish(slug: str) -> tuple[tuple[str, ...], list[Problem]]:
    assert _JOB is not None
    return published_languages(_JOB.cities[slug], _JOB.catalogs)


def _render_part(task: tuple[str, str | None]) -> list[Rendered]:
    """Render the changed files of one city in one language (or its per-city files)."""
    slug, lang = task
    job = _JOB
    assert job is not None
    city, keys, previous = job.cities[slug], job.keys[slug], job.previous(slug)
    with template_errors(job.root, city):
        env = job.envs.get(slug) or job.envs.setdefault(slug, city_environment(job.root, city))
        today = dt.date.fromisoformat(job.today)
        code = lang or city.source_language
        folder = job.root / FOLDER / "kept" / slug if job.out is not None else None  # `check` keeps nothing
        limit = 3 * (len(city.services) + len(city.pages) + len(city.notices))  # a few entries per document
        kept = (Kept(folder / f"{code}.bodies" if folder else None, limit),
                Kept(folder / f"{code}.fragments" if folder else None, limit))
        renderer = CityRenderer(env, city, code, job.published[slug], job.catalogs, today, kept, keys, job.shared)
        outputs = language_outputs(renderer) if lang else \
            city_outputs(job.root, city, renderer, job.catalogs, keys.everything)
        stage = job.stages.get(slug)  # new files go there now: they need not travel or wait in memory
        results: list[Rendered] = []
        for output in outputs:
            old = previous.get(output.path)
            if old is not None and keys.of(output, lang, old[1]) == old[0]:
                results.append((output.path, old[0], old[1], None))
                results.extend(_compressed(job, slug, output.path, old[0], old[1], None, previous))
                continue
            renderer.seen.clear()
            data = output.make()
            if isinstance(data, str) and output.path.endswith(".html"):
                data = with_script_hashes(data)  # the page's own inline scripts may run, nothing else
            seen = sorted(renderer.seen)
            made = data.encode("utf-8") if isinstance(data, str) else data
            key = keys.of(output, lang, seen)
            results.append((output.path, key, seen, write_staged(stage, output.path, made) if stage else made))
            results.extend(_compressed(job, slug, output.path, key, seen, made, previous))
        for store in kept:
            store.save()
        return results


def _compressed(job: Job, slug: str, path: str, key: str, seen: list[str], made: bytes | None,
                previous: dict[str, tuple[str, list[str]]]) -> list[Rendered]:
    """The ``.gz`` and ``.br`` copies of one text file (``made``; None: unchanged since the
    previous build, whose copies are kept when they are there)."""
    if not job.compressed or not precompress.wanted(path):
        return []
    stage, found, data = job.stages.get(slug), list[Rendered](), made
    for suffix, compress in precompress.ENCODINGS:
        name, own = path + suffix, digest(key, suffix)
        if made is None and previous.get(name, ("",))[0] == own:
            found.append((name, own, seen, None))
            continue
        if data is None:  # unchanged, but its copies are missing: read it from the previous output
            assert job.out is not None
            data = (job.out / slug / path).read_bytes()
        packed = compress(data)
        found.append((name, own, seen, write_staged(stage, name, packed) if stage else packed))
    return found


_ENVIRONMENTS: dict[tuple[str, str], tuple[str, Environment]] = {}  # (root, city) -> (templates' hash, env)


def city_environment(root: Path, city: City | None) -> Environment:
    """The city's Jinja environment, with its compiled templates: shared by the cities
    without templates of their own and the network (None), and reused by ``serve`` while
    no template (the project's or the city's) changed; a new one when any did."""
    own = root / "content" / city.slug / "templates" if city else None
    name = (str(root), city.slug if city and own and own.is_dir() else "")
    templates = digest(DIGESTS.tree(root / "templates"), DIGESTS.tree(own) if own else "", name[1])
    known = _ENVIRONMENTS.get(name)
    if known is None or known[0] != templates:
        known = _ENVIRONMENTS[name] = (templates, make_environment(root, city))
    return known[1]


def _check_links(slug: str) -> list[Problem]:
    """The link check of one city, on the pages this build made."""
    job = _JOB
    assert job is not None
    folder = job.out / slug if job.out is not None else None
    return city_link_problems(job.root, job.cities[slug], job.files[slug], job.catalogs, folder,
                              set(job.previous(slug)) if folder else set())


def _files(root: Path, city: City, out: Path | None, results: list[Rendered]) -> Files:
    """The writer's view of a city: new bytes, or the previous file to link."""
    files = Files()
    try:
        for path, _, _, data in results:
            if data is None:
                assert out is not None  # only a previous output has files to reuse
                files.reuse(path, out / city.slug / path)
            elif isinstance(data, Path):
                files.staged(path, data)
            else:
                files.add(path, data)
    except OutputError as exc:  # e.g. a logo named like one of the site's own assets
        raise ContentError([Problem(city.path, None, "", f"{exc}; rename one of them")]) from None
    return files


class _Counter:
    """Calls ``progress(done, total)`` as parts finish."""

    def __init__(self, total: int, progress: Callable[[int, int], None] | None) -> None:
        self.total, self.done, self.progress = total, 0, progress

    def __call__(self, _: object) -> None:
        self.done += 1
        if self.progress:
            self.progress(self.done, self.total)
