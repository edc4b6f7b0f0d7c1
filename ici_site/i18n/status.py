"""Translation progress (`status`, the coordinators' status page) and `check`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

from ici_site.content.model import City, Network, Site
from ici_site.errors import ContentError, Problem
from ici_site.i18n.catalog_checks import short
from ici_site.i18n.catalogs import (
    TEMPLATE_DOMAIN,
    catalog_languages,
    content_domains,
    domains,
    po_path,
    read_catalog,
)
from ici_site.i18n.safety import check_interface
from ici_site.i18n.segments import Message, city_messages, content_messages
from ici_site.i18n.translations import Catalogs, Progress, Tally, progress
from ici_site.site.urls import Route

# A catalog whose header comment says this was drafted, not reviewed by a native speaker.
DRAFT_MARK = "awaiting review by a native"


@dataclass(frozen=True, slots=True)
class LanguageStatus:
    """Progress of one language of one city (or of the interface strings)."""

    city: str  # city slug, or "interface" for the template strings shared by all cities
    lang: str
    messages: int  # distinct source texts
    translated: int  # shown to readers (usable and safe)
    fuzzy: int  # translated but marked fuzzy: the source changed since
    missing: int  # no translation at all
    unsafe: int  # translated but failing the safety check: not shown
    machine: int  # shown with a "machine translated" label
    published: bool  # reaches min_translated (always true for the interface)
    draft: bool  # the catalog says it awaits review by a native speaker


@dataclass(frozen=True, slots=True)
class PageStatus:
    """Progress of one content file in one language, for the status page."""

    path: str  # content file, relative to the project root
    progress: Progress


# The status page's lines are objects, not dictionaries: a template reads `page.name` at once
# (Jinja tries the attribute first: on a dictionary it fails and raises, about 2,000 times on the
# page of a city of 60 services in 12 languages).
@dataclass(frozen=True, slots=True)
class StatusPage:
    """A content file's line in one language's table of the status page."""

    name: str  # relative to the city's folder
    progress: Progress
    link: str | None  # its page in the language (None: not published)


@dataclass(frozen=True, slots=True)
class StatusRow:
    """One language of a city on the status page."""

    lang: str
    progress: Progress
    published: bool
    catalog: str  # relative to the project root
    draft: bool  # marked as an unreviewed draft
    pages: list[StatusPage]
    unsafe: list[str]  # "catalog:line: what the safety check found"

    @property
    def catalogue(self) -> str:
        """The name templates written before 2026-12-03 use."""
        return self.catalog


def is_draft(root: Path, domain: str, lang: str) -> bool:
    """Whether the catalog's header comment marks it as an unreviewed draft."""
    path = po_path(root, domain, lang)
    if not path.exists():
        return False
    comment = []  # the leading '#' lines, as Babel reads the header comment (without parsing the rest)
    with open(path, encoding="utf-8", errors="replace") as fileobj:
        for line in fileobj:
            if not line.startswith("#"):
                break
            comment.append(line[1:])
    return DRAFT_MARK in " ".join(" ".join(comment).split())


def city_status(site: Site, city: City | Network, catalogs: Catalogs | None = None) -> list[LanguageStatus]:
    """One row per language other than the source language, of a city or of the network."""
    root = Path(site.root)
    catalogs = catalogs or Catalogs(root)
    messages = content_messages(city)
    rows = []
    for lang in city.languages:
        if lang == city.source_language:
            continue
        p = progress(city, lang, catalogs, messages)
        rows.append(LanguageStatus(city.slug, lang, p.messages, p.translated, p.fuzzy, p.missing, p.unsafe,
                                   p.machine, p.share >= city.min_translated, is_draft(root, city.slug, lang)))
    return rows


