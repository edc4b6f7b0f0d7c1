"""One plural rule per language: every catalog of a language (the interface's and each
city's) has the Plural-Forms Babel derives from CLDR; `check` names a catalog with another
rule, `update` writes CLDR's and moves the translated forms with the counts."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

# gettext's classic rules, as hand-written headers had them
CLASSIC = {
    "lv": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);",  # "zero" last
    "fr": "nplurals=2; plural=(n > 1);",  # CLDR has a third form, for millions
    "ar": "nplurals=2; plural=(n != 1);",  # one form for 0, 2, 3 and 11 things
}
HEADER = re.compile(r'"Plural-Forms: (?:[^\n]*\n)*?(?="MIME)')  # its lines, up to the next field
FORMS = re.compile(r'(?:msgstr\[\d\] "[^"]*"\n)+')
# CLDR's forms (as the shipped catalogs have them) -> the classic rule's
CLASSIC_ORDER = {"lv": (1, 2, 0), "fr": (0, 2), "ar": ()}


def _write_classic(path: Path, lang: str) -> None:
    text = HEADER.sub(f'"Plural-Forms: {CLASSIC[lang]}\\\\n"\n', path.read_text(encoding="utf-8"), count=1)

    def classic(match: re.Match[str]) -> str:
        forms = re.findall(r'"([^"]*)"', match.group())
        return "".join(f'msgstr[{i}] "{forms[old]}"\n' for i, old in enumerate(CLASSIC_ORDER[lang]))

    path.write_text(FORMS.sub(classic, text), encoding="utf-8")


def _read(path: Path) -> Catalog:
    with open(path, "rb") as fileobj:
        return read_po(fileobj)


def test_check_names_a_catalog_whose_rule_is_not_cldrs_and_update_fixes_it(project, cli) -> None:
    root = project("basic")
    lv = root / "locales/lv/LC_MESSAGES/messages.po"
    fr = root / "locales/fr/LC_MESSAGES/messages.po"
    ar = root / "locales/ar/LC_MESSAGES/demoville.po"  # a city's catalog: no plural entries
    for path, lang in ((lv, "lv"), (fr, "fr"), (ar, "ar")):
        _write_classic(path, lang)
    assert '"Plural-Forms: nplurals=3; plural=(n%10==1' in lv.read_text(encoding="utf-8")
    assert 'msgstr[0] "%(num)d pakalpojums"\nmsgstr[1] "%(num)d pakalpojumi"\nmsgstr[2] "%(num)d pakalpojumu"' \
        in lv.read_text(encoding="utf-8")

    result = cli(root, "check")
    assert result.code == 1 and "Traceback" not in result.err
    for path, lang in ((lv, "lv"), (fr, "fr"), (ar, "ar")):
        rel = path.relative_to(root).as_posix()
        line = path.read_text(encoding="utf-8").splitlines().index(f'"Plural-Forms: {CLASSIC[lang]}\\n"') + 1
        expected = Catalog(locale=lang).plural_forms
        assert any(e.startswith(f"error: {rel}:{line}: Plural-Forms ") and "run 'python build.py update'" in e
                   and f"'Plural-Forms: {expected}'" in e for e in result.err.splitlines()), result.err

    assert cli(root, "update").code == 0
    assert cli(root, "check").code == 0
    for folder in (root / "locales").iterdir():  # every catalog of a language: CLDR's rule
        for path in folder.glob("LC_MESSAGES/*.po"):
            assert _read(path).plural_forms == Catalog(locale=folder.name).plural_forms, path
    # the forms moved with the counts: each count still reads what the translator wrote for it
    latvian = _read(lv)["%(num)d service"].string
    assert latvian == ("%(num)d pakalpojumu", "%(num)d pakalpojums", "%(num)d pakalpojumi")  # zero, one, other
    french = _read(fr)["%(num)d service"].string
    assert french == ("%(num)d service", "%(num)d services", "%(num)d services")  # one, many, other
    assert "msgstr[2]" not in ar.read_text(encoding="utf-8")  # no plural entries in a city's catalog
    assert cli(root, "update").out.strip() == "nothing updated: everything was up to date"
    assert cli(root, "build").code == 0


def test_init_writes_the_rule_of_the_other_catalogs_of_the_language(project, cli) -> None:
    root = project("basic")
    assert cli(root, "init", "demoville", "ti").code == 0
    for name in ("messages.po", "demoville.po"):
        assert _read(root / "locales/ti/LC_MESSAGES" / name).plural_forms == "nplurals=2; plural=(n > 1);"


def test_the_head_start_reads_the_plural_forms_so_no_renderer_reads_a_catalog(project, monkeypatch) -> None:
    """The steps a build takes before it forks its renderers read the plural forms of every
    interface catalog a city's languages use: a forked renderer then reads none of them again
    (each one did). A broken catalog is left to the catalogs' stage, which reports it."""
    from ici_site.content.loaders import load_site
    from ici_site.i18n import plurals
    from ici_site.i18n.translations import Catalogs
    from ici_site.site.shared import Shared

    root = project("basic")
    (root / "locales/ar/LC_MESSAGES/messages.po").write_text('msgid "x"\nmsgstr "broken', encoding="utf-8")
    site = load_site(root)
    plurals._plural_forms.cache_clear()
    for step in Shared().steps(site.cities, root=root):
        step()  # the broken Arabic catalog is not this step's to report

    def read_again(path: Path) -> Catalog:
        raise AssertionError(f"{path} read again")

    monkeypatch.setattr(plurals, "read_catalog", read_again)
    catalogs = Catalogs(root, skipped={("messages", "ar")})  # as build --keep-going leaves it out
    (city,) = site.cities
    assert plurals.template_ngettext(city, "fr", catalogs)("%(num)d service", "%(num)d services", 2) \
        == "%(num)d services"
    assert plurals.template_ngettext(city, "fr", catalogs)("%(num)d service", "%(num)d services", 1) \
        == "%(num)d service"
    plurals.template_ngettext(city, "ar", catalogs)
    plurals._plural_forms.cache_clear()
