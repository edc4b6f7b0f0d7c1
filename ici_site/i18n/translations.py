"""Translate stage: which translation each message shows, in which language.

For a reader's language the city's chain is tried in order (the language, its
``fallbacks``, the source language). A translation is usable when it is not
empty, not fuzzy (unless the city opts in to fuzzy ones, which then carry an
"outdated translation" hint) and passes the safety check
(:mod:`~ici_site.i18n.safety`). Text shown in another language than the reader's
carries that language and a "not yet translated" hint — never a blank; a
machine translation is told to the reader by its page: one notice, or a label
(:mod:`~ici_site.i18n.machine`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ici_site.build.cache import CatalogStore
from ici_site import vocab
from ici_site.content.model import City, Translated
from ici_site.i18n.catalogs import TEMPLATE_DOMAIN, Entry, interface_chain, load_entries, po_path
from ici_site.i18n.safety import check_interface, check_translation
from ici_site.i18n.segments import Message, Shown, Translate


@dataclass
class Catalogs:
    """Every catalog of a project, read once on demand."""

    root: Path
    store: CatalogStore | None = None  # parsed catalogs kept between builds (ici_site.build.cache)
    _cache: dict[tuple[str, str], dict[str, Entry]] = field(default_factory=dict)
    _unsafe: dict[tuple[str, str], dict[str, tuple[str, ...]]] = field(default_factory=dict)
    skipped: set[tuple[str, str]] = field(default_factory=set)  # (domain, lang) left out by --keep-going

    def entries(self, domain: str, lang: str) -> dict[str, Entry]:
        """msgid -> Entry of one catalog (empty if it does not exist)."""
        key = (domain, lang)
        if key not in self._cache:
            path = po_path(self.root, domain, lang)
            self._cache[key] = self.store.entries(path) if self.store else load_entries(path)
        return self._cache[key]

    def skip(self, domain: str, lang: str) -> None:
        """Treat a catalog as empty: ``build --keep-going`` after it could not be read."""
        self._cache[(domain, lang)] = {}
        self.skipped.add((domain, lang))

    def known(self, domain: str, lang: str, region: str | None) -> bool:
        """Whether the catalog is read and checked already (this build, or the store of a warm process)."""
        key = (domain, lang)
        if key in self._cache and key in self._unsafe:
            return True
        return self.store is not None and self.store.holds(po_path(self.root, domain, lang), region)

    def unsafe(self, domain: str, lang: str, region: str | None) -> dict[str, tuple[str, ...]]:
        """msgid -> what the safety check found, for every translation that fails it."""
        key = (domain, lang)
        if key not in self._unsafe:
            def check() -> dict[str, tuple[str, ...]]:
                found = {}
                for msgid, entry in self.entries(domain, lang).items():
                    problems = check_interface((msgid,), entry.string) if domain == TEMPLATE_DOMAIN else \
                        check_translation(msgid, entry.string, entry.markdown, region)
                    if problems:
                        found[msgid] = problems
                return found

            path = po_path(self.root, domain, lang)
            self._unsafe[key] = self.store.unsafe(path, region, check) if self.store else check()
        return self._unsafe[key]


@dataclass(frozen=True, slots=True)
class Hints:
    """The visible hints, already in the reader's language."""

    untranslated: str  # "not yet translated"
    outdated: str  # "outdated translation"
    machine: str  # "machine translated"

    @classmethod
    def in_language(cls, gettext: Callable[[str], str]) -> Hints:
        """The hints in the language ``gettext`` translates into."""
        return cls(gettext(vocab.UNTRANSLATED), gettext(vocab.OUTDATED), gettext(vocab.MACHINE))


def usable(entry: Entry | None, show_fuzzy: bool, unsafe: bool = False) -> bool:
    """Whether a catalog entry may be shown to readers."""
    return entry is not None and bool(entry.string) and (show_fuzzy or not entry.fuzzy) and not unsafe


def official_texts(city: Translated, lang: str) -> dict[str, str]:
    """Source text -> the text city.yaml itself gives in ``lang``, an official language
    (the city's name): a fact of the city, shown before any catalog's translation."""
    if not isinstance(city, City) or lang == city.source_language or lang not in city.names:
        return {}
    return {city.name: city.names[lang]}


def content_translator(city: Translated, lang: str, catalogs: Catalogs, hints: Hints) -> Translate:
    """A function giving, for a source text of ``city``, what a ``lang`` reader sees."""
    chain = city.chain(lang)
    tables = [(code, catalogs.entries(city.slug, code), catalogs.unsafe(city.slug, code, city.country))
              for code in chain if code != city.source_language]
    official = official_texts(city, lang)
    known: dict[str, Shown] = {}  # a text recurs on many pages (titles, summaries, labels)

    def translate(text: str) -> Shown:
        found = known.get(text)
        if found is None:
            found = known[text] = _translate(text)
        return found

    def _translate(text: str) -> Shown:
        if text in official:
            return Shown(official[text], lang)
        for code, table, unsafe in tables:
            entry = table.get(text)
            if usable(entry, city.show_fuzzy, text in unsafe):
                assert entry is not None
                if code == lang and not entry.fuzzy:  # most texts: the reader's own, no hint
                    return Shown(entry.string, code, machine=entry.machine)
                # a machine translation in the reader's language is labelled by the page (ici_site.i18n.machine);
                # a fallback's keeps its own label beside "not yet translated"
                labels = [(code != lang, hints.untranslated, "other-lang"),
                          (entry.fuzzy, hints.outdated, "outdated"),
                          (entry.machine and code != lang, hints.machine, "machine")]
                return _labelled(entry.string, code, lang, [(hint, kind) for on, hint, kind in labels if on],
                                  entry.machine and code == lang)
        source = city.source_language
        return _labelled(text, source, lang, [(hints.untranslated, "other-lang")] if source != lang else [])

    return translate


