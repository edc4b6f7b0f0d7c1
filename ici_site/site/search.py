"""The search index of one language, cut into small scripts the search page loads as needed.

Per language folder the build writes ``search/docs.js`` (what a result shows: link,
title, summary; how words become terms, see :mod:`ici_site.site.terms`; how many shards)
and ``search/<n>.js``, the shards: every term with the documents it is in and a score
(BM25 over title, keywords, summary and text, computed here). A term lives in the
shard its first three letters hash to, so the browser loads only the shards of the
words typed, and finds there every term that starts like them (prefix search) or is
spelled nearly the same. Nothing is loaded before the reader types.

The index holds the text as the reader sees it and, for translated messages, the
source-language text too, each stemmed in its own language: "titre de séjour" typed
on the Arabic site finds the Arabic page. Plain ``<script>`` files, not JSON fetched
at run time: they also load from ``file://``.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any

from ici_site.content.model import City, Service
from ici_site.i18n.segments import NOTES, Rendering, document_messages
from ici_site.site import terms, urls
from ici_site.site.escape import json_for_script

FOLDER = "search"  # in each language folder
DOCS_FILE = f"{FOLDER}/docs.js"
STEM_FOLDER = "stem"  # under assets/: the Snowball stemmers (templates/assets/stem/)
INLINE_MARKUP = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[*_`#>|]+")
WEIGHTS = {"title": 5.0, "keywords": 5.0, "summary": 2.0, "text": 1.0}  # BM25F field weights
# A page's text (first steps, about) mentions every service in a line: the service that does
# the thing comes first, the page's title still counts in full.
PAGE_TEXT_WEIGHT = 0.5
SOURCE_WEIGHT = 0.6  # the source-language copy of a translated message weighs less than what is shown
K1, B = 1.2, 0.75  # BM25 saturation and length normalisation
SCALE = 5  # scores are written as integers: this many steps per unit
PREFIX = 3  # letters of a term that choose its shard: a word typed this far finds the terms it begins
DOCUMENTS_PER_SHARD = 3  # a shard holds about the terms of this many documents (in each language of the index)
AVERAGE_STEPS = 8  # a field's average length is rounded to one of this many steps per doubling
REMEMBERED = 24  # indexes whose scores ``serve`` keeps for the next build: two cities of twelve languages


@dataclass(frozen=True, slots=True)
class SearchDocument:
    """One searchable page, in the source language: the build translates it per language."""

    route: urls.Route
    title: str
    summary: str
    category: str  # slug, "" for pages
    messages: tuple[tuple[str, str], ...]  # (field, source text) for every message


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
def _plain(text: str) -> str:
    """Message text without Markdown inline markup (link targets, emphasis marks)."""
    if any(char in text for char in "[*_`#>|"):  # what INLINE_MARKUP cannot match without
        text = INLINE_MARKUP.sub(r"\1", text)
    return " ".join(text.split())


def shard_count(city: City, lang: str) -> int:
    """How many shards the index of ``lang`` has (known before the index is made)."""
    documents = len(city.services) + len(city.pages)
    languages = 1 if lang == city.source_language else 2
    return max(1, math.ceil(documents * languages / DOCUMENTS_PER_SHARD))


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

    def __init__(self, city: City, lang: str, entries: list[SearchDocument], translate: Callable[[str], Rendering],
                 category_name: Callable[[str], str], remembered: Remembered | None = None) -> None:
        self.city, self.lang = city, lang
        self.docs: list[list[str]] = []
        fields: Fields = []
        for entry in entries:
            overview = PAGE_TEXT_WEIGHT if entry.route.kind == "page" else 1.0
            shown = [(field, overview if field == "text" else 1.0, translate(text)) for field, text in entry.messages]
            self.docs.append([urls.relative(f"{lang}/search.html", entry.route.path(lang)),
                              _plain(shown[0][2].text), _plain(translate(entry.summary).text) if entry.summary else ""])
            texts = [(field, weight, r.lang, _plain(r.text)) for field, weight, r in shown]
            texts += [(field, SOURCE_WEIGHT * weight, city.source_language, _plain(text))
                      for (field, text), (_, weight, r) in zip(entry.messages, shown) if r.lang != city.source_language]
            if entry.category:
                texts.append(("text", 1.0, lang, category_name(entry.category)))
            fields.append(tuple(texts))
        key = (city.slug, lang)
        self.scores = remembered.scores(key, fields) if remembered else Scores(fields)
        self.postings = self.scores.postings

    def shards(self) -> list[str]:
        """The shard scripts: ``ICI_SEARCH.shard(n, {term: [doc, score, …], …})``; of scores
        ``serve`` keeps, only those whose terms' postings moved since it last made them."""
        return shard_scripts(self.scores, shard_count(self.city, self.lang))

    def head(self) -> str:
        """``docs.js``: the documents, the shard count and the analysis rules of the index."""
        used = analysers(self.city, self.lang)
        data = {
            "docs": self.docs,
            "shards": shard_count(self.city, self.lang), "prefix": PREFIX,
            "analysers": [{"lang": a.lang, "stem": a.stemmer, "script": a.script} for a in used],
            "light": {a.lang: terms.light_table(a.lang) for a in used if a.stemmer == "light"},
            "diacritics": terms.DIACRITICS, "letters": terms.LETTERS, "articles": terms.ARTICLES, "rest": terms.MIN_REST,
        }
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
    files += [(urls.language_file(lang, f"{FOLDER}/{n}.js"), partial(shard, n)) for n in range(shard_count(city, lang))]
    return files


