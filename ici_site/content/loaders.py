"""Loading stage: the editor's files become a validated :class:`~ici_site.content.model.Site`.

Every city is read and checked completely before anything is returned, and all
problems of a run are raised together as one :class:`ContentError`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from ici_site.content import fields as f
from ici_site.content import places
from ici_site.content.addresses import resolve_official
from ici_site.content.documents import Parsed, load_documents, rel_path
from ici_site.content.images import logo_problem
from ici_site.content.model import (
    Accessibility,
    Category,
    City,
    Contact,
    Emergency,
    Legal,
    Network,
    Service,
    Site,
)
from ici_site.content.schema import (
    CITY,
    DOCUMENT_SCHEMAS,
    DOMAIN_NAMES,
    NETWORK,
    NETWORK_FILE,
)
from ici_site.content.sources import Node, Seq, SourceError, parse_yaml, read_source
from ici_site.errors import Problems
from ici_site.vocab import CATEGORIES


def load_site(root: str | Path, only: tuple[str, ...] = (), cities: bool = True,
              network: bool | None = None, parsed: Parsed | None = None) -> Site:
    """Load and validate every city under ``root/content`` (or only those named, or none
    when not ``cities``), and the network (by default when every city is loaded).

    ``parsed``: the documents a process that loads again (``serve``) parsed before, by path;
    a document whose file has the same bytes is taken from there instead of read and parsed again."""
    root = Path(root)
    problems = Problems()
    content = root / "content"
    if not content.is_dir():
        problems.add(rel_path(content, root), None, "", "no content folder: run 'ici-site new CITY'")
        problems.check()
    folders = sorted(p for p in content.iterdir() if p.is_dir() and not p.name.startswith("."))
    known = [p.name for p in folders]
    for name in only:
        if name not in known:
            problems.add(rel_path(content, root), None, "", f"no city '{name}' (cities: {', '.join(known)})")
    loaded = []
    for folder in folders if cities else ():
        if only and folder.name not in only:
            continue
        city = load_city(folder, root, problems, parsed)
        if city is not None:
            loaded.append(city)
    wanted = not only and cities if network is None else network
    members = load_network(root, known, problems) if wanted else None
    problems.check()
    return Site(str(root), tuple(loaded), members)


def load_network(root: Path, known: list[str], problems: Problems) -> Network | None:
    """Read ``content/network.yaml`` if there is one; ``known`` are the city folders."""
    path = root / "content" / NETWORK_FILE
    rel = rel_path(path, root)
    if not path.exists() and not path.is_symlink():
        return None
    if not path.is_file() or not path.resolve().is_relative_to((root / "content").resolve()):
        problems.add(rel, None, "", "must be a regular file inside content/; remove it or copy the file there")
        return None
    try:
        source = read_source(path, rel)
        node = parse_yaml(source, rel)
    except SourceError as exc:
        problems.extend([exc.problem])
        return None
    at = f.At(rel, 1, "", problems)
    values = read_languages(node, NETWORK, at)
    if values is None:
        return None
    members = values.get("cities", tuple(known))
    for index, slug in enumerate(values.get("cities", ())):
        if slug not in known:
            problems.add(rel, node["cities"].item_lines[index], f"cities[{index}]",
                         f"no city '{slug}' under content/{f.did_you_mean(slug, known) or ';'} "
                         f"cities: {', '.join(known) or 'none yet'}")
    if not members:
        problems.add(rel, node.key_lines.get("cities", 1), "cities",
                     "the network has no city: add a city folder with 'ici-site new CITY'")
    language = values["source_language"]
    return Network(
        path=rel, name=values["name"], text=values.get("text", ""), text_line=_text_line(node, source),
        source_language=language, languages=values["languages"],
        fallbacks={lang: tuple(c for c in chain if c != language)
                   for lang, chain in values.get("fallbacks", {}).items()},
        min_translated=values.get("min_translated", 0.5), cities=tuple(members),
        demo=values.get("demo", False), lines=dict(node.key_lines))


def _text_line(node: Node, source: str) -> int:
    """The line where ``text``'s Markdown starts: the next one after ``text: |`` or ``text: >``."""
    line = node.key_lines.get("text", 0)
    if not line:
        return 0
    after = source.split("\n")[line - 1].split(":", 1)[-1].strip()
    return line + 1 if after[:1] in ("|", ">") else line


