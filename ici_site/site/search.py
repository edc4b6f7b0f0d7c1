"""The search index of one language, cut into small scripts the search page loads as needed.

Per language folder the build writes ``search/docs.js`` (what a result shows: link,
title, summary; how words become terms, see :mod:`ici_site.site.terms`; how many shards)
and ``search/<n>.js``, the shards: every term with the documents it is in and a score
(BM25 over title, keywords, summary and text: :mod:`~ici_site.site.scoring`). A term lives in the
shard its first three letters hash to, so the browser loads only the shards of the
words typed, and finds there every term that starts like them (prefix search) or is
spelled nearly the same. Nothing is loaded before the reader types.

The index holds the text as the reader sees it, stemmed in its own language. The search
page of a translation also looks the words up in the source language's index, whose
documents are the same, in the same order, at :data:`SOURCE_WEIGHT`: "titre de séjour"
typed on the Arabic site finds the Arabic page. Each city has that source-language copy
once, not in every language's index. Plain ``<script>`` files, not JSON fetched at run
time: they also load from ``file://``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial

from ici_site.content.model import City, Service
from ici_site.i18n.segments import NOTES, Translate, document_messages
from ici_site.site import terms, urls
from ici_site.site.escape import json_for_script
from ici_site.site.scoring import NOWHERE, Elsewhere, Fields, Scores, terms_of

FOLDER = "search"  # in each language folder
DOCS_FILE = f"{FOLDER}/docs.js"
STEM_FOLDER = "stem"  # under assets/: the Snowball stemmers (templates/assets/stem/)
INLINE_MARKUP = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[*_`#>|]+")
# A page's text (first steps, about) mentions every service in a line: the service that does
# the thing comes first, the page's title still counts in full.
PAGE_TEXT_WEIGHT = 0.5
SOURCE_WEIGHT = 0.6  # a translation's search: the source language's index weighs less than its own
PREFIX = 3  # letters of a term that choose its shard: a word typed this far finds the terms it begins
DOCUMENTS_PER_SHARD = 3  # a shard holds about the terms of this many documents
REMEMBERED = 24  # indexes ``serve`` keeps for its next build: two cities of twelve languages


@dataclass(frozen=True, slots=True)
class SearchDocument:
    """One searchable page, in the source language: the build translates it per language."""

    route: urls.Route
    title: str
    summary: str
    category: str  # slug, "" for pages
    messages: tuple[tuple[str, str], ...]  # (field, source text) for every message
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # found by value in each language's kept fields, twice a build (``serve``): hashed once
        object.__setattr__(self, "_hash", hash((self.route, self.title, self.summary, self.category, self.messages)))

    def __hash__(self) -> int:
        return self._hash


_KEYWORD_NOTE = ": " + NOTES["keywords"]


def search_entries(city: City) -> list[SearchDocument]:
    """Every service and page of the city, cut into messages (the renderers of a process
    make them once for all its languages: :class:`~ici_site.site.shared.Shared`)."""
    entries = []
    for document in (*city.services, *city.pages):
        is_service = isinstance(document, Service)
        messages = []
        for number, message in enumerate(document_messages(document)):
            field = ("title" if number == 0 else "summary" if is_service and number == 1
                     else "keywords" if message.note.endswith(_KEYWORD_NOTE) else "text")
            messages.append((field, message.text))
        entries.append(SearchDocument(
            urls.Route("service" if is_service else "page", document.slug), document.title,
            document.summary if isinstance(document, Service) else "",
            document.category if isinstance(document, Service) else "", tuple(messages)))
    return entries


@lru_cache(maxsize=65536)  # each language's index repeats the source texts
def _unmarked(text: str) -> str:
    """Message text without Markdown inline markup (link targets, emphasis marks): what its
    terms are counted in (their words are cut at white space, whatever it is)."""
    if any(char in text for char in "[*_`#>|"):  # what INLINE_MARKUP cannot match without
        text = INLINE_MARKUP.sub(r"\1", text)
    return text


def _plain(text: str) -> str:
    """Message text without Markdown inline markup, its white space made single spaces: what
    a result shows."""
    return " ".join(_unmarked(text).split())


def source_documents(city: City, entries: list[SearchDocument]) -> dict[str, frozenset[int]]:
    """Each term of the city's documents in the source language, with the documents that hold
    it: a translation's index counts them in a term's idf, as if it held the source text too."""
    held: dict[str, set[int]] = {}
    for doc, entry in enumerate(entries):
        for _, text in entry.messages:
            for term in terms_of(city.source_language, _unmarked(text)):
                found = held.get(term)
                if found is None:
                    held[term] = {doc}
                else:
                    found.add(doc)
    return {term: frozenset(docs) for term, docs in held.items()}


def shard_count(city: City) -> int:
    """How many shards each index of ``city`` has (known before an index is made)."""
    return max(1, math.ceil((len(city.services) + len(city.pages)) / DOCUMENTS_PER_SHARD))


def source_shards(city: City, lang: str) -> list[str]:
    """The shards of the source language's index that the search page of ``lang`` also loads
    (paths in the city folder; none on the source language's own page): saved with the language."""
    source = city.source_language
    return [] if lang == source else [urls.language_file(source, f"{FOLDER}/{n}.js") for n in range(shard_count(city))]


def shard_of(term: str, count: int) -> int:
    """The shard of a term: a hash of its first PREFIX letters (search.js computes the same)."""
    mixed = 0
    for char in term[:PREFIX]:
        mixed = (mixed * 65599 + ord(char)) & 0xFFFFFFFF
    return ((mixed * 2654435761) & 0xFFFFFFFF) % count


def analysers(city: City, lang: str) -> list[terms.Analyser]:
    """The analysers of the languages an index of ``lang`` holds: its chain, source last."""
    return [terms.analyser(code) for code in city.chain(lang)]


def stem_assets(city: City, languages: tuple[str, ...]) -> list[str]:
    """The stemmer scripts (under assets/) the search pages of ``languages`` may load."""
    names = {a.stemmer for lang in languages for a in analysers(city, lang) if a.stemmer not in ("", "light")}
    return [f"{STEM_FOLDER}/{name}.js" for name in sorted(names | {"base"})] if names else []


class Index:
    """The terms of one language's index, and the files that carry them."""

    def __init__(self, city: City, lang: str, entries: list[SearchDocument], translate: Translate,
                 category_name: Callable[[str], str], remembered: Remembered | None = None,
                 translated: str = "", elsewhere: Elsewhere = NOWHERE) -> None:
        """``translated``: a key of all that ``translate`` and ``category_name`` read (the city's
        settings, the language's catalogs); with the same key, a ``remembered`` index takes the
        fields of each document that did not change from its last build instead of translating
        them again (``serve``, after an edit of one document). ``elsewhere``: the documents of the
        source language's index, by term (:func:`source_documents`), for a translation's idf."""
        self.city, self.lang = city, lang
        self.kept = remembered.kept((city.slug, lang), translated) if remembered else None
        known = self.kept.fields if self.kept else {}  # (none unless translated with the same key)
        made: dict[SearchDocument, Made] = {}
        for entry in entries:
            found = known.get(entry)
            made[entry] = found if found is not None else self._fields(entry, translate, category_name)
        self.docs = [row for row, _ in made.values()]
        fields: Fields = [texts for _, texts in made.values()]
        self.scores = self.kept.scored(fields, elsewhere) if self.kept else Scores(fields, elsewhere=elsewhere)
        self.postings = self.scores.postings
        if self.kept:
            self.kept.fields = made

    def _fields(self, entry: SearchDocument, translate: Translate,
                category_name: Callable[[str], str]) -> Made:
        """What a result shows of ``entry`` (link, title, summary) and its searchable fields."""
        lang = self.lang
        overview = PAGE_TEXT_WEIGHT if entry.route.kind == "page" else 1.0
        shown = [(field, overview if field == "text" else 1.0, translate(text)) for field, text in entry.messages]
        row = [urls.relative(f"{lang}/search.html", entry.route.path(lang)),
               _plain(shown[0][2].text), _plain(translate(entry.summary).text) if entry.summary else ""]
        texts = [(field, weight, r.lang, _unmarked(r.text)) for field, weight, r in shown]
        if entry.category:
            texts.append(("text", 1.0, lang, category_name(entry.category)))
        return row, tuple(texts)

    def shards(self) -> list[str]:
        """The shard scripts: ``ICI_SEARCH.shard(lang, n, {term: [doc, score, …], …})``; of scores
        ``serve`` keeps, only those whose terms' postings moved since it last made them."""
        count = shard_count(self.city)
        scripts = self.kept.scripts if self.kept else None
        if scripts is None or scripts.count != count:
            scripts = ShardScripts(count, self.lang)
            if self.kept:
                self.kept.scripts = scripts
        return shard_scripts(self.scores, scripts)

    def head(self) -> str:
        """``docs.js``: the documents, the shard count and the analysis rules of the index."""
        city, lang, source = self.city, self.lang, self.city.source_language
        used = analysers(city, lang)
        data: dict[str, object] = {
            "lang": lang, "docs": self.docs,
            "shards": shard_count(city), "prefix": PREFIX,
            "analysers": [{"lang": a.lang, "stem": a.stemmer, "script": a.script} for a in used],
            "light": {a.lang: terms.light_table(a.lang) for a in used if a.stemmer == "light"},
            "diacritics": terms.DIACRITICS, "letters": terms.LETTERS, "articles": terms.ARTICLES, "rest": terms.MIN_REST,
        }
        if lang != source:  # the same documents in the same order: the source index's numbers are these
            data["source"] = {"lang": source, "weight": SOURCE_WEIGHT,
                              "folder": urls.relative(f"{lang}/search.html", f"{source}/{FOLDER}") + "/"}
        return f"ICI_SEARCH.docs({_json(data)});\n"


def index_files(city: City, lang: str, make: Callable[[], Index]) -> list[tuple[str, Callable[[], str]]]:
    """Every file of the index of ``lang``: (path in the city folder, how to make it).

    The paths are known at once; the index itself is made once, when the first file is.
    """
    made: list[Index] = []
    shards: list[str] = []

    def index() -> Index:
        if not made:
            made.append(make())
        return made[0]

    def shard(number: int) -> str:
        if not shards:
            shards.extend(index().shards())
        return shards[number]

    files: list[tuple[str, Callable[[], str]]] = [(urls.language_file(lang, DOCS_FILE), lambda: index().head())]
    files += [(urls.language_file(lang, f"{FOLDER}/{n}.js"), partial(shard, n)) for n in range(shard_count(city))]
    return files


def shard_scripts(scores: Scores, scripts: ShardScripts) -> list[str]:
    """The shard scripts of ``scores``, made again by ``scripts`` only where postings moved since
    it last made them (scores ``serve`` keeps, edited in place by :meth:`Scores.rescored`)."""
    made = scripts.made(scores.postings, scores.moved)
    scores.moved = set()
    return made


class ShardScripts:
    """The shard scripts last made from an index's scores, and the terms each holds."""

    def __init__(self, count: int, lang: str) -> None:
        self.count, self.lang = count, lang
        self.terms: list[set[str]] = [set() for _ in range(count)]
        self.scripts = [""] * count
        self.empty = True  # nothing made yet: every shard is made, whatever moved

    def made(self, postings: dict[str, list[int]], moved: set[str] | None) -> list[str]:
        """Every shard script, made again for the shards of the ``moved`` terms (None: all)."""
        if self.empty:
            moved, self.empty = None, False
        if moved is None:
            self.terms = [set() for _ in range(self.count)]
            for term in postings:
                self.terms[shard_of(term, self.count)].add(term)
        for term in moved or ():
            held = self.terms[shard_of(term, self.count)]
            if term in postings:
                held.add(term)
            else:
                held.discard(term)
        for n in range(self.count) if moved is None else {shard_of(term, self.count) for term in moved}:
            grouped = {term: postings[term] for term in sorted(self.terms[n])}
            self.scripts[n] = f"ICI_SEARCH.shard({_json(self.lang)},{n},{_json(grouped)});\n"
        return list(self.scripts)


Made = tuple[list[str], tuple[tuple[str, float, str, str], ...]]  # a document's result row and fields


@dataclass
class KeptIndex:
    """What ``serve`` keeps of one index for its next build."""

    scores: Scores | None = None
    scripts: ShardScripts | None = None  # the shard scripts made from the scores
    translated: str = ""  # the key of what the fields were translated with
    fields: dict[SearchDocument, Made] = field(default_factory=dict)  # each document's row and fields

    def scored(self, fields: Fields, elsewhere: Elsewhere) -> Scores:
        """The scores of ``fields``: from the last ones, edited, when there are any."""
        self.scores = (self.scores.rescored(fields, elsewhere) if self.scores is not None
                       else Scores(fields, kept=True, elsewhere=elsewhere))
        return self.scores


class Remembered:
    """What ``serve``'s own process keeps of the last :data:`REMEMBERED` indexes it made: their
    scores (an edit's index is scored again from them), their shard scripts (made again where
    postings moved) and each document's fields (taken again while the translations are the same)."""

    def __init__(self) -> None:
        self._kept: dict[tuple[str, str], KeptIndex] = {}

    def kept(self, key: tuple[str, str], translated: str) -> KeptIndex:
        """What is kept of the index ``key`` (city, language), its fields forgotten unless they
        were translated with the same ``translated`` key; the most recent one now."""
        kept = self._kept.pop(key, None) or KeptIndex()
        if kept.translated != translated or not translated:
            kept.translated, kept.fields = translated, {}
        self._kept[key] = kept
        if len(self._kept) > REMEMBERED:
            del self._kept[next(iter(self._kept))]
        return kept


def _json(data: object) -> str:
    """A script file: a raw U+2028 in a translation must not end a line, nor "</script" a tag."""
    return json_for_script(data)
