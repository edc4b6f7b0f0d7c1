"""The front end's extra files: one line each in the build's lists of outputs.

Per language: the search index (its head and shards), the web app manifest, one vCard per service and,
last, the list of files "save this language" stores. Per city: the scripts and
the service worker. Each is an :class:`~ici_site.build.incremental.Output`, so the
incremental build re-makes it only when its key changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from markupsafe import Markup

from ici_site import vocab
from ici_site.build.incremental import Output
from ici_site.content.model import City, Translated
from ici_site.i18n.languages import direction
from ici_site.i18n.translations import Catalogs, Hints, content_translator, template_gettext
from ici_site.site import offline, search, urls
from ici_site.site.contacts import render_vcard
from ici_site.site.render import CityRenderer, inline_markup, machine_label

# A CSS string, or else a comment or a run of white space; then the white space that
# punctuation makes useless. Strings are matched first, so nothing inside one changes.
CSS_STRING = r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\''
CSS_SPACE = re.compile(rf"({CSS_STRING})|/\*.*?\*/|\s+", re.DOTALL)
CSS_PUNCTUATION = re.compile(rf"({CSS_STRING})|\s*([{{}};,>])\s*")


def minify_css(css: str) -> str:
    """``css`` without comments and needless white space (about 10 % less gzip on every page)."""
    css = CSS_SPACE.sub(lambda m: m[1] or ("" if m[0].startswith("/*") else " "), css)
    return CSS_PUNCTUATION.sub(lambda m: m[1] or m[2], css).strip() + "\n"


def search_index(renderer: CityRenderer) -> search.Index:
    """The search index of the renderer's city and language (scored from the last one ``serve``'s
    process made of it, when it keeps them)."""
    city, keys, shared = renderer.city, renderer.keys, renderer.shared  # keys: of the translations a page reads
    elsewhere = shared.source_documents(city) if renderer.lang != city.source_language else search.NOWHERE
    return search.Index(city, renderer.lang, shared.entries(city), renderer.translate,
                        lambda slug: renderer.category_title(city.category(slug)), shared.search_scores(),
                        keys.translations(renderer.lang), elsewhere)


def language_files(renderer: CityRenderer) -> Iterator[Output]:
    """The data files of one language; documents=None: they show every document."""
    city, lang = renderer.city, renderer.lang
    for path, make in search.index_files(city, lang, partial(search_index, renderer)):
        yield Output(path, make)
    yield Output(urls.language_file(lang, offline.MANIFEST),
                 lambda: offline.render_manifest(city, lang, renderer.plain(city.name)))
    for service in city.services:
        yield Output(urls.Route("service", service.slug).path(lang).removesuffix(".html") + ".vcf",
                     partial(lambda s: render_vcard(s, lang, renderer.plain(s.title), renderer.plain(s.summary)), service),
                     (service,))


def page_list(renderer: CityRenderer, paths: list[str]) -> Output:
    """``<lang>/pages.json`` from the paths of every file of the language made before it, and the
    source language's search shards its search page also reads."""
    shell = offline.shell(renderer.city, renderer.published)
    path = urls.language_file(renderer.lang, offline.PAGE_LIST)
    saved = [*paths, *search.source_shards(renderer.city, renderer.lang), path]
    return Output(path, lambda: offline.render_page_list(saved, shell))


def city_scripts(chooser: CityRenderer, version: str) -> Iterator[Output]:
    """The scripts and the service worker of a city (``version``: the key of all its inputs)."""
    env, city = chooser.env, chooser.city
    for name in (*offline.COPIED, *search.stem_assets(city, chooser.published)):
        yield Output(urls.asset(name), partial(offline.render_script, env, name))
    yield Output(urls.SERVICE_WORKER, lambda: offline.render_worker(
        env, version, offline.shell(city, chooser.published), chooser.published))


def root_texts(city: Translated, languages: tuple[str, ...], catalogs: Catalogs) -> dict[str, Any]:
    """What the language chooser says in every published language (it has no language of
    its own): "Choose your language" and, for example content, that it is made up; and
    the city's greeting in each official language."""
    texts = {"choose_language": vocab.CHOOSE_LANGUAGE, "demo_notice": vocab.DEMO}
    gettexts = {lang: template_gettext(city, lang, catalogs) for lang in languages}
    chosen: dict[str, Any] = {name: {lang: gettexts[lang](msgid) for lang in languages} for name, msgid in texts.items()}
    chosen["greetings"] = ([_greeting(city, lang, catalogs, gettexts[lang]) for lang in city.official_languages
                            if lang in languages] if isinstance(city, City) else [])  # the network has none
    return chosen


@dataclass(frozen=True, slots=True)
class Greeting:
    """The city's name and tagline in one official language, for the chooser's heading."""

    lang: str
    dir: str
    name: str  # plain text, for <title>
    heading: Markup  # the name, marked up as on the language's pages
    tagline: Markup | None  # None: no tagline, or none in this language yet (the others show it)


def _greeting(city: City, lang: str, catalogs: Catalogs, gettext: Callable[[str], str]) -> Greeting:
    hints = Hints.in_language(gettext)
    translate = content_translator(city, lang, catalogs, hints)
    name, tagline = translate(city.name), translate(city.tagline) if city.tagline else None
    label = machine_label(hints)  # the chooser greets in several languages: each labels its own
    return Greeting(lang, direction(lang), name.text, inline_markup(name, lang, label),
                    inline_markup(tagline, lang, label) if tagline and tagline.lang == lang else None)
