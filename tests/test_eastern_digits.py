"""Phone numbers written with Persian (۰-۹) or Arabic-Indic (٠-٩) digits, or a mix with 0-9:
the same number as the source's, tappable with ASCII digits, left-to-right; a different
number is still refused. Built from real content and catalogs."""

from __future__ import annotations

import re
from pathlib import Path

SERVICE = "content/demoville/services/conseil-juridique.md"
PO = "locales/ar/LC_MESSAGES/demoville.po"
# source paragraph -> translation (Persian digits, Arabic-Indic digits, mixed, other separators)
SAME = {
    "Appelez le 01 99 00 00 02.": "اتصل على ۰۱ ۹۹ ۰۰ ۰۰ ۰۲.",
    "Ou le 01.99.00.00.03.": "أو ٠١٫٩٩٫٠٠٫٠٠٫٠٣.",  # ٫: a digit converter's "."
    "Ou le [01 99 00 00 04](tel:+33199000004).": "أو [۰۱ ۹۹ ۰۰ ۰۰ ۰۴](tel:+۳۳۱۹۹۰۰۰۰۰۴).",
    "Ou le 01 99 00 00 05.": "أو ۰1 ٩9 00 ۰٠ 0۵.",  # three scripts in one number
    "Ou le 01 99 00 00 08.": "أو ٠١−٩٩−٠٠−٠٠−٠٨.",  # minus signs between the groups
}
DIFFERENT = {
    "Ou le 01 99 00 00 06.": "أو ۰۱ ۹۹ ۰۰ ۰۰ ۰۷.",  # one digit changed
    "Ou le 01 99 00 00 09.": "أو ۰۱ ۹۹ ۰۰ ۰۰ ۰۹ ۰.",  # one digit added
}


def _translate(root: Path, cli) -> None:
    service = root / SERVICE
    service.write_text(service.read_text() + "".join(f"\n{source}\n" for source in [*SAME, *DIFFERENT]))
    assert cli(root, "update").code == 0
    po = root / PO
    text = po.read_text(encoding="utf-8")
    for source, translation in {**SAME, **DIFFERENT}.items():
        entry = f'msgid "{source}"\nmsgstr ""'
        assert entry in text
        text = text.replace(entry, f'msgid "{source}"\nmsgstr "{translation}"')
    po.write_text(text, encoding="utf-8")


def test_numbers_in_eastern_digits_are_the_same_numbers(project, cli) -> None:
    root = project("basic")
    _translate(root, cli)
    result = cli(root, "check")
    assert result.code == 1
    flagged = [line for line in result.err.splitlines() if line.startswith("error: ")]
    lines = (root / PO).read_text(encoding="utf-8").splitlines()
    for source in DIFFERENT:
        line = lines.index(f'msgid "{source}"') + 1
        assert any(f"{PO}:{line}: msgstr: " in e and "loses the phone number" in e for e in flagged), flagged
    assert len(flagged) == len(DIFFERENT), flagged  # the same numbers in other digits are not flagged

    assert cli(root, "build").code == 0
    html = (root / "_site/demoville/ar/services/conseil-juridique.html").read_text(encoding="utf-8")
    for tel, shown in [("+33199000002", "۰۱ ۹۹ ۰۰ ۰۰ ۰۲"), ("+33199000003", "٠١٫٩٩٫٠٠٫٠٠٫٠٣"),
                       ("+33199000005", "۰1 ٩9 00 ۰٠ 0۵"), ("+33199000008", "٠١−٩٩−٠٠−٠٠−٠٨")]:
        assert f'<a href="tel:{tel}" dir="ltr">{shown}</a>' in html, tel
    # a link the translator wrote: dialled with ASCII digits, read left to right
    link = re.search(r'<a href="tel:[^"]*"[^>]*>.{0,40}۰۱ ۹۹ ۰۰ ۰۰ ۰۴', html)
    assert link and link.group().startswith('<a href="tel:+33199000004"') and 'dir="ltr"' in link.group()
    assert "tel:+۳" not in html
    # the wrong numbers never reach the reader: the French source is shown instead
    assert "۰۱ ۹۹ ۰۰ ۰۰ ۰۷" not in html and '<p class="other-lang" dir="ltr" lang="fr">Ou le' in html
    assert '<a href="tel:+33199000006" dir="ltr">01 99 00 00 06</a>' in html
