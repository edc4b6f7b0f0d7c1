"""The build, stage by stage: load → catalogs → publish → outputs → render → check links → write.

:func:`build_site` is the whole pipeline; each stage is a function that takes what the
stages before it returned and returns a value. Nothing here skips work, forks, keys or
stages files: the *speed layer* handed in (:mod:`~ici_site.build.speed`) decides which cities
and files need making, runs the stages' tasks (serially, or on forked workers) and
puts the files in place. With the plain layer every page is made in this process and
the output is the same, byte for byte.

Everything is loaded, validated and rendered before the first byte is published, so
a content error never leaves a half-written site.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from jinja2 import Environment

from ici_site.build.cache import CatalogStore, Digests, Kept
from ici_site.build.incremental import Keys, Output
from ici_site.build.manifest import CityRecord
from ici_site.build.writer import Files, OnDisk
from ici_site.content.loaders import Parsed, load_site
from ici_site.content.model import City, Network, Site
from ici_site.errors import ContentError, Problem
from ici_site.i18n.catalogs import TEMPLATE_DOMAIN, content_domains, interface_chain
from ici_site.i18n.safety import format_characters
from ici_site.i18n.segments import content_messages
from ici_site.i18n.translations import Catalogs
from ici_site.site import precompress, urls
from ici_site.site.csp import file_bytes
from ici_site.site.network import link_problems, members, network_files
from ici_site.site.outputs import (
    Made,
    Published,
    city_link_problems,
    city_outputs,
    interface_warnings,
    kept_states,
    language_outputs,
    languages_reaching,
    published_languages,
    template_errors,
)
from ici_site.site.render import CityRenderer
from ici_site.site.shared import Shared

C = TypeVar("C", bound="Context")
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Project:
    """What one build is asked to make."""

    root: Path
    out: Path | None  # None: `check` (every page rendered and checked, nothing written)
    today: dt.date  # the build's date: what is open, what has expired, "reviewed" ages
    only: tuple[str, ...] = ()  # the cities named (none: every city, and the network's pages)
    keep_going: bool = False  # leave broken catalogs out instead of stopping
    compressed: bool = False  # also a .gz and a .br copy of every text file

    @property
    def full(self) -> bool:
        """A build of every city, which makes the network's pages too."""
        return not self.only


@dataclass(frozen=True)
class Plan:
    """Which cities a build makes, and what it knows of the others."""

    cities: tuple[str, ...]  # to build
    keys: dict[str, str]  # every city's key: a hash of all its inputs
    current: dict[str, CityRecord] = field(default_factory=dict)  # unchanged since the last build: kept


class Speed(Protocol):
    """What the pipeline asks of its speed layer (:mod:`~ici_site.build.speed`): what to skip, how
    to run a stage's tasks, where a file goes. Nothing else of the build knows of caching."""

    digests: Digests
    shared: Shared
    parsed: Parsed | None  # documents loaded before, taken again while their bytes are the same

    def plan(self, project: Project) -> Plan: ...
    def catalog_store(self, project: Project) -> CatalogStore | None: ...
    def map(self, func: Callable[[C, T], R], context: C, tasks: Iterable[T], progress: bool = False) -> list[R]: ...
    def environment(self, root: Path, city: City | None) -> Environment: ...
    def kept(self, project: Project, city: City, code: str) -> tuple[Kept, Kept]: ...
    def file(self, project: Project, slug: str, lang: str | None, output: Output, keys: Keys,
             make: Callable[[], tuple[bytes, list[str]]]) -> list[Made]: ...
    def done(self, renderer: CityRenderer) -> None: ...
    def files(self, project: Project, city: City, made: list[Made]) -> Files: ...
    def published_files(self, project: Project, slug: str) -> tuple[Path | None, set[str]]: ...
    def network_key(self, project: Project, network: Network, published: dict[str, tuple[str, ...]]) -> str: ...
    def network_current(self, project: Project, key: str) -> bool: ...


