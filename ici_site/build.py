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

from . import offline, search, urls, vocab
from .contacts import render_vcard
from .errors import ContentError, Problem
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
          today: dt.date | None = None) -> Report:
    """Build every city (or those in ``only``) of the project at ``root`` into ``out``.

    With ``out=None`` everything is rendered and checked but nothing is written.
    """
    started = time.perf_counter()
    today = today or build_date()
    report = Report()
    site = load_site(root, only)  # raises ContentError listing every problem
    catalogs = Catalogs(root)
    outputs = {}
    for city in site.cities:
        languages = published_languages(city, catalogs, report)
        outputs[city.slug] = render_city(root, city, languages, catalogs, today)
        report.cities += 1
        report.languages += len(languages)
        report.pages += sum(1 for path, _ in outputs[city.slug].items() if path.endswith(".html"))
    if out is not None:
        write_site(out, outputs)  # only now is anything written
    report.seconds = time.perf_counter() - started
    return report


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
    entries = search.search_entries(city)
    choose = {}
    for lang in languages:
        renderer = CityRenderer(env, city, lang, languages, catalogs, today)
        for route, template, variables in renderer.routes():
            files.add(route.path(lang), renderer.render(route, template, variables))
        _add_language_files(files, city, lang, renderer, entries)
        choose[lang] = renderer.gettext(vocab.CHOOSE_LANGUAGE)
    chooser = CityRenderer(env, city, city.source_language, languages, catalogs, today)
    files.add(urls.ROOT, env.get_template("root.html").render(
        chooser.context(urls.ROOT, None), choose_language=choose))
    files.add(urls.STATUS, env.get_template("translation-status.html").render(
        chooser.context(urls.STATUS, None), **status_page(city, languages, catalogs)))
    files.add(urls.asset("style.css"), env.get_template("assets/style.css").render(city=city))
    offline.add_scripts(files, env)
    if city.logo:
        files.add(urls.asset(city.logo), (root / "content" / city.slug / city.logo).read_bytes())
    offline.add_service_worker(files, env, languages)  # last: its version hashes every other file
    return files


def _add_language_files(files: Files, city: City, lang: str, renderer: CityRenderer,
                        entries: list[search.Entry]) -> None:
    """A language's data files: search index, web app manifest, one vCard per service."""
    files.add(urls.language_file(lang, search.INDEX_FILE), search.render_index(
        city, lang, entries, renderer.plain, lambda slug: renderer.category_name(city.category(slug)).striptags()))
    files.add(urls.language_file(lang, offline.MANIFEST),
              offline.render_manifest(city, lang, renderer.plain(city.name)))
    for service in city.services:
        files.add(urls.Route("service", service.slug).path(lang)[:-len("html")] + "vcf",
                  render_vcard(service, renderer.plain(service.title), renderer.plain(service.summary)))
