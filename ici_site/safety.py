"""Safety check of translations: what a reader acts on must survive translation.

A reader calls the number, types the address of the web site, goes at the hour
the page gives. A translation that loses or alters a URL, an e-mail address, a
phone number or a number of its source, or breaks its Markdown links, emphasis
or code, is not shown (the reader gets the next language of the chain) and is
reported by ``check`` and ``status`` with the catalogue's file and line.

Each checker takes the source and the translation and returns what is wrong, in
the style of Babel's ``checkers.py``. Digits are compared by value, so Eastern
Arabic (٣) and Persian (۳) digits count as the same number as 3.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

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


def _phones(text: str, region: str | None) -> Counter[str]:
    """Phone numbers in ``text``, as E.164 where they parse, else as their digits."""
    found: Counter[str] = Counter()
    for match in PHONE.finditer(text):
        raw = match.group()
        digits = re.sub(r"\D", "", raw)
        if len(digits) < 6:
            continue
        try:
            number = phonenumbers.parse(raw, region or None)
            found[phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)] += 1
        except phonenumbers.NumberParseException:
            found[digits] += 1
    return found


def _without(text: str, patterns: Iterable[re.Pattern[str]]) -> str:
    for pattern in patterns:
        text = pattern.sub(" ", text)
    return text


def _lost_or_added(what: str, source: Counter[str], translation: Counter[str]) -> list[str]:
    """Problems when ``translation`` does not hold exactly the items of ``source``."""
    problems = [f"loses the {what} {item}" for item in sorted(source - translation)]
    problems += [f"adds the {what} {item}, which is not in the source" for item in sorted(translation - source)]
    return problems


def check_links(source: str, translation: str, region: str | None) -> list[str]:
    """URLs, e-mail addresses and Markdown link targets: the same ones, no more."""
    problems = _lost_or_added("link", Counter(LINK_TARGET.findall(source)),
                              Counter(LINK_TARGET.findall(translation)))
    bare_source, bare_translation = (_without(t, [LINK_TARGET]) for t in (source, translation))
    problems += _lost_or_added("address", Counter(URL.findall(bare_source)), Counter(URL.findall(bare_translation)))
    problems += _lost_or_added("e-mail address", Counter(EMAIL.findall(source)),
                               Counter(EMAIL.findall(translation)))
    return problems


def check_phones(source: str, translation: str, region: str | None) -> list[str]:
    """Phone numbers: the same numbers (the grouping of digits may change)."""
    strip = [LINK_TARGET, URL, EMAIL]
    return _lost_or_added("phone number", _phones(_without(source, strip), region),
                          _phones(_without(translation, strip), region))


def check_numbers(source: str, translation: str, region: str | None) -> list[str]:
    """Every number of the source (hours, prices, dates) is still there, by value."""
    strip = [LINK_TARGET, URL, EMAIL, PHONE]
    wanted = Counter(int(n) for n in NUMBER.findall(_without(source, strip)))
    present = Counter(int(n) for n in NUMBER.findall(_without(translation, strip)))
    return [f"loses the number {n}" for n in sorted(wanted - present)]


def check_markup(source: str, translation: str, region: str | None) -> list[str]:
    """Markdown links, emphasis and code: as many in the translation as in the source."""
    problems = []
    for name, pattern in (("links", LINK_TARGET), ("bold markers (** or __)", STRONG),
                          ("emphasis markers (* or _)", EMPHASIS), ("code markers (`)", CODE)):
        a, b = (len(pattern.findall(_without(t, [URL, EMAIL, BULLET]))) for t in (source, translation))
        if a != b:
            problems.append(f"has {b} {name} where the source has {a}")
    if translation.count("[") != translation.count("]"):
        problems.append("has unbalanced [ ] brackets: a Markdown link is broken")
    return problems


Checker = Callable[[str, str, str | None], list[str]]
TEXT_CHECKS: tuple[Checker, ...] = (check_links, check_phones, check_numbers)
MARKDOWN_CHECKS: tuple[Checker, ...] = TEXT_CHECKS + (check_markup,)


def check_translation(source: str, translation: str, markdown: bool, region: str | None = None) -> tuple[str, ...]:
    """What is wrong with ``translation`` of ``source``; empty when it is safe to show.

    ``region`` is the city's country, to read national phone numbers.
    """
    if not translation or not (INTERESTING.search(source) or INTERESTING.search(translation)):
        return ()
    source, translation = source.translate(DIGITS), translation.translate(DIGITS)
    checks = MARKDOWN_CHECKS if markdown else TEXT_CHECKS
    return tuple(problem for check in checks for problem in check(source, translation, region))
