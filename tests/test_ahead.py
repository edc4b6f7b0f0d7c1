"""The catalogs read ahead while ``ici-site build`` starts (ici_site/build/ahead.py): what the
process stores is what the build reads, a broken catalog is still the build's to report, and
stopped, it leaves nothing half-written."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BUILD_DAY, REPO

from ici_site.build import ahead
from ici_site.build.cache import FOLDER

pytestmark = pytest.mark.speed_layer  # the store is the speed layer's


@pytest.fixture(autouse=True)
def _two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    """The head start runs on a second core: this machine may have one."""
    monkeypatch.setenv("ICI_JOBS", "2")


def _read_whole(root: Path, only: tuple[str, ...] = ()) -> None:
    reading = ahead.start(root, only)
    assert reading is not None
    os.waitpid(reading.pid, 0)  # every catalog read: not stopped
    reading.close()


def _stored(root: Path) -> set[str]:
    folder = root / FOLDER / "catalogs"
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


def test_the_catalogs_read_ahead_are_those_the_build_reads(project, cli, tmp_path: Path) -> None:
    """Each catalog parsed and checked ahead (in the country its city's numbers are read in) is
    one the build reads from the store: a build that read them itself stores the same, and the
    two builds make the same site."""
    root, alone = project(), tmp_path / "alone"
    shutil.copytree(root, alone)
    _read_whole(root)
    stored = _stored(root)
    assert len(stored) >= 2 * len([*root.glob("locales/*/LC_MESSAGES/[!m]*.po")])  # entries and findings of each city's
    assert cli(root, "build").code == 0
    assert cli(alone, "build").code == 0
    assert stored <= _stored(alone) == _stored(root)
    differing = subprocess.run(["diff", "-r", "-q", str(root / "_site"), str(alone / "_site")], capture_output=True,
                               text=True, check=False).stdout
    assert differing == ""


def test_a_named_city_reads_its_own_catalogs_and_the_interfaces(project, cli) -> None:
    root = project()
    city = min(p.parent.name for p in root.glob("content/*/city.yaml"))
    _read_whole(root, (city,))
    stored = _stored(root)
    others = [po for po in root.glob("locales/*/LC_MESSAGES/*.po") if po.stem not in (city, "messages")]
    assert others and not {f"po-{_entries_key(po)}" for po in others} & stored
    assert cli(root, "build", city).code == 0
    assert stored and stored <= _stored(root)


def _entries_key(po: Path) -> str:
    from ici_site.build.cache import Digests, _entries_name

    return _entries_name(Digests().file(po)).removeprefix("po-")


def test_a_broken_catalog_read_ahead_is_still_the_builds_to_report(project, cli) -> None:
    root = project("basic")
    po = root / "locales" / "en" / "LC_MESSAGES" / "demoville.po"
    po.write_text(po.read_text() + '\nmsgid "Unclosed\n')
    _read_whole(root)
    result = cli(root, "build")
    assert result.code == 1
    assert "locales/en/LC_MESSAGES/demoville.po:" in result.err and "Traceback" not in result.err


def test_stopped_at_once_it_leaves_nothing_half_written(project) -> None:
    root = project()
    reading = ahead.start(root)
    assert reading is not None
    reading.close()  # stops after the catalog it reads, and is waited for
    with pytest.raises(ChildProcessError):
        os.waitpid(reading.pid, 0)
    assert not [name for name in _stored(root) if name.startswith(".")]  # no file written and not renamed


def test_no_head_start_without_the_speed_layer_or_a_second_core(project, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project("basic")
    monkeypatch.setenv("ICI_SPEED", "off")
    assert ahead.start(root) is None
    monkeypatch.setenv("ICI_SPEED", "on")
    monkeypatch.setenv("ICI_JOBS", "1")
    assert ahead.start(root) is None
    assert not (root / FOLDER).exists()


def test_the_console_script_builds_with_its_head_start(project) -> None:
    """``ici-site build`` as a person runs it (its own process, which reads ahead): the site,
    and the catalogs in the store; a content error still exits 1 with its messages."""
    root = project("basic")
    env = {**os.environ, "SOURCE_DATE_EPOCH": BUILD_DAY, "ICI_JOBS": "2"}
    run = subprocess.run([sys.executable, str(REPO / "build.py"), "build"], cwd=root, capture_output=True, text=True,
                         env=env, check=False)
    assert run.returncode == 0, run.stderr
    assert (root / "_site" / "demoville" / "ar" / "index.html").is_file()
    assert {f"po-{_entries_key(po)}" for po in root.glob("locales/*/LC_MESSAGES/demoville.po")} <= _stored(root)
    (root / "content" / "demoville" / "city.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    run = subprocess.run([sys.executable, str(REPO / "build.py"), "build"], cwd=root, capture_output=True, text=True,
                         env=env, check=False)
    assert run.returncode == 1 and "content/demoville/city.yaml" in run.stderr and "Traceback" not in run.stderr
