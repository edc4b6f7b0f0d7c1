"""What the front end is built from: extra pages, search index, offline files, contacts, budgets."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import sys
from pathlib import Path

from conftest import REPO

from ici_site.site import terms
from ici_site.site.hours import Place, open_data
from ici_site.site.search import SOURCE_WEIGHT

sys.path.insert(0, str(REPO / "tools"))
import check_budgets

SJ = "saint-jean-de-la-ruelle"


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_every_page_has_hreflang_alternates_with_x_default_and_a_manifest(example_site: Path) -> None:
    page = read(example_site, f"{SJ}/uk/services/creche.html")
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', page))
    assert set(alternates) == {"fr", "en", "ar", "uk", "x-default"}
    assert alternates["x-default"] == "https://ici.example.org/saint-jean-de-la-ruelle/index.html"
    assert '<link rel="manifest" href="../manifest.webmanifest">' in page
    manifest = json.loads(read(example_site, f"{SJ}/ar/manifest.webmanifest"))
    assert manifest["lang"] == "ar" and manifest["dir"] == "rtl" and manifest["start_url"] == "index.html"
    assert manifest["name"] == "سان جان دو لا رويل"


def test_root_names_languages_in_their_own_script_and_asks_in_each(example_site: Path) -> None:
    root = read(example_site, f"{SJ}/index.html")
    assert '<a href="ar/index.html" hreflang="ar" lang="ar" dir="rtl">العربية</a>' in root
    assert "اختر لغتك" in root and "Оберіть мову" in root and "Choisissez votre langue" in root


def test_page_list_for_offline_saving_covers_the_whole_language(example_site: Path) -> None:
    city = example_site / SJ
    listed = json.loads(read(city, "ar/pages.json"))
    own = {p.relative_to(city).as_posix() for p in (city / "ar").rglob("*") if p.is_file()
           and "posters" not in p.parts and p.name not in ("poster.html", "notices.atom")}  # for print and feeds
    assert own - {"ar/pages.json"} <= set(listed)
    assert {"assets/app.js", "assets/style.css", "index.html", "uk/offline.html"} <= set(listed)
    assert not any(p.startswith("uk/services") for p in listed)
    for path in listed:
        assert (city / path).is_file(), path
    home = read(city, "ar/index.html")
    count = sum(1 for p in own if p.endswith(".html"))
    assert f"{count} صفحة" in home or f"{count} صفحات" in home  # Arabic plural form for the number


def test_service_worker_version_changes_with_the_content(project, cli) -> None:
    root = project("basic")
    assert cli(root, "build").code == 0
    first = read(root, "_site/demoville/sw.js")
    assert cli(root, "build").code == 0
    assert read(root, "_site/demoville/sw.js") == first  # same input: same worker
    service = next((root / "content/demoville/services").glob("*.md"))
    service.write_text(service.read_text(encoding="utf-8") + "\nUne phrase de plus.\n", encoding="utf-8")
    assert cli(root, "build").code == 0  # an incremental build: only what depends on the change is made
    second = read(root, "_site/demoville/sw.js")
    assert "Une phrase de plus." in read(root, "_site/demoville/fr/guide.html")
    assert terms.analyser("fr").term("phrase") in _index_terms(root / "_site/demoville/fr")
    version = re.compile(r'const VERSION = "([0-9a-f]{12})"')
    assert version.search(first) and version.search(second)
    assert version.search(first)[1] != version.search(second)[1]


def test_a_translation_s_search_reads_the_source_language_index(example_site: Path) -> None:
    head = json.loads(_index_payload(read(example_site, f"{SJ}/ar/search/docs.js")))
    _url, title, _summary = next(d for d in head["docs"] if d[0] == "services/aide-aux-demarches.html")
    assert title == "المساعدة في الإجراءات الإدارية"
    assert [a["lang"] for a in head["analysers"]] == ["ar", "fr"]  # a query is analysed for both indexes
    assert head["source"] == {"lang": "fr", "weight": SOURCE_WEIGHT, "folder": "../fr/search/"}
    source = json.loads(_index_payload(read(example_site, f"{SJ}/fr/search/docs.js")))
    assert "source" not in source and [a["lang"] for a in source["analysers"]] == ["fr"]
    assert [d[0] for d in source["docs"]] == [d[0] for d in head["docs"]]  # one document, one number
    assert source["shards"] == head["shards"]
    french = terms.analyser("fr")
    assert all(french.term(w) in _index_terms(example_site / SJ / "fr") for w in terms.words("titre de séjour domiciliation"))
    arabic = _index_terms(example_site / SJ / "ar")
    assert terms.analyser("ar").term("محامي") in arabic  # a translated keyword
    assert french.term("domiciliation") not in arabic  # the source language's words: once, in its own index
    assert terms.analyser("ar").term("محامي") not in _index_terms(example_site / SJ / "fr")


def _index_payload(script: str) -> str:
    return script[script.index("(") + 1:script.rindex(")")].split(",", 2)[-1] if script.startswith(
        "ICI_SEARCH.shard(") else script[script.index("(") + 1:script.rindex(")")]


def _index_terms(folder: Path) -> set[str]:
    """Every term of a language's search index."""
    return {term for shard in (folder / "search").glob("[0-9]*.js")
            for term in json.loads(_index_payload(shard.read_text(encoding="utf-8")))}


