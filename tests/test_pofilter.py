"""translate-toolkit's pofilter finds nothing in the shipped catalogs that is not explained."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from babel.messages.pofile import read_po
from conftest import REPO

EXPLAINED = Path(__file__).parent / "data" / "pofilter-explained.tsv"
TESTS = ("urls", "numbers", "emails", "xmltags")


def _same_place(explained: str, catalog: str) -> bool:
    """An explanation is about a source text in a language (``ru/LC_MESSAGES/…``): it holds
    for the same text in another city's catalog of that language (a city copied from
    another one), not only in the catalog it was written for."""
    return explained.split("/", 1)[0] == catalog.split("/", 1)[0]


def test_pofilter_reports_only_explained_entries(tmp_path: Path) -> None:
    pofilter = shutil.which("pofilter")
    assert pofilter, "pofilter comes with translate-toolkit, a test dependency"
    out = tmp_path / "out"
    args = [pofilter, "--progress=none", *(f"-t{name}" for name in TESTS), str(REPO / "locales"), str(out)]
    run = subprocess.run(args, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    explained = []
    for line in EXPLAINED.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            catalog, test, start, why = line.split("\t")
            assert why.strip(), f"{line!r} needs a reason"
            explained.append((catalog, test, start))
    unexplained = []
    for po in sorted(out.rglob("*.po")):
        with po.open("rb") as fileobj:
            catalog = read_po(fileobj)
        catalog = po.relative_to(out).as_posix()
        for message in catalog:
            if not message.id:
                continue
            for comment in message.user_comments:
                if comment.startswith("(pofilter) "):
                    test = comment.split()[1].rstrip(":")
                    if not any(_same_place(c, catalog) and t == test and str(message.id).startswith(s)
                               for c, t, s in explained):
                        unexplained.append(f"{catalog}: {test}: {message.id!r} -> {message.string!r}")
    assert not unexplained, "\n".join(unexplained)
