"""Translation progress (`status`) and whole-project checks (`check`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .catalogs import domains, po_path, read_catalog
from .errors import ContentError, Problem
from .model import City, Site
from .segments import city_messages
from .translations import Catalogs, usable


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
    texts = {m.text for m in city_messages(city)}
    rows = []
    for lang in city.languages:
        if lang == city.source_language:
            continue
        table = catalogs.entries(city.slug, lang)
        translated = sum(1 for t in texts if usable(table.get(t), city.show_fuzzy))
        fuzzy = sum(1 for t in texts if t in table and table[t].string and table[t].fuzzy)
        missing = sum(1 for t in texts if t not in table or not table[t].string)
        rows.append(LanguageStatus(city.slug, lang, len(texts), translated, fuzzy, missing,
                                   translated / max(len(texts), 1) >= city.min_translated))
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
