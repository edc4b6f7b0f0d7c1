"""Property tests (hypothesis): generated Markdown, YAML, front matter, catalogs and
XSS mixes. The default profile is small for CI; `HYPOTHESIS_PROFILE=long` runs 10,000
examples per property (`HYPOTHESIS_PROFILE=long python -m pytest tests/test_properties.py`)."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import markdown
import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from harmless import harmful, read_vectors
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ici_site.content import fields as f
from ici_site.content import sources
from ici_site.content.schema import CITY, SERVICE
from ici_site.content.sources import SourceError, parse_yaml, source_text, split_front_matter
from ici_site.errors import ContentError, Problems
from ici_site.i18n.catalogs import read_catalog
from ici_site.i18n.segments import Shown, markdown_messages, render_markdown
from ici_site.site.sanitize import clean_html

settings.register_profile("ci", max_examples=60, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=10_000, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

VECTORS = read_vectors(Path(__file__).parent / "data" / "xss-vectors.txt")

# -- generated Markdown ----------------------------------------------------------

LETTERS = st.characters(categories=["L", "N"], max_codepoint=0x2FFF)
WORD = st.text(LETTERS, min_size=1, max_size=8)
INLINE = st.one_of(
    WORD, WORD, WORD,
    WORD.map(lambda w: f"*{w}*"), WORD.map(lambda w: f"**{w}**"), WORD.map(lambda w: f"`{w}`"),
    st.tuples(WORD, WORD).map(lambda t: f"[{t[0]}](https://example.org/{t[1]})"),
    st.sampled_from(["&", "<", ">", "'", '"', "—", "112", "01 99 00 00 01", "9h-12h", "!", "?", "(", ")", "%"]),
)
LINE = st.lists(INLINE, min_size=1, max_size=8).map(" ".join)
BLOCK = st.one_of(
    st.lists(LINE, min_size=1, max_size=3).map("\n".join),
    LINE.map(lambda text: f"## {text}"),
    LINE.map(lambda text: f"### {text}"),
    st.lists(LINE, min_size=1, max_size=4).map(lambda items: "\n".join(f"- {i}" for i in items)),
    st.lists(LINE, min_size=1, max_size=4).map(lambda items: "\n".join(f"{n}. {i}" for n, i in enumerate(items, 1))),
    st.lists(LINE, min_size=1, max_size=2).map(lambda lines: "\n".join(f"> {line}" for line in lines)),
    st.tuples(WORD, WORD, WORD, WORD).map(lambda c: f"| {c[0]} | {c[1]} |\n|---|---|\n| {c[2]} | {c[3]} |"),
    LINE.map(lambda text: f"    {text}"),
    st.tuples(WORD, WORD).map(lambda t: f"![{t[0]}]({t[1]}.png)"),
)
DOCUMENT = st.lists(BLOCK, min_size=1, max_size=8).map("\n\n".join)


def untranslated(text: str) -> Shown:
    return Shown(text, "fr")


@given(DOCUMENT)
def test_extract_then_render_untranslated_is_the_source_page(source: str) -> None:
    """Every text the renderer asks for was extracted, and giving each back unchanged
    (as a catalog whose translations equal their msgids would) gives the source page."""
    extracted = {m.text for m in markdown_messages(source, "x.md", 1, "x")}
    asked: list[str] = []

    def from_catalog(text: str) -> Shown:
        asked.append(text)
        return Shown(text if text in extracted else "MISSING", "fr")

    html = render_markdown(source, from_catalog)
    assert set(asked) == extracted
    assert html == render_markdown(source, untranslated)
    # and it is Python-Markdown's own page, up to the line breaks folded inside blocks
    # (Python-Markdown keeps a block's last line break in "> AA\n>": invisible, and not kept here)
    plain = markdown.markdown(source, extensions=["tables", "sane_lists"], output_format="html")
    assert _spaces(html) == _spaces(plain)


BLOCK_TAG = re.compile(r"\s*(</?(?:p|blockquote|ul|ol|li|h[1-6]|table|thead|tbody|tr|th|td|hr|pre|div)\b[^>]*>)\s*")


def _spaces(html: str) -> str:
    """HTML with each run of white space made one space, and none beside a block tag (where a
    browser shows none); around inline tags and inside text, space still counts."""
    return BLOCK_TAG.sub(r"\1", re.sub(r"\s+", " ", html))


# -- front matter and YAML: only our errors, whatever the bytes ------------------

YAMLISH = st.lists(st.one_of(
    st.sampled_from(["title: ", "summary: ", "reviewed: ", "geo: ", "phone: ", "documents:", "  - ", "- ",
                     "category: ", "hours: ", "---", "...", "&a ", "*a", "!!str ", "!!python/object ", "[", "]",
                     "{", "}", ":", "\t", "  ", "'", '"', "#", "|", ">", "2026-02-30", "0x1F", "~", "null",
                     "<<: ", "? ", "%YAML 1.2", "\ufeff", "\x00", "\x85", "\u2028", "\r\n", "\n", "\n"]),
    st.text(max_size=12),
)).map("".join)


def check_service(data: bytes) -> None:
    problems = Problems()
    parsed = split_front_matter(source_text(data, "s.md"), "s.md")
    f.read_fields(parsed.meta, SERVICE, f.At("s.md", 1, "", problems, "FR"))
    for problem in problems:
        assert problem.path == "s.md" and (problem.line is None or problem.line >= 1)


@given(st.one_of(YAMLISH.map(lambda y: ("---\n" + y + "\n---\nTexte.\n").encode("utf-8", "surrogatepass")),
                 st.binary(max_size=300)))
def test_front_matter_loader_raises_only_our_errors(data: bytes) -> None:
    try:
        check_service(data)
    except SourceError as exc:
        assert exc.problem.path == "s.md" and (exc.problem.line is None or exc.problem.line >= 1)


@given(YAMLISH)
def test_yaml_loader_raises_only_our_errors(raw: str) -> None:
    problems = Problems()
    try:
        text = source_text(raw.encode("utf-8", "surrogatepass"), "city.yaml")
        node = parse_yaml(text, "city.yaml")
    except SourceError as exc:
        # lines as an editor counts them: CRLF, CR and LF each end one (``source_text`` does the same)
        lines = raw.replace("\r\n", "\n").replace("\r", "\n").count("\n")
        assert exc.problem.line is None or 1 <= exc.problem.line <= lines + 2
        return
    f.read_fields(node, CITY, f.At("city.yaml", 1, "", problems))


def same_yaml(a: object, b: object) -> bool:
    """Equal values, with the same lines recorded on every mapping and sequence."""
    if isinstance(a, dict) and isinstance(b, dict):
        return (a.keys() == b.keys() and (a.line, a.key_lines) == (b.line, b.key_lines)  # type: ignore[attr-defined]
                and all(same_yaml(a[key], b[key]) for key in a))
    if isinstance(a, list) and isinstance(b, list):
        return (len(a) == len(b) and (a.line, a.item_lines) == (b.line, b.item_lines)  # type: ignore[attr-defined]
                and all(same_yaml(x, y) for x, y in zip(a, b, strict=True)))
    return type(a) is type(b) and a == b


def fast_reads_as_careful(text: str) -> None:
    """libyaml's reading (when it reads at all) is PyYAML's own, lines included; whatever the
    careful reader refuses, libyaml leaves to it."""
    fast = sources._fast_yaml(text)
    try:
        careful = sources._careful_yaml(text, "city.yaml", 1)
    except SourceError:
        assert fast is None
        return
    assert fast is None or same_yaml(fast, careful)


SCALAR = st.one_of(st.text(max_size=20), st.integers(), st.booleans(), st.none(), st.dates(), st.floats(allow_nan=False))
VALID_YAML = st.recursive(SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                          st.dictionaries(st.text(max_size=10), inner, max_size=4)),
                          max_leaves=12)


@given(st.one_of(YAMLISH, st.tuples(VALID_YAML, st.booleans(), st.booleans()).map(
    lambda v: yaml.safe_dump(v[0], default_flow_style=v[1], allow_unicode=v[2]))))
def test_libyaml_reads_what_the_careful_reader_reads(raw: str) -> None:
    try:
        text = source_text(raw.encode("utf-8", "surrogatepass"), "city.yaml")
    except SourceError:
        return
    fast_reads_as_careful(text)


def test_libyaml_reads_every_shipped_and_test_file_as_the_careful_reader() -> None:
    here = Path(__file__).parent
    files = [*(here.parent / "content").rglob("*"), *(here / "sites").rglob("*"), *(here / "malformed").rglob("*")]
    read = checked = 0
    for path in files:
        if not path.is_file() or path.suffix not in (".yaml", ".md", ".case"):
            continue
        checked += 1
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".case":  # (what the case expects, a blank line, then the file)
            text = text.split("\n\n", 1)[-1]
        head = text.removeprefix("---\n").split("\n---\n", 1)[0] if path.suffix != ".yaml" else text
        for part in {text, head}:
            fast_reads_as_careful(part)
        read += sources._fast_yaml(head) is not None
    assert read > checked / 2  # most of them by libyaml (the malformed cases are not)


# -- catalogs --------------------------------------------------------------------

PO_TEXT = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), min_size=1, max_size=40)


@given(st.dictionaries(PO_TEXT, PO_TEXT, max_size=8))
def test_catalog_write_then_read_keeps_every_translation(tmp_path_factory, table: dict[str, str]) -> None:
    catalog = Catalog(locale="uk", domain="x", charset="utf-8", fuzzy=False)
    for msgid, msgstr in table.items():
        catalog.add(msgid, msgstr)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=76)
    path = tmp_path_factory.mktemp("po") / "uk" / "LC_MESSAGES" / "x.po"
    path.parent.mkdir(parents=True)
    path.write_bytes(buffer.getvalue())
    read = read_catalog(path)
    assert {m.id: m.string for m in read if m.id} == table


@given(st.one_of(st.binary(max_size=400), st.lists(st.sampled_from([
    'msgid ""\n', 'msgstr ""\n', '"Content-Type: text/plain; charset=utf-8\\n"\n', '"Plural-Forms: nplurals=3;\\n"\n',
    'msgid "a"\n', 'msgstr "b"\n', 'msgid_plural "as"\n', 'msgstr[0] "x"\n', 'msgstr[7] "x"\n', "#, fuzzy\n",
    "#~ msgid \"o\"\n", "#| msgid \"p\"\n", '"\\', '"unterminated\n', "<<<<<<< HEAD\n", "\n", 'msgctxt "c"\n',
    "\ufeff", "\r\n", "#: file.md:3\n"]), max_size=30).map("".join).map(str.encode)))
def test_any_catalog_bytes_give_only_our_errors(tmp_path_factory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("po") / "uk" / "LC_MESSAGES" / "x.po"
    path.parent.mkdir(parents=True)
    path.write_bytes(data)
    try:
        read_catalog(path)
    except ContentError as exc:
        assert all(str(p).startswith("locales/uk/LC_MESSAGES/x.po") or "/x.po" in str(p) for p in exc.problems)


# -- the sanitiser against mixes of XSS vectors -----------------------------------

FRAGMENT = st.one_of(st.sampled_from(VECTORS), st.sampled_from(["<", ">", '"', "'", "=", "/", "&#", ";", "\n\n",
                                                                 "javascript:", "on", "error", "src", "href", "<a ",
                                                                 "<img ", "](", "[", ")", "`", "<!--", "-->"]),
                     st.text(max_size=6))


@given(st.lists(FRAGMENT, min_size=1, max_size=6).map("".join))
def test_sanitiser_output_is_harmless_for_any_mix(text: str) -> None:
    text = text.replace("\x00", "")
    assert harmful(clean_html(render_markdown(text, untranslated))) == []
    assert harmful(clean_html(text)) == []
