"""Phone numbers found in rendered text."""

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
