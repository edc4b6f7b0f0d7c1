"""A seeded generator of synthetic cities in the SPEC format, for the benchmark.

    python bench/generate.py --size large DIR

Writes a complete project into DIR: the repository's templates and babel.cfg,
``content/<city>/`` (city.yaml, services of about 400 words with headings, a
list, links and a table, one page, one notice) and ``locales/`` with every
catalog complete: each city's domain in each of its languages, and the
template domain (the repository's translations where they exist, a
pseudo-translation otherwise). Catalogs are written with Babel.

Translations are pseudo-translations: every word is replaced, deterministically,
by a made-up word in the target language's script, while URLs, e-mail addresses,
numbers and Markdown syntax are kept, as a translator would keep them. The same
seed gives byte-identical files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import random
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ici_site.content.loaders import load_site
from ici_site.i18n.catalogs import TEMPLATE_DOMAIN, po_path, pot_path
from ici_site.i18n.segments import city_messages


@dataclass(frozen=True)
class Size:
    """How big a synthetic project is."""

    cities: int
    services: int  # per city
    languages: int  # per city, the source language included


SIZES = {
    "small": Size(1, 20, 3),
    "medium": Size(4, 40, 8),
    "large": Size(8, 60, 12),
}
SEED = 20261120
EPOCH = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
# Languages a city publishes after its source language, in this order (RTL and
# non-Latin scripts early, so even the small size has one of each).
OTHERS = ["ar", "uk", "en", "fa", "ru", "ps", "tr", "ti", "es", "de", "ro"]
CATEGORIES = ["language-courses", "legal-advice", "housing", "daycare", "health", "registration"]
COUNTRIES = [  # (country, source language, timezone, phone of service n)
    ("FR", "fr", "Europe/Paris", lambda n: f"01 99 00 {10 + n // 100 % 90:02d} {n % 100:02d}"),
    ("LV", "lv", "Europe/Riga", lambda n: f"+371 6000 00{n % 100:02d}"),
]
HOURS = [
    "Mo-Fr 09:00-12:30,14:00-17:00; Sa 10:00-12:00",
    "Tu 14:00-18:00; Th 09:00-13:00",
    "Mo-Th 09:00-12:00,14:00-17:00; Fr 09:00-12:00",
    "Mo,We,Fr 08:30-16:30; PH off",
]
SCRIPTS = {  # syllables of made-up words, per script
    "latin": ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "de", "ba", "ze", "pa", "go", "li", "an", "er"],
    "cyrillic": ["ка", "ло", "ми", "не", "ру", "са", "ти", "во", "де", "ба", "зе", "па", "го", "ли", "ан", "ер"],
    "arabic": ["كا", "لو", "مي", "نا", "رو", "سا", "تي", "و", "دا", "با", "زي", "فا", "غو", "لي", "ان", "ير"],
    "ethiopic": ["ካ", "ሎ", "ሚ", "ነ", "ሩ", "ሳ", "ቲ", "ቮ", "ደ", "ባ", "ዜ", "ፓ", "ጎ", "ሊ", "አን", "ኤር"],
}
SCRIPT_OF = {"ar": "arabic", "fa": "arabic", "ps": "arabic", "uk": "cyrillic", "ru": "cyrillic",
             "ti": "ethiopic"}
# Kept as they are in a translation: links' targets, URLs, e-mails, words with digits.
KEEP = re.compile(r"\]\([^)]*\)|https?://\S+|[\w.+-]+@[\w.-]+|\w*\d\w*")
WORD = re.compile(r"[^\W\d_]+")


class Words:
    """Seeded made-up words and sentences in the source language."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.vocabulary = [self._word() for _ in range(3000)]

    def _word(self) -> str:
        return "".join(self.rng.choice(SCRIPTS["latin"]) for _ in range(self.rng.randint(1, 4)))

    def sentence(self, words: int) -> str:
        """A sentence of about ``words`` words, capitalised, ending with a full stop."""
        text = " ".join(self.rng.choice(self.vocabulary) for _ in range(words))
        return text[0].upper() + text[1:] + "."

    def paragraph(self, words: int) -> str:
        """Sentences adding up to about ``words`` words."""
        parts, left = [], words
        while left > 0:
            n = min(left, self.rng.randint(6, 14))
            parts.append(self.sentence(n))
            left -= n
        return " ".join(parts)

    def title(self) -> str:
        """Two to four words, capitalised."""
        return self.sentence(self.rng.randint(2, 4)).rstrip(".")


