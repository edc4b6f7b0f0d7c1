"""Catalogues: extraction, update that loses nothing, and standard tools accepting them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import REPO

CI = bool(os.environ.get("CI"))


def catalog(path: Path):
    with open(path, "rb") as f:
        return read_po(f)


def test_extract_writes_references_notes_and_md_text(project, cli) -> None:
    root = project("basic")
    assert cli(root, "extract").code == 0
    pot = (root / "locales" / "demoville.pot").read_text()
    assert ("#. services/cours-de-francais: summary\n"
            "#: content/demoville/services/cours-de-francais.md:3\n"
            'msgid "Des cours gratuits pour adultes."') in pot
    assert ("#. services/cours-de-francais: text\n"
            "#: content/demoville/services/cours-de-francais.md:19\n"
            "#, md-text\n"
            'msgid "Les cours"') in pot
    assert "code: non traduit" not in pot
    templates = catalog(root / "locales" / "messages.pot")
    assert templates.get("Opening hours") is not None
    assert templates.get("Registration and papers").locations[0][0] == "ici_site/vocab.py"


def test_extract_does_not_rewrite_when_only_the_date_changes(project, cli, monkeypatch) -> None:
    root = project("basic")
    cli(root, "extract")
    pot = root / "locales" / "demoville.pot"
    before = pot.read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1900000000")
    result = cli(root, "extract")
    assert pot.read_bytes() == before
    assert "demoville.pot" not in result.out


def test_update_keeps_translations_and_marks_changed_source_fuzzy(project, cli) -> None:
    root = project("basic")
    service = root / "content" / "demoville" / "services" / "cours-de-francais.md"
    service.write_text(service.read_text().replace("Des cours gratuits pour adultes.",
                                                   "Des cours gratuits pour tous les adultes."))
    page = root / "content" / "demoville" / "pages" / "premiers-pas.md"
    page.unlink()
    assert cli(root, "update").code == 0
    en = catalog(root / "locales" / "en" / "LC_MESSAGES" / "demoville.po")
    changed = en.get("Des cours gratuits pour tous les adultes.")
    assert changed.fuzzy and changed.string == "Free courses for adults."
    assert en.get("Cours de français").string == "French courses" and not en.get("Cours de français").fuzzy
    assert "Premiers pas" in en.obsolete and en.obsolete["Premiers pas"].string == "First steps"
    text = (root / "locales" / "en" / "LC_MESSAGES" / "demoville.po").read_text()
    assert '#| msgid "Des cours gratuits pour adultes."' in text
    assert '#~ msgid "Premiers pas"' in text
    # the build does not show the fuzzy translation: the new French source falls back
    cli(root, "build")
    html = (root / "_site" / "demoville" / "en" / "services" / "cours-de-francais.html").read_text()
    assert '<span lang="fr" dir="ltr" class="other-lang">Des cours gratuits pour tous les adultes.' in html


def test_init_creates_catalogues_with_cldr_headers(project, cli) -> None:
    root = project("basic")
    assert cli(root, "init", "demoville", "ps").code == 0
    po = catalog(root / "locales" / "ps" / "LC_MESSAGES" / "demoville.po")
    assert str(po.locale) == "ps"
    assert po.num_plurals == 2
    assert po.get("Cours de français") is not None
    assert (root / "locales" / "ps" / "LC_MESSAGES" / "messages.po").exists()
    result = cli(root, "init", "demoville", "klingon")
    assert result.code == 2 and "LANG: 'klingon'" in result.err


def shipped_catalogues() -> list[Path]:
    return sorted(REPO.glob("locales/*/LC_MESSAGES/*.po"))


def test_pybabel_compile_accepts_every_shipped_catalogue(tmp_path: Path) -> None:
    for po in shipped_catalogues():
        domain, lang = po.stem, po.parent.parent.name
        target = tmp_path / lang / f"{domain}.mo"
        target.parent.mkdir(parents=True, exist_ok=True)
        run = subprocess.run(
            [sys.executable, "-m", "babel.messages.frontend", "compile", "--statistics",
             "-i", str(po), "-o", str(target), "-l", lang],
            check=False, capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        assert target.stat().st_size > 0
        assert "100%" in run.stderr, run.stderr


@pytest.mark.skipif(shutil.which("msgfmt") is None and not CI, reason="gettext not installed")
def test_msgfmt_check_accepts_every_shipped_catalogue(tmp_path: Path) -> None:
    for po in shipped_catalogues():
        run = subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "x.mo"), str(po)],
                             check=False, capture_output=True, text=True)
        assert run.returncode == 0, f"{po}: {run.stderr}"


def test_shipped_catalogues_are_up_to_date(project, cli) -> None:
    """The committed .pot/.po files are what `update` produces from the committed content."""
    root = project()
    shutil.copytree(REPO / "locales", root / "locales", dirs_exist_ok=True)
    result = cli(root, "update")
    assert result.code == 0
    assert "nothing updated" in result.out, result.out


def test_pybabel_extract_finds_the_same_messages(project, cli, tmp_path: Path) -> None:
    root = project("basic")
    cli(root, "extract")
    out = tmp_path / "pybabel.pot"
    run = subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-o", str(out), "content/demoville"],
        cwd=root, check=False, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert run.returncode == 0, run.stderr
    ours, theirs = catalog(root / "locales" / "demoville.pot"), catalog(out)
    assert {m.id for m in ours if m.id} == {m.id for m in theirs if m.id}
    assert {m.id: m.locations for m in ours if m.id} == {m.id: m.locations for m in theirs if m.id}
