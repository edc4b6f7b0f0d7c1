"""Phone numbers found in rendered text."""

from hypothesis import given
from hypothesis import strategies as st

from ici_site.site.phones import link_phones


def test_numbers_in_text_become_ltr_tel_links() -> None:
    html = "<p>Appelez le 01 99 00 11 20 &amp; venez.</p>"
    assert link_phones(html, "FR") == (
        '<p>Appelez le <a href="tel:+33199001120" dir="ltr">01 99 00 11 20</a> &amp; venez.</p>')


def test_links_code_and_plain_numbers_are_left_alone() -> None:
    html = ('<p><a href="https://example.org/">01 99 00 11 20</a> <code>01 99 00 11 20</code> '
            "A1, 2026, 16 500 habitants</p>")
    assert link_phones(html, "FR") == html


def test_a_tel_link_of_the_text_reads_left_to_right() -> None:
    html = '<p><a href="tel:+33199001120">01 99 00 11 20</a></p>'
    assert link_phones(html, "FR") == '<p><a href="tel:+33199001120" dir="ltr">01 99 00 11 20</a></p>'


def test_a_number_before_the_first_tag_after_the_last_or_with_no_tag_is_linked() -> None:
    link = '<a href="tel:+33199001120" dir="ltr">01 99 00 11 20</a>'
    assert link_phones("01 99 00 11 20 <b>ou</b>", "FR") == f"{link} <b>ou</b>"
    assert link_phones("<b>Appelez</b> le 01 99 00 11 20", "FR") == f"<b>Appelez</b> le {link}"
    assert link_phones("01 99 00 11 20", "FR") == link
    assert link_phones("<code>x</code> 01 99 00 11 20 <pre>01 99 00 11 20</pre>", "FR") == \
        f"<code>x</code> {link} <pre>01 99 00 11 20</pre>"


def _linked_tag_by_tag(html: str, country: str, short: frozenset[str]) -> str:
    """link_phones as one walk over every text and tag: the reference its shortcuts keep to."""
    from ici_site.site.phones import DIGITS, SKIP_INSIDE, TAG, TEL_LINK, _tel_link, _wrap
    parts = TAG.split(html)
    depth = 0
    for index in range(0, len(parts) - 1, 2):
        text, tag = parts[index], parts[index + 1]
        if not depth and DIGITS.search(text):
            parts[index] = _wrap(text, country, short)
        if SKIP_INSIDE.match(tag):
            depth += -1 if tag.startswith("</") else 1
            if TEL_LINK.match(tag):
                parts[index + 1] = _tel_link(tag)
    if not depth and DIGITS.search(parts[-1]):
        parts[-1] = _wrap(parts[-1], country, short)
    return "".join(parts)


PIECES = ["<p>", "</p>", "<a href=\"https://example.org/2\">", "</a>", "<A HREF=\"TEL:0199001120\">", "< a href=\"x\">",
          "<code>", "</code>", "<pre>", "</ pre>", "<abbr title=\"1\">", "</abbr>", "<h2 id=\"step-2\">", "<img src=\"a1.png\">",
          "<a href=\"sms:3919\" dir=\"ltr\">", "01 99 00 11 20", "appelez le 3919", "2026", "texte", " ", "<", ">", "\0", "<>",
          "٠١ ٩٩ ٠٠ ١١ ٢٠", "&amp;", "<bdi dir=\"ltr\">", "</bdi>"]


@given(st.lists(st.sampled_from(PIECES), max_size=14))
def test_numbers_are_linked_as_a_walk_over_every_text_and_tag_links_them(pieces: list[str]) -> None:
    """link_phones remembers for each kind of tag whether it opens or closes <a>, <code> or
    <pre>: the same HTML as asking every tag as it comes (NUL and stray brackets included)."""
    html = "".join(pieces)
    short = frozenset({"3919"})
    assert link_phones(html, "FR", short) == _linked_tag_by_tag(html, "FR", short)
