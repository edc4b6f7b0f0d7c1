"""Property tests (hypothesis) of "nothing forged, nothing lost", one or more per class:
forged facts, hidden characters, linear time, interface placeholders, catalog
integrity, fuzzy counting. The default profile is small for CI; `HYPOTHESIS_PROFILE=long`
runs 10,000 examples per property
(`HYPOTHESIS_PROFILE=long python -m pytest tests/test_properties_safety.py`)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from ici_site.content.invisible import hidden_characters
from ici_site.content.limits import markdown_problem
from ici_site.errors import ContentError
from ici_site.i18n.catalogs import Entry, read_catalog
from ici_site.i18n.safety import check_interface, check_translation
from ici_site.i18n.segments import Message, Shown, render_markdown
from ici_site.i18n.translations import progress
from ici_site.site.templating import _filled

settings.register_profile("ci", max_examples=60, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.register_profile("long", max_examples=10_000, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

SOURCE = "Voir [le site](https://example.org/cours). Appelez le 01 99 00 00 02 à 12h, écrivez à info@example.org."
FAITHFUL = "See [the site](https://example.org/cours). Call 01 99 00 00 02 at 12h, write to info@example.org."
WORDS = st.sampled_from(["Bring", "your", "passport", "and", "a", "photo", "—", "please", "thank", "you"])
SENTENCE = st.lists(WORDS, min_size=0, max_size=6).map(" ".join)

# -- 1. forged links and images, in every form a browser follows ---------------------------


@st.composite
def url_form(draw: st.DrawFn) -> str:
    """A URL to another host, spelt as a browser would still read it."""
    host = draw(st.sampled_from(["evil.example", "example.org.evil.example", "ex4mple.org", "EXAMPLE.net"]))
    path = draw(st.sampled_from(["", "cours", "pay?x=1", "a/b#c"]))
    scheme = draw(st.sampled_from(["https:", "http:", "", "ftp:"]))
    scheme = "".join(c.upper() if draw(st.booleans()) else c for c in scheme)
    slashes = draw(st.sampled_from(["//", "\\\\", "/\\"])) if scheme or draw(st.booleans()) else "//"
    url = f"{scheme}{slashes}{host}/{path}"
    out = []
    for index, char in enumerate(url):
        how = draw(st.sampled_from(["plain"] * 4 + ["dec", "hex", "tab"]))
        if how == "dec":
            out.append(f"&#{ord(char)};")
        elif how == "hex":
            out.append(f"&#x{ord(char):x};")
        elif how == "tab" and index < len(scheme):  # WHATWG removes tabs and newlines
            out.append(draw(st.sampled_from(["&#9;", "&#10;", "&#13;"])) + char)
        else:
            out.append(char)
    lead = draw(st.sampled_from(["", " ", "&#1;", "&#31; "]))
    return lead + "".join(out)


@st.composite
def forged(draw: st.DrawFn) -> str:
    """A link or an image to another host, in Markdown or in raw HTML."""
    url = draw(url_form())
    text = draw(WORDS)
    return draw(st.sampled_from([
        f"[{text}]({url.strip()})" if " " not in url.strip() else f'<a href="{url}">{text}</a>',
        f'<a href="{url}">{text}</a>',
        f"<a href='{url}'>{text}</a>",
        f'<img src="{url}" alt="{text}">',
        f"![{text}]({url.strip()})" if " " not in url.strip() else f'<img src="{url}" alt="">',
    ]))


@given(SENTENCE, forged(), SENTENCE)
def test_a_forged_link_or_image_is_always_refused(before: str, link: str, after: str) -> None:
    translation = f"{before} {FAITHFUL} {link} {after}"
    assert check_translation(SOURCE, translation, markdown=True, region="FR")


@given(st.sampled_from(["tel:", "TEL:", "sms:", "Sms:", "t&#101;l:"]),
       st.lists(st.integers(0, 9), min_size=3, max_size=15), st.sampled_from(["", " ", "-", "."]),
       st.sampled_from(["", "+", "+33", "0"]))
def test_an_added_phone_link_is_always_refused(scheme: str, digits: list[int], separator: str, prefix: str) -> None:
    number = prefix + separator.join(str(d) for d in digits)
    assume(number.replace(" ", "").replace("-", "").replace(".", "").lstrip("+") not in ("33199000002", "0199000002"))
    translation = f'{FAITHFUL} <a href="{scheme}{number}">Help</a>'
    assert any("phone number" in p for p in check_translation(SOURCE, translation, markdown=True, region="FR"))


DIGIT_SCRIPTS = ["0123456789", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹", "०१२३४५६७८९", "০১২৩৪৫৬৭৮৯"]


@given(st.integers(1, 10**6), st.sampled_from(DIGIT_SCRIPTS), st.sampled_from(DIGIT_SCRIPTS))
def test_a_number_is_read_by_value_in_every_script(number: int, script: str, added_script: str) -> None:
    """The same facts in other digits pass; an added number is refused in every script."""
    translation = FAITHFUL.translate(str.maketrans("0123456789", script))
    assert check_translation(SOURCE, translation, markdown=True, region="FR") == ()
    extra = str(number).translate(str.maketrans("0123456789", added_script))
    assume(number not in (1, 2, 12, 99))  # the source's own numbers
    found = check_translation(SOURCE, f"{translation} Fee: {extra} €.", markdown=True, region="FR")
    assert any("adds the" in p for p in found), found


# -- 2. hidden characters -------------------------------------------------------------------

REFUSED = st.sampled_from([*"\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2060\u2061\u2062\u2063\u2064",
                           *"\ufeff\u180e\u3164\U000e0001\U000e0041\x01\x1b\x7f\x85"])
MARKS = st.sampled_from([*"\u200e\u200f\u061c\u00ad\u200b\u200c\u200d"])


@given(REFUSED, st.integers(0, len(FAITHFUL)))
def test_a_direction_control_or_invisible_character_is_always_refused(char: str, at: int) -> None:
    translation = FAITHFUL[:at] + char + FAITHFUL[at:]
    found = check_translation(SOURCE, translation, markdown=True, region="FR")
    assert any(f"U+{ord(char):04X}" in p for p in found), found


@given(MARKS, st.sampled_from([i for i, c in enumerate(FAITHFUL) if c.isdigit() or c == "@"]),
       st.sampled_from([0, 1]))
def test_a_mark_or_joiner_beside_a_fact_is_refused(char: str, at: int, side: int) -> None:
    translation = FAITHFUL[:at + side] + char + FAITHFUL[at + side:]
    assert any(f"U+{ord(char):04X}" in p for p in check_translation(SOURCE, translation, True, "FR"))


PERSIAN = st.text(st.sampled_from("ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"), min_size=1, max_size=6)


@given(PERSIAN, st.sampled_from(["\u200c", "\u200d"]), PERSIAN)
def test_joiners_inside_persian_words_stay_allowed(left: str, joiner: str, right: str) -> None:
    assert list(hidden_characters(f"{left}{joiner}{right} ۱۲")) == []


# -- 3. linear time, no recursion -------------------------------------------------------------

HOSTILE = st.lists(st.sampled_from(list("[]()<>!*_`&#;\\\n -:/@.1a\t>|") + ["www.", "](", "- ", "    "]),
                   min_size=1, max_size=6).map("".join)


@given(HOSTILE, st.booleans())
def test_checking_hostile_text_is_linear(unit: str, markdown: bool) -> None:
    """8 KB of any repeated unit is checked in well under a second of CPU time (quadratic
    code took seconds at this size, minutes at 40 KB)."""
    text = (unit * (8192 // len(unit) + 1))[:8192]
    started = time.process_time()
    check_translation(SOURCE, text, markdown=markdown, region="FR")
    assert time.process_time() - started < 3


@given(st.lists(st.sampled_from(list("[]()<>!*_`&;\\\n -:/@.1a>#|") + ["    ", "- ", "> ", "1. "]),
                max_size=3000).map("".join))
def test_accepted_markdown_renders_without_recursion(text: str) -> None:
    if markdown_problem(text) is None:
        render_markdown(text, lambda block: Shown(block, "fr"))  # never a RecursionError
    check_translation(SOURCE, text, markdown=True, region="FR")  # never an exception


# -- 4. interface strings: placeholders and '%' -------------------------------------------------

PIECES = st.sampled_from(["Mis à jour ", "le ", "%(date)s", "%(num)d", "%(dat)s", "%", "%%", "%d", "% d",
                          "%(date)", "%(date)z", "(", ")", "100", "s", " "])


@given(st.lists(PIECES, max_size=8).map("".join), st.booleans())
def test_an_interface_translation_never_stops_a_page(translation: str, escaped: bool) -> None:
    msgid = "Updated on %(date)s"
    variables = {"date": "3 December 2026"}
    shown = _filled(translation, msgid, variables, escaped)  # never raises
    problems = check_interface((msgid,), translation)
    if not problems:
        assert shown == translation % variables
    else:
        assert shown == msgid % variables or shown == translation % variables


@given(st.lists(PIECES, max_size=8).map("".join))
def test_a_translation_that_cannot_be_filled_is_always_reported(translation: str) -> None:
    try:
        translation % {"date": "x", "num": 1}
    except (KeyError, ValueError, TypeError):
        assert check_interface(("Updated on %(date)s",), translation)


# -- 5. catalog integrity --------------------------------------------------------------------

ENTRY = st.tuples(st.sampled_from(["Cours", "Horaires", "Aide", "Accueil"]),  # few msgids: duplicates happen
                  st.sampled_from(["", "x", "y"]), st.booleans(), st.booleans())  # msgctxt, obsolete, plural


def po_text(entries: list[tuple[str, str, bool, bool]], plurals: bool) -> str:
    lines = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', '"Language: en\\n"',
             '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"', ""]
    for msgid, context, obsolete, plural in entries:
        prefix = "#~ " if obsolete else ""
        if context:
            lines.append(f'{prefix}msgctxt "{context}"')
        lines.append(f'{prefix}msgid "{msgid}"')
        if plural and plurals:
            lines += [f'{prefix}msgid_plural "{msgid}s"', f'{prefix}msgstr[0] "{msgid}!"', f'{prefix}msgstr[1] "{msgid}s!"']
        else:
            lines.append(f'{prefix}msgstr "{msgid}!"')
        lines.append("")
    return "\n".join(lines)


@given(st.lists(ENTRY, max_size=6), st.booleans())
def test_a_catalog_is_read_whole_or_refused(tmp_path_factory: pytest.TempPathFactory,
                                              entries: list[tuple[str, str, bool, bool]], interface: bool) -> None:
    folder = tmp_path_factory.mktemp("po") / "locales" / "en" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    path = folder / ("messages.po" if interface else "city.po")
    path.write_text(po_text(entries, plurals=True), encoding="utf-8")
    ids = [msgid for msgid, _, _, _ in entries]
    ambiguous = len(set(ids)) < len(ids) or any(context for _, context, _, _ in entries) \
        or (not interface and any(plural for *_, plural in entries))
    try:
        catalog = read_catalog(path)
    except ContentError as exc:
        assert ambiguous, exc
        assert all(str(p).startswith(f"{Path('locales/en/LC_MESSAGES') / path.name}:") for p in exc.problems)
        return
    assert not ambiguous
    live = {msgid for msgid, _, obsolete, _ in entries if not obsolete}
    assert {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id} == live  # nothing merged
    assert set(catalog.obsolete) == {msgid for msgid, _, obsolete, _ in entries if obsolete}


# A catalog as translators' tools write it, and as they break it: comments and flags
# anywhere, strings over several lines, obsolete entries, a missing msgstr, a stray string.
PO_PIECES = st.sampled_from([
    "", "#. services/a: title", "#: content/a.md:3", "#, fuzzy", "#, md-text, machine-translated", "# a note",
    "#| msgid \"Old\"", "#~| msgid \"Old\"", "#-", "#~", '#~ msgid "Gone"', '#~ msgstr "Parti"', '#~ "more"',
    'msgid "Cours"', 'msgid "Aide"', 'msgid "Ai\\"de\\\\n"', 'msgid ""', '"de français"', '"\\tsuite"',
    'msgstr "Course"', 'msgstr ""', 'msgstr "Hel\\"p"', '  msgstr  "x"  ', 'msgid_plural "Cours"', 'msgstr[0] "a"',
    'msgctxt "x"', 'msgid "Lieu"\n#. a\nmsgstr "Place"', 'msgid "Lieu"\n#~ msgstr "Place"',
    '#~ msgid "Lieu"\nmsgstr "Place"', 'msgid ""\nmsgstr "Vide"', 'msgid "Lieu"\n"x"\n#, fuzzy\nmsgstr "P"', "msgid\t\"Tab\"", '"Language: fr\\n"', 'msgid "Horaires \u2068x\u2069"', "#: a.md:1 \u2068b"])
PO_HEADER = st.sampled_from(["", 'msgid ""\nmsgstr ""\n"Language: fr\\n"\n',
                             '#, fuzzy\nmsgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'])
PO_ENTRY = st.tuples(st.lists(st.sampled_from(["#. a", "#, fuzzy", "#, md-text", "# note", "#. a #, fuzzy"]), max_size=2),
                     st.sampled_from(["Cours", "Aide", "Horaires", "Accueil", "x\\\"y"]), st.booleans(),
                     st.sampled_from(["", "Course", "Help"]), st.booleans()).map(
    lambda e: "\n".join([*e[0], f'{"#~ " if e[2] else ""}msgid "{e[1]}"',
                          f'{"#~ " if e[2] else ""}msgstr "{e[3]}"' + ('\n"more"' if e[4] else ""), ""]))


@settings(max_examples=500, deadline=None)
@given(PO_HEADER, st.lists(st.one_of(PO_ENTRY, PO_ENTRY, PO_PIECES), max_size=14))
def test_a_catalog_read_in_one_pass_is_read_as_babel_reads_it(tmp_path_factory: pytest.TempPathFactory,
                                                             header: str, pieces: list[str]) -> None:
    """The build's one-pass reader of a city's catalog finds exactly the entries Babel's
    reader finds, and leaves every file Babel refuses to Babel (whose error is reported)."""
    from ici_site.i18n.catalog_checks import check_catalog
    from ici_site.i18n.pofile import catalog_entries, plain_entries
    folder = tmp_path_factory.mktemp("po") / "locales" / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    path = folder / "city.po"
    text = header + "\n".join(pieces)
    path.write_text(text, encoding="utf-8")
    try:
        expected = catalog_entries(read_catalog(path))
    except ContentError:
        expected = None
    try:
        checked = check_catalog(text.encode(), "city.po", "fr", plurals=False)
    except ContentError:
        assert expected is None
        return
    found = plain_entries(checked)
    assert found is None or found == expected


SPACED = st.sampled_from(['msgid " Lieu "\n" et  "\nmsgstr " Place "\n" x"', '#, fuzzy\nmsgid "Tab\\tulé "\nmsgstr ""\n"  T"',
                          '#~ msgid " Old "\n#~ " er"\n#~ msgstr "x"', 'msgid "Fin"   \nmsgstr "End"\t',
                          'msgid "Cut"\nmsgstr "in\ntwo"'])


@settings(max_examples=500, deadline=None)
@given(PO_HEADER, st.lists(st.one_of(PO_ENTRY, PO_ENTRY, PO_PIECES, SPACED), max_size=14), st.sampled_from(["", "  ", "\t"]))
def test_a_catalog_in_the_plain_layout_is_read_as_line_by_line(header: str, pieces: list[str], indent: str) -> None:
    """Read by whole entries (:func:`plain_layout`), a catalog gives the entries the line-by-line
    reader gives, and holds nothing the raw check refuses: it may skip that check."""
    from ici_site.i18n.catalog_checks import _check_entries, plain_layout, raw_entries
    from ici_site.i18n.pofile import _header_end, _plain, plain_lines
    text = header + "\n".join(indent + piece if n % 2 else piece for n, piece in enumerate(pieces))
    layout = plain_layout(text)
    if layout is None:
        return
    lines = text.split("\n")
    _check_entries(raw_entries(lines, "city.po"), "city.po", plurals=False)  # raises nothing
    header_end = _header_end(lines)
    assert _plain(layout, header_end > 0) == plain_lines(lines, header_end)


def test_the_catalogs_tools_write_are_in_the_plain_layout(tmp_path: Path) -> None:
    """The whole-entry reader takes what `update`, Poedit and Weblate write (else its test proves
    nothing); anything else is left to the line-by-line readers."""
    from ici_site.i18n.catalog_checks import plain_layout
    text = ('# comment\nmsgid ""\nmsgstr ""\n"Language: fr\\n"\n\n#. services/a: title\n#: content/a.md:3\n'
            '#, fuzzy, md-text\nmsgid ""\n"Long "\n"te\\"xt\\""\nmsgstr "Texte"\n\n#~ msgid "Gone"\n#~ msgstr "Parti"\n')
    layout = plain_layout(text)
    assert layout is not None and [(e.line, e.obsolete, e.msgid, e.flags) for e in layout] == [
        (2, False, "", ()), (9, False, 'Long te"xt"', ("fuzzy", "md-text")), (14, True, "Gone", ())]
    for odd in ('msgid "a"\nmsgstr "b"\nmsgid "a"\nmsgstr "c"\n',  # twice: the raw check names both lines
                'msgctxt "x"\nmsgid "a"\nmsgstr "b"\n', 'msgid "a"\n#, fuzzy\nmsgstr "b"\n', 'msgid "a"\nmsgstr "b\n',
                '#-\nmsgid "a"\nmsgstr "b"\n', 'msgid "a"\nmsgstr "b\nc"\n', '#: a.md \u2068\nmsgid "a"\nmsgstr "b"\n', 'msgid "a"\n'):
        assert plain_layout(odd) is None, odd


def test_a_city_catalog_is_read_in_one_pass(tmp_path: Path) -> None:
    """The one-pass reader takes the catalogs `update` writes (else its test proves nothing)."""
    from ici_site.i18n.pofile import plain_entries
    text = ('# comment\nmsgid ""\nmsgstr ""\n"Language: fr\\n"\n\n#. services/a: title\n#: content/a.md:3\n'
            '#, fuzzy, md-text\nmsgid ""\n"Long "\n"text"\nmsgstr "Texte"\n\n#~ msgid "Gone"\n#~ msgstr "Parti"\n')
    found = plain_entries(text)
    assert found == {"Long text": Entry("Texte", True, 9, True, False)}
    for odd in ('msgid "a"\nmsgstr "b"\n\nmsgid ""\nmsgstr "Vide"\n',  # a second header: Babel's
                'msgid "a"\n#, fuzzy\nmsgstr "b"\n', 'msgid "a"\n#~ msgstr "b"\n', 'msgid "a"\n'):
        assert plain_entries(odd) is None


# -- 12. a fuzzy entry counts once ------------------------------------------------------------------


@given(st.lists(st.tuples(st.booleans(), st.booleans(), st.booleans()), max_size=12))
def test_every_text_is_counted_once(states: list[tuple[bool, bool, bool]]) -> None:
    """translated + fuzzy + missing + unsafe = messages (a fuzzy unsafe entry is fuzzy only)."""
    entries = {f"t{i}": Entry(f"T{i}" if done else "", fuzzy, i) for i, (done, fuzzy, _) in enumerate(states)}
    unsafe = {f"t{i}": ("loses the number 1",) for i, (_, _, bad) in enumerate(states) if bad}
    catalogs = SimpleNamespace(entries=lambda *_: entries, unsafe=lambda *_: unsafe)
    city = SimpleNamespace(source_language="fr", slug="x", country="FR", show_fuzzy=False)
    messages = [Message(text, "x.md", 1, "x", False) for text in entries]
    p = progress(city, "en", catalogs, messages)  # type: ignore[arg-type]
    assert p.translated + p.fuzzy + p.missing + p.unsafe == p.messages
    assert p.unsafe == sum(1 for done, fuzzy, bad in states if done and bad and not fuzzy)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aé ح1.:#-+>|!()`\\[]<&*_=\t\n\u00a0\u2028\u200f\x02")), max_size=30))
def test_a_plain_line_is_read_as_python_markdown_renders_it(text: str) -> None:
    """The safety check's shortcut (a line of plain text is not given to Python-Markdown) reads
    every text exactly as the page Python-Markdown renders from it reads."""
    from ici_site.i18n.safety import _as_shown
    assert _as_shown(text) == _rendered_page(text)


def _rendered_page(text: str) -> tuple[str, list[str], list[str]]:
    """(text, link targets, image sources) of the page stock Python-Markdown makes of ``text``."""
    import markdown

    from ici_site.i18n import safety
    reader = safety._Page()
    reader.feed(markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html").convert(text))
    reader.close()
    return "".join(reader.text), reader.targets, reader.images


INLINE_PIECES = st.sampled_from(["Bring", "la", "حجز", "é", " ", "  ", "12", "3.", ":", "/", "!", "(", ")", ">", "-",
                                 "**", "*", "[", "]", "_", "\u00a0", "\u2028", "\t", "\n", "www.example.org",
                                 "[the site](https://example.org/a_b)", "[x](x.md)", "[appel](tel:+33 1)",
                                 "[écrire](mailto:a@example.org)", "[y](JAVASCRIPT:alert(1))", "[z](//Evil.ORG/p)",
                                 "[w](HTTPS:\\\\evil.org)", "![i](a.png)", "**Important:**", "** x **", "**a****b**"])


# Lines the shortcut takes, mostly: a word first, then words, bold and links.
INLINE_LINES = st.tuples(st.sampled_from(["Bring", "حجز", "**Important:**", "[Book](x.md)", "[é](#a)"]),
                         st.lists(st.sampled_from(["la", " ", "12", ".", ":", "(", ")", ">", "-", "!", "**b**",
                                                   "**2 c**", "[x](x.md)", "[the site](https://example.org/a_b)",
                                                   "[1](tel:+331)", "[y](JAVASCRIPT:x)", " _la_", "_", "\u00a0"]),
                                  max_size=8).map("".join)).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.lists(INLINE_PIECES, max_size=10).map("".join), INLINE_LINES))
def test_a_line_of_bold_and_links_is_read_as_the_rendered_page(text: str) -> None:
    """The safety check's shortcut (a line of plain text, bold and links is read without
    rendering it) finds the same text, links and images as reading the rendered page."""
    from ici_site.i18n.safety import _as_shown
    assert _as_shown(text) == _rendered_page(text)


def test_the_shortcut_reads_bold_and_links() -> None:
    """The shortcut above is taken for the lines it is for (else its test proves nothing)."""
    from ici_site.i18n.safety import INLINE_LINE
    for line in ("**Important:** bring [the form](form.md) (2 copies).", "[Book](https://example.org/x_y) now",
                 "Call **01 99 00 00 02**!"):
        assert INLINE_LINE.fullmatch(line)
    for line in ("![a](b.png)", "** x **", "1. [a](b)", "a [b] (c)", "**a****b**", "x  "):
        assert not INLINE_LINE.fullmatch(line)


# The patterns as first written, each look-behind before the pattern's first character.
PHONE_BEFORE = r"(?<![\d+])\+?\(?\d[\d{}]*+"
EMPHASIS_BEFORE = r"(?<![*\w])\*(?![*\s])|(?<![*\s])\*(?![*\w])|(?<![_\w])_(?![_\s])|(?<![_\s])_(?![_\w])"


@settings(max_examples=1000)
@given(st.text(alphabet=st.sampled_from(list("+(0 1٣۳-.)/\u00a0a_*\n\té")), max_size=30))
@example("1+2 (3 +(4 5")
@example("a*b* *c _d_ e_f__ **g")
def test_phone_and_emphasis_patterns_find_what_they_found_with_their_look_behinds_first(text: str) -> None:
    """PHONE and EMPHASIS look behind after their first character (so a search jumps between
    candidates): they find the same matches as with the look-behind first."""
    import re

    from ici_site.i18n.safety import EMPHASIS, PHONE
    from ici_site.site.phones import SEPARATORS
    before = re.compile(PHONE_BEFORE.format(re.escape(SEPARATORS)))
    assert [m.span() for m in PHONE.finditer(text)] == [m.span() for m in before.finditer(text)]
    assert [m.span() for m in EMPHASIS.finditer(text)] == [m.span() for m in re.finditer(EMPHASIS_BEFORE, text)]


@settings(max_examples=1000)
@given(st.text(alphabet=st.sampled_from(list("wW.ẁWｗwİKa é 5٣۳:/@*_`[]<>&\\\n")), max_size=20))
@example("Www.example")
@example("wİww.")
def test_the_quick_test_of_a_text_is_the_pattern_and_the_lowered_text(text: str) -> None:
    """A text the safety check skips (nothing to compare) is one with no character of
    INTERESTING and no "www." in any case: the quick test finds what they find, in ASCII
    text and in any other."""
    from ici_site.i18n.safety import INTERESTING, _interesting, _source_interesting
    expected = INTERESTING.search(text) is not None or "www." in text.lower()
    assert _interesting(text) == expected
    assert _source_interesting(text) == expected
