"""Content is never %-formatted: a French "36 % de" is plain text in the catalogs, so a
translation that moves the sign ("36% of") passes msgfmt --check (Babel would flag such a
message python-format, and msgfmt then refuses every translation of it)."""

from __future__ import annotations

import shutil
import subprocess

from babel.messages.pofile import read_po
from conftest import require_tool


def test_a_percent_sign_in_content_is_plain_text(project, cli, tmp_path) -> None:
    root = project("basic")
    service = root / "content" / "demoville" / "services" / "cours-de-francais.md"
    service.write_text(service.read_text(encoding="utf-8") + "\nEnviron 36 % des élèves viennent de loin.\n",
                       encoding="utf-8")
    assert cli(root, "update").code == 0
    po = root / "locales" / "en" / "LC_MESSAGES" / "demoville.po"
    text = po.read_text(encoding="utf-8")
    text = text.replace('msgid "Environ 36 % des élèves viennent de loin."\nmsgstr ""',
                        'msgid "Environ 36 % des élèves viennent de loin."\nmsgstr "About 36% of the pupils come from far away."')
    po.write_text(text, encoding="utf-8")
    assert cli(root, "update").code == 0  # a second pass reads the .po back: the flag must not return
    for path in (po, root / "locales" / "demoville.pot"):
        with path.open("rb") as f:
            message = read_po(f).get("Environ 36 % des élèves viennent de loin.")
        assert message is not None and "python-format" not in path.read_text(encoding="utf-8").split(
            'msgid "Environ 36 %')[0].rsplit("\n\n", 1)[-1], path
    require_tool(shutil.which("msgfmt") is not None, "msgfmt (gettext)")
    checked = subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "x.mo"), str(po)],
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    assert cli(root, "build").code == 0
    html = (root / "_site" / "demoville" / "en" / "services" / "cours-de-francais.html").read_text(encoding="utf-8")
    assert "About 36% of the pupils" in html

