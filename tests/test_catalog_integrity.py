"""Nothing lost: a catalog read as msgfmt reads it, and interface strings checked like
``msgfmt -c``. Two entries for one msgid, a ``msgctxt`` entry, a plural entry in a city's
content catalog or an obsolete entry beside a live one is an error with its line
(never a silent choice, and ``update`` rewrites nothing); a broken placeholder or a
stray ``%`` in an interface translation falls back to English with a warning, never
a traceback."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from shutil import which as shutil_which

import pytest
from conftest import require_tool

from ici_site.errors import ContentError
from ici_site.i18n.catalogs import read_catalog

PO = "locales/en/LC_MESSAGES/demoville.po"
ENTRY = '#: content/demoville/services/cours-de-francais.md:2\nmsgid "Cours de français"\nmsgstr "French courses"\n'


def append(root: Path, text: str) -> int:
    """Add ``text`` at the end of the English catalog; return the line it starts on."""
    path = root / PO
    before = path.read_text(encoding="utf-8")
    path.write_text(before + "\n" + text, encoding="utf-8")
    return before.count("\n") + 2


@pytest.mark.parametrize(("added", "field", "message"), [
    ('msgid "Cours de français"\nmsgstr "Cours (evil)"\n', "msgid", "two entries have the msgid 'Cours de français'"),
    ('msgctxt "menu"\nmsgid "Cours de français"\nmsgstr "Evil courses"\n', "msgctxt", "has a msgctxt"),
    ('#~ msgid "Cours de français"\n#~ msgstr "Old courses"\n', "msgid", "an obsolete entry ('#~') and the entry"),
    ('#~ msgid "Vieux"\n#~ msgstr "Old"\n\n#~ msgid "Vieux"\n#~ msgstr "Older"\n', "msgid",
     "two obsolete entries have the msgid 'Vieux'"),
    ('msgid "un cours"\nmsgid_plural "%(num)d cours"\nmsgstr[0] "a course"\nmsgstr[1] "%(num)d courses"\n',
     "msgid_plural", "has plural forms"),
])
def test_an_ambiguous_catalog_is_an_error_and_update_keeps_it(project, cli, added: str, field: str,
                                                                 message: str) -> None:
    root = project("basic")
    line = append(root, added)
    if "two obsolete" in message:
        line += 3  # the second of the two
    saved = (root / PO).read_bytes()
    for command in ("check", "build", "update"):
        result = cli(root, command)
        assert result.code == 1, (command, result.err)
        assert f"{PO}:{line}: {field}: " in result.err and message in result.err, result.err
        assert "Traceback" not in result.err
    assert (root / PO).read_bytes() == saved  # nothing dropped, nothing rewritten


def test_msgfmt_agrees_that_a_duplicate_is_an_error(project) -> None:
    msgfmt = shutil_which("msgfmt")
    require_tool(msgfmt is not None, "msgfmt (gettext)")
    root = project("basic")
    append(root, 'msgid "Cours de français"\nmsgstr "Cours (evil)"\n')
    run = subprocess.run([str(msgfmt), "-c", "-o", "/dev/null", str(root / PO)], capture_output=True, text=True,
                         check=False)
    assert run.returncode != 0 and "duplicate message definition" in run.stderr
    with pytest.raises(ContentError):
        read_catalog(root / PO)


def test_a_sound_catalog_is_still_read(project) -> None:
    root = project("basic")
    catalog = read_catalog(root / PO)
    assert catalog.get("Cours de français").string == "French courses"


# -- interface strings: placeholders and '%' ----------------------------------------------

INTERFACE = "locales/fr/LC_MESSAGES/messages.po"


CHECKED = "Information checked on %(date)s."  # on every service page
CHECKED_FR = "Informations vérifiées le %(date)s."


@pytest.mark.parametrize(("broken", "problem"), [
    (lambda s: s.replace("%(", "%%(", 1).replace("%%(", "% (", 1), "has a '%' that is not a placeholder"),
    (lambda s: re.sub(r"%\((\w+)\)s", r"%(\1_x)s", s, count=1), "uses the placeholder"),
    (lambda s: s + " 100%", "has a '%' that is not a placeholder"),
])
def test_a_broken_placeholder_falls_back_to_english_with_a_warning(project, cli, broken, problem) -> None:
    root = project("basic")
    bad = broken(CHECKED_FR)
    path = root / INTERFACE
    text = path.read_text(encoding="utf-8")
    entry = f'msgid "{CHECKED}"\nmsgstr "{CHECKED_FR}"\n'
    assert entry in text, "the shipped French interface catalog translates the service pages' date line"
    path.write_text(text.replace(entry, f'msgid "{CHECKED}"\nmsgstr "{bad}"\n'), encoding="utf-8")
    line = text[: text.index(entry)].count("\n") + 1
    result = cli(root, "build")
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    assert f"warning: {INTERFACE}:{line}: msgstr: translation of" in result.err and problem in result.err
    html = (root / "_site/demoville/fr/services/cours-de-francais.html").read_text(encoding="utf-8")
    assert "Information checked on" in html and "Informations vérifiées" not in html  # English instead
    checked = cli(root, "check")
    assert checked.code == 1 and f"{INTERFACE}:{line}: msgstr:" in checked.err
    rows = {(r["city"], r["lang"]): r for r in json.loads(cli(root, "status", "--json").out)}
    assert rows["interface", "fr"]["unsafe"] == 1
