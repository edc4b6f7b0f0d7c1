"""The Atom feed of notices per language, read by an independent parser (feedparser)."""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
from lxml import etree
from test_sitemap import BASE, set_base_url

ATOM = "{http://www.w3.org/2005/Atom}"


def parse(path: Path) -> feedparser.FeedParserDict:
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")  # well-formed XML, understood as Atom
    assert feed.version == "atom10"
    return feed


def check_rfc4287(path: Path) -> None:
    """What RFC 4287 requires of a feed and its entries (4.1.1, 4.1.2), checked on the XML itself."""
    root = etree.parse(str(path)).getroot()
    assert root.tag == ATOM + "feed"
    for element in [root, *root.findall(ATOM + "entry")]:
        for name in ("id", "title", "updated"):
            assert len(element.findall(ATOM + name)) == 1, (element.tag, name)
        updated = element.findtext(ATOM + "updated")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", updated), updated
    assert root.find(ATOM + "author/" + ATOM + "name").text


def test_one_feed_per_language_with_current_notices(project, cli) -> None:
    root = project("basic")
    assert cli(root, "build").code == 0
    city = root / "_site" / "demoville"
    ids = set()
    for lang in ("fr", "en", "ar"):
        path = city / lang / "notices.atom"
        check_rfc4287(path)
        feed = parse(path)
        assert feed.feed.language == lang
        assert feed.feed.link == f"{BASE}{lang}/index.html"
        assert [e.title for e in feed.entries] == [{"fr": "Nouvelle session", "en": "New session",
                                                    "ar": "New session"}[lang]]
        entry = feed.entries[0]
        assert entry.link == f"{BASE}{lang}/index.html"
        assert "Inscriptions ouvertes" in entry.content[0].value
        assert entry.updated == "2026-11-20T00:00:00Z"  # no `published`: the build day
        ids.add(entry.id)
        page = (city / lang / "services" / "cours-de-francais.html").read_text()
        assert '<link rel="alternate" type="application/atom+xml" href="../notices.atom"' in page
    assert len(ids) == 3  # a notice in each language is its own entry
    chooser = (city / "index.html").read_text()
    assert chooser.count('type="application/atom+xml"') == 3


def test_feed_follows_notice_edits_and_expiry(project, cli) -> None:
    root = project("basic")
    assert cli(root, "build").code == 0
    notices = root / "content" / "demoville" / "notices"
    first_id = parse(root / "_site" / "demoville" / "fr" / "notices.atom").entries[0].id
    (notices / "nouvelle-session.md").write_text(
        "---\ntitle: Session de printemps\nexpires: 2030-01-01\npublished: 2026-11-02\n---\nInscriptions <b>demain</b> & après.\n")
    (notices / "ancienne.md").write_text("---\ntitle: Encore valable\nexpires: 2026-11-20\n---\nAujourd'hui.\n")
    assert cli(root, "build").code == 0
    feed = parse(root / "_site" / "demoville" / "fr" / "notices.atom")
    titles = [e.title for e in feed.entries]
    assert titles == ["Encore valable", "Session de printemps"]  # newest first; expiring today is current
    spring = feed.entries[1]
    assert spring.id == first_id  # the same notice keeps its id
    assert spring.updated == "2026-11-02T00:00:00Z"
    assert "demain &amp; après" in spring.content[0].value  # HTML, escaped once (not &amp;amp;)


def test_feed_without_base_url_has_relative_links(project, cli) -> None:
    root = project("basic")
    set_base_url(root, None)
    assert cli(root, "build").code == 0
    path = root / "_site" / "demoville" / "en" / "notices.atom"
    check_rfc4287(path)
    text = path.read_text()
    assert "https://ici.example.org" not in text and 'href="index.html"' in text
    assert parse(path).feed.id.startswith("urn:uuid:")
