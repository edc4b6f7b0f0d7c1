"""The scores of a search index: BM25 over each document's fields, kept by ``serve`` for its next build.

A term's score in a document is BM25 per field (title, keywords, summary, text), each field's
length divided by the field's average (rounded, :func:`_average`), times the field's weight,
summed over the fields, times the term's idf, written as an integer (:class:`Scores`). A
translation's index counts in a term's idf the documents the source language's index holds it
in too (``elsewhere``): its search page reads both, and a word common in the source language
("de") stays of little weight where a few translated pages kept it. ``serve``'s
own process keeps the scores of its last indexes (:class:`~ici_site.site.search.Remembered`): after
an edit only the changed documents are scored again (:meth:`Scores.rescored`), which notes the
terms whose postings moved. The index and its files: :mod:`~ici_site.site.search`.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Mapping
from functools import cache, lru_cache
from itertools import chain
from typing import Any

from ici_site.site import terms

WEIGHTS = {"title": 5.0, "keywords": 5.0, "summary": 2.0, "text": 1.0}  # BM25F field weights
K1, B = 1.2, 0.75  # BM25 saturation and length normalisation
SCALE = 5  # scores are written as integers: this many steps per unit
SHORTEST = 2  # letters of the shortest term indexed
PIECES = 1 << 15  # the pieces of text remembered per language (each with its terms)
AVERAGE_STEPS = 8  # a field's average length is rounded to one of this many steps per doubling


Fields = list[tuple[tuple[str, float, str, str], ...]]  # per document: (field, weight, language, text)…
Counted = list[tuple[str, float, Counter[str], int]]  # one document's fields: (field, weight, terms, length)…
Elsewhere = Mapping[str, frozenset[int]]  # a term -> the documents another index holds it in
NOWHERE: Elsewhere = {}


class Scores:
    """The postings of an index: term -> [doc, score, doc, score, …] in document order, each
    score BM25 per field (length normalised by the field's average, :func:`_average`), times
    the field's weight, summed over the fields (a word of the title or keywords outweighs many
    in the text), times the term's idf, as an integer.

    A document's scores before the idf depend on its own fields and the averages alone, and
    the averages move by steps an edit seldom reaches: :meth:`rescored` scores again only
    the documents an edit changed, and the idf of the terms they hold (``serve``)."""

    def __init__(self, fields: Fields, kept: bool = False, elsewhere: Elsewhere = NOWHERE) -> None:
        """Score every document; ``kept``: keep what :meth:`rescored` needs (else the
        postings alone, made in place); ``elsewhere``: counted in each term's idf."""
        self.fields, self.kept, self.elsewhere = fields, kept, elsewhere
        self.moved: set[str] | None = None  # the terms whose postings changed since the shards were made (None: all)
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
            self.postings = {term: _with_idf(found.copy(), total, elsewhere.get(term)) for term, found in raw.items()}
        else:
            self.postings, self.raw = raw, {}
            for term, found in raw.items():
                _with_idf(found, total, elsewhere.get(term))

    def rescored(self, fields: Fields, elsewhere: Elsewhere = NOWHERE) -> Scores:
        """The scores of ``fields``, an edit of this index's documents: the same as
        ``Scores(fields, elsewhere=elsewhere)``, made from these when no document came or went, a
        few changed and the averages stay (changed in place: the index is this one's, edited)."""
        changed = [doc for doc, (old, new) in enumerate(zip(self.fields, fields)) if old != new]
        if not self.kept or len(fields) != len(self.fields) or len(changed) > max(1, len(fields) // 8):
            return Scores(fields, kept=True, elsewhere=elsewhere)
        counted = {doc: _counted_fields(fields[doc]) for doc in changed}
        for doc in changed:
            self._count(_counted_fields(self.fields[doc]), -1)
            self._count(counted[doc], 1)
        if self._averages() != self.average:  # a step reached: every score moves
            return Scores(fields, kept=True, elsewhere=elsewhere)
        raw, touched = self.raw, set[str]()  # the terms whose postings (and so idf) change
        recounted = set[str]()  # the terms whose documents elsewhere changed: their idf moves
        if elsewhere is not self.elsewhere:
            old = self.elsewhere
            recounted = {term for term in old.keys() | elsewhere.keys() if old.get(term) != elsewhere.get(term)}
            touched |= recounted
            self.elsewhere = elsewhere
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
            if posted is None or len(posted) != len(held) or posted[::2] != docs or term in recounted:
                self.postings[term] = _with_idf(held.copy(), len(fields), elsewhere.get(term))
                if self.postings[term] != posted:
                    moved.add(term)
                continue
            scale = _scale(_holding(held, elsewhere.get(term)), len(fields))  # the same documents: the same idf
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
    held = summed.get
    saturation = K1 + 1
    for field, weight, counter, length in per_doc:
        boost, damping = WEIGHTS[field] * weight, K1 * (1 - B + B * length / average[field])
        once = boost * saturation / (1 + damping)  # the score of one occurrence (most terms in a field)
        for term, tf in counter.items():
            # 0.0 + a score is that score: a term's sum is the same as started from its first
            summed[term] = held(term, 0.0) + (once if tf == 1 else boost * tf * saturation / (tf + damping))
    return summed


def _with_idf(found: list[Any], total: int, elsewhere: frozenset[int] | None = None) -> list[int]:
    """``found``, ``[doc, score, …]``, with each score times SCALE × the term's idf (over these
    documents and those ``elsewhere``), rounded (at least 1), in place."""
    scale = _scale(_holding(found, elsewhere), total)
    found[1::2] = [max(1, round(scale * score)) for score in found[1::2]]
    return found


def _holding(found: list[Any], elsewhere: frozenset[int] | None) -> int:
    """How many documents hold a term: those of its postings ``found`` (``[doc, score, …]``),
    and those ``elsewhere``."""
    return len(elsewhere.union(found[::2])) if elsewhere else len(found) // 2


def terms_of(lang: str, text: str) -> Counter[str]:
    """The terms of ``text`` (in ``lang``), with their counts."""
    return _counted(lang, text)[0]


def _scale(many: int, total: int) -> float:
    """SCALE × the idf of a term ``many`` of ``total`` documents hold."""
    return SCALE * math.log(1 + (total - many + 0.5) / (many + 0.5))


@lru_cache(maxsize=65536)  # the source-language text recurs in every language's index
def _counted(lang: str, text: str) -> tuple[Counter[str], int]:
    """The terms of ``text`` (in ``lang``) with their counts, and how many there are."""
    # counted in C (Counter[...](…) would give each its own __dict__: a tenth of a large build's memory),
    # in the order of their first occurrence
    counted: Counter[str] = Counter(chain.from_iterable(map(_pieces(lang), text.split())))
    return counted, counted.total()


@cache
def _pieces(lang: str) -> Callable[[str], tuple[str, ...]]:
    """The terms of a piece of a text in ``lang`` (what ``str.split()`` cuts it into: a text's
    words are its pieces' words one after the other, :func:`~ici_site.site.terms.words`), those
    of fewer than :data:`SHORTEST` letters left out. A city's pieces recur ("the", "office,"):
    each is folded, cut and stemmed once, remembered up to :data:`PIECES` per language."""
    indexed = terms.analyser(lang).index_table(SHORTEST)

    def piece_terms(piece: str) -> tuple[str, ...]:
        return tuple(filter(None, map(indexed, terms.words(piece))))  # None: too short

    return lru_cache(maxsize=PIECES)(piece_terms)