def pseudo_translate(text: str, lang: str) -> str:
    """Replace every word of ``text`` by a made-up ``lang`` word; keep URLs, numbers, markup."""
    syllables = SCRIPTS[SCRIPT_OF.get(lang, "latin")]

    def word(match: re.Match[str]) -> str:
        digest = hashlib.blake2b(f"{lang}:{match.group().lower()}".encode(), digest_size=8).digest()
        made = "".join(syllables[b % len(syllables)] for b in digest[: 1 + digest[0] % 4])
        return made.capitalize() if match.group()[0].isupper() else made

    out, pos = [], 0
    for kept in KEEP.finditer(text):
        out.append(WORD.sub(word, text[pos:kept.start()]))
        out.append(kept.group())
        pos = kept.end()
    out.append(WORD.sub(word, text[pos:]))
    return "".join(out)


def service_markdown(words: Words, rng: random.Random, city: str, slug: str) -> str:
    """A service body of about 400 words: paragraphs, headings, a list, links, a table."""
    w = words
    return "\n".join([
        w.paragraph(60), "",
        w.paragraph(45), "",
        f"## {w.title()}", "",
        *[f"- {w.sentence(rng.randint(6, 10))}" for _ in range(5)], "",
        f"## {w.title()}", "",
        f"{w.paragraph(50)} [{w.title()}](https://{city}.example.org/{slug}) {w.sentence(8)}", "",
        f"| {w.title()} | {w.title()} |", "|---|---|",
        *[f"| {w.sentence(3).rstrip('.')} | {w.sentence(4).rstrip('.')} |" for _ in range(3)], "",
        f"### {w.title()}", "",
        w.paragraph(55), "",
        f"> {w.paragraph(35)}", "",
        f"{w.paragraph(40)} [{city}.example.org/{slug}](https://{city}.example.org/{slug}).", "",
    ])


def write_city(root: Path, index: int, size: Size, rng: random.Random) -> None:
    """content/<city>/: city.yaml, services, one page, one notice."""
    country, source, timezone, phone = COUNTRIES[index % len(COUNTRIES)]
    words = Words(rng)
    slug = f"bench-city-{index + 1}"
    folder = root / "content" / slug
    for kind in ("services", "pages", "notices"):
        (folder / kind).mkdir(parents=True)
    languages = [source, *OTHERS[: size.languages - 1]]
    (folder / "city.yaml").write_text(
        f"name: {words.title()}\n"
        f"tagline: {words.sentence(6)}\n"
        f"country: {country}\n"
        f"source_language: {source}\n"
        f"languages: [{', '.join(languages)}]\n"
        f"timezone: {timezone}\n"
        f"base_url: https://ici.example.org/{slug}/\n"
        "demo: true\n"
        "contact:\n"
        f"  phone: \"{phone(0)}\"\n"
        f"  email: info@{slug}.example.org\n"
        "emergency:\n"
        f"  - label: {words.title()}\n"
        "    phone: \"112\"\n"
        "theme:\n"
        "  color: \"#1d5a8c\"\n",
        encoding="utf-8")
    for n in range(size.services):
        name = f"service-{n + 1:03d}"
        (folder / "services" / f"{name}.md").write_text(
            "---\n"
            f"title: {words.title()}\n"
            f"summary: {words.sentence(14)}\n"
            f"category: {CATEGORIES[n % len(CATEGORIES)]}\n"
            f"address: {n + 1} rue de l'Exemple, {slug}\n"
            f"geo: [{47.9 + n / 1000:.4f}, {1.86 + n / 1000:.4f}]\n"
            f"phone: \"{phone(n + 1)}\"\n"
            f"email: {name}@{slug}.example.org\n"
            f"website: https://{slug}.example.org/{name}\n"
            f"hours: \"{HOURS[n % len(HOURS)]}\"\n"
            f"languages_spoken: [{source}, en, ar]\n"
            "cost: free\n"
            "appointment: recommended\n"
            "audience: [everyone, refugees]\n"
            "documents:\n"
            f"  - {words.sentence(5)}\n"
            f"  - {words.sentence(7)}\n"
            f"reviewed: 2026-0{1 + n % 9}-15\n"
            "---\n\n" + service_markdown(words, rng, slug, name),
            encoding="utf-8")
    (folder / "pages" / "about.md").write_text(
        f"---\ntitle: {words.title()}\n---\n\n{words.paragraph(80)}\n\n## {words.title()}\n\n{words.paragraph(60)}\n",
        encoding="utf-8")
    (folder / "notices" / "news.md").write_text(
        f"---\ntitle: {words.title()}\nexpires: 2099-12-31\n---\n\n{words.paragraph(30)}\n",
        encoding="utf-8")


