"""Search scores: what ``serve`` scores again after an edit equals what a clean build scores.

``serve`` keeps each index's scores and, after an edit, scores again only the documents it
changed (:meth:`~ici_site.site.scoring.Scores.rescored`); the shards must stay the bytes a
clean build writes, which ``tests/test_speed_layer.py`` checks on whole builds.
"""

from __future__ import annotations

import random

from ici_site.site.scoring import NOWHERE, Elsewhere, Fields, Scores
from ici_site.site.search import REMEMBERED, Remembered, ShardScripts, shard_scripts

WORDS = ["course", "language", "french", "free", "monday", "evening", "lawyer", "advice", "rent", "housing",
         "doctor", "health", "card", "register", "town", "hall", "appointment", "children", "school", "bus",
         "ticket", "work", "job", "training", "women", "shelter"]


def document(number: int, words: int = 40, extra: str = "") -> tuple[tuple[str, float, str, str], ...]:
    """One searchable document: a title, a summary, two paragraphs, each in two languages."""
    pick = random.Random(number)

    def text(n: int) -> str:
        return " ".join(pick.choice(WORDS) for _ in range(n))

    return (("title", 1.0, "en", text(3)), ("summary", 1.0, "en", text(10)),
            ("text", 1.0, "en", text(words) + extra), ("text", 1.0, "en", text(words // 2)),
            ("title", 0.6, "fr", "cours de langue"), ("text", 0.6, "fr", "un cours gratuit le lundi soir"))


def fields(count: int = 30) -> Fields:
    return [document(number) for number in range(count)]


def scored(remembered: Remembered, key: tuple[str, str], current: Fields, elsewhere: Elsewhere = NOWHERE) -> Scores:
    """The scores an Index of ``current`` gets from ``remembered`` (as serve's next build)."""
    return remembered.kept(key, "").scored(current, elsewhere)


def test_an_edited_document_is_scored_again_alone_and_as_a_clean_build_scores_it() -> None:
    remembered, key = Remembered(), ("demoville", "en")
    current = fields()
    first = scored(remembered, key, current)
    edits = [
        (3, document(3, extra=" zebra crossing")),  # terms no document had
        (3, document(3)),  # and gone again: their postings go
        (0, document(0, extra=" lawyer lawyer")),  # terms every document has: their idf holds
        (29, document(29, words=38)),  # shorter
        (7, (("title", 1.0, "en", "shelter"), *document(7)[1:])),  # another title
    ]
    for doc, edited in edits:
        current = [*current[:doc], edited, *current[doc + 1:]]
        scores = scored(remembered, key, current)
        assert scores is first, "a small edit is scored in place, from the last build's scores"
        assert scores.postings == Scores(current).postings
        assert "zebra" not in scores.postings or doc == 3
    assert scored(remembered, key, current) is first  # nothing changed: the same scores
    # two documents at once: a word moves from one to the other (as many documents hold it,
    # not the same ones)
    current = [*current[:10], document(10, extra=" zebra"), *current[11:]]
    scored(remembered, key, current)
    current = [*current[:10], document(10), document(11, extra=" zebra"), *current[12:]]
    assert scored(remembered, key, current).postings == Scores(current).postings


def test_what_moves_every_score_is_scored_again_in_full_the_same() -> None:
    remembered, key = Remembered(), ("demoville", "en")
    current = fields()
    first = scored(remembered, key, current)
    long = [*current[:5], document(5, words=4000), *current[6:]]  # the text's average moves a step
    assert scored(remembered, key, long).postings == Scores(long).postings
    added = [*long, document(99)]  # a document more
    assert scored(remembered, key, added).postings == Scores(added).postings
    many = [document(number, extra=" again") for number in range(len(added))]  # most documents at once
    scores = scored(remembered, key, many)
    assert scores is not first and scores.postings == Scores(many).postings
    # scores made without what an edit needs (a clean build's) are scored again in full
    edited = [document(0, extra=" again and again"), *many[1:]]  # one document: rescored in place if it could
    assert Scores(many).rescored(edited).postings == Scores(edited).postings


def test_a_process_remembers_the_last_indexes_only() -> None:
    remembered = Remembered()
    small = fields(3)
    made = [scored(remembered, ("city", str(number)), small) for number in range(REMEMBERED + 1)]
    assert scored(remembered, ("city", str(REMEMBERED)), small) is made[-1]
    assert scored(remembered, ("city", "0"), small) is not made[0]  # the oldest was forgotten


def test_the_shards_of_an_edited_index_are_those_of_a_clean_build() -> None:
    """Only the shards whose terms' postings moved are made again; every shard stays the
    bytes a clean build writes."""
    remembered, key, count = Remembered(), ("demoville", "en"), 7
    current = fields()
    first = scored(remembered, key, current)
    kept = ShardScripts(count, "en")  # what the index keeps
    assert shard_scripts(first, kept) == shard_scripts(Scores(current), ShardScripts(count, "en"))
    edits = [(3, document(3, extra=" zebra crossing")), (3, document(3)), (0, document(0, extra=" lawyer")),
             (29, document(29, words=38)), (10, document(10, extra=" bus bus bus"))]
    for doc, edited in edits:
        current = [*current[:doc], edited, *current[doc + 1:]]
        scores = scored(remembered, key, current)
        assert scores is first, "scored in place"
        assert doc != 3 or {"zebra", "cross"} <= (scores.moved or set())  # (a word a sentence more moves no score, often)
        assert shard_scripts(scores, kept) == shard_scripts(Scores(current), ShardScripts(count, "en"))


def test_a_term_s_idf_counts_the_documents_of_the_source_language_index() -> None:
    """A word the source language writes everywhere ("de") weighs little in a translation's index
    where only a page or two kept it, as much as in the source's own."""
    current = [document(number)[:4] for number in range(30)]  # in English only
    current[4] = (*current[4], ("text", 1.0, "en", "Maison de Santé"))
    alone = Scores(current).postings["de"]
    everywhere = {"de": frozenset(range(len(current))), "sante": frozenset({4})}
    counted = Scores(current, elsewhere=everywhere).postings["de"]
    assert alone[0] == counted[0] == 4 and counted[1] < alone[1] / 3
    assert Scores(current, elsewhere=everywhere).postings["maison"] == Scores(current).postings["maison"]


def test_an_edit_of_the_source_language_text_moves_the_idf_as_a_clean_build_does() -> None:
    """``serve``: a source document edited changes which documents hold a term there; the kept
    translation's scores move as if they were made again, and so do its shards."""
    remembered, key, count = Remembered(), ("demoville", "en"), 7
    current = fields()
    source = {word: frozenset(range(0, 30, 3)) for word in ("lawyer", "rent", "zebra")}
    first = scored(remembered, key, current, source)
    kept = ShardScripts(count, "en")
    shard_scripts(first, kept)
    edits = [
        {**source, "lawyer": frozenset(range(30))},  # a word now in every source document
        {**source, "zebra": frozenset({1})},  # a word only the source has
        {word: docs for word, docs in source.items() if word != "rent"},  # a word gone from the source
        {**source, "bus": frozenset({2, 5})},  # and one it had not
    ]
    for number, edited in enumerate(edits):
        if number % 2:  # the translation edited too (its text fell back to the source's)
            current = [*current[:number], document(number, extra=" bus"), *current[number + 1:]]
        scores = scored(remembered, key, current, edited)
        assert scores is first, "scored in place"
        assert scores.postings == Scores(current, elsewhere=edited).postings
        assert shard_scripts(scores, kept) == shard_scripts(Scores(current, elsewhere=edited), ShardScripts(count, "en"))
    assert "zebra" not in first.postings  # the source's terms count, they are not this index's
