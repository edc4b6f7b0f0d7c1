"""Translation progress (`status`) and whole-project checks (`check`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .catalogs import domains, po_path, read_catalog
from .errors import ContentError, Problem
from .model import City, Site
from .segments import city_messages
from .translations import Catalogs, progress


@dataclass(frozen=True, slots=True)
class LanguageStatus:
    """Progress of one language of one city."""

    city: str
    lang: str
    messages: int  # distinct source texts
    translated: int  # usable translations
    fuzzy: int  # translated but marked fuzzy
    missing: int  # no translation at all
    published: bool  # reaches min_translated


def city_status(site: Site, city: City) -> list[LanguageStatus]:
    """One row per published language other than the source language."""
    catalogs = Catalogs(Path(site.root))
    messages = city_messages(city)
    rows = []
    for lang in city.languages:
        if lang == city.source_language:
            continue
        p = progress(city, lang, catalogs, messages)
        rows.append(LanguageStatus(city.slug, lang, p.messages, p.translated, p.fuzzy, p.missing,
                                   p.share >= city.min_translated))
    return rows


def check_catalogs(site: Site) -> None:
    """Read every catalogue the site uses; raise one ContentError listing each broken one."""
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