def interface_status(site: Site) -> list[LanguageStatus]:
    """One row per template catalog: the interface strings every city shares."""
    root = Path(site.root)
    rows = []
    for lang in domains(site)[TEMPLATE_DOMAIN]:
        path = po_path(root, TEMPLATE_DOMAIN, lang)
        if not path.exists():
            continue
        catalog = read_catalog(path)
        messages = [m for m in catalog if m.id]
        done = [m for m in messages if m.string and (all(m.string) if isinstance(m.string, tuple) else True)]
        broken = {problem.line for problem in interface_problems(root, lang)}
        final = [m for m in done if not m.fuzzy]
        shown = [m for m in final if m.lineno not in broken]
        rows.append(LanguageStatus(
            "interface", lang, len(messages), len(shown), len(done) - len(final), len(messages) - len(done),
            len(final) - len(shown), sum(1 for m in shown if "machine-translated" in m.flags), True,
            is_draft(root, TEMPLATE_DOMAIN, lang)))
    return rows


def interface_problems(root: Path, lang: str) -> list[Problem]:
    """Every translation of the interface catalog of ``lang`` that cannot be shown
    (:func:`~ici_site.i18n.safety.check_interface`: a stray '%', a renamed placeholder, an
    invisible character), with its file and line; fuzzy entries are not checked (not shown)."""
    path = po_path(root, TEMPLATE_DOMAIN, lang)
    if not path.exists():
        return []
    info = path.stat()
    return [Problem(path.relative_to(root).as_posix(), line, "msgstr", message)
            for line, message in _interface_problems(path, info.st_mtime_ns, info.st_size)]


@lru_cache(maxsize=64)  # every city of a build asks for the same catalogs
def _interface_problems(path: Path, _mtime: int, _size: int) -> tuple[tuple[int | None, str], ...]:
    found: list[tuple[int | None, str]] = []
    for message in read_catalog(path):
        if not message.id or message.fuzzy:
            continue
        msgids = tuple(message.id) if isinstance(message.id, (tuple, list)) else (message.id,)
        forms = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        problems = dict.fromkeys(p for form in forms if form for p in check_interface(msgids, form))
        if problems:
            preview = short(msgids[0])
            found.append((message.lineno, (f"translation of '{preview}' {'; '.join(problems)}: it is not shown "
                                           "(readers get the next language or English) until fixed")))
    return tuple(found)


def page_status(city: City, lang: str, catalogs: Catalogs, tally: Tally | None = None,
                files: dict[str, list[Message]] | None = None,
                kept: dict[str, tuple[object, Progress]] | None = None) -> list[PageStatus]:
    """Progress of every content file of ``city`` in ``lang``, in file order (``tally``: the
    states of the language's texts, and ``files``: :func:`_by_file`, when the caller has them;
    ``kept``: each file's progress counted before, with its document, taken again for an equal
    document while ``tally``'s states are kept: ``serve``'s edit counts the edited files alone)."""
    files = files if files is not None else _by_file(city)
    tally = tally or Tally(city, lang, catalogs)
    documents: dict[str, object] = {d.path: d for d in (*city.services, *city.pages, *city.notices)}
    found = []
    for path, messages in files.items():
        document, known = documents.get(path), kept.get(path) if kept is not None else None
        if known is not None and document is not None and known[0] == document:  # the same messages
            found.append(PageStatus(path, known[1]))
            continue
        found.append(PageStatus(path, tally.of(messages)))
        if kept is not None and document is not None:
            kept[path] = (document, found[-1].progress)
    return found


def _by_file(city: City) -> dict[str, list[Message]]:
    """The city's messages by content file, in file order."""
    found: dict[str, list[Message]] = defaultdict(list)
    for message in city_messages(city):
        found[message.path].append(message)
    return dict(sorted(found.items()))


def _route(path: str) -> Route:
    """The page a content file is shown on."""
    parts = path.split("/")
    kinds = {"services": "service", "pages": "page"}
    if len(parts) >= 4 and parts[2] in kinds:
        return Route(kinds[parts[2]], PurePosixPath(parts[-1]).stem)
    return Route("home")  # city.yaml and notices


