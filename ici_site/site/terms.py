"""How text becomes search terms: the same rules for the index (here) and the query (search.js).

1. :func:`normalise`: lower case, compatibility forms unfolded (NFKD: Arabic
   presentation forms, ligatures), the diacritics of :data:`DIACRITICS` dropped (accents,
   Arabic short vowels and hamza seats: أ إ آ → ا, ؤ → و, ئ → ي; ё → е, ї → і) except
   the breve of й and ў, then the letters in :data:`LETTERS` unified (ٱ → ا, ى → ي, ة → ه,
   Persian ی ک → ي ك, tatweel removed, Eastern Arabic digits → 0-9).
2. :func:`words`: runs of letters, digits and marks.
3. :func:`Analyser.term`: a leading Arabic article or article+preposition is cut
   (:data:`ARTICLES`, when two letters or more remain), the word is stemmed in its
   language — Snowball (the ``snowballstemmer`` package here, the same algorithms
   compiled to JavaScript in ``templates/assets/stem/`` in the browser), or light
   suffix stripping (:data:`LIGHT`) for languages Snowball lacks — and the stem is
   normalised again. Languages with neither keep the normalised word; the browser
   also matches the beginnings of terms (prefix search) and near spellings.

search.js receives :data:`DIACRITICS`, :data:`LETTERS`, :data:`ARTICLES` and :data:`LIGHT`
in each index,
so there is one copy of the rules; tests/test_search.py runs every word of the
example sites through both sides and compares.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

import snowballstemmer

from ici_site.content.invisible import category_class, ranges_class
from ici_site.i18n.languages import locale

# Language code (its base) -> Snowball algorithm (templates/assets/stem/<name>.js).
SNOWBALL = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech", "da": "danish",
    "nl": "dutch", "en": "english", "eo": "esperanto", "et": "estonian", "fi": "finnish", "fr": "french",
    "de": "german", "el": "greek", "hi": "hindi", "hu": "hungarian", "id": "indonesian", "ga": "irish",
    "it": "italian", "lt": "lithuanian", "ne": "nepali", "nb": "norwegian", "nn": "norwegian",
    "no": "norwegian", "fa": "persian", "prs": "persian", "pl": "polish", "pt": "portuguese",
    "ro": "romanian", "ru": "russian", "sr": "serbian", "st": "sesotho", "es": "spanish", "sv": "swedish",
    "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}
# Languages without a Snowball stemmer: endings cut when at least `min` letters remain,
# longest first. Written for normalised text (no diacritics: ā → a, š → s; ї → і).
LIGHT: dict[str, tuple[int, tuple[str, ...]]] = {
    # Latvian noun, adjective and participle endings (all declensions, definite forms).
    "lv": (3, ("ajiem", "ajam", "ajai", "ajos", "ajas", "ajie", "iem", "ies", "am", "as", "ai", "os", "es",
               "is", "us", "ei", "em", "im", "um", "ie", "aj", "a", "e", "i", "u", "o", "s")),
    # Ukrainian noun and adjective endings (cases, numbers, genders), a few verb endings.
    "uk": (3, ("ими", "ами", "ями", "ові", "еві", "ого", "ому", "ій", "ий", "ої", "ою", "ею", "єю", "ів",
               "ам", "ям", "ах", "ях", "ом", "ем", "им", "ім", "их", "іх", "ти", "ться", "ся", "а", "я", "о",
               "е", "є", "і", "и", "у", "ю", "ь")),
}
ARTICLES = ("وال", "بال", "كال", "فال", "لل", "ال")  # the article, alone or after و ب ك ف, and ل+ال
LETTERS = {
    "\u0671": "\u0627",  # ٱ alef wasla → ا
    "\u0649": "\u064a",  # ى alef maqsura → ي
    "\u0629": "\u0647",  # ة taa marbuta → ه
    "\u06cc": "\u064a",  # Persian yeh ی → ي
    "\u06a9": "\u0643",  # Persian kaf ک → ك
    "\u0640": "",  # tatweel
    **{chr(0x660 + d): str(d) for d in range(10)}, **{chr(0x6f0 + d): str(d) for d in range(10)},
}
# ISO 15924 code -> how the Unicode names of its letters begin (JavaScript: \\p{Script=Latn}).
SCRIPT_NAMES = {
    "Latn": "LATIN ", "Arab": "ARABIC ", "Cyrl": "CYRILLIC ", "Grek": "GREEK ", "Armn": "ARMENIAN ",
    "Hebr": "HEBREW ", "Deva": "DEVANAGARI ", "Beng": "BENGALI ", "Taml": "TAMIL ", "Ethi": "ETHIOPIC ",
    "Geor": "GEORGIAN ", "Thai": "THAI ", "Khmr": "KHMER ", "Mymr": "MYANMAR ", "Sinh": "SINHALA ",
    "Guru": "GURMUKHI ", "Gujr": "GUJARATI ", "Telu": "TELUGU ", "Knda": "KANNADA ", "Mlym": "MALAYALAM ",
    "Orya": "ORIYA ", "Tibt": "TIBETAN ", "Laoo": "LAO ", "Hang": "HANGUL ",
}
KEEP_MARK = "\u0306"  # the breve of й (и + breve) and ў (у + breve): letters of their own
MIN_REST = 2  # letters that must remain after an article


# The marks dropped: diacritics of Latin, Greek and Cyrillic (combining blocks), Hebrew points,
# Arabic harakat, hamza and small letters. Marks of other scripts (Indic vowel signs…) are
# spelling, not accents: kept.
# The breve (U+0306) is dropped too, but not after и or у (:data:`KEEP_MARK`).
DIACRITICS = ((0x300, 0x305), (0x307, 0x36F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF), (0xFE20, 0xFE2F),
              (0x591, 0x5C7), (0x610, 0x61A), (0x64B, 0x65F), (0x670, 0x670), (0x6D6, 0x6ED), (0x8CA, 0x8FF))


@cache
def marks() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Patterns for the diacritics to drop (with and without the breve rule), and for words
    (letters, digits and marks: the same categories as JavaScript's \\p{M},
    :func:`~ici_site.content.invisible.category_class`). Made once per process from Python's
    Unicode data (a few hundredths of a second): a parent makes them before it forks renderers."""
    # one character class (letters, digits, "_" and marks) runs twice as fast as an alternation;
    # words() first turns "_" into a space, so it separates words as before. Python's re tries
    # a class's characters beyond the BMP range by range for each character the class does
    # not hold (the end of every word): they are tried apart, only for such characters.
    diacritics = f"[{ranges_class(DIACRITICS)}]"
    # the breve's look-behind after it: the pattern starts with a character class, so a search
    # jumps between candidates instead of trying every place
    return (re.compile(f"{diacritics}|{KEEP_MARK}(?<![иу]{KEEP_MARK})"), re.compile(diacritics),
            re.compile(rf"(?:[\w{category_class('M', 'bmp')}]++"
                       rf"|(?=[\U00010000-\U0010ffff])[{category_class('M', 'astral')}])+"))


