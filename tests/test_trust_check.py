"""The outside trust check (tools/trust_check.py) on real builds: clean on every example city,
and it does find a changed phone number, a dropped e-mail and a fallback that hides its language."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "trust_check.py"


def trust_check(site: Path, *cities: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(TOOL), str(site), *cities],
                          check=False, capture_output=True, text=True, timeout=600)


def test_every_example_city_is_clean(example_site: Path) -> None:
    cities = sorted(p.name for p in example_site.iterdir() if (p / "sw.js").is_file())
    assert cities, "no city built"
    run = trust_check(example_site, *cities)
    assert run.returncode == 0, run.stdout[-3000:]
    for city in cities:
        assert re.search(rf"^{re.escape(city)}: \d+ pages, 0 findings$", run.stdout, re.MULTILINE), run.stdout


def built(project, cli) -> Path:
    root = project("basic")
    assert cli(root, "build").code == 0
    return root / "_site"


def test_a_changed_or_dropped_fact_is_found(project, cli) -> None:
    site = built(project, cli)
    assert trust_check(site).returncode == 0
    page = site / "demoville" / "ar" / "services" / "cours-de-francais.html"
    text = page.read_text(encoding="utf-8")
    number = re.search(r'href="tel:(\+?\d+)"', text)
    assert number, "the service page has a phone link"
    forged = number.group(1)[:-2] + "99"
    text = text.replace(f'href="tel:{number.group(1)}"', f'href="tel:{forged}"')
    text = re.sub(r'<a href="mailto:[^"]+"[^>]*>[^<]*</a>', "", text)
    page.write_text(text, encoding="utf-8")
    run = trust_check(site)
    assert run.returncode == 1
    assert f"demoville/ar/services/cours-de-francais.html: tel:{number.group(1)} of the" in run.stdout
    assert f"tel:{forged} is not on the" in run.stdout
    assert re.search(r"cours-de-francais\.html: mailto:\S+ of the \w+ page is missing", run.stdout)


def test_a_fallback_that_hides_its_language_is_found(project, cli) -> None:
    site = built(project, cli)
    page = site / "demoville" / "ar" / "services" / "cours-de-francais.html"
    text = page.read_text(encoding="utf-8")
    marked = re.search(r'<(\w+) lang="(en|fr)" dir="ltr"( class="[^"]*")?>', text)
    assert marked, "the Arabic page shows a fallback segment marked with its language"
    page.write_text(text.replace(marked.group(0), f"<{marked.group(1)}{marked.group(3) or ''}>", 1),
                    encoding="utf-8")
    run = trust_check(site)
    assert run.returncode == 1
    assert "demoville/ar/services/cours-de-francais.html: the same text is marked" in run.stdout


def test_a_language_without_its_direction_is_found(project, cli) -> None:
    site = built(project, cli)
    page = site / "demoville" / "ar" / "services" / "cours-de-francais.html"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace('<span lang="en" dir="ltr" class="other-lang">', '<span lang="en" class="other-lang">', 1),
                    encoding="utf-8")
    run = trust_check(site)
    assert run.returncode == 1
    assert "lang=en> without dir" in run.stdout