def build_site(project: Project, speed: Speed) -> Built:
    """Build ``project``: every line is a stage; ``speed`` says what to skip, how to run, where to write."""
    plan = speed.plan(project)  # the cities to build: every one, or those whose inputs changed
    site = load_site(project.root, plan.cities, bool(plan.cities), project.full, speed.parsed)  # load
    catalogs, skipped = read_catalogs(project, site, speed)  # catalogs, each checked
    published = publish(site, catalogs, speed)  # the languages each city shows, and its warnings
    parts = outputs(site, published)  # outputs: each city in each language, and its own files
    rendered = render(project, site, published, catalogs, parts, speed)  # render
    check_links(project, site, rendered, catalogs, speed)  # check links
    network = network_pages(project, site, plan, published, catalogs, rendered, speed)  # the network's pages
    return Built(plan, site, published, rendered, network, skipped)  # what speed.write publishes


@dataclass(frozen=True)
class Built:
    """What the stages made, for the speed layer to write and record."""

    plan: Plan
    site: Site
    published: dict[str, Published]
    rendered: dict[str, CityFiles]
    network: tuple[str, list[Problem], dict[str, bytes] | None] | None  # key, warnings, pages (None: unchanged)
    skipped: list[Problem]  # broken catalogs left out (--keep-going)


@dataclass(frozen=True)
class CityFiles:
    """The files of one city: each as made (:class:`Made`), and as the writer takes them."""

    made: tuple[Made, ...]
    files: Files
    keys: Keys  # what they were made from


class Context:
    """What the tasks of one stage share (a frozen dataclass per stage)."""

    def prepare(self) -> None:
        """Make once what every task needs; the speed layer calls it before it spreads the tasks
        (forked workers inherit it)."""

    def group(self, task: Any) -> Hashable:
        """The city (or catalog domain) a task is about: a speed layer with workers gives the tasks
        of one city to one worker where it can, so what that worker makes once serves them all."""
        return task[0] if isinstance(task, tuple) else task  # (city, language) or a city

    def meanwhile(self) -> Iterable[Callable[[], object]]:
        """Short steps of what later stages will prepare, for this process to take while
        workers run the tasks (the speed layer may leave them: then those stages take them)."""
        return ()

    def received(self, task: Any, result: Any) -> None:
        """Told each task's result in task order as soon as it is back (workers may still run later ones)."""

    def known(self, task: Any) -> bool:
        """Whether the task's result is at hand in this process already: a worker would only look
        it up again (a speed layer forks no worker for such tasks)."""
        return False


# -- catalogs ------------------------------------------------------------------------

@dataclass(frozen=True)
class Reading(Context):
    """What the catalog readers share."""

    project: Project
    cities: dict[str, City]
    catalogs: Catalogs
    regions: dict[str, str | None]  # per domain: the country its phone numbers are read in
    speed: Speed

    def prepare(self) -> None:
        """What every safety check reads (:func:`~ici_site.i18n.safety.format_characters`)."""
        format_characters()

    def meanwhile(self) -> Iterator[Callable[[], object]]:
        """Each city's messages (publish), then what its renderers need (render)."""
        return self.speed.shared.steps(self.cities.values(), self.project.root, self.speed.environment)

    def known(self, task: tuple[str, str]) -> bool:
        """A catalog this process has read and checked (in ``serve``, every one an edit did not touch)."""
        return self.catalogs.known(*task, self.regions[task[0]])

    def received(self, task: tuple[str, str], result: list[Problem]) -> None:
        """A sound catalog a reader parsed and checked, taken from the store into this process's catalogs."""
        if not result:
            self.catalogs.entries(*task)
            self.catalogs.unsafe(*task, self.regions[task[0]])


