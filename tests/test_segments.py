"""The segmenter: what becomes a message, and that rendering uses the very same cut."""

from __future__ import annotations

from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from ici_site.i18n.segments import Shown, markdown_messages, render_markdown

SOURCE = """\
Un paragraphe avec [un lien](https://example.org) et *emphase*
sur deux lignes.

## Un titre

- premier point
- second **point**

| Niveau | Jour |
|--------|------|
| A1 | Lundi |

> Une citation.

![Plan du quartier](plan.png)

    code: non traduit
"""


def test_blocks_become_messages_with_their_lines() -> None:
    found = [(m.text, m.line) for m in markdown_messages(SOURCE, "x.md", 10, "services/x: text")]
    assert found == [
        ("Un paragraphe avec [un lien](https://example.org) et *emphase* sur deux lignes.", 10),
        ("Un titre", 13),
        ("premier point", 15),
        ("second **point**", 16),
        ("Niveau", 18),
        ("Jour", 18),
        ("Lundi", 20),
        ("Une citation.", 22),
        ("Plan du quartier", 24),
    ]


def test_every_message_is_markdown_with_a_note() -> None:
    messages = markdown_messages(SOURCE, "x.md", 1, "services/x: text")
    assert all(m.markdown and m.note == "services/x: text" and m.path == "x.md" for m in messages)


def test_rendering_replaces_each_message() -> None:
    english = {
        "Un paragraphe avec [un lien](https://example.org) et *emphase* sur deux lignes.":
            "A paragraph with [a link](https://example.org) and *emphasis* on two lines.",
        "Un titre": "A heading",
        "Plan du quartier": "Map of the area",
    }
    html = render_markdown(SOURCE, lambda text: Shown(english.get(text, text), "en"))
    assert '<a href="https://example.org">a link</a>' in html  # inline markup rendered after
    assert "<em>emphasis</em>" in html
    assert "<h2>A heading</h2>" in html
    assert "<td>A1</td>" in html  # nothing to translate: left alone
    assert '<img alt="Map of the area" src="plan.png">' in html
    assert "code: non traduit" in html


def test_untranslated_rendering_equals_plain_markdown() -> None:
    import markdown

    plain = markdown.markdown(SOURCE.replace("\nsur deux", " sur deux"), extensions=["tables", "sane_lists"],
                              output_format="html")
    assert render_markdown(SOURCE, lambda text: Shown(text, "fr")) == plain


def test_fallback_block_carries_its_language_and_a_hint() -> None:
    html = render_markdown("## Un titre\n", lambda t: Shown("A title", "en", "not yet translated", "ar", "other-lang"))
    assert html == ('<h2 class="other-lang" dir="ltr" lang="en">A title'
                    '<small class="hint" dir="rtl" lang="ar">not yet translated</small></h2>')


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab é ح1.:#-+>|!]()`\\[<&*_\n\u202e\x1f")), max_size=40))
def test_a_plain_block_renders_as_python_markdown_renders_it(text: str) -> None:
    """The fast path (a block without inline markup skips the inline patterns) changes nothing:
    every block comes out as Python-Markdown's own inline processing makes it."""
    source = "# Title\n\nA paragraph.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| c | d |\n"
    replaced = lambda _: Shown(text.strip() or "x", "fr")
    fast = render_markdown(source, replaced)
    with mock.patch("ici_site.i18n.segments.plain_or_markdown", lambda text: text):
        slow = render_markdown(source, replaced)
    assert fast == slow


# Pieces of Markdown that Python-Markdown's block parser and every inline pattern act on.
PIECES = ["[a](b.md)", "![i](c.png)", "[r]", "[r]: https://r.example\n", "**", "*", "_", "`", "\\", "\\*",
          "<b>", "</b>", "<!-- c -->", "&amp;", "&", "&#49;", "<https://x.example>", "<a@b.example>", "  \n",
          "\n", "\n\n", "# ", "## ", "- ", "* ", "1. ", "> ", "    ", "| a | b |\n|---|---|\n| c | d |\n",
          "<div>\nblock\n</div>\n", "word", " ", "é", "ح", "12", ":", "(", ")"]
markdown_texts = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)


