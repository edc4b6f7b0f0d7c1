"""The pages of an edit, rendered before the whole build: what ``serve`` shows at once.

When an editor saves services, pages or notices and nothing else, the pages that show
them — a document's own page, its category's page (a service), the home page (a notice)
— are rendered in every published language with the build's own stages (load,
catalogs, publish, render) on the server's warm :class:`~ici_site.build.state.State`, in
a fraction of a second even for a large site. The preview serves them from memory while
the whole build runs (search index, open data, the whole guide, the link check) and
forgets them when it ends: the output folder only ever holds whole builds. They are the
bytes that build writes (``tests/test_edit_first.py`` holds them equal), so the page the
editor looks at does not change when the build ends, unless the build fails.

Hugo's and Zola's servers do the same: the changed pages first, from memory.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path

from ici_site.build.incremental import DOCUMENT_KINDS, Keys, Output, documents_in
from ici_site.build.speed import Fast, city_folders
from ici_site.build.state import State
from ici_site.build.writer import make_spare
from ici_site.content.loaders import load_site
from ici_site.errors import IciError
from ici_site.pipeline import Project, city_renderer, publish, read_catalogs
from ici_site.site.csp import file_bytes
from ici_site.site.front import search_index
from ici_site.site.links import page_ids
from ici_site.site.outputs import template_errors
from ici_site.site.publishing import open_data_files

WHOLE = frozenset({"guide"})  # pages that show every document of a city: left to the build


def edited_pages(root: Path, out: Path, state: State, changed: Iterable[str],
                 today: dt.date, keep: bool = False) -> dict[str, bytes] | None:
    """The pages (path in ``out`` -> bytes) showing the documents ``changed`` (paths relative to
    ``root``, as documents name themselves: ``content/<city>/services/<slug>.md``), in every
    published language of their city. None when anything else is among them (a template, a
    catalog, a city's settings, a removed document): the whole build alone can show that.
    ``keep``: also make what the state keeps for the next build of their city (:func:`warm_up`):
    each language's search index and open data; and read the links of its whole guide.

    A mistake in the files read raises the build's own :class:`~ici_site.errors.ContentError`.
    """
    changed = set(changed)
    parts = [path.split("/") for path in changed]
    if not changed or any(len(p) != 4 or p[0] != "content" or p[2] not in DOCUMENT_KINDS
                          or not p[3].endswith(".md") for p in parts):
        return None
    project = Project(root, out, today, tuple(sorted({p[1] for p in parts})))
    speed = Fast(state, jobs=1, warm=True)
    site = load_site(root, project.only, network=False, parsed=speed.parsed)
    documents = {d.path for city in site.cities for kind in DOCUMENT_KINDS for d in getattr(city, kind)}
    if not changed <= documents:  # a document removed, or renamed
        return None
    catalogs, _ = read_catalogs(project, site, speed)
    published = publish(site, catalogs, speed)
    pages: dict[str, bytes] = {}
    state.shown.clear()
    for city in site.cities:
        languages = published[city.slug].languages
        keys = Keys(root, city, languages, str(today), speed.digests)
        with template_errors(root, city):
            for lang in languages:
                renderer = city_renderer(project, city, lang, languages, catalogs, keys, speed)
                for route, template, variables in renderer.routes():
                    if keep and route.kind in WHOLE:  # every edit changes them: its link check reads them
                        with contextlib.suppress(OSError):
                            page_ids((out / city.slug / route.path(lang)).read_bytes())
                    shows = documents_in(variables)
                    if route.kind not in WHOLE and any(d.path in changed for d in shows):
                        path = route.path(lang)
                        renderer.seen.clear()
                        data = pages[f"{city.slug}/{path}"] = file_bytes(path, renderer.render(route, template, variables))
                        seen = tuple(sorted(renderer.seen))  # the build's key of this page, as render_part makes it
                        key = keys.of(Output(path, lambda: b"", shows), lang, seen)
                        state.shown[(city.slug, path)] = (key, seen, data)
                if keep:
                    search_index(renderer).shards()
                    for output in open_data_files(renderer):
                        output.make()
                speed.done(renderer)  # its bodies kept: the build's whole guide shows them again
    return pages


def warm_up(root: Path, out: Path, state: State, today: dt.date) -> None:
    """Read now what an edit's pages need, in every city: its documents, catalogs, compiled
    templates and kept bodies, by rendering one document's pages and throwing them away;
    and make what the state keeps for the next build of the city whose files changed last,
    where the editor is at work (the state keeps the search indexes of a city or two): its
    search indexes and open data; read the ids and links of its whole guides, which every
    edit there changes; and give it a spare folder (:func:`~ici_site.build.writer.make_spare`).
    Its first edit's build then makes, reads and writes again only what the edit changed,
    as the next ones do.

    ``serve`` runs it after its first build, which may have run in forked workers that
    left nothing in the server's own process: its first edit is then shown and written as
    fast as the next. A problem is left to the builds, which report it.
    """
    slugs = city_folders(root)
    latest = max(slugs, key=lambda slug: _last_change(root / "content" / slug), default=None)
    for slug in slugs:
        # a service first: its page and its category's (a notice may have expired: no page)
        document = next((p for kind in DOCUMENT_KINDS for p in sorted((root / "content" / slug / kind).glob("*.md"))),
                        None)
        try:
            if document is not None:
                edited_pages(root, out, state, {document.relative_to(root).as_posix()}, today, keep=slug == latest)
        except IciError:
            continue
    if latest is not None:
        make_spare(out, latest)


def _last_change(folder: Path) -> float:
    """When a file of ``folder`` last changed (one the editor removes meanwhile is left out)."""
    latest = 0.0
    for folder_name, _, names in os.walk(folder):
        for name in names:
            with contextlib.suppress(OSError):
                latest = max(latest, os.stat(os.path.join(folder_name, name)).st_mtime)
    return latest

