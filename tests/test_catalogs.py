"""Catalogs: extraction, update that loses nothing, and standard tools accepting them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
from conftest import REPO, require_tool

from ici_site.errors import ContentError
from ici_site.i18n.catalog_checks import check_catalog
from ici_site.i18n.catalogs import TEMPLATE_DOMAIN


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


def test_update_does_not_rewrite_when_only_the_babel_version_differs(project, cli) -> None:
    root = project("basic")
    cli(root, "update")
    po = root / "locales" / "ar" / "LC_MESSAGES" / "demoville.po"
    older = re.sub(rb'"Generated-By: Babel [^\\]*\\n"', lambda _: b'"Generated-By: Babel 2.14.0\\n"', po.read_bytes())
    po.write_bytes(older)
    assert b'"Generated-By: Babel 2.14.0\\n"\n' in older  # the file as an older Babel wrote it, sound
    result = cli(root, "update")
    assert result.code == 0, result.err
    assert po.read_bytes() == older and "demoville.po" not in result.out


@pytest.mark.parametrize(("lang", "rule", "accepted"), [
    ("fr", "nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;", True),  # CLDR's
    ("uk", "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
     True),  # written otherwise, the same form for every count
    ("fr", "nplurals=2; plural=(n > 1);", False),  # gettext's classic rule (msginit, Weblate): no form for millions
    ("es", "nplurals=2; plural=(n != 1);", False),
    ("lv", "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);", False),  # gettext's order of forms
    ("fa", "nplurals=2; plural=(n != 1);", False),  # CLDR: 0 takes the singular
    ("ar", "nplurals=2; plural=(n != 1);", False),  # one word for 0, 2 and 3 things
    ("uk", "nplurals=2; plural=(n != 1);", False),
    ("tr", "nplurals=1; plural=0;", False),  # CLDR tells 1 from 2 in Turkish
    ("fr", "nplurals=2; plural=(n != 1);", False),  # "0 pages": French says "0 page"
    ("en", "nplurals=2; plural=(n > 2 ? 5 : 0);", False),  # a form past nplurals
    ("en", "nplurals=2; plural=(n !! 1);", False),  # not a rule gettext reads
    ("en", "nplurals=2; plural=(n % 0);", False),  # divides by zero
])
def test_plural_rule_is_checked_by_what_it_does(lang: str, rule: str, accepted: bool) -> None:
    text = f'msgid ""\nmsgstr ""\n"Language: {lang}\\n"\n"Plural-Forms: {rule}\\n"\n'
    if accepted:
        check_catalog(text.encode(), "x.po", lang)
        return
    with pytest.raises(ContentError) as caught:
        check_catalog(text.encode(), "x.po", lang)
    (problem,) = caught.value.problems
    assert problem.line == 4 and f"'Plural-Forms: {get_plural(lang).plural_forms}'" in problem.message
    try:  # a sound rule: `update` may read the catalog, to write CLDR's rule
        check_catalog(text.encode(), "x.po", lang, any_plural_rule=True)
    except ContentError:
        assert "run 'python build.py update'" not in problem.message
    else:
        assert "run 'python build.py update'" in problem.message


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


def test_init_creates_catalogs_with_cldr_headers(project, cli) -> None:
    root = project("basic")
    assert cli(root, "init", "demoville", "ps").code == 0
    po = catalog(root / "locales" / "ps" / "LC_MESSAGES" / "demoville.po")
    assert str(po.locale) == "ps"
    assert po.num_plurals == 2
    assert po.get("Cours de français") is not None
    assert (root / "locales" / "ps" / "LC_MESSAGES" / "messages.po").exists()
    result = cli(root, "init", "demoville", "klingon")
    assert result.code == 2 and "LANG: 'klingon'" in result.err


def shipped_catalogs() -> list[Path]:
    return sorted(REPO.glob("locales/*/LC_MESSAGES/*.po"))


def test_pybabel_compile_accepts_every_shipped_catalog(tmp_path: Path) -> None:
    for po in shipped_catalogs():
        domain, lang = po.stem, po.parent.parent.name
        target = tmp_path / lang / f"{domain}.mo"
        target.parent.mkdir(parents=True, exist_ok=True)
        run = subprocess.run(
            [sys.executable, "-m", "babel.messages.frontend", "compile", "--statistics",
             "-i", str(po), "-o", str(target), "-l", lang],
            check=False, capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        assert target.stat().st_size > 0
        assert re.search(r"\d+ of \d+ messages \(\d+%\) translated", run.stderr), run.stderr
        assert "error" not in run.stderr.lower() and "warning" not in run.stderr.lower(), run.stderr
        if domain == TEMPLATE_DOMAIN:  # the interface is translated in full; a city may publish part
            assert "100%" in run.stderr, run.stderr


def test_msgfmt_check_accepts_every_shipped_catalog(tmp_path: Path) -> None:
    require_tool(shutil.which("msgfmt") is not None, "msgfmt (Debian's gettext)")
    for po in shipped_catalogs():
        run = subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "x.mo"), str(po)],
                             check=False, capture_output=True, text=True)
        assert run.returncode == 0, f"{po}: {run.stderr}"


def test_shipped_catalogs_are_up_to_date(project, cli) -> None:
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
