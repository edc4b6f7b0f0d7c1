"""Shared fixtures: named mini-sites copied into a temporary project, and the CLI."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from ici_site.cli import main

REPO = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"
BUILD_DAY = "1795132800"  # SOURCE_DATE_EPOCH of 2026-11-20, a Friday


def make_project(target: Path, site: str | None = None) -> Path:
    """A project folder: the repo's templates, babel.cfg and template catalogs, plus a
    mini-site's content/ and locales/ (or the repo's example content when ``site`` is None)."""
    shutil.copytree(REPO / "templates", target / "templates")
    shutil.copy(REPO / "babel.cfg", target / "babel.cfg")
    source = SITES / site if site else REPO
    shutil.copytree(source / "content", target / "content")
    if (source / "locales").exists():
        shutil.copytree(source / "locales", target / "locales")
    for po in (REPO / "locales").glob("*/LC_MESSAGES/messages.po"):
        dest = target / po.relative_to(REPO)
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(po, dest)
    return target


def keep_cities(root: Path, *slugs: str) -> Path:
    """Leave only the cities ``slugs`` (and their catalogs) in the project at ``root``, and no
    network: for tests about one or two cities that build them many times."""
    for city in (root / "content").iterdir():
        if city.is_dir() and city.name not in slugs:
            shutil.rmtree(city)
            for catalog in [root / "locales" / f"{city.name}.pot", *(root / "locales").glob(f"*/LC_MESSAGES/{city.name}.po")]:
                catalog.unlink(missing_ok=True)
    (root / "content" / "network.yaml").unlink(missing_ok=True)
    assert sorted(p.name for p in (root / "content").iterdir()) == sorted(slugs), "a city the test needs is missing"
    return root


@dataclass
class Result:
    """What a CLI run returned and printed."""

    code: int
    out: str
    err: str


@pytest.fixture(autouse=True)
def _speed_layer_on(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A test of what the speed layer skips, links or stages (``@pytest.mark.speed_layer``)
    runs with it even when the suite runs without it (``ICI_SPEED=off``, docs/architecture.md)."""
    if request.node.get_closest_marker("speed_layer"):
        monkeypatch.setenv("ICI_SPEED", "on")


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run `ici-site` in-process with a fixed build day; returns a Result."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DAY)

    def run(root: Path, *args: str) -> Result:
        capsys.readouterr()
        code = main(["--root", str(root), *args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def project(tmp_path: Path):
    """Factory: copy a named mini-site (or the example content) into tmp_path."""

    def factory(site: str | None = None) -> Path:
        return make_project(tmp_path / (site or "example"), site)

    return factory


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's example content built once per test session (fixed build day)."""
    root = make_project(tmp_path_factory.mktemp("example-site"))
    build_on(root, BUILD_DAY)
    return root / "_site"


def build_on(root: Path, epoch: str, *args: str) -> None:
    """``build`` of the project at ``root`` as on the day SOURCE_DATE_EPOCH ``epoch`` names."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        assert main(["--root", str(root), "build", *args]) == 0
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def require_tool(available: bool, what: str) -> None:
    """Skip locally when a test tool is missing; in CI (CI set) a missing tool is a failure."""
    if not available:
        if os.environ.get("CI"):
            pytest.fail(f"{what} is missing in CI: .ci/run must install it")
        pytest.skip(f"{what} is not installed (CI installs it)")


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (skips locally without it; fails in CI)."""
    from browsing import ARGS, AXE, CHROMIUM
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    require_tool(sync_playwright is not None and Path(CHROMIUM).is_file() and AXE.is_file(),
                 "Playwright, /usr/bin/chromium and axe-core (npm ci)")
    assert sync_playwright is not None
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site(example_site: Path):
    """The example sites served on 127.0.0.1; yields the base URL."""
    from browsing import Server
    server = Server(example_site)
    yield server.url
    server.stop()
