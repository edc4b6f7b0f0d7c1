"""The network of cities (``content/network.yaml``): its pages, beside the city folders.

The output folder then holds, besides one folder per city:

- ``index.html``: the language chooser (every published language of the network, each
  named in itself), like a city's own ``index.html``;
- ``index.<lang>.html``: per language, the network's name and text and every member city
  with its name and its published languages, each linking into the city's folder;
- ``network.css``: the network's own copy of the stylesheet (a city folder never links
  outside itself, so the network cannot borrow a city's).

Each of these names has a dot and no city slug can (:data:`~ici_site.content.fields.SLUG`): a city
called ``en`` or ``assets`` is a folder ``en/`` or ``assets/``, never one of these files.
The network's texts go through the same catalogs as a city's content (domain
``network``): the same fallbacks, hints, safety check and ``min_translated``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from ici_site.build.cache import Digests, digest
from ici_site.build.writer import OnDisk
from ici_site.content.loaders import load_city_settings
from ici_site.content.model import City, Network
from ici_site.errors import Problem, Problems
from ici_site.i18n import machine
from ici_site.i18n.languages import direction, name_in, native_name
from ici_site.i18n.segments import Shown, network_messages, render_markdown
from ici_site.i18n.translations import Catalogs, Hints, content_translator, own_translation, template_gettext
from ici_site.site import urls
from ici_site.site.bidi import isolate_runs
from ici_site.site.front import minify_css, root_texts
from ici_site.site.links import broken_links
from ici_site.site.render import Language, inline_markup, machine_label, newstyle
from ici_site.site.sanitize import clean_html

RECORD = ""  # the network's entry in the build's manifest (no city slug is empty)
THEME_COLOR = "#1d5a8c"  # a city's default colour: the network looks like a city without a theme
DESCRIPTION_LENGTH = 160  # characters of the text in the pages' meta description


@dataclass(frozen=True, slots=True)
class Member:
    """A city as the network's pages show it."""

    city: City  # its settings (and its documents, when this build loaded them)
    published: tuple[str, ...]  # its published languages, source language first as in city.yaml


class NetworkRenderer:
    """The network's pages in one language (the chooser: the source language)."""

    def __init__(self, env: Environment, network: Network, lang: str, published: tuple[str, ...],
                 members: tuple[Member, ...], catalogs: Catalogs) -> None:
        self.env, self.network, self.lang, self.members, self.catalogs = env, network, lang, members, catalogs
        self.languages = tuple(Language(code, native_name(code), direction(code)) for code in published)
        self.gettext = template_gettext(network, lang, catalogs)
        hints = Hints.in_language(self.gettext)
        translate = content_translator(network, lang, catalogs, hints)
        self.label = machine_label(hints)
        self.unflagged = False  # a text translated into this language by a person: labels stay

        def noting(text: str) -> Shown:
            shown = translate(text)
            self.unflagged |= lang != network.source_language and shown.lang == lang and not shown.machine
            return shown

        self.translate = noting

    def text(self) -> Markup:
        """The network's text, translated block by block and sanitised."""
        if not self.network.text:
            return Markup("")
        html = clean_html(render_markdown(self.network.text, self.translate))
        return Markup(isolate_runs(html, direction(self.lang)))

    def cities(self) -> list[dict[str, Any]]:
        """Each member city: its name in this language (or as written), its folder's
        chooser and its published languages, each with the link to its home page."""
        found = []
        for member in self.members:
            city = member.city
            name = own_translation(city, city.name, self.lang, self.catalogs)
            found.append({
                "slug": city.slug, "name": name.text, "lang": name.lang, "dir": direction(name.lang),
                "root": urls.in_city(city.slug, urls.ROOT),
                "languages": [(Language(code, native_name(code), direction(code)),
                               urls.in_city(city.slug, urls.Route("home").path(code))) for code in member.published],
            })
        return found

    def render(self, template: str, path: str, **extra: Any) -> str:
        """One page at ``path`` (from the output folder), telling what a machine translated
        on it as a city's pages do (:mod:`.machine`)."""
        self.unflagged = False
        text = self.text()
        variables = {"_": newstyle(self.gettext), "gettext": newstyle(self.gettext), "lang": self.lang,
                         "dir": direction(self.lang), "link": lambda target: urls.relative(path, target)}
        html = self.env.get_template(template).render(
            **variables, languages=self.languages, network=self.network, path=path, t=self.show, plain=self.plain,
            text=text, description=_description(text) or self.plain(self.network.name), cities=self.cities(),
            page=urls.network_page, style=urls.NETWORK_STYLE, machine_notice=lambda: Markup(machine.NOTICE),
            **extra)

        def notice(whole: bool) -> str:
            source = self.network.source_language
            return self.env.get_template("_machine_notice.html").render(
                **variables, whole=whole, source=source, language=name_in(source, self.lang),
                original=urls.relative(path, urls.network_page(source)))

        return machine.finish(html, self.unflagged, notice, self.label)

    def show(self, text: str) -> Markup:
        """Translated inline text, marked up when it is in another language."""
        return inline_markup(self.translate(text), self.lang)

    def plain(self, text: str) -> str:
        """Translated text without markup, for <title> and attributes."""
        return self.translate(text).text


