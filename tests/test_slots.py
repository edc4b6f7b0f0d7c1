"""A body rendered from its slots (i18n/slots.py) is the body Python-Markdown renders, and cleaned
piece by piece it is the body nh3 cleans whole."""

from __future__ import annotations

import zlib

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from ici_site.i18n.segments import Shown, _Segments, parsed
from ici_site.i18n.slots import Sanitiser, SlottedConverter
from ici_site.site.sanitize import clean_html, clean_piece
from tests.test_segments import INLINE_PIECES, PIECES, inline_lines

# Translations: lines of words, bold and links (a slot's), and texts a slot cannot hold.
translated_texts = st.lists(st.sampled_from([*INLINE_PIECES, *PIECES, "\ue000", "\ue0011\ue001", "\x02amp\x03",
                                             "\x02wzxhzdk:0\x03", "Bring", "حجز", "&", ">", '"', "\r", "\x00", "&copy;",
                                             "[x](javascript:alert(1))", "[m](mailto:a@example.org)", "[h](https://ex ample)",
                                             "[h](HTTPS://example.org:8080/a)", "[s](sms:1)", "[g](//example.org)"]),
                            min_size=1, max_size=8).map("".join) | inline_lines | st.sampled_from(["", " ", "\n", "**b**"])
renderings = st.builds(
    lambda text, lang, hint, kind, machine: Shown(text, lang, hint, "ar" if hint is not None else lang, kind, machine),
    translated_texts, st.sampled_from(["fr", "ar"]),
    st.none() | st.sampled_from(["not yet translated", "a <b> & \"c\"", "\ue000", "\x02amp\x03", "", "a\u00a0:\r"]),
    st.sampled_from(["", "other-lang", "outdated machine", 'a"b', "hint x"]), st.booleans())
markdown_texts = st.lists(st.sampled_from([*PIECES, "<p class=\"x\">raw</p>\n\n", "- a\n    - b\n", "\ue000",
                                           "<em>open\n\n", "<script>x</script>\n\n", "| a |\n|:-|\n| b |\n"]),
                          max_size=25).map("".join) | st.sampled_from([  # items with lists of their own
    "- a\n    - b\n", "1. a\n    - b\n    - c\n\ntext\n", "> - a\n>     - b\n", "- a\n\n    para\n", "- a\n    1. b\n- c\n"])


def _stock(translate: object) -> markdown.Markdown:
    return markdown.Markdown(extensions=["tables", "sane_lists", _Segments(translate)],  # type: ignore[arg-type]
                             output_format="html")


@settings(max_examples=800, deadline=None)
@given(markdown_texts, st.lists(renderings, min_size=1, max_size=4))
def test_a_body_from_its_slots_is_python_markdowns_convert(source: str, shown: list[Shown]) -> None:
    """Whatever the translations hold (markup, hints, machine labels, reserved characters), the
    converter with slots renders each language as Python-Markdown's own ``convert`` does with
    the message walk, and asks for each block's translation once, in order."""
    def translate(text: str) -> Shown:
        return shown[zlib.crc32(text.encode()) % len(shown)]

    asked: list[str] = []
    converter = SlottedConverter(Sanitiser(clean_html, clean_piece))
    expected = _stock(translate).convert(source)
    for _ in range(2):  # the second time from the slotted form the first one made
        asked.clear()
        html = converter(source, lambda text: asked.append(text) or translate(text))
        assert html == expected
        assert asked == ([text for _, _, text in parsed(source).blocks] if source.strip() else [])
        asked.clear()  # cleaned piece by piece where nh3 leaves the slotted form as it is: what nh3 makes of the whole
        assert converter.sanitised(source, lambda text: asked.append(text) or translate(text)) == clean_html(expected)
        assert asked == ([text for _, _, text in parsed(source).blocks] if source.strip() else [])


def test_the_slots_are_filled_for_plain_and_inline_translations() -> None:
    """The slots are used (else the test above proves nothing of them): for plain text, lines of
    bold and links, hints and machine labels; a translation with other markup is rendered whole."""
    source = "# Title\n\nA *paragraph*.\n\n- one\n    - nested\n- two\n\n| a | b |\n|---|---|\n| c | **12** |\n\n> quote\n"
    slotted = SlottedConverter().slotted(source)
    assert slotted is not None and len(slotted.slots) == 2 * len(parsed(source).blocks)
    count = len(parsed(source).blocks)
    for shown in (Shown("Bring **two** [forms](f.md) > 1", "fr"), Shown("x", "en", "hint", "ar", "other-lang"),
                  Shown("texte", "fr", machine=True)):
        # an element with elements of its own (a list item and its list) takes plain text alone
        assert slotted.filled([shown if leaf else Shown("plain > text", "fr") for leaf in slotted.leaves]) is not None
    assert slotted.leaves.count(False) == 1
    assert slotted.filled([Shown("an *emphasis*", "fr")] * count) is None
    assert SlottedConverter().slotted("![Plan](plan.png)\n") is None  # an image's alt text: rendered whole


