"""Broken catalogs: every one reported at once; `build --keep-going` publishes the rest
with fallbacks and lists what it left out; `update` rewrites nothing while one is broken."""

from __future__ import annotations

from pathlib import Path

AR = "locales/ar/LC_MESSAGES/demoville.po"
FR_TEMPLATES = "locales/fr/LC_MESSAGES/messages.po"


def break_catalogs(root: Path) -> dict[str, bytes]:
    ar = root / AR
    ar.write_text(ar.read_text().replace('msgid "Démoville"', '<<<<<<< HEAD\nmsgid "Démoville"', 1))
    fr = root / FR_TEMPLATES
    fr.write_text(fr.read_text().replace("charset=utf-8", "charset=ISO-8859-1").replace(
        "charset=UTF-8", "charset=ISO-8859-1"))
    return {rel: (root / rel).read_bytes() for rel in (AR, FR_TEMPLATES)}


def test_every_broken_catalog_is_reported_and_nothing_is_written(project, cli) -> None:
    root = project("basic")
    break_catalogs(root)
    result = cli(root, "build")
    assert result.code == 1
    errors = [line for line in result.err.splitlines() if line.startswith("error: ")]
    assert [e.split(":")[1].strip() for e in errors] == [AR, FR_TEMPLATES]
    assert "merge-conflict marker" in errors[0] and "charset is 'ISO-8859-1'" in errors[1]
    assert not (root / "_site").exists()


def test_keep_going_publishes_the_rest_with_fallbacks(project, cli) -> None:
    root = project("basic")
    before = break_catalogs(root)
    result = cli(root, "build", "--keep-going")
    assert result.code == 0, result.err
    skipped = [line for line in result.err.splitlines() if line.startswith("skipped: ")]
    assert [line.split(":")[1].strip() for line in skipped] == [AR, FR_TEMPLATES]
    assert "2 problem(s) in catalogs left out" in result.err
    site = root / "_site/demoville"
    assert "Skip to content" in (site / "fr/index.html").read_text()  # template strings fell back to English
    assert (site / "en/index.html").is_file() and (site / "fr/services/cours-de-francais.html").is_file()
    assert not (site / "ar").exists()  # its content catalog left out, Arabic falls below min_translated
    assert "'ar' is not published" in result.err
    assert {rel: (root / rel).read_bytes() for rel in before} == before  # never rewritten
    assert cli(root, "build", "--keep-going", "--strict").code == 1


def test_update_rewrites_no_catalog_while_one_is_broken(project, cli) -> None:
    root = project("basic")
    page = root / "content/demoville/pages/premiers-pas.md"
    page.write_text(page.read_text() + "\nUne nouvelle phrase.\n")  # every catalog would change
    before = {p: p.read_bytes() for p in (root / "locales").rglob("*.po")}
    broken = break_catalogs(root)
    before.update({root / rel: data for rel, data in broken.items()})
    result = cli(root, "update")
    assert result.code == 1
    assert {p: p.read_bytes() for p in (root / "locales").rglob("*.po")} == before


def test_a_header_babel_cannot_read_is_reported_with_its_line(project, cli) -> None:
    """A Language value broken over two lines, with the first entry right after the header
    (Babel raises a ValueError there, not its own error): file and line, exit 1."""
    import re
    root = project("basic")
    ar = root / AR
    text = ar.read_text().replace('"Language: ar\\n"\n', '"Language: ar\\n"\n"\\tsuite"\n', 1)
    ar.write_text(re.sub(r'(Generated-By: Babel [\d.]+\\n"\n)\n(?:#[^\n]*\n)+', r"\1", text, count=1))
    result = cli(root, "build")
    assert result.code == 1 and "Traceback" not in result.err
    assert f"error: {AR}:6: the catalog's header cannot be read" in result.err
    assert not (root / "_site").exists()