def shard_scripts(scores: Scores, count: int) -> list[str]:
    """The ``count`` shard scripts of ``scores``: made again only where postings moved since
    the last time (scores ``serve`` keeps, edited in place by :meth:`Scores.rescored`)."""
    if scores.scripts is None or scores.scripts.count != count:
        scores.scripts, scores.moved = ShardScripts(count), None
    made = scores.scripts.made(scores.postings, scores.moved)
    scores.moved = set()
    return made


class ShardScripts:
    """The shard scripts last made from an index's scores, and the terms each holds."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.terms: list[set[str]] = [set() for _ in range(count)]
        self.scripts = [""] * count

    def made(self, postings: dict[str, list[int]], moved: set[str] | None) -> list[str]:
        """Every shard script, made again for the shards of the ``moved`` terms (None: all)."""
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
            self.scripts[n] = f"ICI_SEARCH.shard({n},{_json(grouped)});\n"
        return list(self.scripts)


Fields = list[tuple[tuple[str, float, str, str], ...]]  # per document: (field, weight, language, text)…
Counted = list[tuple[str, float, Counter[str], int]]  # one document's fields: (field, weight, terms, length)…


class Scores:
    """The postings of an index: term -> [doc, score, doc, score, …] in document order, each
    score BM25 per field (length normalised by the field's average, :func:`_average`), times
    the field's weight, summed over the fields (a word of the title or keywords outweighs many
    in the text), times the term's idf, as an integer.

    A document's scores before the idf depend on its own fields and the averages alone, and
    the averages move by steps an edit seldom reaches: :meth:`rescored` scores again only
    the documents an edit changed, and the idf of the terms they hold (``serve``)."""

    def __init__(self, fields: Fields, kept: bool = False) -> None:
        """Score every document; ``kept``: keep what :meth:`rescored` needs (else the
        postings alone, made in place)."""
        self.fields, self.kept = fields, kept
        self.scripts: ShardScripts | None = None  # made by the Index, for the next build (kept)
        self.moved: set[str] | None = None  # the terms whose postings changed since (None: unknown)
        counted = [_counted_fields(texts) for texts in fields]
        self.lengths: dict[str, list[int]] = {}  # per field: the sum of its lengths, and how many
        for per_doc in counted:
            self._count(per_doc, 1)
        self.average = self._averages()
        self.terms: list[tuple[str, ...]] = []  # per document: its terms (kept)
        self.raw: dict[str, list[Any]] = {}  # the postings with the scores before the idf (kept)
        raw, terms = self.raw, self.terms
        for doc, per_doc in enumerate(counted):
            summed = _summed(per_doc, self.average)
            if kept:
                terms.append(tuple(summed))
            for term, score in summed.items():
                found = raw.get(term)
                if found is None:
                    raw[term] = [doc, score]
                else:
                    found += (doc, score)
        total = len(fields)
        if kept:
            self.postings = {term: _with_idf(found.copy(), total) for term, found in raw.items()}
        else:
            self.postings, self.raw = raw, {}
            for found in raw.values():
                _with_idf(found, total)

    def rescored(self, fields: Fields) -> Scores:
        """The scores of ``fields``, an edit of this index's documents: the same as
        ``Scores(fields)``, made from these when no document came or went, a few changed
        and the averages stay (changed in place: the index is this one's, edited)."""
        changed = [doc for doc, (old, new) in enumerate(zip(self.fields, fields)) if old != new]
        if not self.kept or len(fields) != len(self.fields) or len(changed) > max(1, len(fields) // 8):
            return Scores(fields, kept=True)
        counted = {doc: _counted_fields(fields[doc]) for doc in changed}
        for doc in changed:
            self._count(_counted_fields(self.fields[doc]), -1)
            self._count(counted[doc], 1)
        if self._averages() != self.average:  # a step reached: every score moves
            return Scores(fields, kept=True)
        raw, touched = self.raw, set[str]()  # the terms whose postings (and so idf) change
        for doc in changed:
            touched.update(self.terms[doc])
            for term in self.terms[doc]:
                found = raw[term]
                at = 2 * bisect_left(found[::2], doc)
                del found[at:at + 2]
                if not found:
                    del raw[term]
            summed = _summed(counted[doc], self.average)
            self.terms[doc] = tuple(summed)
            touched.update(summed)
            for term, score in summed.items():
                found = raw.setdefault(term, [])
                at = 2 * bisect_left(found[::2], doc)
                found[at:at] = (doc, score)
        self.fields = fields
        moved = set[str]()  # the terms whose postings differ, once scaled and rounded
        for term in touched:
            held, posted = raw.get(term), self.postings.get(term)
            if held is None:
                if self.postings.pop(term, None) is not None:
                    moved.add(term)
                continue
            docs = held[::2]
            if posted is None or len(posted) != len(held) or posted[::2] != docs:
                self.postings[term] = _with_idf(held.copy(), len(fields))
                moved.add(term)
                continue
            scale = _scale(len(docs), len(fields))  # the same documents hold it: the same idf
            for doc in changed:  # only the changed documents' scores move
                at = bisect_left(docs, doc)
                if at < len(docs) and docs[at] == doc:
                    score = max(1, round(scale * held[2 * at + 1]))
                    if posted[2 * at + 1] != score:
                        posted[2 * at + 1] = score
                        moved.add(term)
        if self.moved is not None:
            self.moved |= moved
        return self

    def _count(self, per_doc: Counted, sign: int) -> None:
        for field, _, _, length in per_doc:
            lengths = self.lengths.setdefault(field, [0, 0])
            lengths[0] += sign * length
            lengths[1] += sign
        for field in [field for field, (_, count) in self.lengths.items() if not count]:
            del self.lengths[field]

    def _averages(self) -> dict[str, float]:
        return {field: _average(total, count) for field, (total, count) in self.lengths.items()}


def _average(total: int, count: int) -> float:
    """A field's average length (at least 1), as one of :data:`AVERAGE_STEPS` steps per doubling
    (within 4.4 % of it): adding a sentence to one document does not move it, so the scores
    of the others stay as they were."""
    return 2.0 ** (round(math.log2(max(1.0, total / count)) * AVERAGE_STEPS) / AVERAGE_STEPS)


def _counted_fields(texts: tuple[tuple[str, float, str, str], ...]) -> Counted:
    return [(field, weight, *_counted(lang, text)) for field, weight, lang, text in texts]


def _summed(per_doc: Counted, average: dict[str, float]) -> dict[str, float]:
    """A document's terms with their BM25 scores over its fields, before the idf."""
    summed: dict[str, float] = {}
    saturation = K1 + 1
    for field, weight, counter, length in per_doc:
        boost, damping = WEIGHTS[field] * weight, K1 * (1 - B + B * length / average[field])
        for term, tf in counter.items():
            summed[term] = summed.get(term, 0.0) + boost * tf * saturation / (tf + damping)
    return summed


def _with_idf(found: list[Any], total: int) -> list[int]:
    """``found``, ``[doc, score, …]``, with each score times SCALE × the term's idf, rounded
    (at least 1), in place."""
    scale = _scale(len(found) // 2, total)
    for at in range(1, len(found), 2):
        found[at] = max(1, round(scale * found[at]))
    return found


def _scale(many: int, total: int) -> float:
    """SCALE × the idf of a term ``many`` of ``total`` documents hold."""
    return SCALE * math.log(1 + (total - many + 0.5) / (many + 0.5))


class Remembered:
    """The scores of the last indexes a process made (``serve``'s own: its next build
    scores an edited index from them), the most recent :data:`REMEMBERED` of them."""

    def __init__(self) -> None:
        self._scores: dict[tuple[str, str], Scores] = {}

    def scores(self, key: tuple[str, str], fields: Fields) -> Scores:
        previous = self._scores.pop(key, None)
        scores = previous.rescored(fields) if previous is not None else Scores(fields, kept=True)
        self._scores[key] = scores
        if len(self._scores) > REMEMBERED:
            del self._scores[next(iter(self._scores))]
        return scores


@lru_cache(maxsize=65536)  # the source-language text recurs in every language's index
def _counted(lang: str, text: str) -> tuple[Counter[str], int]:
    """The terms of ``text`` (in ``lang``) with their counts, and how many there are."""
    found = [term for term in map(terms.analyser(lang).term_table(), terms.words(text)) if len(term) >= 2]
    return Counter(found), len(found)


def _json(data: object) -> str:
    """A script file: a raw U+2028 in a translation must not end a line, nor "</script" a tag."""
    return json_for_script(data)