def read_catalogs(project: Project, site: Site, speed: Speed) -> tuple[Catalogs, list[Problem]]:
    """Every catalog the site's cities read, so all broken ones are reported at once.

    With ``keep_going`` a broken catalog is left out (readers see the fallback
    language instead) and its problems are returned; otherwise they are raised.
    """
    catalogs = Catalogs(project.root, speed.catalog_store(project))
    needed: set[tuple[str, str]] = set()
    for city in content_domains(site):
        for lang in city.languages:
            needed.update((city.slug, code) for code in city.chain(lang) if code != city.source_language)
            needed.update((TEMPLATE_DOMAIN, code) for code in interface_chain(city, lang))
    tasks = sorted(needed)
    problems: list[Problem] = []
    regions = {TEMPLATE_DOMAIN: None, **{source.slug: source.country for source in content_domains(site)}}
    reading = Reading(project, site.by_slug, catalogs, regions, speed)
    for task, broken in zip(tasks, speed.map(_read_catalog, reading, tasks), strict=True):
        problems.extend(broken)
        if broken:
            catalogs.skip(*task)
        reading.received(task, broken)  # taken already where the speed layer told each result as it came
    if problems and not project.keep_going:
        raise ContentError(problems)
    return catalogs, problems


def _read_catalog(reading: Reading, task: tuple[str, str]) -> list[Problem]:
    """The problems of one catalog (none if it is sound); the safety check of its translations."""
    domain, lang = task
    try:
        reading.catalogs.entries(domain, lang)
    except ContentError as exc:
        return [p for p in exc.problems if isinstance(p, Problem)]
    reading.catalogs.unsafe(domain, lang, reading.regions[domain])
    return []


# -- publish ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Publishing(Context):
    """What the workers deciding the published languages share."""

    cities: dict[str, City]
    catalogs: Catalogs
    speed: Speed  # its store of each text's state (``serve``: kept for the next build)

    def prepare(self) -> None:
        """Every city's messages (each language's progress counts them)."""
        for city in self.cities.values():
            content_messages(city)

    def meanwhile(self) -> Iterator[Callable[[], object]]:
        """What the renderers will need, left from the catalogs' stage."""
        return self.speed.shared.steps(self.cities.values(), self.catalogs.root, self.speed.environment, False)


def publish(site: Site, catalogs: Catalogs, speed: Speed) -> dict[str, Published]:
    """Per city: the languages that reach ``min_translated``, and the city's warnings."""
    cities = site.by_slug
    return dict(zip(cities, speed.map(_publish, Publishing(cities, catalogs, speed), list(cities)), strict=True))


def _publish(publishing: Publishing, slug: str) -> Published:
    city, catalogs, speed = publishing.cities[slug], publishing.catalogs, publishing.speed
    return published_languages(city, catalogs, kept_states(speed.shared, catalogs.root, city, speed.digests))


# -- outputs and render ----------------------------------------------------------------

Part = tuple[str, str | None]  # a city, and one of its languages (None: the city's own files)


def outputs(site: Site, published: dict[str, Published]) -> list[Part]:
    """The parts of the site to render, each a list of files (:func:`~ici_site.site.outputs.language_outputs`,
    :func:`~ici_site.site.outputs.city_outputs`), listed in the process that renders it."""
    return [(city.slug, lang) for city in site.cities for lang in (*published[city.slug].languages, None)]


@dataclass(frozen=True)
class Rendering(Context):
    """What the renderers of one build share (inherited by forked workers)."""

    project: Project
    cities: dict[str, City]
    catalogs: Catalogs
    published: dict[str, Published]
    keys: dict[str, Keys]
    speed: Speed

    def prepare(self) -> None:
        """What every renderer of a city needs (``Shared.prepare``); each body's, the worker rendering it makes."""
        for city in self.cities.values():
            self.speed.shared.prepare(city, self.project.root)


def render(project: Project, site: Site, published: dict[str, Published], catalogs: Catalogs,
           parts: list[Part], speed: Speed) -> dict[str, CityFiles]:
    """Render every part: per city, its files (and the hashes of what they were made from)."""
    cities = site.by_slug
    keys = {slug: Keys(project.root, city, published[slug].languages, str(project.today), speed.digests)
            for slug, city in cities.items()}
    job = Rendering(project, cities, catalogs, published, keys, speed)
    made = speed.map(render_part, job, parts, progress=True)
    found: dict[str, list[Made]] = {slug: [] for slug in cities}
    for (slug, _), files in zip(parts, made, strict=True):
        found[slug].extend(files)
    return {slug: CityFiles(tuple(made), speed.files(project, cities[slug], made), keys[slug])
            for slug, made in found.items()}


