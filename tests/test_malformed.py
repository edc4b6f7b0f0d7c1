"""A corpus of malformed inputs, one file per case in tests/malformed/.

Each case is the exact bytes of one file dropped into the `basic` mini-site, and
the `path:line: key: message` lines the build must print before exiting 1 with
the previous output untouched. Case file format (header, blank line, raw bytes):

    path: content/demoville/services/aide.md     (where the bytes go; repeatable: same bytes)
    expect: content/demoville/services/aide.md:2: title: ...   (one per error line)
    command: build                                (optional, default build)

In an expected line, ``{plural-forms:LANG}`` stands for the ``Plural-Forms`` value the
installed Babel gives LANG (its spelling of the formula changes between Babel versions).

    <the file's bytes, to the end of the case file>
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.plurals import get_plural

PLURAL_FORMS = re.compile(r"\{plural-forms:([a-z_]+)\}")
CASES = Path(__file__).resolve().parent / "malformed"


@dataclass(frozen=True)
class Case:
    """One malformed input and what it must produce."""

    paths: tuple[str, ...]
    expect: tuple[str, ...]
    command: str
    data: bytes


def read_case(path: Path) -> Case:
    """Parse a case file: header lines up to the first blank line, then the raw bytes."""
    raw = path.read_bytes()
    header, _, data = raw.partition(b"\n\n")
    fields: dict[str, list[str]] = {}
    for line in header.decode("utf-8").splitlines():
        key, _, value = line.partition(": ")
        fields.setdefault(key, []).append(value)
    assert set(fields) <= {"path", "expect", "command"}, f"{path.name}: unknown header"
    expect = tuple(PLURAL_FORMS.sub(lambda m: get_plural(m.group(1)).plural_forms, line)
                   for line in fields["expect"])
    return Case(tuple(fields["path"]), expect, fields.get("command", ["build"])[0], data)


NAMES = sorted(p.name for p in CASES.glob("*.case"))


def test_the_corpus_has_at_least_50_cases() -> None:
    assert len(NAMES) >= 50


@pytest.mark.parametrize("name", NAMES)
def test_malformed_input_gives_its_message(name: str, project, cli) -> None:
    case = read_case(CASES / name)
    root = project("basic")
    previous = root / "_site" / "demoville" / "index.html"
    previous.parent.mkdir(parents=True)
    previous.write_text("previous build")
    for rel in case.paths:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(case.data)
    result = cli(root, case.command)
    assert result.code == 1, result.out
    assert "Traceback" not in result.err
    errors = [line.removeprefix("error: ") for line in result.err.splitlines() if line.startswith("error: ")]
    assert errors == list(case.expect)
    assert previous.read_text() == "previous build"
    for rel in case.paths:  # never rewritten, not even by `update`
        assert (root / rel).read_bytes() == case.data
    assert sorted(p.name for p in (root / "_site").iterdir()) == ["demoville"]
