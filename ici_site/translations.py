"""Translate stage: which translation each message shows, in which language.

For a reader's language the city's chain is tried in order (the language, its
``fallbacks``, the source language). A translation is usable when it is not
empty and not fuzzy (unless the city opts in to fuzzy ones, which then carry an
"outdated translation" hint). Text shown in another language than the reader's
carries that language and a "not yet translated" hint — never a blank.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .catalogs import TEMPLATE_DOMAIN, TEMPLATE_LANGUAGE, Entry, load_entries, po_path
from .model import City
from .segments import Message, Rendering


@dataclass
class Catalogs:
    """Every catalogue of a project, read once on demand."""

    root: Path
    _cache: dict[tuple[str, str], dict[str, Entry]] = field(default_factory=dict)

    def entries(self, domain: str, lang: str) -> dict[str, Entry]:
        """msgid -> Entry of one catalogue (empty if it does not exist)."""
        key = (domain, lang)
        if key not in self._cache:
            self._cache[key] = load_entries(po_path(self.root, domain, lang))
        return self._cache[key]


@dataclass(frozen=True, slots=True)
class Hints:
    """The visible hints, already in the reader's language."""

    untranslated: str  # "not yet translated"
    outdated: str  # "outdated translation"


def usable(entry: Entry | None, show_fuzzy: bool) -> bool:
    """Whether a catalogue entry may be shown to readers."""
    return entry is not None and bool(entry.string) and (show_fuzzy or not entry.fuzzy)


def content_translator(city: City, lang: str, catalogs: Catalogs, hints: Hints) -> Callable[[str], Rendering]:
    """A function giving, for a source text of ``city``, what a ``lang`` reader sees."""
    chain = city.chain(lang)
    tables = [(code, catalogs.entries(city.slug, code)) for code in chain if code != city.source_language]

    def translate(text: str) -> Rendering:
        for code, table in tables:
            entry = table.get(text)
            if usable(entry, city.show_fuzzy):
                assert entry is not None
                hint = hints.outdated if entry.fuzzy else (hints.untranslated if code != lang else None)
                return Rendering(entry.string, code, hint, lang)
        source = city.source_language
        return Rendering(text, source, hints.untranslated if source != lang else None, lang)

    return translate


def template_gettext(city: City, lang: str, catalogs: Catalogs) -> Callable[[str], str]:
    """gettext for template strings: the city's chain, then the English msgid."""
    tables = []
    for code in city.chain(lang):
        if code == TEMPLATE_LANGUAGE:  # the msgids are this language's text
            break
        tables.append(catalogs.entries(TEMPLATE_DOMAIN, code))

    def gettext(text: str) -> str:
        for table in tables:
            entry = table.get(text)
            if usable(entry, False):
                assert entry is not None
                return entry.string
        return text

    return gettext


@dataclass(frozen=True, slots=True)
class Progress:
    """How far one language of one city is translated (distinct source texts)."""

    messages: int  # distinct source texts
    translated: int  # with a usable translation in the language itself
    fuzzy: int  # translated but marked fuzzy
    missing: int  # no translation at all

    @property
    def share(self) -> float:
        """Translated share, compared with the city's ``min_translated``."""
        return self.translated / self.messages if self.messages else 1.0


def progress(city: City, lang: str, catalogs: Catalogs, messages: list[Message]) -> Progress:
    """Count the city's messages by state in ``lang`` (the source language is complete)."""
    texts = {m.text for m in messages}
    if lang == city.source_language:
        return Progress(len(texts), len(texts), 0, 0)
    table = catalogs.entries(city.slug, lang)
    entries = [table.get(text) for text in texts]
    return Progress(
        messages=len(texts),
        translated=sum(1 for e in entries if usable(e, city.show_fuzzy)),
        fuzzy=sum(1 for e in entries if e is not None and e.string and e.fuzzy),
        missing=sum(1 for e in entries if e is None or not e.string),
    )
