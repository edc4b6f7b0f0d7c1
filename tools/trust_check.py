"""The outside trust check: read a built city the way a reviewer would, without ici_site's code.

A newcomer acts on a phone number, an e-mail or a web address. For every page of a city this
compares each translated page with the same page in the city's source language:

* every ``tel:``, ``mailto:`` and ``http(s):`` link of the source page's ``<main>`` must be on the
  translated page too (a translation that drops or changes one is a finding), and the translated
  page may not add one the source does not have;
* a block of text shown in another language than the page (a fallback, or an address kept as
  written) must say so: the element, or one around it, carries that ``lang`` and the matching
  ``dir``. Blocks are matched by their text across the language versions of the page: a sentence
  of four words or more that reads the same on the Arabic and the French page is French on both.

Usage: ``python tools/trust_check.py SITE [CITY ...]`` (default: every city folder in SITE).
Prints one line per finding and a summary; exits 1 when there is any finding.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

RTL = {"ar", "fa", "he", "ur", "ps", "ckb", "prs", "yi", "dv", "sd", "ug"}
BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dd", "dt", "blockquote",
          "figcaption", "summary", "caption"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
MIN_WORDS = 4  # words with a letter: a phone number or a time is the same in every language


def words(text: str) -> int:
    return sum(1 for word in text.split() if any(c.isalpha() for c in word))


def is_rtl(lang: str) -> bool:
    base = lang.lower().split("-")[0]
    return base in RTL and "-latn" not in lang.lower()


class Page(HTMLParser):
    """The facts (links) and text blocks of a page's <main>, each block with its lang and dir."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.lang, self.dir = "", "ltr"
        self.stack: list[tuple[str, str | None, str | None, bool]] = []  # (tag, lang, dir, is a label)
        self.in_main = 0
        self.facts: set[str] = set()
        self.blocks: list[tuple[str, str, str | None]] = []  # (text, lang, dir)
        self.open_blocks: list[list[tuple[str, str]]] = []  # per open block: (text, its language)
        self.unmarked: list[str] = []
        self.home = ""  # the city's address (its pages' x-default link)
        self.feed(text)

    def _effective(self) -> tuple[str, str | None]:
        lang, direction = self.lang, self.dir
        for _, tag_lang, tag_dir, _ in self.stack:
            if tag_lang:
                lang = tag_lang
            if tag_dir:
                direction = tag_dir
        return lang, direction

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang, self.dir = a.get("lang") or "", a.get("dir") or "ltr"
            return
        if tag == "link" and a.get("hreflang") == "x-default":
            self.home = (a.get("href") or "").rsplit("/", 1)[0] + "/"
        if tag in VOID:
            return
        label = "hint" in (a.get("class") or "").split()  # "not yet translated": the site's label
        self.stack.append((tag, a.get("lang"), a.get("dir"), label))
        if tag == "main":
            self.in_main += 1
        if not self.in_main:
            return
        if a.get("lang") and a["lang"] != self.lang and not a.get("dir"):
            self.unmarked.append(f"<{tag} lang={a['lang']}> without dir")
        href = a.get("href") or ""
        if re.match(r"(?i)(tel|mailto|https?):", href):
            self.facts.add(fact(href))
        if tag in BLOCKS:
            self.open_blocks.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or not self.stack:
            return
        while self.stack:
            open_tag = self.stack[-1][0]
            if self.in_main and open_tag in BLOCKS and self.open_blocks:
                lang, direction = self._effective()
                # the block's own words: a hint in the reader's language inside a fallback is not them
                text = " ".join("".join(t for t, t_lang in self.open_blocks.pop() if t_lang == lang).split())
                self.blocks.append((text, lang, direction))
            self.stack.pop()
            if open_tag == "main":
                self.in_main -= 1
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if any(label for *_, label in self.stack):
            return
        lang = self._effective()[0]
        for block in self.open_blocks:
            block.append((data, lang))


def fact(href: str) -> str:
    """A link as a reader acts on it: the digits of a number, the address of an e-mail."""
    scheme, _, rest = href.partition(":")
    scheme = scheme.lower()
    if scheme == "tel":
        return "tel:" + re.sub(r"[^\d+]", "", unquote(rest))
    if scheme == "mailto":
        return "mailto:" + unquote(rest).split("?")[0].lower()
    return href


def city_pages(city: Path) -> dict[str, dict[str, Path]]:
    """{page path inside a language folder: {language: file}}."""
    pages: dict[str, dict[str, Path]] = defaultdict(dict)
    for lang_dir in sorted(p for p in city.iterdir() if p.is_dir() and (p / "index.html").is_file()):
        for path in lang_dir.rglob("*.html"):
            pages[path.relative_to(lang_dir).as_posix()][lang_dir.name] = path
    return pages


def source_language(city: Path) -> str:
    """The city's source language: the first language its root page offers (ici_site lists it first)."""
    root = (city / "index.html").read_text(encoding="utf-8")
    first = re.search(r'hreflang="([^"]+)"', root)
    if not first:
        raise SystemExit(f"{city / 'index.html'}: no language links; is this a built city folder?")
    return first.group(1)


def check_city(city: Path) -> list[str]:
    """Every finding for one city, as 'page: what is wrong' lines."""
    source = source_language(city)
    home = Page((city / source / "index.html").read_text(encoding="utf-8")).home
    if not home:
        raise SystemExit(f"{city / source / 'index.html'}: no x-default link; is this a built city?")
    findings: list[str] = []
    for rel, versions in sorted(city_pages(city).items()):
        parsed = {lang: Page(path.read_text(encoding="utf-8")) for lang, path in versions.items()}
        for page in parsed.values():  # links to the city's own pages differ by language: not facts
            page.facts = {f for f in page.facts if not f.startswith(home)}
        original = parsed.get(source)
        owner: dict[str, set[str]] = defaultdict(set)  # text -> languages it is shown in, per page
        for page in parsed.values():
            for text, lang, _ in page.blocks:
                if words(text) >= MIN_WORDS:
                    owner[text].add(lang)
        for lang, page in sorted(parsed.items()):
            where = f"{city.name}/{lang}/{rel}"
            findings += [f"{where}: {problem}" for problem in page.unmarked]
            for text, shown_lang, direction in page.blocks:
                if words(text) < MIN_WORDS:
                    continue
                if len(owner[text]) > 1:
                    findings.append(f"{where}: the same text is marked {sorted(owner[text])} on the "
                                    f"language versions of this page: {text[:60]!r}")
                if shown_lang != page.lang and (direction or "ltr") != ("rtl" if is_rtl(shown_lang) else "ltr"):
                    findings.append(f"{where}: text in {shown_lang} shown with dir={direction}: {text[:60]!r}")
            if original is None or lang == source:
                continue
            for missing in sorted(original.facts - page.facts):
                findings.append(f"{where}: {missing} of the {source} page is missing")
            for added in sorted(page.facts - original.facts):
                findings.append(f"{where}: {added} is not on the {source} page")
    return findings


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        return 2
    site = Path(argv[0])
    names = argv[1:] or sorted(p.name for p in site.iterdir() if (p / "index.html").is_file()
                               and any(c.is_dir() and (c / "index.html").is_file() for c in p.iterdir()))
    total = 0
    for name in names:
        findings = check_city(site / name)
        total += len(findings)
        for line in findings:
            print(line)
        pages = sum(len(v) for v in city_pages(site / name).values())
        print(f"{name}: {pages} pages, {len(findings)} findings")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
