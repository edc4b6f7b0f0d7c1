"""A template translation whose %-placeholders a page cannot fill falls back to English
with a warning naming file and line; `check` refuses it (it used to stop the build with a
KeyError traceback)."""

from __future__ import annotations

import re

import pytest

PO = "locales/ar/LC_MESSAGES/messages.po"


@pytest.mark.parametrize(("old", "new"), [
    ('في %(date)s."', 'في %(dat)s."'),  # a name the page does not give
    ('في %(date)s."', 'في %(date)."'),  # the letter after the name is missing
    ('msgstr "دروس اللغة"', 'msgstr "دروس اللغة 100%"'),  # a lone percent sign
    ('msgstr[0] "%(num)d خدمة"', 'msgstr[0] "%(number)d خدمة"'),  # a plural form
], ids=["unknown-name", "broken", "lone-percent", "plural"])
def test_a_placeholder_the_page_cannot_fill_falls_back_with_file_and_line(project, cli, old, new):
    root = project("basic")
    path = root / PO
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = cli(root, "build")
    assert result.code == 0 and "Traceback" not in result.err, result.err
    found = re.search(rf"{re.escape(PO)}:(\d+): ", result.err)
    assert found, result.err
    line = int(found[1])
    assert new in "\n".join(path.read_text(encoding="utf-8").splitlines()[line - 1:line + 8])
    page = (root / "_site" / "demoville" / "ar" / "index.html").read_text(encoding="utf-8")
    assert "%(dat" not in page and "%(number" not in page and "100%" not in page
    checked = cli(root, "check")
    assert checked.code == 1 and f"{PO}:{line}" in checked.err, checked.err


def test_a_fuzzy_entry_is_not_checked_because_it_is_never_shown(project, cli):
    root = project("basic")
    path = root / PO
    text = path.read_text(encoding="utf-8")
    entry = '#, python-format\nmsgid "Information checked on %(date)s."\nmsgstr "تم التحقق من المعلومات في %(date)s."'
    fuzzy = entry.replace("#, python-format", "#, fuzzy, python-format").replace("في %(date)s", "في %(dat)s")
    assert entry in text and "%(dat)s" in fuzzy and "on %(date)s" in fuzzy
    path.write_text(text.replace(entry, fuzzy, 1), encoding="utf-8")
    assert cli(root, "build").code == 0
