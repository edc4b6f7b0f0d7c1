"""Offline use: the web app manifests, the service worker and the lists of files it saves.

The service worker (``templates/assets/sw.js``) is written to the city's root folder,
because a worker only controls pages at or below its own folder. Its cache names
carry a version made from every input of the city (the build's key of its files), so a new build is a new
worker: the browser installs it on the next visit and the old caches are refreshed
or dropped — never a stale shell. "Save this language" stores the files listed in
``<lang>/pages.json``.
"""

from __future__ import annotations

import json

from jinja2 import Environment
from markupsafe import Markup

from ici_site.content.images import image_type
from ici_site.content.model import City
from ici_site.i18n.languages import direction
from ici_site.site import search, urls
from ici_site.site.escape import json_for_script

PAGE_LIST = "pages.json"
MANIFEST = "manifest.webmanifest"
ICON = "icon.svg"  # the information sign: the browser's and home screen's icon of a city without a logo
COPIED = ("app.js", "search.js", "print.css", ICON)  # copied as they are from templates/assets/


def render_manifest(city: City, lang: str, name: str) -> str:
    """The web app manifest of one language (its folder is the app's start)."""
    data: dict[str, object] = {
        "name": name, "short_name": name, "lang": lang, "dir": direction(lang),
        "start_url": "index.html", "scope": "../", "display": "standalone",
        "background_color": "#ffffff", "theme_color": city.theme_color,
    }
    icon = city.logo or ICON  # a phone's home screen shows it
    data["icons"] = [{"src": "../" + urls.asset(icon), "sizes": "any", "type": image_type(icon) or "image/png"}]
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def shell(city: City, languages: tuple[str, ...]) -> list[str]:
    """What the worker stores on its first visit, whatever the reader saves: the assets (search stemmers included), the
    pages outside the language folders (chooser, translation status), and each language's
    home page (emergency numbers, a way in) and offline page."""
    assets = ["style.css", *COPIED, *search.stem_assets(city, languages), *([city.logo] if city.logo else [])]
    return ([urls.asset(name) for name in sorted(assets)] + [urls.ROOT, urls.STATUS]
            + [urls.Route(kind).path(lang) for lang in languages for kind in ("home", "offline")])


def render_page_list(paths: list[str], shell_paths: list[str]) -> str:
    """``<lang>/pages.json``: every file the worker stores when a reader saves the language."""
    return json.dumps(sorted(set(paths + shell_paths)), separators=(",", ":")) + "\n"


def render_script(env: Environment, name: str) -> str:
    """A front-end script or stylesheet, byte for byte (a city may override it like any template)."""
    source, _filename, _uptodate = env.loader.get_source(env, f"assets/{name}")  # type: ignore[union-attr]
    return source


def render_worker(env: Environment, version: str, shell_paths: list[str], languages: tuple[str, ...]) -> str:
    """The service worker; ``version`` must change whenever any file of the city may have."""
    return env.get_template("assets/sw.js").render(  # Markup: JSON is code here, not HTML text
        version=version[:12], shell=Markup(json_for_script(shell_paths, READABLE)),
        languages=Markup(json_for_script(list(languages), READABLE)))


READABLE = (", ", ": ")  # JSON separators for code people read
