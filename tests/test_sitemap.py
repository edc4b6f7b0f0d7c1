"""sitemap.xml and robots.txt: absolute URLs of every reader page, hreflang alternates."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
BASE = "https://ici.example.org/demoville/"


def set_base_url(root: Path, value: str | None) -> None:
    """Rewrite the base_url line of the basic mini-site's city.yaml (None: remove it)."""
    path = root / "content" / "demoville" / "city.yaml"
    lines = [line for line in path.read_text().splitlines() if not line.startswith("base_url:")]
    if value:
        lines.append(f"base_url: {value}")
    path.write_text("\n".join(lines) + "\n")


def reader_pages(city: Path) -> set[str]:
    """Every HTML page a reader reaches in a language folder, except search, offline and posters."""
    return {p.relative_to(city).as_posix() for p in city.glob("*/**/*.html")
            if p.name not in ("search.html", "offline.html", "poster.html") and "posters" not in p.parts}


def test_sitemap_lists_every_reader_page_with_alternates(project, cli) -> None:
    root = project("basic")
    assert cli(root, "build").code == 0
    city = root / "_site" / "demoville"
    tree = etree.parse(str(city / "sitemap.xml"))
    assert tree.getroot().tag == f"{{{NS['s']}}}urlset"
    locs = [loc.text for loc in tree.findall("s:url/s:loc", NS)]
    assert len(locs) == len(set(locs))
    assert all(loc.startswith(BASE) for loc in locs)
    listed = {loc.removeprefix(BASE) for loc in locs}
    assert listed == reader_pages(city) | {"index.html"}
    assert "translation-status.html" not in listed
    for path in listed:  # every URL is a file of the site
        assert (city / path).is_file(), path
    url = next(u for u in tree.findall("s:url", NS) if u.findtext("s:loc", namespaces=NS).endswith(
        "ar/services/cours-de-francais.html"))
    alternates = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)}
    assert alternates == {"fr": BASE + "fr/services/cours-de-francais.html",
                          "en": BASE + "en/services/cours-de-francais.html",
                          "ar": BASE + "ar/services/cours-de-francais.html",
                          "x-default": BASE + "index.html"}
    assert not (city / "robots.txt").exists()  # under a sub-path: the host's robots.txt is elsewhere


def test_robots_txt_at_the_root_of_a_host(project, cli) -> None:
    root = project("basic")
    set_base_url(root, "https://demoville.example.org/")
    assert cli(root, "build").code == 0
    city = root / "_site" / "demoville"
    robots = (city / "robots.txt").read_text()
    assert "Sitemap: https://demoville.example.org/sitemap.xml\n" in robots
    assert robots.startswith("User-agent: *\nDisallow:\n")
    assert "https://demoville.example.org/fr/index.html" in (city / "sitemap.xml").read_text()


def test_no_sitemap_without_base_url(project, cli) -> None:
    root = project("basic")
    set_base_url(root, None)
    assert cli(root, "build").code == 0
    city = root / "_site" / "demoville"
    assert not (city / "sitemap.xml").exists() and not (city / "robots.txt").exists()
    assert (city / "fr" / "index.html").is_file()


def test_sitemap_follows_an_edit(project, cli) -> None:
    """A new service appears in the sitemap of the next (incremental) build."""
    root = project("basic")
    assert cli(root, "build").code == 0
    source = root / "content" / "demoville" / "services" / "cours-de-francais.md"
    (source.parent / "atelier-cv.md").write_text(source.read_text().replace("Cours de français", "Atelier CV"))
    assert cli(root, "build").code == 0
    assert BASE + "en/services/atelier-cv.html" in (root / "_site" / "demoville" / "sitemap.xml").read_text()
