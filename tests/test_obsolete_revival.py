"""`update` brings back an obsolete translation when its source text comes back (as msgmerge
does): a block that stops and starts again being a message keeps its translation, and the
catalog has no empty twin of it (which msgfmt refuses as a duplicate definition)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from conftest import require_tool


def test_a_returning_text_gets_its_obsolete_translation_back(project, cli, tmp_path: Path) -> None:
    root = project("basic")
    service = root / "content/demoville/services/conseil-juridique.md"
    service.write_text(service.read_text() + "\n| Jour | Heures |\n|---|---|\n| Mardi | 9 h – 11 h |\n")
    po = root / "locales/ar/LC_MESSAGES/demoville.po"
    po.write_text(po.read_text() + '\n#~ msgid "9 h – 11 h"\n#~ msgstr "من الساعة 9 إلى الساعة 11"\n')
    assert cli(root, "update").code == 0
    text = po.read_text()
    assert 'msgid "9 h – 11 h"\nmsgstr "من الساعة 9 إلى الساعة 11"' in text
    assert "#~ msgid \"9 h – 11 h\"" not in text
    require_tool(shutil.which("msgfmt") is not None, "msgfmt (Debian's gettext)")
    run = subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "x.mo"), str(po)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert cli(root, "build").code == 0
    page = (root / "_site/demoville/ar/services/conseil-juridique.html").read_text()
    assert "<td>من الساعة 9 إلى الساعة 11</td>" in page
