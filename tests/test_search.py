"""Search: the real search.js on the real built index, in Chromium; the index files; keywords.

The relevance set (tests/data/search-relevance.tsv) is run row by row through the search
page of every city that is built; a row of a city that is not built is skipped.
"""

from __future__ import annotations

import csv
import gzip
import json
import random
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest
from browsing import Server
from conftest import REPO
from hypothesis import example, given
from hypothesis import strategies as st

from ici_site.site import terms
from ici_site.site.search import shard_of

DATA = Path(__file__).parent / "data" / "search-relevance.tsv"
SJ, JELGAVA = "saint-jean-de-la-ruelle", "jelgava"
TOP = 3
MIN_QUERIES = 20  # per published language of a city the set covers
QUERY_BUDGET = 25 * 1024  # gzip bytes a query may load (index head, stemmers, shards)


def relevance_rows() -> list[dict[str, str]]:
    """The rows of the relevance set (comment lines left out)."""
    lines = [line for line in DATA.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def results_of(page, query: str) -> list[str]:
    """Type ``query`` in the search field, press Enter, and read the result links in order."""
    page.fill("#q", query)
    page.press("#q", "Enter")
    deadline = time.monotonic() + 15
    while page.get_attribute("#results", "data-query") != query.strip():
        assert time.monotonic() < deadline, f"no results shown for {query!r}"
        page.wait_for_timeout(20)
    return [href.removesuffix(".html") for href in page.eval_on_selector_all(
        "#results li a", "links => links.map(a => a.getAttribute('href'))")]


def published(site: Path, city: str) -> list[str]:
    """The languages of a built city (folders with a search page)."""
    return sorted(p.parent.name for p in (site / city).glob("*/search.html"))


def test_relevance_set(browser, example_site: Path) -> None:
    rows = [row for row in relevance_rows() if (example_site / row["city"]).is_dir()]
    assert rows, "no city of the relevance set is built"
    covered = defaultdict(int)
    for row in rows:
        covered[row["city"], row["lang"]] += 1
    for city in {row["city"] for row in rows}:
        for lang in published(example_site, city):
            assert covered[city, lang] >= MIN_QUERIES, f"{city} {lang}: {covered[city, lang]} queries"
    server = Server(example_site)
    context = browser.new_context(service_workers="block")
    misses, hits, firsts = [], defaultdict(int), defaultdict(int)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        current = None
        for row in rows:
            if current != (row["city"], row["lang"]):
                current = (row["city"], row["lang"])
                page.goto(f"{server.url}{row['city']}/{row['lang']}/search.html")
            found = results_of(page, row["query"])
            if row["expected"] in found[:TOP]:
                hits[current] += 1
                firsts[current] += found[0] == row["expected"]
            else:
                misses.append(f"{row['city']} {row['lang']} {row['query']!r}: {row['expected']} not in {found[:TOP]}")
        assert errors == []
    finally:
        context.close()
        server.stop()
    print("\nrelevance, in the top 3 (first):",
          ", ".join(f"{c} {l} {hits[c, l]}/{covered[c, l]} ({firsts[c, l]})" for c, l in sorted(covered)))
    assert misses == []


def test_query_from_the_address_and_from_disk(browser, example_site: Path) -> None:
    context = browser.new_context()
    page = context.new_page()
    # two folders deep, straight from disk: no server, no service worker
    page.goto((example_site / SJ / "ar" / "search.html").as_uri() + "?q=" + "محامي")
    page.wait_for_selector("#results[data-query] li a")
    assert page.get_attribute("#results li a", "href") == "services/permanence-juridique.html"
    assert page.is_hidden(".no-search")
    context.close()


def test_nothing_found_is_said(browser, site: str) -> None:
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    page.goto(f"{site}{JELGAVA}/ru/search.html")
    assert results_of(page, "zzzqqq") == []
    assert page.text_content("#results-status").strip()
    context.close()


def test_the_browser_makes_the_same_terms_as_the_build(browser, example_site: Path) -> None:
    """Every word of every index, through ici_site/site/terms.py and through search.js."""
    server = Server(example_site)
    context = browser.new_context(service_workers="block", bypass_csp=True)
    try:
        page = context.new_page()
        for city in sorted(p.name for p in example_site.iterdir() if (p / "index.html").is_file()):
            for lang in published(example_site, city):
                page.goto(f"{server.url}{city}/{lang}/search.html")
                head = json.loads(_payload((example_site / city / lang / "search" / "docs.js").read_text("utf-8")))
                texts = [" ".join(doc[1:]) for doc in head["docs"]] + [row["query"] for row in relevance_rows()]
                texts.append("Ёлка Й ـمـ أإآٱ ى ة ؤ ئ ی ک ١٢٣ ﻻ ﬁ Ǆ ẞ İstanbul ї й ў नमस्ते தமிழ் שָׁלוֹם")
                langs = [a["lang"] for a in head["analysers"]]
                got = page.evaluate("""async ([texts, langs]) => {
                    await ICI_SEARCH.ready();
                    return texts.map(t => ICI_SEARCH.words(t).map(w => [w, langs.map(l => ICI_SEARCH.term(l, w))]));
                }""", [texts, langs])
                expected = [[[w, [terms.analyser(l).term(w) for l in langs]] for w in terms.words(t)] for t in texts]
                assert got == expected, f"{city} {lang}"
    finally:
        context.close()
        server.stop()


def test_a_query_loads_only_its_shards(browser, example_site: Path) -> None:
    server = Server(example_site)
    context = browser.new_context(service_workers="block")
    try:
        page = context.new_page()
        loaded: list[str] = []
        page.on("request", lambda request: loaded.append(request.url.removeprefix(server.url)))
        page.goto(f"{server.url}{SJ}/ar/search.html")
        page.wait_for_load_state("networkidle")
        before = set(loaded)
        assert not any("/search/" in url or "/stem/" in url for url in before)  # nothing before typing
        results_of(page, "محامي")
        typed = [url for url in loaded if url not in before]
        shards = [url for url in typed if re.search(r"/search/\d+\.js$", url)]
        head = json.loads(_payload((example_site / SJ / "ar" / "search" / "docs.js").read_text("utf-8")))
        assert len(shards) < head["shards"]
        assert any(url.endswith("/stem/arabic.js") for url in typed)
        assert not any(url.endswith("/stem/french.js") for url in typed)  # no Latin letter typed
        size = sum(len(gzip.compress((example_site / url).read_bytes())) for url in set(typed))
        assert size <= QUERY_BUDGET
    finally:
        context.close()
        server.stop()


def test_index_files_and_page_list(example_site: Path) -> None:
    folder = example_site / SJ / "ar"
    head = json.loads(_payload((folder / "search" / "docs.js").read_text("utf-8")))
    assert [a["lang"] for a in head["analysers"]] == ["ar", "fr"]
    shards = {}
    for number in range(head["shards"]):
        text = (folder / "search" / f"{number}.js").read_text("utf-8")
        assert text.startswith(f'ICI_SEARCH.shard("ar",{number},')
        shards.update({term: number for term in json.loads(_payload(text, 2))})
    assert all(shard_of(term, head["shards"]) == number for term, number in shards.items())
    keyword = terms.analyser("ar").term(terms.words("محامي")[0])
    assert keyword in shards  # a keyword, translated: in the index, though not on any page
    source = {term for n in range(head["shards"])  # its source-language word: in the French index
              for term in json.loads(_payload((example_site / SJ / "fr" / "search" / f"{n}.js").read_text("utf-8"), 2))}
    assert terms.analyser("fr").term("avocat") in source
    pages = json.loads((folder / "pages.json").read_text("utf-8"))
    assert "ar/search/docs.js" in pages and "assets/stem/arabic.js" in pages and "assets/search.js" in pages
    assert all(f"ar/search/{n}.js" in pages and f"fr/search/{n}.js" in pages for n in range(head["shards"]))
    html = (folder / "services" / "permanence-juridique.html").read_text("utf-8")
    assert "محامي" not in html  # keywords are for search only


def test_keywords_are_messages_with_a_note(project, cli) -> None:
    root = project("basic")
    service = next((root / "content").glob("*/services/*.md"))
    text = service.read_text(encoding="utf-8")
    service.write_text(text.replace("\nsummary:", "\nkeywords:\n  - lawyer, attorney\nsummary:", 1), encoding="utf-8")
    assert cli(root, "extract").code == 0
    pot = (root / "locales" / f"{service.parent.parent.name}.pot").read_text(encoding="utf-8")
    assert re.search(rf"#\. services/{service.stem}: search words[^\n]*\n(#\.[^\n]*\n)?#: [^\n]*:4\n"
                     r'msgid "lawyer, attorney"', pot)


def test_keywords_must_be_a_list_of_text(project, cli) -> None:
    root = project("basic")
    service = next((root / "content").glob("*/services/*.md"))
    text = service.read_text(encoding="utf-8")
    service.write_text(text.replace("\nsummary:", "\nkeywords: lawyer\nsummary:", 1), encoding="utf-8")
    result = cli(root, "check")
    assert result.code == 1
    assert f"{service.relative_to(root).as_posix()}:3: keywords: expected a list" in result.err


@pytest.mark.parametrize("text, lang, expected", [
    ("الحضانة", "ar", "حضان"), ("حضانه", "ar", "حضان"), ("وَالْمَدْرَسَةُ", "ar", terms.analyser("ar").term("مدرسه")),
    ("Crèche", "fr", "crech"), ("creche", "fr", "crech"), ("жильё", "ru", "жил"), ("жилье", "ru", "жил"),
    ("Йога", "uk", "йог"), ("bērnudārzā", "lv", "bernudarz"), ("bernudarzs", "lv", "bernudarz"),
    ("адвокатів", "uk", "адвокат"), ("ﻻجئ", "ar", terms.analyser("ar").term(terms.words("لاجئ")[0])),  # a ligature: لا
])
def test_terms(text: str, lang: str, expected: str) -> None:
    assert [terms.analyser(lang).term(word) for word in terms.words(text)] == [expected]


def _payload(script: str, skip: int = 0) -> str:
    """The JSON argument of ``ICI_SEARCH.docs(…);`` (or of a shard, after ``skip`` commas)."""
    body = script[script.index("(") + 1:script.rindex(")")]
    for _ in range(skip):
        body = body[body.index(",") + 1:]
    return body


def test_a_60_service_city_stays_within_the_budgets(browser, tmp_path: Path) -> None:
    """The size of the issue: 60 services, an Arabic index with the French source text."""
    sys.path.insert(0, str(REPO / "bench"))
    from generate import Size, generate
    from search import page_cost, query_costs, sample_queries

    from ici_site.cli import main

    root = generate(tmp_path / "large", Size(1, 60, 3))  # fr, ar, uk
    assert main(["--root", str(root), "build"]) == 0
    site = root / "_site"
    city = next(p.name for p in site.iterdir() if (p / "index.html").is_file())
    assert page_cost(site / city / "ar" / "search.html") <= 14 * 1024  # before the reader types
    server = Server(site)
    try:
        queries = sample_queries(site / city / "ar", 6, random.Random(11))
        costs = query_costs(browser, server, site, city, "ar", queries)
    finally:
        server.stop()
    assert len(costs) == 6 and max(costs) <= QUERY_BUDGET, costs


WORDS = ("abogados Kindergärten avukatlar وکیل‌ها δικηγόροι वकीलों வழக்கறிஞர்கள் փաստաբաններ advogados "
         "avvocati advocaten advokater asianajajat ügyvédek avokatai adwokaci advokáti avocați advokatët "
         "abokatuak advocats abogadoak adwokatów juristerna abogado קינדער legeaírí pengacara वकिलहरू "
         "ramelao advokatoj advokaadid")


def test_every_vendored_stemmer_stems_like_the_build(browser, example_site: Path) -> None:
    """All 34 vendored Snowball algorithms, not only those of the example cities' languages."""
    import snowballstemmer

    folder = example_site / SJ / "assets" / "stem"
    heads = [json.loads(_payload(path.read_text("utf-8"))) for path in example_site.glob("*/*/search/docs.js")]
    words = sorted(set(terms.words(" ".join([WORDS, *(" ".join(doc[1:]) for h in heads for doc in h["docs"])]))))
    names = sorted(set(terms.SNOWBALL.values()))
    server = Server(example_site)
    context = browser.new_context(service_workers="block", bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(f"{server.url}{SJ}/fr/search.html")
        page.add_script_tag(path=str(folder / "base.js"))
        for name in names:
            page.add_script_tag(path=str(REPO / "templates" / "assets" / "stem" / f"{name}.js"))
        got = page.evaluate("""([names, words]) => names.map(name => {
            const Stemmer = ICI_STEM[name](ICI_STEM.Base), stemmer = new Stemmer();
            return words.map(w => stemmer.stemWord(w));
        })""", [names, words])
    finally:
        context.close()
        server.stop()
    expected = [snowballstemmer.stemmer(name).stemWords(words) for name in names]
    vendored = {p.stem for p in (REPO / "templates" / "assets" / "stem").glob("*.js")} - {"base"}
    assert set(names) == vendored and len(words) > 400
    for name, mine, theirs in zip(names, got, expected):
        assert mine == theirs, name


@given(st.text(alphabet=st.sampled_from(list("aéE\u0301\u0306иуйўIİ ـمىةیک١۲ﻻﬁǄẞ_नमस्ते\u05b0\u064e\u200c.-'")) | st.characters(),
               max_size=30))
def test_a_text_is_folded_as_before_the_shortcuts(text: str) -> None:
    """Search folding with its shortcuts (the breve rule and the letter table used only where
    they can change something) gives what the one-pass rule gives (the rule search.js follows)."""
    import unicodedata
    with_breve = terms.marks()[0]
    decomposed = unicodedata.normalize("NFKD", text.lower())
    expected = unicodedata.normalize("NFC", with_breve.sub("", decomposed).translate(terms._TABLE))
    assert terms.normalise.__wrapped__(text) == expected
    # the breve rule as first written, its look-behind before the breve: the same marks dropped
    first = re.compile(f"[{terms.ranges_class(terms.DIACRITICS)}]|(?<![иу]){terms.KEEP_MARK}")
    assert with_breve.sub("", decomposed) == first.sub("", decomposed)


# Whitespace of every kind str.split() cuts at, beside what folding changes: a final sigma (Σ
# before a space or a full stop), marks after a space, ¨ and ´ (NFKD: a space and a mark), NBSP.
SPACES = [" ", "\n", "\t", "\xa0", "\u2003", "\u3000", "\x1c", "\x85", "\u2028"]
FOLDED = ["ΟΔΟΣ", "Σ", "ς", ".", "'", "\u0301", "\u0306", "и", "¨", "´", "ﬁ", "½", "Ǆ", "İ", "\u200c"]


@given(st.lists(st.sampled_from(SPACES + FOLDED) | st.characters(), max_size=30).map("".join))
@example("ΟΔΟΣ.ΟΔΟΣ\xa0ΟΔΟΣ'Σ ς")
@example("и \u0306и\u0306 ¨a\u0301 ´ ½ﬁ\u3000\u0301")
def test_a_texts_words_are_its_pieces_words(text: str) -> None:
    """The index folds and cuts each piece of a text (between whitespace) once and joins their
    words: they are the words of the whole text."""
    assert [word for piece in text.split() for word in terms.words(piece)] == terms.words(text)


@given(st.sampled_from(["en", "fr", "ar", "uk", "lv", "ti", "el"]),
       st.lists(st.sampled_from(["a", "I", "و", "ال", "é", "of", "the", "bureau", "bureaux", "مكتب", "المكتب", "й",
                                 "курси", "ir", "12", "1", "_", " ", ", ", "-", "\u200c", *SPACES, *FOLDED]),
                max_size=20).map("".join))
def test_a_texts_terms_are_counted_as_before_the_shortcut(lang: str, text: str) -> None:
    """The index counts each word's term, the terms shorter than two letters dropped, piece by
    piece of the text with each piece's terms remembered (``scoring._pieces``), as the count of
    every term of the whole text's words with the short ones then deleted did: the same counts,
    in the same order, the same total."""
    from collections import Counter

    from ici_site.site import scoring

    counted = Counter(map(terms.analyser(lang).term, terms.words(text)))
    for term in [term for term in counted if len(term) < 2]:
        del counted[term]
    found, total = scoring._counted.__wrapped__(lang, text)
    assert list(found.items()) == list(counted.items()) and total == counted.total()


@given(st.lists(st.tuples(st.sampled_from(["title", "keywords", "summary", "text"]), st.sampled_from([1.0, 0.5]),
                          st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), st.integers(1, 4), max_size=4),
                          st.integers(1, 400)), max_size=6))
def test_a_documents_scores_are_the_bm25_sum_of_its_fields(per_doc: list[tuple[str, float, dict[str, int], int]]) -> None:
    """The shortcuts of the sum (one occurrence's score worked out once per field, a term's sum
    started from 0.0) give, to the last bit, each term's BM25 score summed over the fields in order."""
    from collections import Counter

    from ici_site.site import scoring

    counted = [(field, weight, Counter(held), length) for field, weight, held, length in per_doc]
    average = {field: scoring._average(length * 3, 2) for field, _, _, length in counted}
    expected: dict[str, float] = {}
    for field, weight, held, length in counted:
        boost = scoring.WEIGHTS[field] * weight
        damping = scoring.K1 * (1 - scoring.B + scoring.B * length / average[field])
        for term, tf in held.items():
            score = boost * tf * (scoring.K1 + 1) / (tf + damping)
            expected[term] = expected[term] + score if term in expected else score
    assert list(scoring._summed(counted, average).items()) == list(expected.items())
