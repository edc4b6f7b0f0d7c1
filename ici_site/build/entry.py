"""Build a project's sites: :func:`build` runs the pipeline (:mod:`~ici_site.pipeline`)
through a speed layer (:mod:`~ici_site.build.speed`), holding the output folder's lock.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ici_site.build.cache import FOLDER, digest
from ici_site.build.manifest import CityRecord
from ici_site.build.output_folder import output_folder_problem, output_lock
from ici_site.build.settings import default_jobs, fast_by_default
from ici_site.build.speed import Fast, Plain, city_folders
from ici_site.build.state import State
from ici_site.errors import Problem, UsageError
from ici_site.pipeline import Project, build_site
from ici_site.site.network import RECORD as NETWORK
from ici_site.site.outputs import percent

__all__ = ["Report", "build", "build_date", "city_folders", "percent"]


@dataclass
class Report:
    """What a build did, for the one-line summary."""

    cities: int = 0
    languages: int = 0
    pages: int = 0
    rendered: int = 0  # files written this time; the others were kept (inputs unchanged, or the same bytes made again)
    seconds: float = 0.0
    warnings: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)  # broken catalogs left out (--keep-going)

    def summary(self) -> str:
        """One line for the terminal."""
        return (f"built {self.cities} cities, {self.languages} languages, "
                f"{self.pages} pages in {self.seconds:.2f} s ({self.rendered} files written)")

    def add(self, record: CityRecord, rendered: int, city: bool = True) -> None:
        """Count one city (or the network's pages: not a city)."""
        if city:
            self.cities += 1
            self.languages += len(record.languages)
        self.pages += sum(1 for path in record.files if path.endswith(".html"))
        self.rendered += rendered
        for warning in (Problem(*w) for w in record.warnings):
            if warning not in self.warnings:  # an interface catalog's problems come with every city
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
          waiting: Callable[[str], None] | None = None, state: State | None = None,
          fast: bool | None = None) -> Report:
    """Build every city (or those in ``only``) of the project at ``root`` into ``out``.

    With ``out=None`` everything is rendered and checked but nothing is written (`check`).
    ``out`` must not hold or lie in the project's own folders (:class:`UsageError`);
    builds into the same ``out`` run one after the other (``waiting`` is told when
    this one waits for another). ``state`` is what this process remembers between
    builds (``serve`` passes its own; a fresh one otherwise). ``fast`` (default: unless
    ``ICI_SPEED=off``) uses the speed layer: only what changed is made, on ``jobs``
    processes (default: every core); ``warm`` (``serve``) renders an edit in this
    process, whose caches the next edit finds warm. ``progress(done, total)`` is called
    as parts are rendered; ``compressed`` also writes a ``.gz`` and a ``.br`` copy of
    every text file.
    """
    project = Project(root, out, today or build_date(), tuple(only), keep_going, compressed)
    if out is None:
        return _build(project, state or State(), jobs, progress, warm, fast)
    problem = output_folder_problem(out, root)
    if problem:
        raise UsageError([problem])
    fallback = root / FOLDER / f"output-{digest(str(out.resolve()))[:16]}.lock"  # if out's folder is read-only
    with output_lock(out, fallback, waiting or _tell):
        return _build(project, state or State(), jobs, progress, warm, fast)


def _tell(message: str) -> None:
    print(f"{message}…", file=sys.stderr, flush=True)


def _build(project: Project, state: State, jobs: int | None, progress: Callable[[int, int], None] | None,
           warm: bool, fast: bool | None) -> Report:
    """The pipeline through the chosen speed layer, and its report."""
    started = time.perf_counter()
    speed = Fast(state, jobs or default_jobs(), warm, forced=jobs is not None and jobs > 1, progress=progress) \
        if (fast_by_default() if fast is None else fast) else Plain(state, progress)
    try:
        built = build_site(project, speed)
        records = speed.write(project, built)
    finally:  # after the workers stopped: a failure, or a city with nothing new
        speed.close(project)
    report = Report(skipped=list(built.skipped))
    for slug, record, made in records:
        report.add(record, made, city=slug != NETWORK)
    report.seconds = time.perf_counter() - started
    return report
