"""Builds and catalog updates killed at any moment (SIGINT or SIGKILL) leave every
published city folder byte-identical to the previous build or to the complete new one,
and never truncate a catalog. ICI_KILL_MOMENTS=N tries more moments (default 4)."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import BUILD_DAY, REPO

ENV = {**os.environ, "SOURCE_DATE_EPOCH": BUILD_DAY, "PYTHONPATH": str(REPO)}
MOMENTS = int(os.environ.get("ICI_KILL_MOMENTS", "4"))


def tree(folder: Path) -> dict[str, str]:
    """Relative path -> SHA-256 of every file under ``folder``."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def start(root: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, str(REPO / "build.py"), "--root", str(root), *args],
                            env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def run(root: Path, *args: str) -> float:
    started = time.monotonic()
    process = start(root, *args)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err.decode()
    return time.monotonic() - started


def kill_at(process: subprocess.Popen[bytes], delay: float, sig: int, out: Path) -> str:
    """Send ``sig`` after ``delay`` seconds, or (delay < 0) as soon as a staging folder appears."""
    deadline = time.monotonic() + (delay if delay >= 0 else 60)
    while time.monotonic() < deadline and process.poll() is None:
        if delay < 0 and out.is_dir() and any(p.name.startswith(".") for p in out.iterdir()):
            break
        time.sleep(0.002)
    if process.poll() is None:
        process.send_signal(sig)
    return process.communicate(timeout=60)[1].decode()


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The example project built once (old), then changed and built elsewhere (new)."""
    from conftest import keep_cities, make_project

    root = make_project(tmp_path_factory.mktemp("interrupted") / "example")
    # three cities show the per-city swap; more only make each killed build longer
    keep_cities(root, *sorted(p.name for p in (root / "content").iterdir() if p.is_dir())[:3])
    run(root, "build")
    old = {city.name: tree(city) for city in (root / "_site").iterdir()}
    shutil.copytree(root / "_site", root.parent / "old-site")
    for city in (root / "content").iterdir():
        service = min((city / "services").glob("*.md"))
        service.write_text(service.read_text().replace("\n---\n", "\n---\nUne phrase ajoutée.\n\n", 1))
    seconds = run(root, "build", "--out", str(root.parent / "new-site"))
    new = {city.name: tree(city) for city in (root.parent / "new-site").iterdir()}
    assert all(old[name] != new[name] for name in old)
    return {"root": root, "old": old, "new": new, "seconds": seconds}


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_killed_build_leaves_each_city_old_or_new(sites, sig: int) -> None:
    root: Path = sites["root"]  # type: ignore[assignment]
    out = root / "_site"
    seconds: float = sites["seconds"]  # type: ignore[assignment]
    delays = [-1.0] + [seconds * (0.3 + 0.75 * i / max(MOMENTS - 1, 1)) for i in range(MOMENTS)]
    outcomes = set()
    for delay in delays:
        shutil.rmtree(out)
        shutil.copytree(root.parent / "old-site", out)
        process = start(root, "build")
        kill_at(process, delay, sig, out)
        visible = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
        assert visible == sorted(sites["old"]), f"killed after {delay:.2f} s: {visible}"  # type: ignore[arg-type]
        for city in visible:
            now = tree(out / city)
            assert now in (sites["old"][city], sites["new"][city]), f"{city} mixed after {delay:.2f} s"  # type: ignore[index]
            outcomes.add("new" if now == sites["new"][city] else "old")  # type: ignore[index]
        if sig == signal.SIGINT:
            assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # cleaned on the way out
    assert "old" in outcomes  # the sweep did interrupt builds
    run(root, "build")  # the next build completes and leaves no staging folder behind
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []
    assert {city: tree(out / city) for city in sites["old"]} == sites["new"]  # type: ignore[attr-defined]


def test_killed_update_never_truncates_a_catalog(sites) -> None:
    """The content changed since the catalogs were made, so `update` rewrites them."""
    root: Path = sites["root"]  # type: ignore[assignment]
    locales = root / "locales"
    before = tree(locales)
    shutil.copytree(locales, root.parent / "locales-before")
    seconds = run(root, "update")
    after = tree(locales)
    assert after != before
    for i in range(MOMENTS):
        shutil.rmtree(locales)
        shutil.copytree(root.parent / "locales-before", locales)
        kill_at(start(root, "update"), seconds * (0.2 + 0.9 * i / max(MOMENTS - 1, 1)), signal.SIGKILL, locales)
        for name, digest in tree(locales).items():
            if not Path(name).name.startswith("."):  # a temporary file a killed write left behind
                assert digest in (before.get(name), after.get(name)), f"{name} is neither old nor new"
    shutil.rmtree(locales)
    shutil.copytree(root.parent / "locales-before", locales)