def render_part(job: Rendering, part: Part) -> list[Made]:
    """The files of one city in one language (None: the city's own files, outside its language folders)."""
    slug, lang = part
    city, keys, project, speed = job.cities[slug], job.keys[slug], job.project, job.speed
    with template_errors(project.root, city):
        renderer = city_renderer(project, city, lang or city.source_language, job.published[slug].languages,
                                 job.catalogs, keys, speed)
        files = language_outputs(renderer) if lang else \
            city_outputs(project.root, city, renderer, job.catalogs, keys.everything)
        made: list[Made] = []
        for output in files:
            def make(output: Output = output) -> tuple[bytes, list[str]]:
                renderer.seen.clear()
                return file_bytes(output.path, output.make()), sorted(renderer.seen)

            made.extend(speed.file(project, slug, lang, output, keys, make))
        speed.done(renderer)
        return made


def city_renderer(project: Project, city: City, lang: str, languages: tuple[str, ...], catalogs: Catalogs,
                  keys: Keys, speed: Speed) -> CityRenderer:
    """The renderer of ``city``'s pages in ``lang``, with what the speed layer keeps."""
    return CityRenderer(speed.environment(project.root, city), city, lang, languages, catalogs, project.today,
                        speed.kept(project, city, lang), keys, speed.shared)


# -- check links -----------------------------------------------------------------------

@dataclass(frozen=True)
class Checking(Context):
    """What the link checkers share."""

    project: Project
    cities: dict[str, City]
    rendered: dict[str, CityFiles]
    catalogs: Catalogs
    keys: dict[str, Keys]  # what each city's files were made from
    speed: Speed


def check_links(project: Project, site: Site, rendered: dict[str, CityFiles], catalogs: Catalogs,
                speed: Speed) -> None:
    """Raise every relative link or anchor of the cities' pages that leads nowhere, where it was written."""
    cities = site.by_slug
    keys = {slug: city.keys for slug, city in rendered.items()}
    broken = speed.map(_check_links, Checking(project, cities, rendered, catalogs, keys, speed), list(cities))
    if any(broken):
        raise ContentError([problem for found in broken for problem in found])


def _check_links(checking: Checking, slug: str) -> list[Problem]:
    project = checking.project
    folder, before = checking.speed.published_files(project, slug)
    return city_link_problems(project.root, checking.cities[slug], checking.rendered[slug].files, checking.catalogs,
                              folder, before)


# -- the network's pages ---------------------------------------------------------------

def network_pages(project: Project, site: Site, plan: Plan, published: dict[str, Published], catalogs: Catalogs,
                  rendered: dict[str, CityFiles], speed: Speed) -> tuple[str, list[Problem], dict[str, bytes] | None] | None:
    """The network's pages (:mod:`~ici_site.site.network`), their links checked against the city
    folders of this build: (key, warnings, pages); None without a network, or pages None
    when the speed layer says the last build's are still right."""
    network = site.network
    if network is None:
        return None
    languages_of = {**{slug: tuple(record.languages) for slug, record in plan.current.items()},
                    **{slug: p.languages for slug, p in published.items()}}
    key = speed.network_key(project, network, languages_of)
    if speed.network_current(project, key):
        return key, [], None
    languages, warnings = languages_reaching(network, catalogs)
    cities = site.by_slug
    with template_errors(project.root, None):
        made = network_files(speed.environment(project.root, None), network, languages,
                             members(project.root, network, cities, languages_of), catalogs)
        pages = {path: make().encode("utf-8") for path, make in made}
    targets: dict[str, bytes | OnDisk] = {}  # what each page's links may lead to: this build's files, or the last's
    for slug in network.cities:
        if slug in rendered:
            targets.update((urls.in_city(slug, path), data) for path, data in rendered[slug].files.sources())
        elif slug in plan.current and project.out is not None:
            targets.update((urls.in_city(slug, p), OnDisk(f"{project.out}/{slug}/{p}")) for p in plan.current[slug].files)
    problems = link_problems(network, pages, targets)
    if problems:
        raise ContentError(problems)
    if project.compressed:
        pages.update(precompress.copies(pages))
    return key, warnings + interface_warnings(network, catalogs), pages
