"""Safety check of translations: what a reader acts on must survive translation.

A reader calls the number, types the address of the web site, goes at the hour
the page gives. A translation that loses or alters a URL, an e-mail address, a
phone number or a number of its source, or breaks its Markdown links, emphasis
or code, is not shown (the reader gets the next language of the chain) and is
reported by ``check`` and ``status`` with the catalogue's file and line.

Each text is read once into its :class:`Facts`; each checker compares the facts of
the source and of the translation and returns what is wrong, in the style of
Babel's ``checkers.py``. Digits are compared by value, so Eastern
Arabic (٣) and Persian (۳) digits count as the same number as 3.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

# Arabic-Indic and Extended Arabic-Indic (Persian, Urdu) digits read as ASCII ones.
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)

URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()\[\]\"'`]*[^\s<>()\[\]\"'`.,;:!?]")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
# A run of digits with spaces, dots, dashes or brackets inside, six digits or more.
PHONE = re.compile(r"(?<![\w+])\+?\(?\d[\d\u00a0\u202f .()/-]{4,}\d(?![\w])")
NUMBER = re.compile(r"\d+")
STRONG = re.compile(r"\*\*|__")
EMPHASIS = re.compile(r"(?<![*\w])\*(?![*\s])|(?<![*\s])\*(?![*\w])|(?<![_\w])_(?![_\s])|(?<![_\s])_(?![_\w])")
CODE = re.compile(r"`+")
BULLET = re.compile(r"^\s*[*+-]\s", re.MULTILINE)

# Quick test: text with none of these characters has nothing the checks look at.
INTERESTING = re.compile(r"[\d٠-٩۰-۹@*_`\[]|www\.|://")


@dataclass(frozen=True, slots=True)
class Facts:
    """What a reader acts on in one text, each found once."""

    links: Counter[str]  # Markdown link targets
    addresses: Counter[str]  # bare URLs
    emails: Counter[str]
    phones: Counter[str]  # E.164 where they parse, else the digits
    numbers: Counter[int]  # every other number, by value
    markup: tuple[int, int, int, int]  # links, bold, emphasis, code markers
    brackets_balanced: bool


@lru_cache(maxsize=65536)  # a source text is checked once for each of its languages
def facts(text: str, region: str | None) -> Facts:
    """The facts of ``text`` (digits already read as ASCII)."""
    links = LINK_TARGET.findall(text)
    bare = LINK_TARGET.sub(" ", text)
    addresses = URL.findall(bare)
    emails = EMAIL.findall(text)
    rest = EMAIL.sub(" ", URL.sub(" ", bare))
    phones: Counter[str] = Counter()
    for match in PHONE.finditer(rest):
        raw = match.group()
        digits = re.sub(r"\D", "", raw)
        if len(digits) < 6:
            continue
        try:
            number = phonenumbers.parse(raw, region or None)
            phones[phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)] += 1
        except phonenumbers.NumberParseException:
            phones[digits] += 1
    numbers = Counter(int(n) for n in NUMBER.findall(PHONE.sub(" ", rest)))
    marked = BULLET.sub(" ", EMAIL.sub(" ", URL.sub(" ", text)))
    markup = (len(LINK_TARGET.findall(marked)), len(STRONG.findall(marked)), len(EMPHASIS.findall(marked)),
              len(CODE.findall(marked)))
    return Facts(Counter(links), Counter(addresses), Counter(emails), phones, numbers, markup,
                 text.count("[") == text.count("]"))


def _lost_or_added(what: str, source: Counter[str], translation: Counter[str]) -> list[str]:
    """Problems when ``translation`` does not hold exactly the items of ``source``."""
    problems = [f"loses the {what} {item}" for item in sorted(source - translation)]
    problems += [f"adds the {what} {item}, which is not in the source" for item in sorted(translation - source)]
    return problems


def check_links(source: Facts, translation: Facts) -> list[str]:
    """URLs, e-mail addresses and Markdown link targets: the same ones, no more."""
    return (_lost_or_added("link", source.links, translation.links)
            + _lost_or_added("address", source.addresses, translation.addresses)
            + _lost_or_added("e-mail address", source.emails, translation.emails))


def check_phones(source: Facts, translation: Facts) -> list[str]:
    """Phone numbers: the same numbers (the grouping of digits may change)."""
    return _lost_or_added("phone number", source.phones, translation.phones)


def check_numbers(source: Facts, translation: Facts) -> list[str]:
    """Every number of the source (hours, prices, dates) is still there, by value."""
    return [f"loses the number {n}" for n in sorted(source.numbers - translation.numbers)]


def check_markup(source: Facts, translation: Facts) -> list[str]:
    """Markdown links, emphasis and code: as many in the translation as in the source."""
    names = ("links", "bold markers (** or __)", "emphasis markers (* or _)", "code markers (`)")
    problems = [f"has {b} {name} where the source has {a}"
                for name, a, b in zip(names, source.markup, translation.markup, strict=True) if a != b]
    if not translation.brackets_balanced:
        problems.append("has unbalanced [ ] brackets: a Markdown link is broken")
    return problems


Checker = Callable[[Facts, Facts], list[str]]
TEXT_CHECKS: tuple[Checker, ...] = (check_links, check_phones, check_numbers)
MARKDOWN_CHECKS: tuple[Checker, ...] = TEXT_CHECKS + (check_markup,)


def check_translation(source: str, translation: str, markdown: bool, region: str | None = None) -> tuple[str, ...]:
    """What is wrong with ``translation`` of ``source``; empty when it is safe to show.

    ``region`` is the city's country, to read national phone numbers.
    """
    if not translation or not (INTERESTING.search(source) or INTERESTING.search(translation)):
        return ()
    before, after = facts(source.translate(DIGITS), region), facts(translation.translate(DIGITS), region)
    checks = MARKDOWN_CHECKS if markdown else TEXT_CHECKS
    return tuple(problem for check in checks for problem in check(before, after))
