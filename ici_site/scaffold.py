"""`ici-site new CITY`: a starter city folder that builds at once."""

from __future__ import annotations

from pathlib import Path

from babel.core import get_global

from .errors import UsageError
from .fields import SLUG

CITY_YAML = """\
# {name}: settings of the city's digital counter. See docs/content-format.md.
name: {name}
tagline: {tagline}
country: {country}
source_language: {lang}
languages: [{lang}]
timezone: {timezone}
demo: true
emergency:
  - label: {emergency}
    phone: "112"
"""

SERVICE = """\
---
title: {title}
summary: {summary}
category: registration
hours: Mo-Fr 09:00-12:00
reviewed: 2026-01-01
---
{body}
"""


def new_city(root: Path, slug: str, country: str = "FR", lang: str = "fr") -> Path:
    """Create ``content/<slug>/`` with a city.yaml and one service; never overwrite."""
    if not SLUG.match(slug):
        raise UsageError([f"CITY '{slug}': use lowercase letters, digits and '-', e.g. 'saint-denis'"])
    folder = root / "content" / slug
    if folder.exists():
        raise UsageError([f"{folder.relative_to(root)} already exists; nothing was changed"])
    zones = get_global("territory_zones").get(country, ["Europe/Brussels"])
    name = slug.replace("-", " ").title()
    (folder / "services").mkdir(parents=True)
    (folder / "city.yaml").write_text(CITY_YAML.format(
        name=name, tagline="Welcome desk for newcomers", country=country, lang=lang,
        timezone=zones[0], emergency="European emergency number"), encoding="utf-8")
    (folder / "services" / "welcome-desk.md").write_text(SERVICE.format(
        title="Welcome desk", summary="Help with your first steps in the city.",
        body="Replace this text with what the service does, in your own language."), encoding="utf-8")
    return folder
