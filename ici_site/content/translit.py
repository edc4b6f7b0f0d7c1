"""ASCII names for folders and files: ``Λιβαδειά`` → ``livadeia``, ``Єлгава`` → ``yelhava``.

A city's folder and a page's file name become its web address, so they are ASCII
(lowercase letters, digits and '-'). An editor who types the name in their own script
gets the name their own country would write: Greek as ELOT 743 (the standard Greek
municipalities use for their web addresses and road signs: livadeia.gr, chalkida.gr),
Ukrainian as the 2010 national system (Kyiv, Yelhava), other Cyrillic as BGN/PCGN
(Moskva), Latin letters without their accents (Málaga → malaga).

An explicit table rather than ``text-unidecode``: unidecode reads Greek as ancient
Greek (Λιβαδειά → Libadeia, Ηράκλειο → Erakleio) and Ukrainian as Russian
(Єлгава → Elgava), which is not what anyone in those cities writes.
"""

from __future__ import annotations

import re
import unicodedata

DIAERESIS = "\u0308"

GREEK = dict(zip("αβγδεζηθικλμνξοπρσςτυφχψω",
                 ["a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m", "n", "x", "o", "p", "r",
                  "s", "s", "t", "y", "f", "ch", "ps", "o"], strict=True))
GREEK_PAIRS = {"αι": "ai", "ει": "ei", "οι": "oi", "ου": "ou", "υι": "yi", "γγ": "ng", "γκ": "gk", "γξ": "nx",
               "γχ": "nch", "ντ": "nt", "μπ": "mp"}
GREEK_U = {"α": "a", "ε": "e", "η": "i"}  # αυ, ευ, ηυ: v before a vowel or voiced consonant, else f
VOICELESS = set("θκξπστφχψς")

CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
                     "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"],
                    strict=True))
CYRILLIC.update({"є": "ye", "і": "i", "ї": "yi", "ґ": "g", "ў": "u", "ђ": "dj", "ј": "j", "љ": "lj", "њ": "nj",
                 "ћ": "c", "џ": "dz", "ѓ": "gj", "ќ": "kj", "ѕ": "dz"})
BY_LANGUAGE = {
    # Ukrainian, 2010 national system: є ї й ю я begin a word as ye yi y yu ya, else ie i i iu ia
    "uk": {"г": "h", "и": "y", "х": "kh", "щ": "shch", "ь": "", "'": "", "’": ""},
    "be": {"г": "h", "и": "i"},
    "bg": {"щ": "sht", "ъ": "a", "х": "h", "ц": "ts"},
    "sr": {"х": "h", "ц": "c", "ч": "c", "ш": "s", "ж": "z"},
    "mk": {"х": "h", "ц": "c", "ч": "c", "ш": "s", "ж": "z"},
}
APOSTROPHES = "'’ʼ"  # inside a Ukrainian word: Мар'янівка → marianivka
UKRAINIAN_INSIDE = {"є": "ie", "ї": "i", "й": "i", "ю": "iu", "я": "ia"}
LATIN = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h"}


def ascii_name(text: str, language: str | None = None) -> str:
    """``text`` as a name for a file or folder: lowercase ASCII letters, digits and '-'
    ("" when nothing of it can be written so). ``language`` chooses among the Cyrillic
    systems (``uk``, ``bg``, ``sr``...)."""
    lang = (language or "").split("-")[0].lower()
    letters = [_greek_letter(c) for c in text.lower()]  # (letter, has a diaeresis): ϊ ϋ break a pair
    out: list[str] = []
    table = {**CYRILLIC, **BY_LANGUAGE.get(lang, {})}
    i = 0
    while i < len(letters):
        char, _ = letters[i]
        nxt, nxt_diaeresis = letters[i + 1] if i + 1 < len(letters) else ("", False)
        after = letters[i + 2][0] if i + 2 < len(letters) else ""
        start = i == 0 or not (letters[i - 1][0].isalnum() or letters[i - 1][0] in APOSTROPHES)  # a word begins
        if char in GREEK:
            if char in GREEK_U and nxt == "υ" and not nxt_diaeresis:
                out.append(GREEK_U[char] + ("f" if not after or after in VOICELESS or after not in GREEK else "v"))
                i += 2
                continue
            pair = GREEK_PAIRS.get(char + nxt)
            if pair and not nxt_diaeresis:
                out.append("b" if pair == "mp" and (start or after not in GREEK) else pair)
                i += 2
                continue
            out.append(GREEK[char])
        elif char in table:
            out.append(UKRAINIAN_INSIDE[char] if lang == "uk" and char in UKRAINIAN_INSIDE and not start
                       else table[char])
        else:
            out.append(LATIN.get(char, char))
        i += 1
    plain = unicodedata.normalize("NFKD", "".join(out)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def _greek_letter(char: str) -> tuple[str, bool]:
    """A Greek letter without its accents, and whether it had a diaeresis; any other as it is
    (Cyrillic й and ё keep their marks: they are letters of their own)."""
    decomposed = unicodedata.normalize("NFD", char)
    return (decomposed[0], DIAERESIS in decomposed[1:]) if decomposed[0] in GREEK else (char, False)