def load_city(folder: Path, root: Path, problems: Problems, parsed: Parsed | None = None) -> City | None:
    """Load one city folder; report problems and return None if it is invalid (``parsed``:
    :func:`load_site`'s)."""
    path = folder / "city.yaml"
    rel = rel_path(path, root)
    name_problem = city_name_problem(folder.name)
    if name_problem:
        problems.add(rel_path(folder, root), None, "", f"city folder: {name_problem}{f.rename_hint(folder.name)}")
        return None
    if not _check_files(folder, root, problems):
        return None
    if not path.is_file():
        problems.add(rel, None, "", "missing: every city folder needs a city.yaml")
        return None
    try:
        node = parse_yaml(read_source(path, rel), rel)
    except SourceError as exc:
        problems.extend([exc.problem])
        return None
    if not isinstance(node, Node):  # nothing else can be checked without the city's settings
        f.read_fields(node, CITY, f.At(rel, 1, "", problems))
        return None
    before = len(problems.items)
    # Services need the country for their phone numbers even when city.yaml has other
    # errors, so it is read on its own first; read_fields reports it if it is wrong.
    country = ""
    if isinstance(node, Node) and "country" in node:
        try:
            country = places.country(node["country"], f.At(rel, 1, "country", Problems()))
        except f.Invalid:
            pass
    at = f.At(rel, 1, "", problems, country)
    values = read_city_values(node, at)
    lang = values.get("source_language") if values else None  # to suggest Latin-letter file names
    documents = {kind: load_documents(folder, kind, root, country, lang, problems, parsed)
                 for kind in DOCUMENT_SCHEMAS}
    _check_categories(documents["services"], _category_slugs(node), problems)
    if values is None or len(problems.items) > before:
        return None
    city = _make_city(folder, rel, node, values, documents, problems)
    return city if len(problems.items) == before else None


def load_city_settings(folder: Path, root: Path, problems: Problems) -> City | None:
    """A city with its settings (city.yaml) but none of its documents: what the network's
    pages show of a city whose own pages this build does not render (it did not change)."""
    rel = rel_path(folder / "city.yaml", root)
    try:
        node = parse_yaml(read_source(folder / "city.yaml", rel), rel)
    except SourceError as exc:
        problems.extend([exc.problem])
        return None
    country = node.get("country") if isinstance(node, Node) else None
    values = read_city_values(node, f.At(rel, 1, "", problems, str(country or "").upper()))
    if values is None:
        return None
    return _make_city(folder, rel, node, values, {kind: () for kind in DOCUMENT_SCHEMAS}, problems)


def city_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a city's folder, or None."""
    if name in DOMAIN_NAMES:
        return f"'{name}' is the name of a catalog that is not a city's (locales/{name}.pot); choose another name"
    return f.slug_problem(name)


def read_city_values(node: Any, at: f.At) -> dict[str, Any] | None:
    """Check city.yaml against its schema and the rules that span several keys."""
    return read_languages(node, CITY, at)


