"""Gettext catalogs: extraction, update, init, compile, and reading them for the build.

Layout (Babel's):  ``locales/<domain>.pot`` and ``locales/<lang>/LC_MESSAGES/<domain>.po``.
The domain ``messages`` holds template strings (English msgids); each city has
its own domain, named after its folder, with msgids in its source language.

Everything goes through ``babel.messages``; the content extractor has Babel's
extractor signature and is named in ``babel.cfg``, so ``pybabel extract`` and
``ici-site extract`` run the same code.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.mofile import write_mo
from babel.util import pathmatch

from ici_site.content.model import City, Network, Site, Translated
from ici_site.errors import ContentError, Problem, Problems
from ici_site.i18n.languages import base_language
from ici_site.i18n.plural_rules import conform
from ici_site.i18n.pofile import (  # noqa: F401  # the names the build and tests know from here
    MACHINE_FLAG,
    MARKDOWN_FLAG,
    TEMPLATE_DOMAIN,
    TEMPLATE_LANGUAGE,
    CatalogChanged,
    Entry,
    atomic_write,
    file_state,
    load_entries,
    read_catalog,
    write_catalog,
)
from ici_site.i18n.safety import check_translation
from ici_site.i18n.segments import content_messages

COMMENT_TAGS = ("Translators:",)


# -- extraction ----------------------------------------------------------------


def extract_content(fileobj: IO[bytes], keywords: Any, comment_tags: Any,
                    options: dict[str, Any]) -> Iterator[tuple[int, None, str, list[str]]]:
    """Babel extractor for a city's ``city.yaml`` and Markdown files, and ``content/network.yaml``.

    Loads the whole city (or the network) with the real loader (the document needs the
    city's country to be validated) and yields the messages that come from this file.
    """
    path = Path(os.path.abspath(fileobj.name))
    network = path.name == "network.yaml"  # content/network.yaml: its folder is content/ itself
    folder = path.parent if network or path.name == "city.yaml" else path.parent.parent
    fingerprint = tuple((str(p), p.stat().st_mtime_ns) for p in sorted(folder.rglob("*")) if p.is_file())
    source = _load_network_for_extraction(folder, fingerprint) if network \
        else _load_city_for_extraction(folder, fingerprint)
    root = folder.parent if network else folder.parent.parent
    wanted = Path(os.path.relpath(path, root)).as_posix()
    for message in content_messages(source):
        if message.path == wanted:
            yield message.line, None, message.text, [message.note]


@lru_cache(maxsize=8)
def _load_city_for_extraction(folder: Path, _fingerprint: tuple[tuple[str, int], ...]) -> City:
    """The validated city, loaded once per extraction run (the key changes with any file)."""
    from ici_site.content.loaders import load_city  # late import: loaders do not need catalogs

    problems = Problems()
    city = load_city(folder, folder.parent.parent, problems)
    problems.check()
    assert city is not None
    return city


@lru_cache(maxsize=2)
def _load_network_for_extraction(content: Path, _fingerprint: tuple[tuple[str, int], ...]) -> Network:
    """The validated network of the ``content`` folder, loaded once per extraction run."""
    from ici_site.content.loaders import load_site  # late import: loaders do not need catalogs

    network = load_site(content.parent, cities=False, network=True).network
    assert network is not None
    return network


def _mapping(root: Path) -> tuple[list[tuple[str, str]], dict[str, dict[str, str]]]:
    from babel.messages.frontend import parse_mapping_cfg  # only extraction reads babel.cfg (not a build)

    with open(root / "babel.cfg", encoding="utf-8") as fileobj:
        return parse_mapping_cfg(fileobj)


def template_sources(root: Path) -> list[Path]:
    """Files holding template strings: the templates, the vocabularies module and the
    starter texts of a new city."""
    files = sorted((root / "templates").rglob("*.html"))
    package = Path(__file__).resolve().parent.parent  # ici_site/
    return files + [package / "vocab.py", package / "scaffold.py"]


def extract_catalog(root: Path, domain: str, files: Iterable[Path], epoch: dt.datetime) -> Catalog:
    """Run babel.cfg's extractors on ``files`` and gather one POT catalog."""
    method_map, options_map = _mapping(root)
    catalog = Catalog(project="ici_site", domain=domain, creation_date=epoch,
                      charset="utf-8", fuzzy=False, msgid_bugs_address="")
    for path in files:
        rel = _reference(path, root)
        for pattern, method in method_map:
            if pathmatch(pattern, rel):
                break
        else:
            continue
        for lineno, text, comments, context in extract_from_file(
            method, str(path), DEFAULT_KEYWORDS, COMMENT_TAGS, options_map.get(pattern, {}),
            strip_comment_tags=True,
        ):
            flags = [MARKDOWN_FLAG] if any(c.endswith(": text") for c in comments) else []
            catalog.add(text, None, [(rel, lineno)], auto_comments=comments,
                        flags=flags, context=context)
    return catalog


def _reference(path: Path, root: Path) -> str:
    """How a file is named in ``#:`` references: relative to the project root, or
    ``ici_site/<name>`` for the package's own files when the project is elsewhere."""
    rel = Path(os.path.relpath(path.resolve(), root.resolve())).as_posix()
    if rel.startswith("../") and path.resolve().parent == Path(__file__).resolve().parent.parent:
        return f"ici_site/{path.name}"
    return rel


def content_files(root: Path, city: City | Network) -> list[Path]:
    """The files of a city (or the network) that hold messages, in a stable order."""
    if isinstance(city, Network):
        return [root / city.path]
    folder = root / "content" / city.slug
    return [folder / "city.yaml", *sorted(folder.glob("*/*.md"))]


def content_domains(site: Site) -> tuple[City | Network, ...]:
    """Every city, then the network: each has a catalog domain of its own content."""
    return (*site.cities, *((site.network,) if site.network else ()))


def pot_path(root: Path, domain: str) -> Path:
    """Where a domain's template catalog lives."""
    return root / "locales" / f"{domain}.pot"


def interface_chain(city: Translated, lang: str) -> tuple[str, ...]:
    """The languages whose interface catalogs a ``lang`` page reads (English ends it: the msgids)."""
    chain = city.chain(lang)
    return chain[: chain.index(TEMPLATE_LANGUAGE)] if TEMPLATE_LANGUAGE in chain else chain


def po_path(root: Path, domain: str, lang: str) -> Path:
    """Where a domain's catalog for ``lang`` lives."""
    return root / "locales" / lang.replace("-", "_") / "LC_MESSAGES" / f"{domain}.po"


def domains(site: Site) -> dict[str, tuple[str, ...]]:
    """Each domain with the languages that need a catalog for it."""
    result: dict[str, tuple[str, ...]] = {}
    wanted: set[str] = set()
    for city in content_domains(site):
        result[city.slug] = catalog_languages(city)
        wanted.update(_translated_languages(city))
    existing = set(template_catalog_languages(Path(site.root)))
    # a regional variety reads its base language's interface (fa-AF: fa's) unless it has its own
    wanted = {lang for lang in wanted if base_language(lang) not in wanted | existing}
    result[TEMPLATE_DOMAIN] = tuple(sorted((wanted | existing) - {TEMPLATE_LANGUAGE}))
    return result


def interface_from(root: Path, lang: str) -> str | None:
    """The language whose interface catalog ``lang`` pages read when ``lang`` has none
    of its own: the base language of a regional variety (fa-AF: fa), if it has one."""
    base = base_language(lang)
    if base and not po_path(root, TEMPLATE_DOMAIN, lang).exists() and po_path(root, TEMPLATE_DOMAIN, base).exists():
        return base
    return None


def template_catalog_languages(root: Path) -> list[str]:
    """Languages with a template catalog, whether or not a city publishes them yet."""
    folders = (root / "locales").glob(f"*/LC_MESSAGES/{TEMPLATE_DOMAIN}.po")
    return sorted(path.parent.parent.name.replace("_", "-") for path in folders)


def catalog_languages(city: City | Network) -> tuple[str, ...]:
    """The languages a city's (or the network's) content has catalogs for: those its readers'
    chains go through, but its source language."""
    return tuple(lang for lang in _translated_languages(city) if lang != city.source_language)


def _translated_languages(city: City | Network) -> list[str]:
    """Published languages and the languages their fallback chains go through."""
    langs = list(city.languages)
    for chain in city.fallbacks.values():
        langs.extend(chain)
    return list(dict.fromkeys(langs))


def extract(site: Site, epoch: dt.datetime) -> list[Path]:
    """Write ``locales/<domain>.pot`` for templates, every city and the network; return what changed."""
    root = Path(site.root)
    changed = []
    catalogs = {TEMPLATE_DOMAIN: extract_catalog(root, TEMPLATE_DOMAIN, template_sources(root), epoch)}
    for city in content_domains(site):
        catalogs[city.slug] = extract_catalog(root, city.slug, content_files(root, city), epoch)
    for domain, catalog in catalogs.items():
        if write_catalog(pot_path(root, domain), catalog):
            changed.append(pot_path(root, domain))
    return changed


def update(site: Site, epoch: dt.datetime) -> list[Path]:
    """Extract, then merge each POT into every language's catalog (creating missing ones).

    Every catalog gets CLDR's plural rule for its language (:func:`~.plural_rules.conform`).
    A changed source text becomes fuzzy with its previous msgid kept (``#|``);
    a removed one becomes obsolete (``#~``); no translation is dropped. A text
    still untranslated in one city is filled from another city's translation of
    the same text (see :func:`reuse`). Every catalog is read before any is
    written, so a broken one stops the update with nothing rewritten.
    """
    root = Path(site.root)
    extract(site, epoch)
    merged: dict[Path, tuple[str, Catalog]] = {}
    seen: dict[Path, str | None] = {}  # what each .po held when it was read
    problems = Problems()
    for domain, langs in domains(site).items():
        template = read_catalog(pot_path(root, domain))
        for lang in langs:
            path = po_path(root, domain, lang)
            if path.exists():
                seen[path] = file_state(path)  # before reading: a save in between is noticed too
                try:
                    catalog = read_catalog(path, any_plural_rule=True)
                except ContentError as exc:  # reported below; this file is never rewritten
                    problems.extend(p for p in exc.problems if isinstance(p, Problem))
                    continue
                conform(catalog, lang)  # CLDR's plural rule, the same in every catalog of the language
                previous = {m.id: m.previous_id for m in catalog if m.fuzzy and m.previous_id}
                revive(catalog, template)
                catalog.update(template, update_header_comment=False)
                for message in catalog:  # Babel forgets #| of an entry that is still fuzzy
                    if message.fuzzy and not message.previous_id and message.id in previous:
                        message.previous_id = previous[message.id]
            else:
                seen[path] = None  # a catalog someone creates meanwhile is theirs too
                catalog = new_catalog(template, lang, domain, epoch)
            merged[path] = (domain, catalog)
    problems.check()  # one broken catalog stops the update before any .po is written
    reuse(site, {(domain, _lang(catalog)): catalog for domain, catalog in merged.values()})
    return _write_all({path: (catalog, seen[path]) for path, (_, catalog) in merged.items()})


def _write_all(catalogs: dict[Path, tuple[Catalog, str | None]]) -> list[Path]:
    """Write each catalog unless someone saved it meanwhile; those are reported together."""
    written: list[Path] = []
    changed: list[Problem | str] = []
    for path, (catalog, read) in catalogs.items():
        try:
            if write_catalog(path, catalog, read):
                written.append(path)
        except CatalogChanged as exc:
            changed.extend(exc.problems)
    if changed:
        raise CatalogChanged(changed, written)
    return written


def revive(catalog: Catalog, template: Catalog) -> None:
    """Bring back each obsolete entry (``#~``) whose text is in ``template`` again, with
    its translation, as msgmerge does (else Babel adds an empty twin, which msgfmt refuses)."""
    for key, message in list(catalog.obsolete.items()):
        if template.get(message.id, message.context) is not None and catalog.get(message.id, message.context) is None:
            del catalog.obsolete[key]
            catalog[message.id] = message


def _lang(catalog: Catalog) -> str:
    return str(catalog.locale).replace("_", "-") if catalog.locale else ""


def reuse(site: Site, catalogs: dict[tuple[str, str], Catalog]) -> None:
    """Fill each city's untranslated messages from other cities' translations.

    A source text translated for one city is the same text for another, so it
    arrives final (not fuzzy): nobody translates a sentence twice. It keeps its
    machine-translated flag, must pass the safety check with the receiving
    city's country, and gets a translator comment naming where it came from.
    Fuzzy translations are never reused.
    """
    countries = {city.slug: city.country for city in site.cities}
    for (domain, lang), catalog in catalogs.items():
        if domain not in countries:
            continue
        donors = [(other, cat) for (other, other_lang), cat in sorted(catalogs.items())
                  if other_lang == lang and other != domain and other in countries]
        for message in catalog:
            if not message.id or message.string or message.fuzzy or not isinstance(message.id, str):
                continue
            for other, donor in donors:
                found = donor.get(message.id, message.context)
                if (found is None or not found.string or not isinstance(found.string, str) or found.fuzzy
                        or check_translation(message.id, found.string, MARKDOWN_FLAG in message.flags,
                                             countries[domain])):
                    continue
                message.string = found.string
                if MACHINE_FLAG in found.flags:
                    message.flags.add(MACHINE_FLAG)
                message.user_comments.append(f"Reused from the {other} catalog.")
                break


def new_catalog(template: Catalog, lang: str, domain: str, epoch: dt.datetime) -> Catalog:
    """An empty catalog for ``lang``, with Language and Plural-Forms from CLDR."""
    catalog = Catalog(locale=Locale.parse(lang, sep="-"), domain=domain, project="ici_site",
                      creation_date=epoch, revision_date=epoch, fuzzy=False, charset="utf-8")
    catalog.update(template, update_header_comment=False)
    catalog.language_team = f"{catalog.locale.english_name} <LL@li.org>" if catalog.locale else ""
    return catalog


def init(site: Site, city: City | Network | None, lang: str, epoch: dt.datetime) -> list[Path]:
    """Create the catalogs a new language of ``city`` (or the network) needs; never overwrite one.

    Without a city, only the template catalog (shared by every city) is created. A
    regional variety whose base language has one (fa-AF: fa) gets none with a city: its
    pages read the base language's (:func:`interface_from`) until ``init LANG`` makes one.
    """
    root = Path(site.root)
    extract(site, epoch)
    created = []
    for domain in ((city.slug,) if city else ()) + (TEMPLATE_DOMAIN,):
        if domain == TEMPLATE_DOMAIN and (lang == TEMPLATE_LANGUAGE or city and interface_from(root, lang)):
            continue
        path = po_path(root, domain, lang)
        if not path.exists():
            write_catalog(path, new_catalog(read_catalog(pot_path(root, domain)), lang, domain, epoch), None)
            created.append(path)
    return created


def compile_all(root: Path) -> list[Path]:
    """Write a .mo next to every .po (for tools that want them; the build reads .po)."""
    written = []
    for path in sorted((root / "locales").glob("*/LC_MESSAGES/*.po")):
        catalog = read_catalog(path)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        target = path.with_suffix(".mo")
        if not target.exists() or target.read_bytes() != buffer.getvalue():
            atomic_write(target, buffer.getvalue())
            written.append(target)
    return written