def _description(html: Markup) -> str:
    """The start of the text, for the meta description: whole words, at most DESCRIPTION_LENGTH characters."""
    words = " ".join(html.striptags().split())
    if len(words) <= DESCRIPTION_LENGTH:
        return words
    return words[:DESCRIPTION_LENGTH].rsplit(" ", 1)[0] + " …"


def network_files(env: Environment, network: Network, published: tuple[str, ...], members: tuple[Member, ...],
                  catalogs: Catalogs) -> Iterator[tuple[str, Callable[[], str]]]:
    """(path, make) of each file of the network: its stylesheet, the chooser, a page per language."""
    yield urls.NETWORK_STYLE, lambda: minify_css(env.get_template("assets/style.css").render(
        city={"theme_color": THEME_COLOR}))
    chooser = NetworkRenderer(env, network, network.source_language, published, members, catalogs)
    yield urls.network_page(None), lambda: chooser.render(
        "network-root.html", urls.network_page(None), **root_texts(network, published, catalogs))
    for lang in published:
        renderer = NetworkRenderer(env, network, lang, published, members, catalogs)
        yield urls.network_page(lang), partial(renderer.render, "network.html", urls.network_page(lang))


def network_key(root: Path, network: Network, published: Mapping[str, tuple[str, ...]], base: str,
                digests: Digests) -> str:
    """Hash of every input of the network's pages: ``base`` (code, date), the templates, the
    catalogs, network.yaml, and each member's city.yaml and published languages (not the
    rest of a city: a service's edit leaves the network's pages as they are)."""
    cities = [f"{slug}:{digests.file(root / 'content' / slug / 'city.yaml')}:{','.join(published[slug])}"
              for slug in network.cities]
    return digest(base, digests.tree(root / "templates"), digests.tree(root / "locales"),
                  digests.file(root / network.path), *cities)


def members(root: Path, network: Network, loaded: Mapping[str, City],
            published: Mapping[str, tuple[str, ...]]) -> tuple[Member, ...]:
    """The member cities: those this build loaded, and the settings of the others (unchanged)."""
    problems = Problems()
    found = []
    for slug in network.cities:
        city = loaded.get(slug) or load_city_settings(root / "content" / slug, root, problems)
        if city is not None:
            found.append(Member(city, published[slug]))
    problems.check()
    return tuple(found)


def link_problems(network: Network, pages: Mapping[str, bytes],
                  cities: Mapping[str, bytes | OnDisk]) -> list[Problem]:
    """Every link of the network's pages that leads to no file (of the network, or of a city
    folder in ``cities``, keyed by their paths from the output folder), at network.yaml's text."""
    broken = broken_links([*pages.items(), *cities.items()], only=set(pages))
    messages = network_messages(network)

    def line(href: str) -> int:  # the block the link is written in (a safe translation keeps its links)
        return next((m.line for m in messages if href in m.text), network.text_line or network.lines["name"])

    return sorted({Problem(network.path, line(b.href), "text", f"link '{b.href}' {b.reason} (on {b.page})")
                   for b in broken})