def read_languages(node: Any, schema: Mapping[str, f.Field], at: f.At) -> dict[str, Any] | None:
    """Check a city.yaml or network.yaml against ``schema``, and its languages against each other."""
    values = f.read_fields(node, schema, at)
    if values is None:
        return None
    lines = node.key_lines
    source, languages = values["source_language"], values["languages"]
    if source not in languages:
        at.problems.add(at.path, lines["languages"], "languages", f"must include the source language '{source}'")
    for lang, chain in values.get("fallbacks", {}).items():
        if lang not in languages:
            at.problems.add(at.path, lines["fallbacks"], f"fallbacks.{lang}", f"'{lang}' is not in languages")
        if lang in chain:
            at.problems.add(at.path, lines["fallbacks"], f"fallbacks.{lang}", "a language cannot fall back to itself")
    official = values.get("official_languages", ())
    for index, lang in enumerate(official):
        if lang not in languages:
            at.problems.add(at.path, node["official_languages"].item_lines[index], f"official_languages[{index}]",
                            f"'{lang}' is not in languages; add it there too")
    if official and source not in official:
        at.problems.add(at.path, lines["official_languages"], "official_languages",
                        f"must include the source language '{source}', the one editors write in")
    return values


def _make_city(folder: Path, rel: str, node: Node, values: dict[str, Any],
               documents: dict[str, tuple[Any, ...]], problems: Problems) -> City:
    lines = dict(node.key_lines)
    categories = [Category(s, name, icon, True) for s, (name, icon) in CATEGORIES.items()]
    for index, custom in enumerate(values.get("categories", ())):
        line = node["categories"].item_lines[index]
        if any(c.slug == custom["slug"] for c in categories):
            problems.add(rel, line, f"categories[{index}].slug", f"'{custom['slug']}' is already a category")
        categories.append(Category(custom["slug"], custom["name"], custom.get("icon", "other"), False, line))
    theme = values.get("theme", {})
    logo = theme.get("logo")
    if logo and (not (folder / logo).is_file() or "/" in logo or logo.startswith(".")):
        problems.add(rel, node["theme"].key_lines["logo"], "theme.logo", f"no file '{logo}' next to city.yaml")
    elif logo and (problem := logo_problem(folder / logo)):  # copied into the site: must be what it claims
        problems.add(rel, node["theme"].key_lines["logo"], "theme.logo", problem)
    lines.update(_statement_lines(node))
    emergency = []
    for index, item in enumerate(values.get("emergency", ())):
        line = node["emergency"][index].key_lines["label"]
        emergency.append(Emergency(item["label"], item["phone"], line))
    source = values["source_language"]
    fallbacks = {lang: tuple(c for c in chain if c != source) for lang, chain in values.get("fallbacks", {}).items()}
    official = values.get("official_languages", ())
    name = resolve_official(values["name"], rel, "name", lines["name"], official, source, problems)
    contact = dict(values.get("contact", {}))
    if "address" in contact:
        contact["address"] = resolve_official(contact["address"], rel, "contact.address",
                                              node["contact"].key_lines["address"], official, source, problems)
    services = tuple(replace(s, address=resolve_official(s.address, s.path, "address", s.lines["address"], official,
                                                         source, problems)) if s.address else s
                     for s in documents["services"])
    return City(
        slug=folder.name,
        path=rel,
        name=name.source,
        names=dict(name.forms) if official else {},
        tagline=values.get("tagline", ""),
        country=values["country"],
        holiday_region=values.get("holiday_region"),
        source_language=source,
        languages=(*official, *(lang for lang in values["languages"] if lang not in official)),
        official_languages=official,
        fallbacks=fallbacks,
        min_translated=values.get("min_translated", 0.5),
        timezone=values["timezone"],
        base_url=values.get("base_url"),
        contact=Contact(**contact),
        emergency=tuple(emergency),
        theme_color=theme.get("color", "#1d5a8c"),
        logo=logo,
        categories=tuple(categories),
        show_fuzzy=values.get("show_fuzzy", False),
        demo=values.get("demo", False),
        lines=lines,
        services=services,
        pages=documents["pages"],
        notices=documents["notices"],
        region=values.get("region", ""),
        offer_download=values.get("offer_download", False),
        accessibility=_accessibility(values.get("accessibility")),
        legal=Legal(**values["legal"]) if "legal" in values else None,
    )