_TABLE = str.maketrans(LETTERS)
_UNIFIED = re.compile(f"[{re.escape(''.join(LETTERS))}]")  # a text without them is left as it is by _TABLE
ASCII_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """``text`` folded for search: see the module's documentation."""
    if text.isascii():  # nothing to unfold, drop or unify (every rule is about other letters)
        return text.lower()
    with_breve, diacritics, _ = marks()
    folded = unicodedata.normalize("NFKD", text.lower())
    # the same result, faster: the alternation only where a breve is, the table only where its letters are
    folded = (with_breve if KEEP_MARK in folded else diacritics).sub("", folded)
    if _UNIFIED.search(folded):
        folded = folded.translate(_TABLE)
    return unicodedata.normalize("NFC", folded)


def words(text: str) -> list[str]:
    """The normalised words of ``text``.

    They are the words of its pieces (``text.split()``) one after the other: whitespace is no
    part of a word, folded or not, and no rule reaches across it (not even lower case's final
    sigma, nor Unicode's composition). The index folds and cuts each piece once (scoring)."""
    folded = normalise(text)
    if folded.isascii():  # no marks: runs of ASCII letters and digits
        return ASCII_WORD.findall(folded)
    return marks()[2].findall(folded.replace("_", " "))


def strip_article(word: str) -> str:
    """``word`` without a leading Arabic article (with its preposition), if enough remains."""
    for article in ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= MIN_REST:
            return word[len(article):]
    return word