def test_a_body_nh3_leaves_as_it_is_is_cleaned_piece_by_piece() -> None:
    """The pieces are used (else the test above proves nothing of them): for a body nh3 leaves
    as it is, with text, bold, links, no-break spaces, hints and machine labels; not for a body
    it changes (a class of the editor's raw HTML), nor for a link to a scheme it drops."""
    source = "## Title\n\nA *paragraph*.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| c | **12** |\n\n> quote\n"
    converter = SlottedConverter(Sanitiser(clean_html, clean_piece))
    slotted = converter.slotted(source)
    assert slotted is not None and slotted.clean
    count = len(slotted.leaves)
    for shown in (Shown("Bring **two** [forms](f.md) > 1\u00a0:", "fr"), Shown("Sortie 2 > 1", "fr"),
                  Shown("x", "en", "hint", "ar", "other-lang"),
                  Shown("texte [ici](https://example.org/a?b#c)", "fr", machine=True)):
        html = slotted.filled([shown] * count, clean_piece)
        assert html is not None and html == clean_html(slotted.filled([shown] * count) or "")
    assert 'rel="noopener noreferrer"' in (slotted.filled([Shown("[a](b.md)", "fr")] * count, clean_piece) or "")
    assert slotted.filled([Shown("[a](javascript:x)", "fr")] * count, clean_piece) is None
    for changed in ("# Title\n\nText.\n", '<p class="x">raw</p>\n\nText.\n'):  # an h1, a class: not allowed
        form = converter.slotted(changed)
        assert form is not None and not form.clean


piece_texts = st.lists(st.sampled_from(["a", "حجز", " ", "\u00a0", "\r", "\x00", "\x1f", "&amp;", "&lt;", "&gt;", "&copy;",
                                        "&", "<", ">", '"', "'", "<strong>b</strong>", "<strong>", "</strong>", "</a>",
                                        '<a href="x.md">l</a>', '<a href="javascript:x">j</a>', '<a href="tel:+32 2">t</a>',
                                        '<a href="HTTPS://example.org:80/a?b=1#c">h</a>', '<a href="http://[x">k</a>',
                                        '<a href="mailto:a@example.org">m</a>', '<a href="ftp://example.org">f</a>',
                                        '<small class="hint" dir="ltr" lang="fr">h\u00a0</small>', "<em>e</em>", "<p>",
                                        "<!-- c -->", "\ue000"]), max_size=10).map("".join)
start_tags = st.builds(lambda tag, classes, where: f'<{tag} class="{classes}"{where}>',
                       st.sampled_from(["p", "li", "h2", "td", "div", "script", "a", "img", "br"]),
                       st.sampled_from(["other-lang", "outdated machine", "machine", "hint", "x", "outdated  machine", ""]),
                       st.sampled_from(["", ' dir="rtl" lang="ar"', ' dir="up" lang="ar"', ' lang="ar"']))


@settings(max_examples=1500, deadline=None)
@given(piece_texts, start_tags)
def test_a_piece_is_cleaned_as_nh3_cleans_it_in_its_place(content: str, start: str) -> None:
    """What ``clean_piece`` accepts, nh3 writes as ``clean_piece`` says, in a block and as the
    block's start tag; whatever it cannot tell (markup of other kinds, dropped schemes, NUL, CR,
    entities) it refuses."""
    cleaned = clean_piece(content)
    if cleaned is not None:
        for block in ("<p>{}</p>", "<li>{}</li>", "<table><tbody><tr><td>{}</td></tr></tbody></table>", "<h2>{}</h2>\n<p>x</p>"):
            assert clean_html(block.format(content)) == block.format(cleaned)
    tag = start[1:].split(" ")[0]
    opening = clean_piece(start, True)
    if opening is not None:  # in a place nh3 leaves as it is
        around = {"li": "<ul>{}</ul>", "td": "<table><tbody><tr>{}</tr></tbody></table>"}.get(tag, "{}")
        assert clean_html(around.format(f"{start}x</{tag}>")) == around.format(f"{opening}x</{tag}>")
