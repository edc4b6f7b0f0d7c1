"""The output folder: never the project or one of its folders; builds into it one at a
time, so the published site and the record of what was written always agree; and
``check`` writes nothing at all."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import BUILD_DAY, REPO


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file and folder under ``folder`` with its bytes and mtime."""
    found = {}
    for path in sorted(folder.rglob("*")):
        st = path.lstat()
        found[path.relative_to(folder).as_posix()] = (path.read_bytes() if path.is_file() else b"", st.st_mtime_ns)
    return found


@pytest.mark.parametrize("out", ["content", "locales", "templates", ".", "content/demoville", "locales/new",
                                 "templates/x", ".ici-cache", ".."])
def test_out_may_not_be_or_hold_the_project(project, cli, out: str, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project("basic")
    assert cli(root, "build").code == 0
    before = snapshot(root)
    monkeypatch.chdir(root)  # --out is relative to where the command runs
    result = cli(root, "build", "--out", out)
    assert result.code == 2
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: --out {out}: the output folder "), result.err
    assert snapshot(root) == before  # nothing written, nothing removed


def test_serve_refuses_the_same_folders(project, cli) -> None:
    root = project("basic")
    result = cli(root, "serve", "--port", "0", "--out", str(root / "content"))
    assert result.code == 2 and "the project's content/" in result.err
    assert sorted(p.name for p in (root / "content").iterdir()) == ["demoville"]


def test_out_may_not_be_the_home_folder(project, cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project("basic")
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    (home / "Documents/letter.txt").write_text("mine")
    monkeypatch.setenv("HOME", str(home))
    result = cli(root, "build", "--out", str(home))
    assert result.code == 2 and "your home folder" in result.err
    assert (home / "Documents/letter.txt").read_text() == "mine"
    from ici_site.build.output_folder import output_folder_problem
    assert output_folder_problem(home / "site", root) is None  # a folder inside it is fine
    assert output_folder_problem(Path("/"), root)  # (not tried for real: on main it wrote /demoville)


def test_out_under_a_file_is_one_line(project, cli) -> None:
    root = project("basic")
    (root / "notes.txt").write_text("x")
    result = cli(root, "build", "--out", str(root / "notes.txt/site"))
    assert result.code == 2
    assert result.err.splitlines() == [f"error: --out {root}/notes.txt/site: {root}/notes.txt is a file, not a folder"]


# -- two builds at the same time -------------------------------------------------------

# A build whose writing is slowed down at chosen points, so that two builds overlap in
# the order that, without a lock, left the old text published and recorded as new.
SLOW_BUILD = """
import sys, time
from pathlib import Path
import ici_site.build.speed as build  # the speed layer writes the site
from ici_site.cli import main

role, root, sync = sys.argv[1], sys.argv[2], Path(sys.argv[3])
write_site = build.write_site

def wait_for(paths, seconds):
    end = time.monotonic() + seconds
    while not any(path.exists() for path in paths) and time.monotonic() < end:
        time.sleep(0.05)

def slow(out, files, **options):
    if role == "first":
        print("first: writing", file=sys.stderr, flush=True)
        # the second build publishes before the first (no lock), or says it waits for it (the lock)
        wait_for([sync / "second-published", sync / "second-waiting"], 60)
        write_site(out, files, **options)
    else:
        write_site(out, files, **options)
        (sync / "second-published").touch()
        wait_for([sync / "first-finished"], 20)  # ... and records its files after the first ended

build.write_site = slow
sys.exit(main(["--root", root, "build"]))
"""


def slow_build(role: str, root: Path, sync: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": BUILD_DAY, "PYTHONPATH": os.environ.get("PYTHONPATH", str(REPO))}
    return subprocess.Popen([sys.executable, "-c", SLOW_BUILD, role, str(root), str(sync)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.speed_layer  # the record of what was written is what lets the next build skip
def test_two_builds_at_once_publish_the_last_content_and_record_it(project, cli, tmp_path: Path) -> None:
    root = project("basic")
    city = root / "content/demoville/city.yaml"
    sync = tmp_path / "sync"
    sync.mkdir()
    first = slow_build("first", root, sync)
    assert first.stderr is not None
    assert first.stderr.readline() == "first: writing\n"  # it has read the content: now it changes
    city.write_text(city.read_text().replace("Le guichet des nouveaux arrivants", "Le guichet, version deux"))
    second = slow_build("second", root, sync)
    started = time.monotonic()
    assert second.stderr is not None
    said = second.stderr.readline()  # however long the second takes to start (without a lock: at its end)
    (sync / "second-waiting").touch()
    first_err = first.communicate(timeout=60)[1]
    (sync / "first-finished").touch()
    second_err = said + second.communicate(timeout=60)[1]
    assert first.returncode == 0 and second.returncode == 0, first_err + second_err
    assert "waiting for another build into" in second_err  # it said why it did not start at once
    assert time.monotonic() - started < 60
    page = root / "_site/demoville/fr/index.html"
    assert "version deux" in page.read_text()  # the last content, not the first build's
    third = cli(root, "build")
    assert third.code == 0 and "(0 files written)" in third.out  # the record matches what is in place
    assert "version deux" in page.read_text()


def test_a_build_waits_for_the_lock_and_says_so(project, cli, tmp_path: Path) -> None:
    import fcntl
    root = project("basic")
    with subprocess.Popen([sys.executable, "-c", (
            "import fcntl, os, sys, time\n"
            f"fd = os.open({str(root / '._site.lock')!r}, os.O_RDWR | os.O_CREAT)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\nprint('held', flush=True)\ntime.sleep(1.5)\n")],
            stdout=subprocess.PIPE, text=True) as holder:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        started = time.monotonic()
        result = cli(root, "build")
        assert result.code == 0
        assert time.monotonic() - started > 0.5  # it waited for the other one
        assert f"waiting for another build into {root / '_site'} to finish" in result.err
    fd = os.open(root / "._site.lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released at the end of the build
    finally:
        os.close(fd)


# -- check writes nothing ------------------------------------------------------------------

def test_check_writes_nothing_at_all(project, cli) -> None:
    root = project("basic")
    before = snapshot(root)
    result = cli(root, "check")
    assert result.code == 0, result.err
    assert snapshot(root) == before  # not even .ici-cache/
    assert not (root / ".ici-cache").exists()
    assert cli(root, "build").code == 0
    before = snapshot(root)
    assert cli(root, "check").code == 0  # nor does it update a cache a build made
    assert snapshot(root) == before
