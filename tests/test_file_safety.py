"""Nothing lost: a translator's catalog saved while ``update`` ran is kept, as are its
permissions and its symbolic link; a failure of the operating system (disk full,
read-only, permission, a file that vanished) is one line, exit 1, and the previous
site is left byte for byte."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import stat
import struct
import subprocess
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import require_tool

import ici_site.build
import ici_site.build.speed
import ici_site.i18n.catalogs
import ici_site.pipeline
from ici_site.build.writer import Stage

AR_PO = "locales/ar/LC_MESSAGES/demoville.po"


def site_files(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with a hash of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def png(width: int = 1, height: int = 1) -> bytes:
    """A real (grey) PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def new_source_text(root: Path) -> None:
    """An editor's change that every catalog of the city must take in."""
    service = root / "content/demoville/services/cours-de-francais.md"
    service.write_text(service.read_text().replace("Des cours gratuits pour adultes.", "Des cours gratuits, le soir."))


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make ``path`` truly read-only, also for root (who ignores permissions): ``chattr +i``."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o555)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    chattr = shutil.which("chattr")
    require_tool(chattr is not None, "chattr (e2fsprogs)")
    if subprocess.run([chattr, "+i", str(path)], check=False, capture_output=True).returncode != 0:
        pytest.skip("this file system has no immutable flag")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(path)], check=True)


def one_error(result) -> str:
    """The single error line (and no traceback)."""
    lines = [line for line in result.err.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1, result.err
    assert "Traceback" not in result.err
    return lines[0]


# -- catalogs ----------------------------------------------------------------------------

def test_update_keeps_a_catalog_saved_while_it_ran(project, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project("basic")
    new_source_text(root)
    saved_by_poedit = (root / AR_PO).read_text() + '\nmsgid "Hors catalog"\nmsgstr "ترجمة محفوظة"\n'
    reuse = ici_site.i18n.catalogs.reuse

    def poedit_saves_meanwhile(*args, **kwargs):  # after update read every catalog, before it writes
        (root / AR_PO).write_text(saved_by_poedit)
        return reuse(*args, **kwargs)

    monkeypatch.setattr(ici_site.i18n.catalogs, "reuse", poedit_saves_meanwhile)
    result = cli(root, "update")
    assert result.code == 1
    assert one_error(result) == (f"error: {AR_PO}: changed while update ran (saved by Poedit?): "
                                 "it was left as saved; run update again")
    assert (root / AR_PO).read_text() == saved_by_poedit  # the translator's work, untouched
    assert "updated locales/en/LC_MESSAGES/demoville.po" in result.out  # the others were updated
    monkeypatch.setattr(ici_site.i18n.catalogs, "reuse", reuse)
    again = cli(root, "update")
    assert again.code == 0, again.err
    assert "ترجمة محفوظة" in (root / AR_PO).read_text()  # merged in, now that nobody else writes


def test_update_keeps_each_catalogs_permissions(project, cli) -> None:
    root = project("basic")
    new_source_text(root)
    (root / AR_PO).chmod(0o664)  # shared with the translators' group
    en = root / "locales/en/LC_MESSAGES/demoville.po"
    en.chmod(0o640)
    assert cli(root, "update").code == 0
    assert stat.S_IMODE((root / AR_PO).stat().st_mode) == 0o664
    assert stat.S_IMODE(en.stat().st_mode) == 0o640
    assert "Des cours gratuits, le soir." in (root / AR_PO).read_text()


def test_a_new_catalog_gets_the_usual_permissions(project, cli) -> None:
    root = project("basic")
    old = os.umask(0o022)
    try:
        assert cli(root, "init", "demoville", "uk").code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((root / "locales/uk/LC_MESSAGES/demoville.po").stat().st_mode) == 0o644  # not 0600


def test_update_writes_through_a_symbolic_link(project, cli) -> None:
    root = project("basic")
    new_source_text(root)
    shared = root.parent / "translations" / "ar-demoville.po"  # e.g. a checkout shared with Weblate
    shared.parent.mkdir()
    shutil.move(root / AR_PO, shared)
    (root / AR_PO).symlink_to(shared)
    assert cli(root, "update").code == 0
    assert (root / AR_PO).is_symlink() and (root / AR_PO).resolve() == shared
    assert "Des cours gratuits, le soir." in shared.read_text()
    assert [p.name for p in shared.parent.iterdir()] == ["ar-demoville.po"]  # no temporary file left


def test_update_into_read_only_locales_is_one_line(project, cli) -> None:
    root = project("basic")
    new_source_text(root)
    before = (root / AR_PO).read_bytes()
    with read_only(root / "locales/ar/LC_MESSAGES"):
        result = cli(root, "update")
    assert result.code == 1
    assert one_error(result).startswith("error: locales/ar/LC_MESSAGES/")
    assert (root / AR_PO).read_bytes() == before


# -- failures of the operating system during a build ------------------------------------------

def built_then_changed(project, cli) -> tuple[Path, dict[str, str]]:
    """A built site whose content then changed, and the files of the site as built."""
    root = project("basic")
    assert cli(root, "build").code == 0
    new_source_text(root)
    return root, site_files(root / "_site")


@pytest.mark.speed_layer  # the workers' write into the staging folder fails
@pytest.mark.parametrize(("code", "reason"), [(errno.ENOSPC, "no space left on device"),
                                              (errno.EROFS, "read-only file system"),
                                              (errno.EACCES, "permission denied")])
def test_a_failed_write_is_one_line_and_keeps_the_site(project, cli, monkeypatch: pytest.MonkeyPatch,
                                                       code: int, reason: str) -> None:
    root, before = built_then_changed(project, cli)
    write_staged = ici_site.build.speed.write_staged

    def fails(stage: Stage, path: str, data: bytes) -> Path:
        if path.endswith("cours-de-francais.html"):
            raise OSError(code, os.strerror(code), str(stage.folder / path))
        return write_staged(stage, path, data)

    monkeypatch.setattr(ici_site.build.speed, "write_staged", fails)
    result = cli(root, "build")
    assert result.code == 1
    line = one_error(result)
    assert line.startswith("error: _site/.demoville.new-") and line.endswith(f"cours-de-francais.html: {reason}")
    assert site_files(root / "_site") == before
    assert sorted(p.name for p in (root / "_site").iterdir()) == ["demoville"]  # no staging folder left


def test_a_read_only_output_folder_is_one_line_and_keeps_the_site(project, cli) -> None:
    root, before = built_then_changed(project, cli)
    with read_only(root / "_site"):
        result = cli(root, "build")
    assert result.code == 1
    assert one_error(result).startswith("error: _site/")
    assert site_files(root / "_site") == before


def test_a_file_removed_during_the_build_is_one_line(project, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project("basic")
    city = root / "content/demoville/city.yaml"
    (root / "content/demoville/logo.png").write_bytes(png())
    city.write_text(city.read_text().replace('theme: {color: "#225588"}', 'theme: {color: "#225588", logo: logo.png}'))
    assert cli(root, "build").code == 0
    new_source_text(root)
    before = site_files(root / "_site")
    load_site = ici_site.pipeline.load_site

    def then_removed(*args, **kwargs):  # the editor deletes the logo while the build runs
        site = load_site(*args, **kwargs)
        (root / "content/demoville/logo.png").unlink()
        return site

    monkeypatch.setattr(ici_site.pipeline, "load_site", then_removed)
    result = cli(root, "build")
    assert result.code == 1
    assert one_error(result) == "error: content/demoville/logo.png: no such file or directory"
    assert site_files(root / "_site") == before
