"""Runs of the other direction isolated in page text (ici_site/site/bidi.py): what is wrapped,
what is left alone, and hostile HTML (malformed, deep, 1 MB) in linear time."""

from __future__ import annotations

import html as htmllib
import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ici_site.i18n.segments import Shown, markdown_messages, render_markdown
from ici_site.site.bidi import isolate_runs
from ici_site.site.sanitize import clean_html

BDI = re.compile(r'<bdi dir="(?:ltr|rtl)">|</bdi>')


@pytest.mark.parametrize(("before", "after"), [
    # the address: the number goes with its street
    ("<p>أو حضوريًا في العنوان: 8 rue de l&#39;Exemple.</p>",
     '<p>أو حضوريًا في العنوان: <bdi dir="ltr">8 rue de l\'Exemple</bdi>.</p>'),
    # the sentence's full stop stays the sentence's
    ("<p>اكتب لنا على aide@example.org.</p>", '<p>اكتب لنا على <bdi dir="ltr">aide@example.org</bdi>.</p>'),
    # a URL keeps its closing slash
    ("<p>على https://example.org/cours/ هنا</p>", '<p>على <bdi dir="ltr">https://example.org/cours/</bdi> هنا</p>'),
    # a time range in French
    ("<td>9 h – 11 h</td>", '<td><bdi dir="ltr">9 h – 11 h</bdi></td>'),
    # a number in groups, with or without +
    ("<p>الرقم 01 99 00 11 20 أو +33 1 99 00 11 20</p>",
     '<p>الرقم <bdi dir="ltr">01 99 00 11 20</bdi> أو <bdi dir="ltr">+33 1 99 00 11 20</bdi></p>'),
    # a bracket the run opened goes with it; one around it stays outside
    ("<p>في Saint-Jean (Loiret)، و(SAMU social)</p>",
     '<p>في <bdi dir="ltr">Saint-Jean (Loiret)</bdi>، و(<bdi dir="ltr">SAMU social</bdi>)</p>'),
    # numbers joined to the words are theirs; one set apart by brackets is the sentence's
    ("<p>العنوان Lielā iela 8, LV-3001 هنا</p>", '<p>العنوان <bdi dir="ltr">Lielā iela 8, LV-3001</bdi> هنا</p>'),
    ("<p>اتصل بالرقم 15 (SAMU) أو 112، (Violences Femmes Info) 3919</p>",
     '<p>اتصل بالرقم 15 (SAMU) أو 112، (<bdi dir="ltr">Violences Femmes Info</bdi>) 3919</p>'),
    # a run through inline markup is one run, well nested
    ("<p>تعال إلى 8 rue de <em>l'Exemple</em>، شكرا</p>",
     "<p>تعال إلى <bdi dir=\"ltr\">8 rue de <em>l'Exemple</em></bdi>، شكرا</p>"),
    # inside an element of its own, the run is isolated there
    ("<p>نص <code>rue de 8</code> نص</p>", '<p>نص <code><bdi dir="ltr">rue de 8</bdi></code> نص</p>'),
    # an Arabic name in a French sentence; the street number stays French
    ("<p>Association الأمل الجديد 12 rue Foo</p>", '<p>Association <bdi dir="rtl">الأمل الجديد</bdi> 12 rue Foo</p>'),
])
def test_runs_of_the_other_direction_are_isolated(before: str, after: str) -> None:
    direction = "rtl" if "Association" not in before else "ltr"
    assert isolate_runs(before, direction) == after


@pytest.mark.parametrize(("html", "direction"), [
    ("<p>من 9 إلى 11، أو 9–11</p>", "rtl"),  # digits alone keep the reader's (right-to-left) order
    ("<p>وقّعت (CIR) مع OFII؟</p>", "rtl"),  # one word alone needs nothing
    ('<p>على الرقم <a href="tel:+33199001120" dir="ltr">01 99 00 11 20</a>.</p>', "rtl"),  # isolated already
    ('<p lang="fr" dir="ltr">Au 8 rue de l&#39;Exemple<small class="hint" dir="rtl">غير مترجم</small></p>', "rtl"),
    ("<p>Au 8 rue de l&#39;Exemple &amp; 01 99 00 11 20.</p>", "ltr"),  # nothing right-to-left: untouched
    ('<p>نص <a href="https://example.org/rue de 8" title="rue de 8">عربي</a></p>', "rtl"),  # attributes never
    ("<p>نص <code>OFII</code></p>", "rtl"),  # a word alone in an element: nothing to do
    ("<p><bdi>rue de 8 ب</bdi> نص</p>", "rtl"),  # the translator's own bdi
])
def test_what_reads_right_already_is_left_alone(html: str, direction: str) -> None:
    assert isolate_runs(html, direction) == html


