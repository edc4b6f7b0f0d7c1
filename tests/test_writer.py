"""The writer: a city folder is swapped in whole; leftovers of a killed build are repaired."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ici_site.build.writer import Files, OutputError, clean_stale, write_site

DEAD = 2**22 + 12345  # above Linux's default pid_max: no such process


def city(text: str) -> Files:
    files = Files()
    files.add("index.html", text)
    files.add("fr/index.html", text)
    return files


def test_a_city_is_replaced_whole(tmp_path: Path) -> None:
    write_site(tmp_path, {"a": city("one")})
    inode = (tmp_path / "a").stat().st_ino
    write_site(tmp_path, {"a": city("two")})
    assert (tmp_path / "a/fr/index.html").read_text() == "two"
    assert (tmp_path / "a").stat().st_ino != inode  # a new folder, not files rewritten in place
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a"]


def test_leftovers_of_a_killed_build_are_repaired(tmp_path: Path) -> None:
    (tmp_path / f".a.new-{DEAD}/fr").mkdir(parents=True)  # killed while staging
    (tmp_path / f".b.old-{DEAD}").mkdir()  # killed between the two renames of a swap
    (tmp_path / f".b.old-{DEAD}/index.html").write_text("previous b")
    (tmp_path / f".c.new-{os.getppid()}").mkdir()  # a build that is still running
    clean_stale(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f".c.new-{os.getppid()}", "b"]
    assert (tmp_path / "b/index.html").read_text() == "previous b"


def test_a_second_file_at_the_same_path_or_outside_is_refused() -> None:
    files = city("x")
    with pytest.raises(OutputError, match="two pages would be written to fr/index.html"):
        files.add("fr/./index.html", "y")
    with pytest.raises(OutputError, match="outside"):
        files.add("../escape.html", "z")


def test_every_byte_of_a_large_file_and_an_empty_one_is_written(tmp_path: Path) -> None:
    """Files are written with ``os.write``, which may write less than it is given: a large
    file (a city's zip, a whole guide) is written whole, and an empty one exists."""
    data = os.urandom(9 * 2**20 + 7)
    files = Files()
    files.add("guide.zip", data)
    files.add("empty.txt", b"")
    write_site(tmp_path, {"a": files})
    assert (tmp_path / "a/guide.zip").read_bytes() == data
    assert (tmp_path / "a/empty.txt").read_bytes() == b""
