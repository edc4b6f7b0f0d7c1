"""A body rendered from its slots (i18n/slots.py) is the body Python-Markdown renders."""

from __future__ import annotations

import zlib

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from ici_site.i18n.segments import Rendering, _Segments, parsed
from ici_site.i18n.slots import SlottedConverter
from tests.test_segments import INLINE_PIECES, PIECES, inline_lines

# Translations: lines of words, bold and links (a slot's), and texts a slot cannot hold.
translated_texts = st.lists(st.sampled_from([*INLINE_PIECES, *PIECES, "\ue000", "\ue0011\ue001", "\x02amp\x03",
                                             "\x02wzxhzdk:0\x03", "Bring", "حجز", "&", ">", '"']),
                            min_size=1, max_size=8).map("".join) | inline_lines | st.sampled_from(["", " ", "\n", "**b**"])
renderings = st.builds(
    lambda text, lang, hint, kind, machine: Rendering(text, lang, hint, "ar" if hint is not None else lang, kind, machine),
    translated_texts, st.sampled_from(["fr", "ar"]),
    st.none() | st.sampled_from(["not yet translated", "a <b> & \"c\"", "\ue000", "\x02amp\x03", ""]),
    st.sampled_from(["", "other-lang", "outdated machine", 'a"b']), st.booleans())
markdown_texts = st.lists(st.sampled_from([*PIECES, "<p class=\"x\">raw</p>\n\n", "- a\n    - b\n", "\ue000"]),
                          max_size=25).map("".join) | st.sampled_from([  # items with lists of their own
    "- a\n    - b\n", "1. a\n    - b\n    - c\n\ntext\n", "> - a\n>     - b\n", "- a\n\n    para\n", "- a\n    1. b\n- c\n"])


def _stock(translate: object) -> markdown.Markdown:
    return markdown.Markdown(extensions=["tables", "sane_lists", _Segments(translate)],  # type: ignore[arg-type]
                             output_format="html")


@settings(max_examples=800, deadline=None)
@given(markdown_texts, st.lists(renderings, min_size=1, max_size=4))
def test_a_body_from_its_slots_is_python_markdowns_convert(source: str, shown: list[Rendering]) -> None:
    """Whatever the translations hold (markup, hints, machine labels, reserved characters), the
    converter with slots renders each language as Python-Markdown's own ``convert`` does with
    the message walk, and asks for each block's translation once, in order."""
    def translate(text: str) -> Rendering:
        return shown[zlib.crc32(text.encode()) % len(shown)]

    asked: list[str] = []
    converter = SlottedConverter()
    for _ in range(2):  # the second time from the slotted form the first one made
        asked.clear()
        html = converter(source, lambda text: asked.append(text) or translate(text))
        assert html == _stock(translate).convert(source)
        assert asked == ([text for _, _, text in parsed(source).blocks] if source.strip() else [])


def test_the_slots_are_filled_for_plain_and_inline_translations() -> None:
    """The slots are used (else the test above proves nothing of them): for plain text, lines of
    bold and links, hints and machine labels; a translation with other markup is rendered whole."""
    source = "# Title\n\nA *paragraph*.\n\n- one\n    - nested\n- two\n\n| a | b |\n|---|---|\n| c | **12** |\n\n> quote\n"
    slotted = SlottedConverter().slotted(source)
    assert slotted is not None and len(slotted.slots) == 2 * len(parsed(source).blocks)
    count = len(parsed(source).blocks)
    for shown in (Rendering("Bring **two** [forms](f.md) > 1", "fr"), Rendering("x", "en", "hint", "ar", "other-lang"),
                  Rendering("texte", "fr", machine=True)):
        # an element with elements of its own (a list item and its list) takes plain text alone
        assert slotted.filled([shown if leaf else Rendering("plain > text", "fr") for leaf in slotted.leaves]) is not None
    assert slotted.leaves.count(False) == 1
    assert slotted.filled([Rendering("an *emphasis*", "fr")] * count) is None
    assert SlottedConverter().slotted("![Plan](plan.png)\n") is None  # an image's alt text: rendered whole