@settings(max_examples=600, deadline=None)
@given(markdown_texts, st.sampled_from(["", "*", "x [y](z.md) `w`", "&lt; **b**"]))
def test_rendering_from_the_parsed_blocks_is_python_markdowns_convert(source: str, suffix: str) -> None:
    """A body rendered from its blocks parsed once (segments.parsed), with the inline patterns
    that cannot match skipped (dialect.TRIGGERS), escapes restored only in texts that hold
    one (dialect._Unescape) and block-level tags found in a set, is what Python-Markdown's
    own ``convert`` with the message walk makes of it, in every language (here: every block +
    ``suffix``)."""
    import markdown

    from ici_site.i18n.segments import _Segments

    translate = lambda text: Shown(text + suffix, "fr")
    stock = markdown.Markdown(extensions=["tables", "sane_lists", _Segments(translate)], output_format="html")
    assert render_markdown(source, translate) == stock.convert(source)


@settings(max_examples=600, deadline=None)
@given(markdown_texts)
def test_the_plain_converter_is_python_markdown(text: str) -> None:
    """The safety check's converter (the inline patterns that cannot match skipped, the
    escapes and block-level tags as above) renders as Python-Markdown does."""
    import markdown

    from ici_site.i18n.dialect import plain_converter

    stock = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
    assert plain_converter().reset().convert(text) == stock.convert(text)


# Lines of words, bold and links (the inline shortcut's), and lines near them that are not.
INLINE_PIECES = ["Bring", "حجز", "la", " ", "12", ".", ":", "(", ")", ">", "-", "!", "**b**", "**2 c**", "[x](x.md)",
                 "[the site](https://example.org/a_b?q=1#top)", "[1](tel:+331)", "\u00a0", "*", "_", "]", "[", "**",
                 "` `", "&amp;", "<b>", "\\", "  ", "\n", "\x1f"]
inline_lines = st.tuples(st.sampled_from(["Bring", "حجز", "**Important:**", "[Book](x.md)", "1.", "*"]),
                         st.lists(st.sampled_from(INLINE_PIECES), max_size=8).map("".join)).map("".join)


@settings(max_examples=600, deadline=None)
@given(inline_lines, st.sampled_from(["", "ar"]))
def test_a_line_of_bold_and_links_renders_as_the_inline_patterns_make_it(line: str, hint: str) -> None:
    """The inline shortcut (a block of words, bold and links gets its elements without the
    inline patterns) makes what the patterns make, hint or not, in every kind of block."""
    source = ("# Title\n\nA paragraph.\n\n- one\n    - nested\n- two\n\n| a | b |\n|---|---|\n| c | d |\n\n"
              "> quote\n")
    translate = lambda _: Shown(line.strip() or "x", "fr", "hint" if hint else None, hint or "fr")
    fast = render_markdown(source, translate)
    with mock.patch("ici_site.i18n.segments.inline_tree", lambda element, text: False):
        slow = render_markdown(source, translate)
    assert fast == slow


def test_the_inline_shortcut_is_taken() -> None:
    """The shortcut above is taken for the lines it is for (else its test proves nothing)."""
    from ici_site.i18n.inline import INLINE_LINE
    for line in ("**Important:** bring [the form](form.md) (2 copies).", "[Book](https://example.org/x_y) now"):
        assert INLINE_LINE.fullmatch(line)
    for line in ("![a](b.png)", "** x **", "a [b] (c)", "**a****b**", "x  ", "a_b_"):
        assert not INLINE_LINE.fullmatch(line)


HEADING_PIECES = [*PIECES, "### ", "###### ", "Title\n---\n", "Title\n===\n", "\n## [r] *e* `c` &amp; <b>x</b> ![i](c.png)\n",
                  "> ## q\n", "- ## l\n", "[r]: https://r.example\n", "\n<h3>raw</h3>\n\n"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(HEADING_PIECES), max_size=25).map("".join))
def test_a_bodys_headings_rendered_alone_are_those_of_the_whole_body(source: str) -> None:
    """Heading ids are made from the headings alone (``Converter.headings``: the other blocks left
    out): the headings h2–h6 of the cleaned HTML are the whole body's, nested in a list or a
    quote, with reference links defined anywhere and inline markup of their own (a body with
    raw HTML, which may hold headings, is rendered whole)."""
    from ici_site.i18n.segments import Converter
    from ici_site.site.anchors import HEADING
    from ici_site.site.sanitize import clean_html

    converter, translate = Converter(), lambda text: Shown(text, "fr")
    whole = HEADING.findall(clean_html(converter(source, translate)))
    assert HEADING.findall(clean_html(converter.headings(source, translate))) == whole