def _statement_lines(node: Node) -> dict[str, int]:
    """Lines of the translatable texts of the accessibility statement and the legal notice:
    ``accessibility.enforcement.name``, ``accessibility.issues[0]``, ``legal.publisher``..."""
    lines: dict[str, int] = {}
    accessibility, legal = node.get("accessibility"), node.get("legal")
    if isinstance(accessibility, Node):
        if isinstance(accessibility.get("enforcement"), Node) and "name" in accessibility["enforcement"]:
            lines["accessibility.enforcement.name"] = accessibility["enforcement"].key_lines["name"]
        if isinstance(accessibility.get("issues"), Seq):
            for index, line in enumerate(accessibility["issues"].item_lines):
                lines[f"accessibility.issues[{index}]"] = line
    if isinstance(legal, Node):
        lines.update({f"legal.{key}": line for key, line in legal.key_lines.items()})
    return lines


def _accessibility(values: dict[str, Any] | None) -> Accessibility | None:
    if values is None:
        return None
    enforcement = values.get("enforcement", {})
    return Accessibility(values["status"], values["date"], values.get("method", "self"), values.get("contact"),
                         enforcement.get("name"), enforcement.get("url"), tuple(values.get("issues", ())))


def _category_slugs(node: Any) -> set[str]:
    """Built-in category slugs and those city.yaml adds (as written, even if invalid)."""
    slugs = set(CATEGORIES)
    custom = node.get("categories") if isinstance(node, Node) else None
    for item in custom if isinstance(custom, list) else ():
        if isinstance(item, Node) and isinstance(item.get("slug"), str):
            slugs.add(item["slug"])
    return slugs


def _check_categories(services: tuple[Service, ...], slugs: set[str], problems: Problems) -> None:
    for service in services:
        if service.category not in slugs:
            hint = f.did_you_mean(service.category, slugs)
            problems.add(service.path, service.lines["category"], "category",
                         f"'{service.category}' is not a category{hint or ';'}"
                         f" categories: {', '.join(sorted(slugs))}")


def _check_files(folder: Path, root: Path, problems: Problems) -> bool:
    """Report symbolic links that leave content/ and files that are not regular files
    (a pipe or device could block the build); return True if there are none.

    Only the city's folder and the symbolic links below it are resolved: the walk does not
    follow links, so every other entry lies where its folder does, and the folder listing
    tells files and folders apart without a ``stat`` of each."""
    content = (root / "content").resolve()
    before = len(problems.items)

    def check(path: Path) -> None:
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            problems.add(rel_path(path, root), None, "", "broken or looping symbolic link; remove it")
            return
        if not target.is_relative_to(content):
            problems.add(rel_path(path, root), None, "", "symbolic link to a file outside content/; "
                         "copy the file into the city folder instead")
        elif not (target.is_file() or target.is_dir()):
            problems.add(rel_path(path, root), None, "", "is not a regular file (a pipe or a device?); remove it")

    check(folder)
    pending = [str(folder)]
    while pending:
        with os.scandir(pending.pop()) as listing:
            entries = sorted((entry for entry in listing if not entry.name.startswith(".")),
                             key=lambda entry: (not _is_folder(entry), entry.name))  # as os.walk lists them
        folders = []
        for entry in entries:
            if entry.is_symlink() or not (entry.is_file(follow_symlinks=False) or entry.is_dir(follow_symlinks=False)):
                check(Path(entry.path))
            elif entry.is_dir(follow_symlinks=False):
                folders.append(entry.path)
        pending.extend(reversed(folders))  # the first folder is walked next
    return len(problems.items) == before


def _is_folder(entry: os.DirEntry[str]) -> bool:
    """Whether an entry is a folder or a link to one, as ``os.walk`` tells (a looping link is not)."""
    try:
        return entry.is_dir()
    except OSError:
        return False
