"""Every check and render is linear in its input: hostile Markdown or translations up to
the 1 MB file limit are checked, rendered or refused in seconds, and recursion limits are
never reached.

Times are the process's CPU time (``time.process_time``: a shared machine's stalls do not
count) and the bounds are generous (this machine is small and shared): on it, a 1 MB hostile
translation is checked in 2 to 8.5 s (while seven other test suites ran), a refused 1 MB
body is refused in under 1 s, and the slowest accepted 1 MB body (2,000 headings) renders
in about 10 s; before, a 40 KB junk translation took 83 s and 20 KB of '[' did not finish."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ici_site.content.limits import MAX_LINES, MAX_MARKUP, markdown_problem
from ici_site.content.sources import MAX_FILE_BYTES
from ici_site.i18n.safety import check_translation
from ici_site.i18n.segments import Shown, render_markdown

MB = MAX_FILE_BYTES
CHECK_SECONDS = 15  # measured: at most 8.5 s for 1 MB with 8 helpers' tests running at once
RENDER_SECONDS = 30

JUNK = {  # each was quadratic in some regex or in Python-Markdown
    "www": "www.",
    "digits and spaces": "1 ",
    "word characters": "a",
    "e-mail starts": "a@",
    "link ends": "](",
    "unclosed links": "[a](",
    "brackets": "[",
    "images": "![",
    "tags": "<a ",
    "entities": "&#49;",
    "dots": "1.",
    "schemes": "a://",
}


def junk(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


@pytest.mark.parametrize("name", sorted(JUNK))
@pytest.mark.parametrize("size", [40_000, MB])
def test_a_junk_translation_is_checked_in_seconds(name: str, size: int) -> None:
    text = junk(JUNK[name], size)
    for markdown in (True, False):
        started = time.process_time()
        check_translation("Ouvert à 12h, voir https://example.org/.", text, markdown=markdown, region="FR")
        assert time.process_time() - started < CHECK_SECONDS, (name, size, markdown)


REFUSED = {  # name: (text, why)
    "20 KB of [": ("[" * 20_000, "Markdown markers"),
    "unmatched [": ("[" * 2_000 + " mot" * 500, "without a matching ']'"),
    "unmatched ![": ("![" * 1_000 + " mot" * 500, "without a matching ']'"),
    "nested brackets": ("[" * 1_500 + "x" + "]" * 1_500, "nested too deeply"),
    "unclosed link addresses": ("[a](" * 1_000 + " mot" * 500, "without a matching ']'"),
    "unclosed tags": ("<a " * 2_000, "without a closing '>'"),
    "400-level list": ("\n".join("    " * depth + "- x" for depth in range(400)), "more than 16 levels"),
    "400 list markers": ("- " * 400 + "x", "more than 16 levels"),
    "400 quoted lists": ("> - " * 400 + "x", "more than 16 levels"),
    "many paragraphs": ("mot\n\n" * (MAX_LINES + 1), "lines of text"),
    "many entities": ("&amp;" * (MAX_MARKUP + 1), "Markdown markers"),
    "1 MB of ](": ("](" * (MB // 2), "Markdown markers"),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_pathological_markdown_is_refused_quickly(name: str) -> None:
    text, why = REFUSED[name]
    started = time.process_time()
    found = markdown_problem(text)
    assert found is not None and why in found[1], found
    assert time.process_time() - started < CHECK_SECONDS
    started = time.process_time()
    problems = check_translation("Le texte.", text, markdown=True)
    assert time.process_time() - started < CHECK_SECONDS
    # A translation is inline text in its block (lists and paragraphs are not read in it): one
    # with a link, a tag or an entity that would make the page slow is refused, never rendered.
    if re.search(r"[\[<&]", text):
        assert any(why in p for p in problems), problems


ACCEPTED = {  # as hostile as the limits allow, 1 MB each
    "one paragraph": junk("Un mot, deux mots. ", MB),
    "paragraphs": "\n\n".join(junk("mot ", MB // (MAX_LINES // 2) - 2) for _ in range(MAX_LINES // 2)),
    "headings at the line limit": "\n".join("## `x` " + junk("mot ", MB // MAX_LINES - 8) for _ in range(MAX_LINES)),
    "nested lists": "\n".join("    " * (i % 16) + "- _x_ " + junk("w ", MB // MAX_LINES - 70)
                              for i in range(MAX_LINES)),
    "markers at the limit": "&amp; " * (MAX_MARKUP // 2) + junk("mot ", MB - 3 * MAX_MARKUP),
    "unmatched brackets": "[" * 3 + junk("word ", MB - 3),
    "unclosed tags": "<a " * 3 + junk("word ", MB - 9),
}


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_the_worst_accepted_markdown_renders_in_seconds(name: str) -> None:
    text = ACCEPTED[name]
    assert len(text) <= MB * 1.2
    assert markdown_problem(text) is None
    started = time.process_time()
    html = render_markdown(text, lambda block: Shown(block, "fr"))
    assert time.process_time() - started < RENDER_SECONDS, name
    assert html


def test_a_deeply_nested_body_is_a_line_not_a_traceback(project, cli) -> None:
    root = project("basic")
    service = root / "content/demoville/services/cours-de-francais.md"
    text = service.read_text(encoding="utf-8")
    body_start = text.split("\n").index("---", 1) + 2
    service.write_text(text + "\n" + "\n".join("    " * d + "- x" for d in range(400)) + "\n", encoding="utf-8")
    started = time.process_time()
    result = cli(root, "check")
    assert result.code == 1 and "Traceback" not in result.err
    line = body_start + text.split("\n")[body_start - 1:].__len__() + 16
    assert f"cours-de-francais.md:{line}: text: the text nests lists or quotes more than 16" in result.err, result.err
    assert time.process_time() - started < CHECK_SECONDS * 3


def test_twenty_kilobytes_of_brackets_in_a_page_are_refused(project, cli) -> None:
    root = project("basic")
    page = root / "content/demoville/pages/premiers-pas.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n\n" + "[" * 20_000 + "\n", encoding="utf-8")
    started = time.process_time()
    result = cli(root, "build")
    assert result.code == 1 and "premiers-pas.md:" in result.err and "Markdown markers" in result.err
    assert time.process_time() - started < CHECK_SECONDS * 3


def _scanned(text: str) -> tuple[int, str] | None:
    """markdown_problem's verdict with every scan made, whatever the counts of '<', '[' and '('."""
    from ici_site.content import limits
    found = limits.markdown_problem(text)
    if found is not None and found[1] not in (limits.TAGS, limits.BRACKETS):
        return found  # refused before the scans
    if limits._tag_work(text) > limits._budget(len(text)):
        return 0, limits.TAGS
    start = 0
    for end in [m.start() for m in limits.PARAGRAPH.finditer(text)] + [len(text)]:
        if limits._bracket_work(text, start, end) > limits._budget(end - start):
            return text.count("\n", 0, start) + (start > 0), limits.BRACKETS
        start = end
    return None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["[", "]", "(", ")", "](", "<a ", "<", ">", "\\[", "\n\n", "mot ", "x" * 200,
                                 "[" * 40, "(" * 40, "<" * 30, " " * 500]), max_size=40))
