"""The build, stage by stage: load → translate → render → write.

Everything is loaded, validated and rendered in memory before the first byte
is written, so a content error never leaves a half-written site.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError

from . import urls
from .catalogs import TEMPLATE_DOMAIN, TEMPLATE_LANGUAGE, po_path
from .csp import hash_inline_scripts
from .errors import ContentError, Problem
from .links import check_links
from .loaders import load_site
from .model import City
from .render import CityRenderer, make_environment
from .segments import city_messages
from .status import status_page
from .translations import Catalogs, progress
from .writer import Files, OutputError, write_site


@dataclass
class Report:
    """What a build did, for the one-line summary."""

    cities: int = 0
    languages: int = 0
    pages: int = 0
    seconds: float = 0.0
    warnings: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)  # broken catalogues left out (--keep-going)

    def summary(self) -> str:
        """One line for the terminal."""
        return (f"built {self.cities} cities, {self.languages} languages, "
                f"{self.pages} pages in {self.seconds:.2f} s")


def build_date() -> dt.date:
    """Today, or the day of SOURCE_DATE_EPOCH so builds are reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def build(root: Path, out: Path | None, only: tuple[str, ...] = (),
          today: dt.date | None = None, keep_going: bool = False) -> Report:
    """Build every city (or those in ``only``) of the project at ``root`` into ``out``.

    With ``out=None`` everything is rendered and checked but nothing is written.
    """
    started = time.perf_counter()
    today = today or build_date()
    report = Report()
    site = load_site(root, only)  # raises ContentError listing every problem
    catalogs = Catalogs(root)
    report.skipped = read_catalogues(site.cities, catalogs, keep_going)  # raises unless keep_going
    outputs = {}
    for city in site.cities:
        languages = published_languages(city, catalogs, report)
        outputs[city.slug] = render_city(root, city, languages, catalogs, today)
        report.cities += 1
        report.languages += len(languages)
        report.pages += sum(1 for path, _ in outputs[city.slug].items() if path.endswith(".html"))
    check_site_links(root, site.cities, outputs, catalogs)  # raises ContentError naming each source
    if out is not None:
        write_site(out, outputs)  # only now is anything written
    report.seconds = time.perf_counter() - started
    return report


def read_catalogues(cities: tuple[City, ...], catalogs: Catalogs, keep_going: bool) -> list[Problem]:
    """Read every catalogue the cities use, so all broken ones are reported at once.

    With ``keep_going`` a broken catalogue is left out (readers see the fallback
    language instead) and its problems are returned; otherwise they are raised.
    """
    needed = set()
    for city in cities:
        for lang in city.languages:
            chain = city.chain(lang)
            needed.update((city.slug, code) for code in chain if code != city.source_language)
            templates = chain[: chain.index(TEMPLATE_LANGUAGE)] if TEMPLATE_LANGUAGE in chain else chain
            needed.update((TEMPLATE_DOMAIN, code) for code in templates)
    problems: list[Problem] = []
    for domain, lang in sorted(needed):
        try:
            catalogs.entries(domain, lang)
        except ContentError as exc:
            problems.extend(p for p in exc.problems if isinstance(p, Problem))
            catalogs.skip(domain, lang)
    if problems and not keep_going:
        raise ContentError(problems)
    return problems


def check_site_links(root: Path, cities: tuple[City, ...], outputs: dict[str, Files], catalogs: Catalogs) -> None:
    """Every relative link and anchor of every page leads somewhere, or a ContentError
    says where each broken one was written."""
    problems = []
    for city in cities:
        written = {lang: _translation_lines(root, city.slug, lang, catalogs)
                   for lang in city.languages if lang != city.source_language}
        problems.extend(check_links(root, city, outputs[city.slug].items(), written))
    if problems:
        raise ContentError(problems)


def _translation_lines(root: Path, domain: str, lang: str, catalogs: Catalogs) -> dict[str, tuple[str, int]]:
    """translation -> (catalogue, line), to name the entry a broken link came from."""
    path = po_path(root, domain, lang).relative_to(root).as_posix()
    return {entry.string: (path, entry.line) for entry in catalogs.entries(domain, lang).values() if entry.string}


def published_languages(city: City, catalogs: Catalogs, report: Report) -> tuple[str, ...]:
    """The city's languages that reach ``min_translated``; the others are reported."""
    messages = city_messages(city)
    published = []
    for lang in city.languages:
        share = progress(city, lang, catalogs, messages).share
        if share >= city.min_translated:
            published.append(lang)
        else:
            report.warnings.append(Problem(
                city.path, city.lines["languages"], "languages",
                f"'{lang}' is not published: {share:.0%} of the content is translated, "
                f"min_translated is {city.min_translated:.0%}"))
    return tuple(published)


def render_city(root: Path, city: City, languages: tuple[str, ...], catalogs: Catalogs,
                today: dt.date) -> Files:
    """Every file of one city's site, in memory; a broken template is a ContentError."""
    try:
        return _render_city(root, city, languages, catalogs, today)
    except TemplateSyntaxError as exc:
        where = Path(exc.filename).resolve().relative_to(root.resolve()).as_posix() if exc.filename else exc.name
        raise ContentError([Problem(str(where), exc.lineno, "", f"template error: {exc.message}")]) from None
    except TemplateNotFound as exc:
        raise ContentError([Problem("templates", None, "", f"template '{exc.name}' not found")]) from None
    except UndefinedError as exc:
        raise ContentError([Problem(f"content/{city.slug}/templates", None, "",
                                    f"template error: {exc.message}")]) from None
    except OutputError as exc:  # e.g. a logo named like one of the site's own assets
        raise ContentError([Problem(city.path, None, "", f"{exc}; rename one of them")]) from None


def _render_city(root: Path, city: City, languages: tuple[str, ...], catalogs: Catalogs,
                 today: dt.date) -> Files:
    env = make_environment(root, city)
    files = Files()
    for lang in languages:
        renderer = CityRenderer(env, city, lang, languages, catalogs, today)
        for route, template, variables in renderer.routes():
            files.add(route.path(lang), renderer.render(route, template, variables))
    chooser = CityRenderer(env, city, city.source_language, languages, catalogs, today)
    files.add(urls.ROOT, env.get_template("root.html").render(chooser.context(urls.ROOT, None)))
    files.add(urls.STATUS, env.get_template("translation-status.html").render(
        chooser.context(urls.STATUS, None), **status_page(city, languages, catalogs)))
    files.add(urls.asset("style.css"), env.get_template("assets/style.css").render(city=city))
    if city.logo:
        files.add(urls.asset(city.logo), (root / "content" / city.slug / city.logo).read_bytes())
    return hash_inline_scripts(files)