@cache
def light_table(lang: str) -> tuple[int, tuple[str, ...]]:
    """The light stemmer of ``lang``: the letters that must remain, the endings longest first."""
    shortest, endings = LIGHT[_base(lang)]
    return shortest, tuple(sorted(set(endings), key=lambda e: (-len(e), e)))


def _light_stem(lang: str, word: str) -> str:
    shortest, endings = light_table(lang)
    for ending in endings:
        if word.endswith(ending) and len(word) - len(ending) >= shortest:
            return word[:-len(ending)]
    return word


@dataclass(frozen=True, slots=True)
class Analyser:
    """How the words of one language become terms."""

    lang: str
    stemmer: str  # Snowball algorithm, "light" (LIGHT table), or "" (none)
    script: str  # ISO 15924 code of the language's script, "" if unknown: only its words are stemmed

    def writes(self, word: str) -> bool:
        """Whether ``word`` has a letter of the language's script (then it is stemmed)."""
        prefix = SCRIPT_NAMES.get(self.script)
        return prefix is None or any(unicodedata.name(char, "").startswith(prefix) for char in word)

    def term(self, word: str) -> str:
        """The index term of a normalised word: stemmed if it is in the language's script
        (a name in Latin letters in an Arabic text is not Arabic), else as it is."""
        return _term(self, word)

    def index_table(self, shortest: int) -> Callable[[str], str | None]:
        """:meth:`term` as one function for the index, remembering each word's term (a city's
        vocabulary is small; every language repeats the source's); None for a term of fewer
        than ``shortest`` letters, which the index leaves out."""
        return _index_table(self, shortest)


@cache
def _index_table(analyser: Analyser, shortest: int) -> Callable[[str], str | None]:
    def indexed(word: str) -> str | None:  # keyed by the word alone: no analyser hashed per word
        term = _term(analyser, word)
        return term if len(term) >= shortest else None

    return cache(indexed)


def _term(analyser: Analyser, word: str) -> str:
    word = strip_article(word)
    if not analyser.writes(word):
        return word
    if analyser.stemmer == "light":
        word = _light_stem(analyser.lang, word)
    elif analyser.stemmer:
        word = _snowball(analyser.stemmer).stemWord(word)
    return normalise(word)


@cache
def _snowball(name: str) -> snowballstemmer.Stemmer:  # type: ignore[name-defined]  # untyped package
    return snowballstemmer.stemmer(name)


def _base(lang: str) -> str:
    return lang.split("-")[0].lower()


@cache
def analyser(lang: str) -> Analyser:
    """The analyser of a language code."""
    base = _base(lang)
    stemmer = SNOWBALL.get(base, "light" if base in LIGHT else "")
    script = locale(lang).script or _likely_script(lang)
    return Analyser(lang, stemmer, script if script in SCRIPT_NAMES else "")


def _likely_script(lang: str) -> str:
    from babel.core import get_global
    likely = get_global("likely_subtags").get(_base(lang).replace("-", "_"), "")
    parts = likely.split("_")
    return next((p for p in parts[1:] if len(p) == 4), "Latn")

