"""One mini-site per kind of mistake: exact `path:line: key:` messages, exit 1, output untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SITES

INVALID = sorted(p.name for p in SITES.glob("invalid-*"))


@pytest.mark.parametrize("name", INVALID)
def test_invalid_site(name: str, project, cli) -> None:
    root = project(name)
    previous = root / "_site" / "testville" / "index.html"
    previous.parent.mkdir(parents=True)
    previous.write_text("previous build")
    result = cli(root, "build")
    expected = (SITES / name / "expected.txt").read_text().splitlines()
    assert result.code == 1
    assert result.err.splitlines() == [f"error: {line}" for line in expected] + [
        f"{len(expected)} error(s); nothing was written."]
    assert "Traceback" not in result.err
    assert [p.relative_to(root / "_site") for p in (root / "_site").rglob("*")] == [
        Path("testville"), Path("testville/index.html")]
    assert previous.read_text() == "previous build"


@pytest.mark.parametrize("name", INVALID)
def test_check_reports_the_same(name: str, project, cli) -> None:
    root = project(name)
    result = cli(root, "check")
    assert result.code == 1
    assert len([line for line in result.err.splitlines() if line.startswith("error: ")]) == len(
        (SITES / name / "expected.txt").read_text().splitlines())


def test_a_mistyped_choice_gets_a_suggestion(project, cli) -> None:
    root = project("invalid-date")
    service = root / "content" / "testville" / "services" / "aide.md"
    service.write_text(service.read_text().replace("reviewed: 12/03/2026", "reviewed: 2026-03-12\ncost: fre"))
    result = cli(root, "build")
    assert result.err.splitlines()[0] == (
        "error: content/testville/services/aide.md:6: cost: 'fre' is not one of: free, reduced, paid; "
        "did you mean 'free'?")