def own_translation(source: Translated, text: str, lang: str, catalogs: Catalogs) -> Shown:
    """``text`` as ``source``'s catalog of ``lang`` itself translates it, else as written,
    in the source language; no fallback chain and no hint: for a city's name in a list of
    cities (a name is often not translated at all)."""
    if lang != source.source_language:
        entry = catalogs.entries(source.slug, lang).get(text)
        if usable(entry, source.show_fuzzy, text in catalogs.unsafe(source.slug, lang, source.country)):
            assert entry is not None
            return Shown(entry.string, lang)
    return Shown(text, source.source_language)


def _labelled(text: str, code: str, lang: str, labels: list[tuple[str, str]], machine: bool = False) -> Shown:
    """``text`` in ``code`` as a ``lang`` reader sees it, with the hints of ``labels`` (hint, kind), if any."""
    if not labels:
        return Shown(text, code, machine=machine)
    return Shown(text, code, " · ".join(hint for hint, _ in labels), lang, " ".join(kind for _, kind in labels),
                 machine)


def template_gettext(city: Translated, lang: str, catalogs: Catalogs) -> Callable[[str], str]:
    """gettext for template strings: the city's chain, then the English msgid."""
    tables = [(catalogs.entries(TEMPLATE_DOMAIN, code), catalogs.unsafe(TEMPLATE_DOMAIN, code, None))
              for code in interface_chain(city, lang)]

    def gettext(text: str) -> str:
        for table, unsafe in tables:
            entry = table.get(text)
            if usable(entry, False, text in unsafe):  # a broken placeholder falls back, never stops the page
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
    unsafe: int  # translated, but failing the safety check (not shown)
    machine: int  # usable, flagged machine-translated (shown with a label)

    @property
    def share(self) -> float:
        """Translated share, compared with the city's ``min_translated``."""
        return self.translated / self.messages if self.messages else 1.0


def progress(city: Translated, lang: str, catalogs: Catalogs, messages: list[Message]) -> Progress:
    """Count the city's messages by state in ``lang`` (the source language is complete)."""
    return Tally(city, lang, catalogs).of(messages)


# The state of one source text in one language, as bits (:class:`Tally`).
SHOWN, FUZZY, MISSING, UNSAFE, MACHINE = 1, 2, 4, 8, 16


class Tally:
    """The state of each source text of one city in one language, found once: the city's
    progress and each of its files' (the status page) count the same states. ``states``:
    where to keep them (``serve`` keeps them from one build to the next while the city's
    settings and the language's catalogs are the same: an edit finds only its new texts')."""

    def __init__(self, city: Translated, lang: str, catalogs: Catalogs, states: dict[str, int] | None = None) -> None:
        self.city, self.lang, self.catalogs = city, lang, catalogs
        self.complete, self.show_fuzzy = lang == city.source_language, city.show_fuzzy
        self.states = {} if states is None else states

    @cached_property
    def given(self) -> dict[str, Entry]:
        """city.yaml's own texts: complete, never unsafe or machine-made."""
        return {text: Entry(form, False, 0) for text, form in official_texts(self.city, self.lang).items()}

    @cached_property
    def table(self) -> dict[str, Entry]:
        """The language's translations (read only for texts whose state is not kept)."""
        return {} if self.complete else {**self.catalogs.entries(self.city.slug, self.lang), **self.given}

    @cached_property
    def unsafe(self) -> dict[str, tuple[str, ...]]:
        """The translations the safety check refuses."""
        return {} if self.complete else self.catalogs.unsafe(self.city.slug, self.lang, self.city.country)

    def of(self, messages: list[Message]) -> Progress:
        """The progress of ``messages`` (distinct source texts)."""
        texts = {m.text for m in messages}
        if self.complete:
            return Progress(len(texts), len(texts), 0, 0, 0, 0)
        states = self.states
        new = texts.difference(states)
        if new:
            self._count(new)
        counts = Counter(map(states.__getitem__, texts))

        def having(bit: int) -> int:
            return sum(n for state, n in counts.items() if state & bit)

        return Progress(messages=len(texts), translated=having(SHOWN), fuzzy=having(FUZZY),
                        missing=having(MISSING), unsafe=having(UNSAFE), machine=having(MACHINE))

    def _count(self, texts: set[str]) -> None:
        """Find the state of each of ``texts``."""
        states = self.states
        table, unsafe, given, show_fuzzy = self.table, self.unsafe, self.given, self.show_fuzzy
        for text in texts:
            entry = table.get(text)
            if entry is None or not entry.string:
                states[text] = MISSING
                continue
            bad = text in unsafe and text not in given
            # a fuzzy entry is not shown anyway: it counts once, as fuzzy (unless the city shows fuzzy ones)
            state = (FUZZY if entry.fuzzy else 0) | (UNSAFE if bad and (show_fuzzy or not entry.fuzzy) else 0)
            if usable(entry, show_fuzzy, bad):
                state |= SHOWN | (MACHINE if entry.machine else 0)
            states[text] = state