def status_page(city: City, published: tuple[str, ...], catalogs: Catalogs,
                states: Callable[[str], dict[str, int]] | None = None,
                kept: Callable[[str], dict[str, tuple[object, Progress]]] | None = None) -> dict[str, object]:
    """Template variables of a city's translation status page (``translation-status.html``);
    ``states`` gives where each language's text states are kept (:class:`Tally`), and ``kept``
    where each file's progress is (:func:`page_status`)."""
    root = catalogs.root
    messages, files = city_messages(city), _by_file(city)
    routes = {path: _route(path) for path in files}
    rows = []
    for lang in city.languages:
        if lang == city.source_language:
            continue
        entries = catalogs.entries(city.slug, lang)
        catalog = po_path(root, city.slug, lang).relative_to(root).as_posix()
        pages, tally = [], Tally(city, lang, catalogs, states(lang) if states else None)
        for page in page_status(city, lang, catalogs, tally, files, kept(lang) if kept else None):
            pages.append(StatusPage(page.path.split("/", 2)[-1], page.progress,
                                    routes[page.path].path(lang) if lang in published else None))
        unsafe = [f"{catalog}:{entries[msgid].line}: {'; '.join(found)}"
                  for msgid, found in catalogs.unsafe(city.slug, lang, city.country).items()]
        p = tally.of(messages)
        rows.append(StatusRow(lang, p, lang in published, catalog, is_draft(root, city.slug, lang), pages,
                              sorted(unsafe)))
    return {"status": rows}


def unsafe_translations(site: Site, catalogs: Catalogs | None = None) -> tuple[list[Problem], list[Problem]]:
    """Every translation the safety check refuses, with its catalog file and line:
    (errors, warnings). A fuzzy one is only a warning: readers do not see it anyway
    (unless the city shows fuzzy translations), and it is fixed when it is reviewed."""
    root = Path(site.root)
    catalogs = catalogs or Catalogs(root)
    errors: list[Problem] = []
    warnings: list[Problem] = []
    for city in content_domains(site):
        shown, hidden = refused_translations(city, catalogs)
        errors.extend(shown)
        warnings.extend(hidden)
    for lang in domains(site)[TEMPLATE_DOMAIN]:
        errors.extend(interface_problems(root, lang))
    return sorted(set(errors), key=_order), sorted(set(warnings), key=_order)


def refused_translations(city: City | Network, catalogs: Catalogs) -> tuple[list[Problem], list[Problem]]:
    """The translations of one city's (or the network's) catalogs the safety check refuses,
    in file and line order: (those readers would otherwise see, fuzzy ones they would not)."""
    root = catalogs.root
    shown: list[Problem] = []
    hidden: list[Problem] = []
    for lang in catalog_languages(city):
        entries = catalogs.entries(city.slug, lang)
        rel = po_path(root, city.slug, lang).relative_to(root).as_posix()
        for msgid, found in sorted(catalogs.unsafe(city.slug, lang, city.country).items(),
                                   key=lambda item: entries[item[0]].line):
            fuzzy = entries[msgid].fuzzy and not city.show_fuzzy
            (hidden if fuzzy else shown).append(Problem(
                rel, entries[msgid].line, "msgstr", f"{'fuzzy ' if fuzzy else ''}translation of '{short(msgid)}' "
                f"{'; '.join(found)}: it is not shown (readers get the fallback) until fixed"))
    return shown, hidden


def _order(problem: Problem) -> tuple[str, int]:
    return problem.path, problem.line or 0


def check_catalogs(site: Site) -> list[Problem]:
    """Read every catalog the site uses and check every translation's safety;
    raise one ContentError listing each problem; return the warnings (unsafe fuzzy entries)."""
    problems: list[Problem | str] = []
    root = Path(site.root)
    for domain, langs in domains(site).items():
        for lang in langs:
            path = po_path(root, domain, lang)
            if path.exists():
                try:
                    read_catalog(path)
                except ContentError as exc:
                    problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    errors, warnings = unsafe_translations(site)
    if errors:
        raise ContentError(errors)  # the warnings come once the errors are fixed
    return warnings