def test_escaped_text_stays_escaped() -> None:
    got = isolate_runs("<p>ب &lt;script&gt;alert(1)&lt;/script&gt; a &amp; b ب</p>", "rtl")
    assert got == '<p>ب &lt;<bdi dir="ltr">script&gt;alert(1)&lt;/script&gt; a &amp; b</bdi> ب</p>'


@pytest.mark.parametrize("html", [
    "<p>ب a 1</em></p>",  # an end tag without its start tag
    "<p>ب a 1 <em>rue de 8",  # elements never closed
    "<p>ب <br>a 1<br/> b<img src=x.png alt=\"a > b\"></p>",
    "<p>ب a < b > c</p>",  # not tags: text
    "<p>ب <em><strong>a 1</em></strong> c</p>",  # badly nested
    "",
])
def test_malformed_html_keeps_its_text_and_stays_nested(html: str) -> None:
    got = isolate_runs(html, "rtl")
    assert htmllib.unescape(BDI.sub("", got)) == htmllib.unescape(html)
    assert got.count("<bdi") == got.count("</bdi>")


TEXT = st.text(st.sampled_from(list("ab ْبت 0٣1 .,()/+-–@:'<>&\u00a0")), max_size=12)
TAGS = st.sampled_from(["<em>", "</em>", "<strong>", "</strong>", "<br>", '<span dir="ltr">', "</span>",
                        '<a href="tel:+33199001120" dir="ltr">', "</a>", "<p>", "</p>", "<td>", "</td>"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(TEXT, TAGS), max_size=12), st.sampled_from(["ltr", "rtl"]))
def test_only_bdi_is_added_and_sanitising_keeps_it(parts: list[str], direction: str) -> None:
    html = clean_html("".join(parts))  # what the build gives it: the sanitiser's output
    got = isolate_runs(html, direction)
    assert htmllib.unescape(BDI.sub("", got)) == htmllib.unescape(html)
    assert clean_html(got) == got  # well nested, and within what the sanitiser allows


MB = 1 << 20
HOSTILE = {
    "Latin words in Arabic": "<p>" + "عنوان 8 rue de l'Exemple، " * (MB // 26) + "</p>",
    "one Latin letter, then neutrals": "<p>ب a" + " ." * (MB // 2) + "</p>",
    "digits and spaces": "<p>ب " + "1 " * (MB // 2) + "</p>",
    "open brackets, then closed": "<p>ب a" + "(" * (MB // 2) + "b" + ")" * (MB // 2) + "</p>",
    "slashes": "<p>ب a" + "/" * MB + "</p>",
    "many inline elements": "<p>ب " + "<em>a 1</em> " * (MB // 14) + "</p>",
    "deep nesting": "<p>ب " + "<em>" * (MB // 9) + "a 1" + "</em>" * (MB // 9) + "</p>",
    "never closed": "<p>ب a" + "<em>" * (MB // 4) + "</p>",
    "end tags alone": "<p>ب a" + "</em>" * (MB // 5) + "</p>",
}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_megabyte_takes_linear_time(name: str) -> None:
    html = HOSTILE[name]
    started = time.process_time()
    got = isolate_runs(html, "rtl")
    assert time.process_time() - started < 20  # a quadratic pass would take hours
    assert htmllib.unescape(BDI.sub("", got)) == htmllib.unescape(html)


def test_a_lone_letter_is_a_word_to_translate_and_codes_are_not() -> None:
    source = "| Niveau | Heures |\n|---|---|\n| A1 | 9 h – 11 h |\n| B2 | 9h-11h |\n| 12 | 9 à 11 |\n"
    texts = [m.text for m in markdown_messages(source, "x.md", 1, "x")]
    assert texts == ["Niveau", "Heures", "9 h – 11 h", "9 à 11"]
    html = render_markdown(source, lambda text: Shown(text.upper(), "ar"))
    assert "<td>9 H – 11 H</td>" in html and "<td>A1</td>" in html and "<td>9h-11h</td>" in html
