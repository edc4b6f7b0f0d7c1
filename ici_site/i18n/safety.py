"""Safety check of translations: what a reader acts on must survive translation.

A reader calls the number, types the address of the web site, goes at the hour
the page gives. A translation that loses, alters or adds a link, an image, a web
or e-mail address, a phone number or a number, breaks its Markdown links,
emphasis or code, or hides characters that change how a fact reads, is not shown
(the reader gets the next language of the chain) and is reported by ``check``
and ``status`` with the catalog's file and line.

A Markdown text is read as a browser reads the page: rendered by Python-Markdown,
then its HTML parsed with character references decoded, each ``href``/``src``
read as the WHATWG URL parser reads it (tabs and newlines removed, control
characters and spaces trimmed, the scheme in lower case, ``//host`` a link to
another host), ``tel:``/``sms:`` targets as phone numbers and ``mailto:`` as
e-mail addresses. Each text is read once into its :class:`Facts`; each checker
compares the facts of the source and of the translation and returns what is
wrong, in the style of Babel's ``checkers.py``. Digits of every script are read
by value, so Eastern Arabic (٣) and Persian (۳) digits are the same number as 3.
Every step is linear in the text's length (:mod:`~ici_site.content.limits` refuses
Markdown that Python-Markdown would read in quadratic time).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from html.parser import HTMLParser
from typing import Any, TypeVar

from ici_site.content.invisible import category_class, hidden_characters
from ici_site.content.limits import markdown_problem
from ici_site.i18n.dialect import plain_converter
from ici_site.i18n.inline import INLINE_LINE, LINK
from ici_site.site.phones import SEPARATORS, ascii_digits, dialled

T = TypeVar("T")

# Possessive quantifiers and look-behinds that start a match only where a run of its
# characters starts: each character is scanned a bounded number of times (a 40 KB
# text of "www." or of digits is checked in milliseconds, not minutes).
URL = re.compile(r"(?<![A-Za-z0-9+.-])(?:[A-Za-z][A-Za-z0-9+.-]*+://|www\.)[^\s<>()\[\]\"'`]*+", re.IGNORECASE)
URL_END = ".,;:!?"  # punctuation after an address ends the sentence, not the address
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)+")
# A run of digits with spaces, dots, dashes or brackets inside; six digits or more is a phone number.
# A number may follow a letter: Arabic writes "and" (و), "with" (ب), "to" (ل) joined to the
# next word, so "و070 245 245" holds the whole number (only a digit or a + before it means
# it starts earlier).
# (The look-behinds come after the pattern's first character, "+", "(" or a digit, so that a
# search jumps between those instead of trying every place: the same matches.)
PHONE = re.compile(rf"(?:\+(?<![\d+]\+)\(?\d|\((?<![\d+]\()\d|\d(?<![\d+]\d))[\d{re.escape(SEPARATORS)}]*+")
TRAILING = SEPARATORS.replace(")", "")  # what a number does not end with
NUMBER = re.compile(r"\d+")
DIGIT = re.compile(r"\d")
STRONG = re.compile(r"\*\*|__")
# A "*" or "_" that opens or closes emphasis (its look-behinds after it: a search jumps between them).
EMPHASIS = re.compile(r"\*(?<![*\w]\*)(?![*\s])|\*(?<![*\s]\*)(?![*\w])|_(?<![_\w]_)(?![_\s])|_(?<![_\s]_)(?![_\w])")
CODE = re.compile(r"`+")
BULLET = re.compile(r"^\s*[*+-]\s", re.MULTILINE)
# A reference link, [text][label] or [label][]: its target is the document's definition.
REFERENCE = re.compile(r"\[([^\[\]]*+)\][ ]?\[([^\[\]]*+)\]")

# Quick test: a text with none of these has no fact and no markup to compare.
INTERESTING = re.compile(r"[\d@*_`\[\]<>&:/\\]")  # and "www." (:func:`_interesting`)
INTERESTING_ASCII = re.compile(r"[0-9@*_`\[\]<>&:/\\]")  # the same in ASCII text, without a Unicode digit test per character

URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "action", "formaction", "cite", "poster", "data",
                            "background", "longdesc", "ping", "usemap", "xlink:href", "icon", "manifest"})
TEXT_ATTRIBUTES = frozenset({"alt", "title"})  # shown (or read aloud) as text
INLINE = frozenset({"a", "em", "strong", "code", "span", "small", "b", "i", "u", "s", "sub", "sup", "del",
                    "ins", "mark", "abbr", "bdi", "bdo", "q", "kbd", "var", "samp", "cite", "dfn", "time",
                    "data", "font"})
SPECIAL_SCHEMES = frozenset({"http", "https", "ftp", "ws", "wss", "file"})
SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*+):")
C0_OR_SPACE = "".join(chr(c) for c in range(0x21))
TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")

@dataclass(frozen=True, slots=True)
class Facts:
    """What a reader acts on in one text, each found once. Its counters are never changed: a kind
    the text does not hold is one empty Counter shared by all facts (:func:`_counted`)."""

    links: Counter[str]  # link targets (href), as the browser resolves them
    images: Counter[str]  # image sources
    addresses: Counter[str]  # web addresses written in the text
    emails: Counter[str]  # in the text and in mailto: links
    phones: Counter[str]  # in the text and in tel:/sms: links; E.164 where they parse, else the digits
    numbers: Counter[int]  # every other number, by value
    markup: tuple[int, int, int, int]  # links, bold, emphasis, code markers
    brackets_balanced: bool


def facts(text: str, region: str | None, markdown_text: bool = True) -> Facts:
    """The facts of ``text``: of the page a browser shows for it if ``markdown_text``
    (the caller made sure :func:`~ici_site.content.limits.markdown_problem` accepts it)."""
    shown, targets, images = _as_shown(text) if markdown_text else (text, [], [])
    links: list[str] = []
    emails: list[str] = []
    phones: list[str] = []
    for target in targets:
        scheme = target.partition(":")[0] if SCHEME.match(target) else ""
        if scheme in ("tel", "sms"):
            phones.append(dialled(target[len(scheme) + 1:].split("?")[0], region))
        elif scheme == "mailto":
            emails.extend(a.strip() for a in target[7:].split("?")[0].split(",") if a.strip())
        else:
            links.append(target)
    if markdown_text and "]" in text:  # a reference link's target is the label's definition in the document
        links.extend("[" + " ".join((label or name).lower().split()) + "]" for name, label in REFERENCE.findall(text))
    # Each pattern below is tried only where the characters it cannot match without are
    # (most translations have no address, e-mail or number): the facts are the same.
    shown = ascii_digits(_visible(shown))
    addresses: list[str] = []
    rest = shown
    if _may_have_url(shown):
        addresses.extend(m.group().rstrip(URL_END) for m in URL.finditer(shown))
        rest = URL.sub(" ", shown)
    if "@" in rest:
        emails.extend(EMAIL.findall(rest))
        rest = EMAIL.sub(" ", rest)
    numbers: list[int] = []
    if DIGIT.search(rest):
        numbers_in: list[str] = []
        last = 0
        for match in PHONE.finditer(rest):
            raw = match.group().rstrip(TRAILING)
            digits = re.sub(r"\D", "", raw)
            after = match.start() + len(raw)
            if len(digits) < 6 or (after < len(rest) and rest[after].isalnum()):
                continue
            phones.append(dialled(raw, region))
            numbers_in.append(rest[last:match.start()])
            last = after
        numbers_in.append(rest[last:])
        numbers.extend(int(n) for n in NUMBER.findall(" ".join(numbers_in)))
    return Facts(_counted(links), _counted(images), _counted(addresses), _counted(emails), _counted(phones),
                 _counted(numbers), _markup(text), text.count("[") == text.count("]"))


# What a text without one kind of fact holds of it: one empty Counter for all (Facts are never changed).
_NONE: Counter[Any] = Counter()


def _counted(items: list[T]) -> Counter[T]:
    """``Counter(items)``; the one empty Counter when there are none (most kinds in most texts)."""
    return Counter(items) if items else _NONE


def _may_have_url(text: str) -> bool:
    """Whether :data:`URL` may match in ``text`` (it needs "://" or "www.")."""
    return "://" in text or "www." in text.lower()


def _markup(text: str) -> tuple[int, int, int, int]:
    """Links, bold, emphasis and code markers of a text, outside addresses and list bullets."""
    if not any(char in text for char in "]*_`"):
        return 0, 0, 0, 0
    marked = URL.sub(" ", text) if _may_have_url(text) else text
    marked = EMAIL.sub(" ", marked) if "@" in marked else marked
    marked = BULLET.sub(" ", marked) if any(char in marked for char in "*+-") else marked
    return (marked.count("]("), len(STRONG.findall(marked)) if "**" in marked or "__" in marked else 0,
            len(EMPHASIS.findall(marked)) if "*" in marked or "_" in marked else 0,
            len(CODE.findall(marked)) if "`" in marked else 0)


def _visible(text: str) -> str:
    """``text`` as it reads on screen: format characters (direction marks, zero-width
    spaces, soft hyphens) show nothing, so "1\u200b2" reads as 12."""
    if text.isascii():
        return text
    return format_characters().sub("", text)


@cache
def format_characters() -> re.Pattern[str]:
    """The format characters (Unicode category Cf), a pattern made once per process from
    Python's Unicode data: a parent makes it before it forks the catalog readers."""
    return re.compile(f"[{category_class('Cf')}]")


