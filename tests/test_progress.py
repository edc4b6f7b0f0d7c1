"""The progress line appears only on a terminal and only for a build longer than a second."""

from __future__ import annotations

import io

from ici_site.i18n.progress import ProgressLine


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_line_on_a_terminal_after_the_first_second():
    term = Terminal()
    line = ProgressLine(term, after=0)
    line(3, 12)
    assert "rendering: 3/12 city languages" in term.getvalue()
    line.clear()
    assert term.getvalue().endswith("\r\033[K")


def test_quiet_when_not_a_terminal_or_quick():
    pipe = io.StringIO()
    ProgressLine(pipe, after=0)(3, 12)
    assert pipe.getvalue() == ""
    term = Terminal()
    ProgressLine(term, after=60)(3, 12)
    assert term.getvalue() == ""


def test_build_summary_is_one_line(project, cli):
    root = project()
    cities = len(list((root / "content").glob("*/city.yaml")))  # whatever cities content/ holds
    result = cli(root, "build")
    assert result.code == 0
    lines = result.out.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"built {cities} cities") and "files written" in lines[0]
    assert "rendering:" not in result.err  # not a terminal
