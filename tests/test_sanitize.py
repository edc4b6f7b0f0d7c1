"""Hostile content: OWASP XSS vectors in Markdown, in translations and in template
strings never reach a page as code; every page carries one Content-Security-Policy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from harmless import harmful, read_vectors

from ici_site.i18n.segments import Shown, render_markdown
from ici_site.site import csp
from ici_site.site.sanitize import clean_html, template_text

VECTORS = read_vectors(Path(__file__).parent / "data" / "xss-vectors.txt")
LOCAL_URL = re.compile(r'(?:href|src)="(?!https?:|mailto:|tel:|geo:|#)')


def as_source(text: str) -> Shown:
    return Shown(text, "fr")


def test_the_vector_list_is_substantial() -> None:
    assert len(VECTORS) >= 90


@pytest.mark.parametrize("vector", VECTORS)
def test_vector_in_markdown_is_harmless(vector: str) -> None:
    html = clean_html(render_markdown(f"Texte avant.\n\n{vector}\n\nTexte après.", as_source))
    assert harmful(html) == [], html
    assert "Texte avant." in html  # the page around it survives (an unclosed <script> eats what follows)


@pytest.mark.parametrize("vector", VECTORS)
def test_vector_as_raw_html_is_harmless(vector: str) -> None:
    """The same payloads handed to the sanitiser as they are (as a translation could)."""
    html = clean_html(vector)
    assert harmful(html) == [], html


def test_harmless_checker_sees_the_raw_vectors() -> None:
    """The checker itself is not blind: unsanitised, most vectors are caught."""
    caught = [v for v in VECTORS if harmful(render_markdown(v, as_source))]
    assert len(caught) >= 0.8 * len(VECTORS)


@pytest.mark.parametrize(("markdown", "kept"), [
    ("[site](https://example.org/a?b=1)", '<a href="https://example.org/a?b=1" rel="noopener noreferrer">'),
    ("[mail](mailto:info@example.org)", 'href="mailto:info@example.org"'),
    ("[call](tel:+33199000001)", 'href="tel:+33199000001"'),
    ("[map](geo:47.9,1.9)", 'href="geo:47.9,1.9"'),
    ("![plan](plan.png)", '<img alt="plan" src="plan.png">'),
    ("| A | B |\n|---|---|\n| 1 | 2 |", "<td>1</td>"),
    ("**gras** et *italique*", "<strong>gras</strong> et <em>italique</em>"),
])
def test_ordinary_markdown_survives(markdown: str, kept: str) -> None:
    assert kept in clean_html(render_markdown(markdown, as_source))


def test_images_from_other_hosts_are_dropped() -> None:
    html = clean_html(render_markdown("![x](https://tracker.example/p.png) ![y](//cdn.example/y.png)", as_source))
    assert "tracker.example" not in html and "cdn.example" not in html


def test_template_translation_is_text_not_markup() -> None:
    assert template_text("Languages", '" onmouseover="alert(1)') == "&#34; onmouseover=&#34;alert(1)"
    assert template_text("Skip", "<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert template_text("Read <em>this</em>", "Lisez <em>ceci</em><script>x</script>") == "Lisez <em>ceci</em>"


def test_inline_scripts_run_only_by_hash() -> None:
    page = f'<meta http-equiv="Content-Security-Policy" content="{csp.POLICY}"><script>go()</script>'
    hashed = csp.with_script_hashes(page)
    assert f"script-src 'self' {csp.script_hash('go()')};" in hashed
    assert csp.script_hash("go()") == "'sha256-" + __import__("base64").b64encode(
        __import__("hashlib").sha256(b"go()").digest()).decode() + "'"
    assert csp.with_script_hashes(page.replace("<script>go()</script>", "")) == page.replace(
        "<script>go()</script>", "")


def _set_translations(po: Path, table: dict[str, str]) -> None:
    with po.open("rb") as f:
        catalog = read_po(f)
    for message in catalog:
        if message.id in table:
            message.string = table[message.id]
            message.flags.discard("fuzzy")
    with po.open("wb") as f:
        write_po(f, catalog, width=76)


def test_hostile_content_and_translations_never_reach_a_page_as_code(project, cli) -> None:
    root = project("basic")
    page = root / "content/demoville/pages/premiers-pas.md"
    # Vectors whose remains are a relative link to nowhere would (rightly) fail the link check.
    vectors = [v for v in VECTORS if not LOCAL_URL.search(clean_html(render_markdown(v, as_source)))]
    assert len(vectors) >= 80
    page.write_text("---\ntitle: Premiers pas <script>alert(1)</script>\n---\nBienvenue à Démoville.\n\n"
                    + "\n\n".join(v.replace("\0", "") for v in vectors) + "\n")
    assert cli(root, "update").code == 0
    _set_translations(root / "locales/en/LC_MESSAGES/demoville.po", {
        "Bienvenue à Démoville.": 'Welcome <img src=https://t.example/x onerror="alert(1)"> <a href="javascript:alert(1)">go</a>',
        "Démoville": "Demoville<script>alert(document.cookie)</script>",
        "Premiers pas <script>alert(1)</script>": 'First steps"><svg onload=alert(1)>',
    })
    _set_translations(root / "locales/fr/LC_MESSAGES/messages.po", {
        "Skip to content": "<script>alert('skip')</script>Aller au contenu",
        "Languages": '" onmouseover="alert(1)',
    })
    result = cli(root, "build")
    assert result.code == 0, result.err
    pages = sorted((root / "_site").rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert harmful(html, whole_page=True) == [], path
        assert not csp.INLINE_SCRIPT.search(html)  # only the site's own script files and JSON-LD data
        assert re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html).group(1) \
            == csp.POLICY.replace("'", "&#39;")
    fr_home = (root / "_site/demoville/fr/index.html").read_text()
    assert "&lt;script&gt;alert(&#39;skip&#39;)&lt;/script&gt;Aller au contenu" in fr_home
    assert 'aria-label="&#34; onmouseover=&#34;alert(1)"' in fr_home


def test_no_template_needs_unsafe_inline(project, cli) -> None:
    """The built example site has no inline style, no style element and no event attribute."""
    root = project(None)
    assert cli(root, "build").code == 0
    for path in (root / "_site").rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=", html, re.IGNORECASE), path
        for script in csp.INLINE_SCRIPT.findall(html):  # JSON-LD data blocks never run: no hash needed
            assert csp.script_hash(script).replace("'", "&#39;") in html, path