def write_po_file(path: Path, catalog: Catalog) -> None:
    """Write one catalog with Babel, as `update` would."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=76, sort_by_file=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def new_catalog(lang: str, domain: str) -> Catalog:
    """An empty catalog with the language's headers from CLDR."""
    return Catalog(locale=Locale.parse(lang, sep="-"), domain=domain, project="ici_site",
                   creation_date=EPOCH, revision_date=EPOCH, fuzzy=False, charset="utf-8")


def write_catalogs(root: Path) -> None:
    """Every city's domain, complete in each of its languages; the template domain too."""
    site = load_site(root)
    template_langs: set[str] = set()
    for city in site.cities:
        messages = city_messages(city)
        for lang in city.languages:
            template_langs.add(lang)
            if lang == city.source_language:
                continue
            catalog = new_catalog(lang, city.slug)
            for m in messages:
                if m.text not in catalog:
                    catalog.add(m.text, pseudo_translate(m.text, lang), [(m.path, m.line)],
                                auto_comments=[m.note], flags=["md-text"] if m.markdown else [])
            write_po_file(po_path(root, city.slug, lang), catalog)
    with open(pot_path(REPO, TEMPLATE_DOMAIN), "rb") as fileobj:
        template = read_po(fileobj)
    for lang in sorted(template_langs - {"en"}):
        shipped = po_path(REPO, TEMPLATE_DOMAIN, lang)
        if shipped.exists():  # the project's own translation
            target = po_path(root, TEMPLATE_DOMAIN, lang)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(shipped, target)
            continue
        catalog = new_catalog(lang, TEMPLATE_DOMAIN)
        for message in template:
            if message.id and isinstance(message.id, str):
                catalog.add(message.id, _keep_placeholders(message.id, lang), message.locations,
                            auto_comments=message.auto_comments)
        write_po_file(po_path(root, TEMPLATE_DOMAIN, lang), catalog)


def _keep_placeholders(text: str, lang: str) -> str:
    """Pseudo-translate a template string, leaving its %(name)s variables alone."""
    parts = re.split(r"(%\([a-z_]+\)[sd])", text)
    return "".join(p if p.startswith("%(") else pseudo_translate(p, lang) for p in parts)


def generate(target: Path, size: Size, seed: int = SEED) -> Path:
    """Write a complete synthetic project of ``size`` into ``target`` (which must not exist)."""
    rng = random.Random(seed)
    target.mkdir(parents=True)
    shutil.copytree(REPO / "templates", target / "templates")
    shutil.copy(REPO / "babel.cfg", target / "babel.cfg")
    for index in range(size.cities):
        write_city(target, index, size, rng)
    write_catalogs(target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", choices=SIZES, default="small")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("target", type=Path)
    args = parser.parse_args()
    generate(args.target, SIZES[args.size], args.seed)
    print(f"wrote a {args.size} project into {args.target}")


if __name__ == "__main__":
    main()
