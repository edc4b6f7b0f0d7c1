"""What a city's site is made of, in the pipeline's terms (:mod:`~ici_site.pipeline`):
its published languages, the files of each language and of the city, and the checks
of what was made (links, interface catalogs), with the records the stages pass on.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path

from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError

from ici_site.build.cache import Digests
from ici_site.build.incremental import Output, documents_in, progress_key
from ici_site.build.writer import Files, OnDisk, OutputError
from ici_site.content.images import read_logo
from ici_site.content.model import City, Network, Translated
from ici_site.errors import ContentError, Problem
from ici_site.i18n.catalogs import TEMPLATE_DOMAIN, interface_chain, po_path
from ici_site.i18n.segments import content_messages
from ici_site.i18n.status import interface_problems, refused_translations, status_page
from ici_site.i18n.translations import Catalogs, Progress, Tally
from ici_site.site import front, publishing, urls
from ici_site.site.hours import hours_warnings
from ici_site.site.links import page_ids, page_link_problems, page_links
from ici_site.site.render import CityRenderer
from ici_site.site.shared import Shared


@dataclass(frozen=True, slots=True)
class Published:
    """A city's languages that reach ``min_translated``, and the city's warnings."""

    languages: tuple[str, ...]
    warnings: tuple[Problem, ...]


@dataclass(frozen=True, slots=True)
class Made:
    """One file a build made, or kept from the last build."""

    path: str  # in the city's folder
    key: str  # what it was made from (:class:`~ici_site.build.incremental.Keys`)
    seen: tuple[str, ...]  # the kinds of documents its templates read
    data: bytes | OnDisk | None  # the bytes, the file in the staging folder, or None: the last build's is kept


def city_link_problems(root: Path, city: City, outputs: Files, catalogs: Catalogs,
                       folder: Path | None, before: set[str]) -> list[Problem]:
    """Where each broken relative link or anchor of a city's pages was written (none: all lead somewhere).

    ``folder`` is the city's published folder and ``before`` the files of its last build.
    When this build has the same files and no changed page lost an id, the links the last
    build checked still hold: only the links of changed pages that their previous versions
    did not have are checked (an edit's whole guide: those of the edited service). Otherwise
    every page is, the unchanged ones read back from the folder.
    """
    sources = dict(outputs.sources())
    changed = outputs.changed()
    held = _links_held(folder, changed, sources) if folder and before == set(sources) else None
    @cache  # read only when a link is broken, to name the catalog entry it came from
    def written(lang: str) -> dict[str, tuple[str, int]]:
        return _translation_lines(root, city.slug, lang, catalogs) if lang != city.source_language else {}

    if city.offer_download:  # not made by the build: `bundle` adds it to the published folder
        sources.setdefault(urls.download(city.slug), b"")
    return page_link_problems(root, city, sources.items(), written, None if held is None else changed, held)


def _links_held(folder: Path, changed: set[str], sources: dict[str, bytes | OnDisk]) -> dict[str, set[str]] | None:
    """The links of each changed page's previous version (checked by the last build), if every
    changed page still has every id its previous version had (else None: each link may break)."""
    held: dict[str, set[str]] = {}
    for path in changed:
        old = folder / path
        if path.endswith(".html") and old.is_file():
            new, before = sources[path], old.read_bytes()
            if not page_ids(before) <= page_ids(new.read_bytes() if isinstance(new, OnDisk) else new):
                return None
            held[path] = set(page_links(before))
    return held


def _translation_lines(root: Path, domain: str, lang: str, catalogs: Catalogs) -> dict[str, tuple[str, int]]:
    """translation -> (catalog, line), to name the entry a broken link came from."""
    path = po_path(root, domain, lang).relative_to(root).as_posix()
    return {entry.string: (path, entry.line) for entry in catalogs.entries(domain, lang).values() if entry.string}


def published_languages(city: City, catalogs: Catalogs, states: States | None = None) -> Published:
    """The city's languages that reach ``min_translated``, and the city's warnings: one for each
    other language, the content's own (opening hours), and each translation the safety check
    refuses (its page shows the fallback: the translator previewing it learns why). ``states``:
    where each language's text states are kept (:class:`~ici_site.i18n.translations.Tally`)."""
    published, below = languages_reaching(city, catalogs, states)
    # the city's content warnings travel with its languages
    return Published(published, (*hours_warnings(city), *below, *refused_translations(city, catalogs)[0],
                                 *interface_warnings(city, catalogs)))


def languages_reaching(source: City | Network, catalogs: Catalogs,
                       states: States | None = None) -> tuple[tuple[str, ...], list[Problem]]:
    """The languages of a city (or of the network) that reach ``min_translated``, and a warning
    for each other."""
    messages = content_messages(source)
    published, warnings = [], []
    for lang in source.languages:
        share = Tally(source, lang, catalogs, states(lang) if states else None).of(messages).share
        if share >= source.min_translated:
            published.append(lang)
        else:
            warnings.append(Problem(
                source.path, source.lines["languages"], "languages",
                f"'{lang}' is not published: {percent(share)} of the content is translated, "
                f"min_translated is {percent(source.min_translated)}"))
    return tuple(published), warnings


States = Callable[[str], dict[str, int]]  # a language -> where the state of each text is kept (Tally)


def kept_states(shared: Shared, root: Path, city: City, digests: Digests) -> States:
    """Where ``shared`` keeps the state of each of ``city``'s texts in a language: the same store
    while the city's settings and the language's catalog are (``serve``: from one build to the next)."""
    return lambda lang: shared.progress_states(city.slug, lang, progress_key(root, city, lang, digests))


def interface_warnings(source: Translated, catalogs: Catalogs) -> list[Problem]:
    """The broken strings of the interface catalogs a city's (or the network's) pages read:
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
    keys = chooser.keys

    def counted(lang: str) -> dict[str, tuple[object, Progress]]:  # on the same condition as the states, by file
        return chooser.shared.progress_files(city.slug, lang, progress_key(keys.root, city, lang, keys.digests))

    states = kept_states(chooser.shared, keys.root, city, keys.digests)
    yield Output(urls.STATUS, lambda: env.get_template("translation-status.html").render(
        chooser.context(urls.STATUS, None), **status_page(city, chooser.published, catalogs, states, counted)))
    yield Output(urls.asset("style.css"), lambda: front.minify_css(env.get_template("assets/style.css").render(city=city)),
                 ())  # the city's settings alone, as the posters' stylesheet
    if city.base_url:  # the posters' own print stylesheet (posters need an absolute URL for their QR code)
        yield Output(urls.asset("poster.css"), lambda: env.get_template("assets/poster.css").render(city=city), ())
    if city.logo:
        yield Output(urls.asset(city.logo), partial(_logo, root, city))
    yield from front.city_scripts(chooser, version)  # scripts and service worker
    yield from publishing.city_publications(chooser)  # sitemap, robots.txt, open data


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