def _as_shown(text: str) -> tuple[str, list[str], list[str]]:
    """(the text a reader sees, link targets, image sources) of a Markdown text (a line of
    plain text, bold and links read without rendering it: a property test holds it to
    the rendered page)."""
    if INLINE_LINE.fullmatch(text):
        shown = LINK.sub(r"\g<text>", text).replace("**", "")
        return f"\n{shown}\n", [url(m["target"]) for m in LINK.finditer(text)], []
    reader = _Page()
    reader.feed(plain_converter().reset().convert(text))
    reader.close()
    return "".join(reader.text), reader.targets, reader.images


class _Page(HTMLParser):
    """Reads rendered HTML as a browser: text with character references decoded, and
    every URL an element carries."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.targets: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in INLINE:
            self.text.append("\n")  # a block, a line break, a cell: the text around it is apart
        for name, value in attrs:
            if value is None:
                continue
            if name in URL_ATTRIBUTES:
                found = [v.strip().split(" ")[0] for v in value.split(",")] if name == "srcset" else [value]
                (self.images if tag == "img" else self.targets).extend(url(v) for v in found)
            elif name in TEXT_ATTRIBUTES:
                self.text.append(f" {value} ")

    def handle_endtag(self, tag: str) -> None:
        if tag not in INLINE:
            self.text.append("\n")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def url(value: str) -> str:
    """An attribute's URL as the WHATWG URL parser reads it (character references are
    already decoded): leading and trailing control characters and spaces trimmed, tabs
    and newlines removed, the scheme (and a special scheme's host) in lower case,
    backslashes of special schemes read as slashes. ``//host/`` stays as written: a
    link to another host."""
    value = TAB_OR_NEWLINE.sub("", value.strip(C0_OR_SPACE))
    scheme = SCHEME.match(value)
    if scheme is None:
        return value.replace("\\", "/") if value[:2] in ("//", "\\\\", "/\\", "\\/") else value
    name, rest = scheme.group(1).lower(), value[scheme.end():]
    if name in SPECIAL_SCHEMES:
        rest = rest.replace("\\", "/")
        if rest.startswith("//"):
            host, sep, path = rest[2:].partition("/")
            rest = "//" + host.lower() + sep + path
    return f"{name}:{rest}"


def _lost_or_added(what: str, source: Counter[str], translation: Counter[str]) -> list[str]:
    """Problems when ``translation`` does not hold exactly the items of ``source``."""
    if source is translation or source == translation:  # (the same empty Counter, most often)
        return []
    problems = [f"loses the {what} {item}" for item in sorted(source - translation)]
    problems += [f"adds the {what} {item}, which is not in the source" for item in sorted(translation - source)]
    return problems


def links_kept(source: Facts, translation: Facts) -> list[str]:
    """Link targets, images, web and e-mail addresses: the same ones, no more."""
    return (_lost_or_added("link", source.links, translation.links)
            + _lost_or_added("image", source.images, translation.images)
            + _lost_or_added("address", source.addresses, translation.addresses)
            + _lost_or_added("e-mail address", source.emails, translation.emails))


def phones_kept(source: Facts, translation: Facts) -> list[str]:
    """Phone numbers: the same numbers (the grouping of digits may change)."""
    return _lost_or_added("phone number", source.phones, translation.phones)


def numbers_kept(source: Facts, translation: Facts) -> list[str]:
    """Every number of the source (hours, prices, dates) is still there, by value, and
    the translation has no number the source does not have (but zero: "9h" is "9:00")."""
    problems = [f"loses the number {n}" for n in sorted(source.numbers - translation.numbers)]
    return problems + [f"adds the number {n}, which is not in the source"
                       for n in sorted(set(translation.numbers) - set(source.numbers) - {0})]


def markup_kept(source: Facts, translation: Facts) -> list[str]:
    """Markdown links, emphasis and code: as many in the translation as in the source."""
    names = ("links", "bold markers (** or __)", "emphasis markers (* or _)", "code markers (`)")
    problems = [f"has {b} {name} where the source has {a}"
                for name, a, b in zip(names, source.markup, translation.markup, strict=True) if a != b]
    if not translation.brackets_balanced:
        problems.append("has unbalanced [ ] brackets: a Markdown link is broken")
    return problems


FactCheck = Callable[[Facts, Facts], list[str]]
TEXT_CHECKS: tuple[FactCheck, ...] = (links_kept, phones_kept, numbers_kept)
MARKDOWN_CHECKS: tuple[FactCheck, ...] = TEXT_CHECKS + (markup_kept,)


def check_translation(source: str, translation: str, markdown: bool, region: str | None = None) -> tuple[str, ...]:
    """What is wrong with ``translation`` of ``source``; empty when it is safe to show.

    ``region`` is the city's country, to read national phone numbers.
    """
    if not translation:
        return ()
    problems = tuple(f"contains {hidden.what}, which {hidden.why}" for hidden in hidden_characters(translation))
    if translation == source or not (_source_interesting(source) or _interesting(translation)):
        return problems
    if markdown:
        for text, whose, problem in ((translation, "", markdown_problem), (source, "its source ", _source_problem)):
            costly = problem(text)
            if costly is not None:
                return (*problems, f"is not checked: {whose}text {costly[1]}")
    before, after = _source_facts(source, region, markdown), facts(translation, region, markdown)
    checks = MARKDOWN_CHECKS if markdown else TEXT_CHECKS
    return problems + tuple(problem for check in checks for problem in check(before, after))


def _interesting(text: str) -> bool:
    """Whether ``text`` may hold a fact or markup to compare: a character of :data:`INTERESTING`
    or "www." in any case (one pattern for both was twice as slow: every "w" started a match)."""
    if (INTERESTING_ASCII if text.isascii() else INTERESTING).search(text) is not None or "www." in text:
        return True
    return "W" in text and "www." in text.lower()  # no other character lowers to one holding "w" or "."


# A source text is checked once for all its languages: remembered (not the translations).
_source_interesting = lru_cache(maxsize=16384)(_interesting)


# A source text is checked once for all its languages; a translation is checked once anyway,
# so only the sources are remembered.
@lru_cache(maxsize=16384)
def _source_problem(text: str) -> tuple[int, str] | None:
    return markdown_problem(text)


@lru_cache(maxsize=16384)
def _source_facts(text: str, region: str | None, markdown_text: bool) -> Facts:
    return facts(text, region, markdown_text)


# A printf conversion as Python's % operator reads it: %(name)s, %5.2f, %%.
FORMAT = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<type>[diouxXeEfFgGcrsa%])?")
SAMPLES = {"d": 1, "i": 1, "o": 1, "u": 1, "x": 1, "X": 1, "c": 1, "e": 1.5, "E": 1.5, "f": 1.5, "F": 1.5,
           "g": 1.5, "G": 1.5}


def _placeholders(text: str) -> dict[str, str] | None:
    """name -> conversion of each ``%(name)s`` in ``text``; None if a ``%`` is not a conversion."""
    found: dict[str, str] = {}
    for match in FORMAT.finditer(text):
        kind = match.group("type")
        if kind is None:
            return None
        if kind != "%":
            found.setdefault(match.group("name") or "", kind)
    return found


def check_interface(msgids: tuple[str, ...], translation: str) -> tuple[str, ...]:
    """What is wrong with ``translation`` of an interface string (``msgids``: the msgid, and
    its plural for a plural form), checked like ``msgfmt -c`` checks python-format: templates
    fill every string with ``%`` (Jinja's new-style gettext), so a stray ``%`` or an unknown
    placeholder would stop the page."""
    problems = [f"contains {hidden.what}, which {hidden.why}" for hidden in hidden_characters(translation)]
    sources = [_placeholders(msgid) for msgid in msgids]
    if not translation or any(found is None for found in sources):  # the source is no format string
        return tuple(problems)
    expected = {name: kind for found in sources if found for name, kind in found.items()}
    used = _placeholders(translation)
    if used is None or ("" in used and "" not in expected):  # "50% d" reads as "% d", a number
        return (*problems, "has a '%' that is not a placeholder: write '%%' for a percent sign")
    problems += [f"uses the placeholder %({name})s, which the source does not have; keep the source's"
                 for name in sorted(set(used) - set(expected))]
    optional = {"num"} if len(msgids) > 1 else set()  # a singular form may say "one" instead of the count
    problems += [f"loses the placeholder %({name}){expected[name]}; keep it (you may move it)"
                 for name in sorted(set(expected) - set(used) - optional)]
    if not problems:
        try:
            translation % {name: SAMPLES.get(kind, "x") for name, kind in expected.items()}
        except (KeyError, ValueError, TypeError) as exc:
            problems.append(f"cannot be filled in ({exc}); keep each placeholder exactly as in the source")
    return tuple(problems)