def test_the_scans_skipped_by_counting_would_have_found_nothing(pieces: list[str]) -> None:
    """markdown_problem skips the tag and bracket scans where the count of '<', or of '[' and
    '(' in a paragraph, bounds their work under budget: its verdict is the scans' own."""
    text = "".join(pieces)
    assert markdown_problem(text) == _scanned(text)


NESTING_UNITS = ["    ", "\t", " \t", "  ", "- ", "* ", "+ ", "1. ", "12) ", ">", "> ", "-"]  # a level each, or part of one


@st.composite
def nested_line(draw: st.DrawFn) -> str:
    """A line of up to 24 levels of indentation, list markers and quotes (some of one character
    each: the shortest a line too deep can start with), maybe broken by a character that ends
    them, then text."""
    pool = draw(st.sampled_from([NESTING_UNITS, ["\t", ">"]]))  # or levels of one character each
    units = draw(st.lists(st.sampled_from(pool), min_size=draw(st.sampled_from([0, 12, 16, 17])), max_size=24))
    at = draw(st.integers(0, len(units)))
    units.insert(at, draw(st.sampled_from(["", "x", "-", " ", "\r"])))
    return "".join(units) + draw(st.sampled_from(["text", "", "- x", "1.5"]))


@settings(max_examples=500, deadline=None)
@given(st.lists(nested_line(), max_size=5))
def test_a_line_too_deep_is_found_with_or_without_the_quick_search(lines: list[str]) -> None:
    """_too_deep looks at each line only when one may start with enough indentation, list
    markers and quote signs: its answer is the one of looking at every line."""
    from unittest import mock

    from ici_site.content import limits
    text = "\n".join(lines)
    with mock.patch.object(limits, "MAY_BE_DEEP", re.compile("")):  # every text: each line looked at
        every_line = limits._too_deep(text)
    assert limits._too_deep(text) == every_line


@pytest.mark.parametrize(("text", "refused"), [
    ("a\n" * MAX_LINES + "a", "lines of text"),  # the shortest text over the line limit: 2 × MAX_LINES + 1
    ("a\n" * (MAX_LINES - 1) + "a", None),
    ("&" * (MAX_MARKUP + 1), "Markdown markers"),  # the shortest over the marker limit
    ("&" * MAX_MARKUP, None),
])
def test_the_shortest_text_over_each_limit_is_refused(text: str, refused: str | None) -> None:
    """markdown_problem counts lines and markers only in a text long enough to be over their
    limits (each takes a character, a line of text two with its break): at each limit's edge
    it still refuses what is over and takes what is not."""
    problem = markdown_problem(text)
    assert (problem is None) if refused is None else (problem is not None and refused in problem[1])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(["a", " ", "\t", "\n", "\r", "\u2028", "&", "\u00a0"]), max_size=40))
def test_a_text_has_no_more_lines_of_text_than_half_its_length_rounded_up(text: str) -> None:
    """What lets markdown_problem skip counting the lines of a text of at most 2 × MAX_LINES
    characters: however its characters mix, it has at most (length + 1) // 2 lines of text."""
    from ici_site.content.limits import TEXT_LINE
    assert len(TEXT_LINE.findall(text)) <= (len(text) + 1) // 2
