"""Invisible characters that could disguise what a reader acts on.

A right-to-left override around "12" shows "21"; a zero-width space inside an
e-mail address makes a different address that looks the same; a direction mark
between the groups of a phone number can change the order they are shown in.
Content files and translations holding such characters are refused, with the
file and line (see docs/translators.md, *Invisible characters*, for the policy).

Characters that writing systems need stay allowed where they are needed: the
zero-width non-joiner and joiner between letters of Arabic-script and Indic
words (Persian "می‌خواهم"), the joiner inside emoji sequences, the zero-width
space between letters of scripts written without spaces, and direction marks
and soft hyphens inside words, away from numbers and addresses.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache

# Refused anywhere: direction embeddings, overrides and isolates; invisible operators and
# joiners; byte-order marks inside text; fillers that show nothing; tag characters;
# interlinear annotations; control characters other than tab and line feed.
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
ALWAYS = (f"[{BIDI_CONTROLS}\u2060-\u2064\u206a-\u206f\ufeff\u180e\u115f\u1160\u3164\uffa0\u17b4\u17b5"
          "\ufff9-\ufffb\u2028\u2029\U000e0000-\U000e007f\x00-\x08\x0b-\x1f\x7f-\x9f]")
MARKS = "\u200e\u200f\u061c\u00ad"  # direction marks and the soft hyphen: not beside facts
JOINERS = "\u200b\u200c\u200d"  # zero-width space, non-joiner, joiner: only where a script needs them
CANDIDATE = re.compile(f"{ALWAYS}|[{MARKS}{JOINERS}]")
# The candidates Python counts as printable (fillers that are letters, vowels that are marks):
# a printable text without them has no candidate.
PRINTABLE_CANDIDATES = "\u115f\u1160\u17b4\u17b5\u3164\uffa0"

# Scripts whose words use ZWNJ/ZWJ: Arabic, Syriac, Thaana, N'Ko, the Arabic supplements and
# presentation forms, the Indic scripts (Devanagari to Sinhala), Tibetan, Myanmar, Khmer, Mongolian.
JOINING_SCRIPTS = ((0x0600, 0x08FF), (0x0900, 0x0DFF), (0x0F00, 0x0FFF), (0x1000, 0x109F),
                   (0x1780, 0x18AF), (0xA8E0, 0xA8FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFC))
# Scripts written without spaces between words, where ZWSP marks a word break.
UNSPACED_SCRIPTS = ((0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1780, 0x17FF))
FACT_CHARS = "+@"  # beside a digit, or these, a mark can change how a fact reads
ADDRESS = re.compile(r"@|://|www\.", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Hidden:
    """One refused character: where it is and why."""

    index: int  # position in the text
    char: str
    why: str  # what it can do and what to do: "can make a number read in the wrong order; remove it"

    @property
    def what(self) -> str:
        """The character named: 'the invisible character U+202E (RIGHT-TO-LEFT OVERRIDE)'."""
        if _control(self.char):
            return f"control character U+{ord(self.char):04X}"
        return f"the invisible character U+{ord(self.char):04X} ({unicodedata.name(self.char, 'unnamed')})"

    @property
    def message(self) -> str:
        """What is wrong, as one sentence."""
        return f"{self.what} {self.why}"

    def line(self, text: str) -> int:
        """1-based line of the character in ``text``."""
        return text.count("\n", 0, self.index) + 1


def hidden_characters(text: str) -> Iterator[Hidden]:
    """Every character of ``text`` that could disguise a fact, in order."""
    if text.isprintable() and not any(char in text for char in PRINTABLE_CANDIDATES):
        return  # most texts of one line: one test in C instead of the search
    for match in CANDIDATE.finditer(text):
        index, char = match.start(), match.group()
        if char in MARKS:
            if _beside_fact(text, index):
                yield Hidden(index, char, "is beside a number or address and can change how it reads "
                             "(the site shows numbers left to right by itself); remove it")
        elif char in JOINERS:
            if not _joins_letters(text, index, char):
                where = "letters of scripts written without spaces" if char == "\u200b" else \
                    "letters of scripts that need it (Arabic, Persian, Indic…)"
                yield Hidden(index, char, f"is allowed only between {where}; remove it here")
        elif re.match(f"[{BIDI_CONTROLS}]", char):
            yield Hidden(index, char, "can make a number or address read in the wrong order "
                         "(\"12\" shown as \"21\"); remove it")
        elif _control(char):
            yield Hidden(index, char, "is not allowed; remove it")
        else:
            yield Hidden(index, char, "is invisible and can hide a change to a number, address or word; "
                         "remove it")


def _control(char: str) -> bool:
    return ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0


def _beside_fact(text: str, index: int) -> bool:
    """Whether the nearest visible neighbours of ``index`` are a digit, ``+`` or ``@``,
    or the word it sits in is an address (looked at within a short window: linear)."""
    low = max(0, index - 64)
    before, after = text[low:index], text[index + 1:index + 65]
    left, right = before.rstrip(), after.lstrip()
    if (left and (left[-1].isdecimal() or left[-1] in FACT_CHARS)) or \
            (right and (right[0].isdecimal() or right[0] in FACT_CHARS)):
        return True
    word = re.split(r"\s", before)[-1] + re.split(r"\s", after)[0]
    return ADDRESS.search(word) is not None


def _joins_letters(text: str, index: int, char: str) -> bool:
    """Whether ``char`` stands between two characters that need it."""
    if not 0 < index < len(text) - 1:
        return False
    before, after = text[index - 1], text[index + 1]
    if char == "\u200d" and _emoji(before) and _emoji(after):  # 👩‍💻
        return True
    scripts = UNSPACED_SCRIPTS if char == "\u200b" else JOINING_SCRIPTS
    return _letter_of(before, scripts) and _letter_of(after, scripts)


def _letter_of(char: str, scripts: tuple[tuple[int, int], ...]) -> bool:
    if unicodedata.category(char)[0] not in "LM":
        return False
    code = ord(char)
    return any(low <= code <= high for low, high in scripts)


def _emoji(char: str) -> bool:
    """A pictograph, a skin-tone modifier or the emoji variation selector."""
    return unicodedata.category(char) in ("So", "Sk") or char == "\ufe0f"


@cache
def category_class(category: str, plane: str = "") -> str:
    """The body of a regular-expression character class for every character whose Unicode
    category starts with ``category`` ("M": marks, "Cf": format characters), from Python's
    Unicode data (:func:`_runs`), written as ranges: a class of single characters matches ten
    times slower. ``plane``: "bmp" or "astral", only the characters of the BMP or beyond it."""
    spans: list[list[int]] = []
    for first, last, found in _runs():
        if found.startswith(category):
            if spans and spans[-1][1] == first - 1:
                spans[-1][1] = last
            else:
                spans.append([first, last])
    if plane:  # (U+FFFE and U+FFFF are no characters: no range goes across the BMP's end)
        spans = [span for span in spans if (span[0] > 0xFFFF) == (plane == "astral")]
    return ranges_class(spans)


@cache
def _runs() -> tuple[tuple[int, int, str], ...]:
    """(first, last, category) of each run of characters of one Unicode category, in the planes
    that have any (the BMP, the SMP, the tags and variation selectors): read once per process
    for every class :func:`category_class` makes."""
    runs: list[tuple[int, int, str]] = []
    for low, high in ((0, 0x20000), (0xE0000, 0xE1000)):
        start, current = low, unicodedata.category(chr(low))
        for code in range(low + 1, high):
            found = unicodedata.category(chr(code))
            if found != current:
                runs.append((start, code - 1, current))
                start, current = code, found
        runs.append((start, high - 1, current))
    return tuple(runs)


def ranges_class(spans: Iterable[Sequence[int]]) -> str:
    """The body of a regular-expression character class for these (first, last) code point ranges."""
    return "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in spans)