def test_open_data_is_the_usual_week_in_minutes_of_the_city_s_day() -> None:
    friday = dt.date(2026, 11, 20)  # the browser reads its clock in the city's zone (body data-tz)
    assert open_data("Mo-Fr 09:00-12:00", Place("FR"), friday).week == "540-720/540-720/540-720/540-720/540-720//"
    overnight = open_data("Fr 22:00-02:00", Place("LV"), friday).week.split("/")
    assert overnight[4:6] == ["1320-1440", "0-120"]  # cut at midnight; the script joins them again


def test_service_page_has_open_now_data_vcard_and_json_ld(example_site: Path) -> None:
    page = read(example_site, f"{SJ}/uk/services/aide-aux-demarches.html")
    assert re.search(r'class="now" hidden data-from="2026-11-20" data-days="396" data-week="[\d,/-]+"', page)
    assert "Зараз відчинено. Зачиняється о {time}." in page
    assert '<a href="aide-aux-demarches.vcf" download="aide-aux-demarches.vcf">' in page
    vcard = (example_site / SJ / "uk/services/aide-aux-demarches.vcf").read_bytes().decode()
    assert vcard.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n") and "TEL;TYPE=WORK,VOICE:+33199001670\r\n" in vcard
    assert "ADR;TYPE=WORK:;;1 place de l'Exemple\\, 45140 Saint-Jean-de-la-Ruelle;;;;" in vcard
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page)[1])
    assert data["@type"] == "GovernmentService" and data["inLanguage"] == "uk"
    place = data["availableChannel"]["serviceLocation"]
    assert place["telephone"] == "+33199001670"
    assert {"@type": "OpeningHoursSpecification", "dayOfWeek": "https://schema.org/Saturday",
            "opens": "09:00", "closes": "12:00"} in place["openingHoursSpecification"]


def test_whole_guide_has_every_service_and_page_with_headings_in_order(example_site: Path) -> None:
    guide = read(example_site, f"{SJ}/fr/guide.html")
    for slug in [p.stem for p in (REPO / "content" / SJ / "services").glob("*.md")]:
        assert f'id="service-{slug}"' in guide
    assert 'id="page-premiers-pas"' in guide
    # a service's own h2 sits under its h3 title, its id kept apart from the other services'
    assert re.search(r'<h4 id="service-[a-z0-9-]+--ce-que-nous-faisons">Ce que nous faisons</h4>', guide)
    assert re.search(r"\(\d+ services?\)", guide)
    uk = read(example_site, f"{SJ}/uk/guide.html")
    assert re.search(r"\((1 послуга|[2-4] послуги|\d+ послуг)\)", uk)


def test_example_sites_keep_the_budgets(example_site: Path, capsys) -> None:
    assert check_budgets.main([str(example_site)]) == 0
    out = capsys.readouterr().out
    for kind in ("root", "home", "category", "service", "page", "guide", "search", "offline"):
        assert re.search(rf"^{kind} +\d+ +\d+ +\d+", out, re.MULTILINE), kind


def test_budget_check_fails_on_heavy_pages_other_hosts_and_cookies(example_site: Path, tmp_path: Path,
                                                                   capsys) -> None:
    site = tmp_path / "site"
    shutil.copytree(example_site / "jelgava", site / "jelgava")
    service = site / "jelgava/lv/services/bernudarzs.html"
    html = service.read_text(encoding="utf-8")
    heavy = "".join(f"<p>{i:x}{i * 7919 % 104729:x}</p>" for i in range(4000))
    service.write_text(html.replace("</main>", heavy + "</main>"), encoding="utf-8")
    page = site / "jelgava/lv/pages/par-mums.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "</head>", '<link rel="stylesheet" href="https://fonts.example.com/a.css"></head>'), encoding="utf-8")
    (site / "jelgava/assets/app.js").write_text("document.cookie = 'id=1';", encoding="utf-8")
    category = site / "jelgava/lv/categories/housing.html"
    text = category.read_text(encoding="utf-8")
    main = re.search(r"<main id=\"main\">.*</main>", text, re.DOTALL)[0]
    category.write_text(text.replace(main, '<main id="main"><div hidden><h1>x y z</h1></div></main>'),
                        encoding="utf-8")
    assert check_budgets.main([str(site)]) == 1
    err = capsys.readouterr().err
    assert "bernudarzs.html: " in err and "over the 14336 budget" in err
    assert "par-mums.html: loads from another host: <link href='https://fonts.example.com/a.css'>" in err
    assert "app.js: uses document.cookie" in err
    assert "housing.html: not readable without JavaScript" in err


def test_vendored_stemmers_are_the_build_s_snowball() -> None:
    from importlib.metadata import version

    folder = REPO / "templates" / "assets" / "stem"
    for name in {*terms.SNOWBALL.values(), "base"}:
        header = (folder / f"{name}.js").read_text(encoding="utf-8").split("\n", 1)[0]
        assert f"Snowball {version('snowballstemmer')} " in header, name  # made by tools/vendor_snowball.py
    assert "Redistribution and use in source and binary forms" in (folder / "COPYING").read_text()
