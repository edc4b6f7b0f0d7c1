"""Offline use: the web app manifests, the service worker and the lists of files it saves.

The service worker (``templates/assets/sw.js``) is written to the city's root folder,
because a worker only controls pages at or below its own folder. Its cache names
carry a version made from every other file of the city, so a new build is a new
worker: the browser installs it on the next visit and the old caches are refreshed
or dropped — never a stale shell. "Save this language" stores the files listed in
``<lang>/pages.json``.
"""

from __future__ import annotations

import hashlib
import json

from jinja2 import Environment
from markupsafe import Markup

from . import urls
from .languages import direction
from .model import City
from .writer import Files

PAGE_LIST = "pages.json"
MANIFEST = "manifest.webmanifest"
SCRIPTS = ("app.js", "minisearch.js")  # copied as they are from templates/assets/


def render_manifest(city: City, lang: str, name: str) -> str:
    """The web app manifest of one language (its folder is the app's start)."""
    data: dict[str, object] = {
        "name": name, "short_name": name, "lang": lang, "dir": direction(lang),
        "start_url": "index.html", "scope": "../", "display": "standalone",
        "background_color": "#ffffff", "theme_color": city.theme_color,
    }
    if city.logo:
        data["icons"] = [{"src": "../" + urls.asset(city.logo), "sizes": "any",
                          "type": "image/svg+xml" if city.logo.endswith(".svg") else "image/png"}]
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def add_scripts(files: Files, env: Environment) -> None:
    """The front-end scripts, byte for byte (a city may override them like any template)."""
    for name in SCRIPTS:
        source, _filename, _uptodate = env.loader.get_source(env, f"assets/{name}")  # type: ignore[union-attr]
        files.add(urls.asset(name), source)


def add_service_worker(files: Files, env: Environment, languages: tuple[str, ...]) -> None:
    """Each language's list of files to save, then the worker, versioned by all the rest.

    Call it last: the version is a hash of every file already added.
    """
    paths = [path for path, _data in files.items()]
    shell = [p for p in paths if p.startswith(urls.ASSETS + "/")] + [urls.ROOT]
    shell += [urls.Route("offline").path(lang) for lang in languages]
    for lang in languages:
        own = [p for p in paths if p.startswith(f"{lang}/")]
        files.add(urls.language_file(lang, PAGE_LIST),
                  json.dumps(sorted(set(own + shell)), separators=(",", ":")) + "\n")
    digest = hashlib.sha256()
    for path, data in files.items():
        digest.update(path.encode() + b"\0" + data + b"\0")
    worker = env.get_template("assets/sw.js").render(  # Markup: JSON is code here, not HTML text
        version=digest.hexdigest()[:12], shell=Markup(json.dumps(shell)),
        languages=Markup(json.dumps(list(languages))))
    files.add(urls.SERVICE_WORKER, worker)
