"""Nothing forged: every form in which a translation can add or change a link, an image,
a phone number, an e-mail address or a number, or hide how one reads, is refused.

The translation is read as a browser reads the page (rendered Markdown, character
references decoded, URLs parsed the WHATWG way), so the forms that once passed
(`//host`, `HTTPS:`, `&#104;ttps:`, raw `<a href>`, `tel:` links, direction
overrides) are each a test here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from ici_site.i18n.safety import check_translation

SOURCE = "Voir [le site](https://example.org/cours). Appelez le 01 99 00 00 02 à 12h."
SAME = "See [the site](https://example.org/cours). Call 01 99 00 00 02 at 12h."


@pytest.mark.parametrize(("translation", "problem"), [
    # another site, in each form a browser follows
    (SAME + " [More](//evil.example/)", "adds the link //evil.example/"),
    (SAME + " [More](HTTPS://evil.example/)", "adds the link https://evil.example/"),
    (SAME + " [More](&#104;ttps://evil.example/)", "adds the link https://evil.example/"),
    (SAME + " [More](&#x68;&#x74;tps://evil.example/)", "adds the link https://evil.example/"),
    (SAME + ' <a href="https://evil.example/">More</a>', "adds the link https://evil.example/"),
    (SAME + ' <a href="ht&#9;tps://evil.example/">More</a>', "adds the link https://evil.example/"),
    (SAME + ' <a href="&#1; https://evil.example/">More</a>', "adds the link https://evil.example/"),
    (SAME + ' <a href="\\\\evil.example/">More</a>', "adds the link //evil.example/"),
    (SAME + " <https://evil.example/>", "adds the link https://evil.example/"),
    (SAME + " See www.evil.example.", "adds the address www.evil.example"),
    (SAME.replace("https://example.org/cours", "https://example.org/cours@evil.example/"), "adds the link"),
    # a changed target is a lost one and an added one
    (SAME.replace("https://example.org/cours", "https://example.org/c0urs"), "loses the link https://example.org/cours"),
    # phone numbers in links: a short premium-rate number, SMS, and a longer one
    (SAME + ' <a href="tel:3615">Call us</a>', "adds the phone number"),
    (SAME + " [Call](tel:3615)", "adds the phone number"),
    (SAME + ' <a href="sms:+33899001234?body=OK">Text us</a>', "adds the phone number +33899001234"),
    (SAME + " Or 08 99 00 12 34.", "adds the phone number +33899001234"),
    # e-mail addresses, in text and in links
    (SAME + " [Write](mailto:help@evil.example)", "adds the e-mail address help@evil.example"),
    (SAME + " Write to help@evil.example.", "adds the e-mail address help@evil.example"),
    # images
    (SAME + " ![logo](https://evil.example/pixel.png)", "adds the image https://evil.example/pixel.png"),
    (SAME + ' <img src="//evil.example/pixel.png" alt="">', "adds the image //evil.example/pixel.png"),
    # numbers: added ones too, in any script
    (SAME + " Fee: 50 €.", "adds the number 50"),
    (SAME + " Fee: ٥٠ €.", "adds the number 50"),
    (SAME.replace("12h", "13h"), "loses the number 12"),
    # invisible characters that change how a fact reads
    (SAME.replace("12h", "\u202e12\u202ch"), "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    (SAME.replace("12h", "\u206712\u2069h"), "U+2067 (RIGHT-TO-LEFT ISOLATE)"),
    (SAME.replace("00 02", "00\u200f 02"), "U+200F (RIGHT-TO-LEFT MARK)"),
    (SAME.replace("12h", "1\u200b2h"), "U+200B (ZERO WIDTH SPACE)"),
    (SAME.replace("12h", "1\u00ad2h"), "U+00AD (SOFT HYPHEN)"),
    (SAME.replace("See", "See\U000e0041"), "U+E0041 (TAG LATIN CAPITAL LETTER A)"),
])
def test_a_forged_or_hidden_fact_is_refused(translation: str, problem: str) -> None:
    found = check_translation(SOURCE, translation, markdown=True, region="FR")
    assert any(problem in p for p in found), found


@pytest.mark.parametrize("translation", [
    SAME,
    SAME.replace("https://example.org/cours", "HTTPS://example.org/cours"),  # the same URL for a browser
    SAME.replace("https://example.org/cours", "&#104;ttps://example.org/cours"),
    SAME.replace("01 99 00 00 02", "+33 1 99 00 00 02"),  # the national number with its country code
    "انظر [الموقع](https://example.org/cours). اتصل على ٠١ ٩٩ ٠٠ ٠٠ ٠٢ الساعة ١٢.",
    "[سایت](https://example.org/cours) را ببینید. می\u200cتوانید با ۰۱ ۹۹ ۰۰ ۰۰ ۰۲ ساعت ۱۲ تماس بگیرید.",
    "देखें [साइट](https://example.org/cours)। १२ बजे 01 99 00 00 02 पर कॉल करें।",  # Devanagari digits
    SAME + " At 12:00.",  # ":00" adds only zero: "12h" is "12:00"
])
def test_a_faithful_translation_passes(translation: str) -> None:
    assert check_translation(SOURCE, translation, markdown=True, region="FR") == ()


def test_a_plain_text_field_is_read_as_written() -> None:
    """Titles and summaries are escaped, never HTML: a reference stays text, but a
    direction override or an added address is still refused."""
    assert check_translation("Cours 2026", "Courses 2026", markdown=False) == ()
    assert check_translation("Cours 2026", "Courses \u202e2026", markdown=False)
    assert check_translation("Cours", "Courses https://evil.example/", markdown=False)


def test_a_reference_link_pointing_elsewhere_is_refused() -> None:
    found = check_translation("Voir [le site][cours].", "See [the site][other].", markdown=True)
    assert any("loses the link [cours]" in p for p in found), found


# -- the whole chain: check, build, status --------------------------------------------

PO = "locales/en/LC_MESSAGES/demoville.po"
PARAGRAPH = ("Les cours ont lieu **deux fois** par semaine. Inscription sur "
             "[notre site](https://example.org/cours).")
PARAGRAPH_EN = "The courses take place **twice** a week. Sign up on [our site](https://example.org/cours)."


def set_translation(root: Path, msgid: str, text: str, fuzzy: bool = False) -> int:
    """Write ``text`` as the translation of ``msgid`` (as Poedit would); return its line."""
    path = root / PO
    with path.open("rb") as f:
        catalog = read_po(f)
    message = catalog[msgid]
    message.string = text
    message.flags.discard("fuzzy")
    if fuzzy:
        message.flags.add("fuzzy")
    with path.open("wb") as f:
        write_po(f, catalog, width=76, sort_by_file=True)
    with path.open("rb") as f:
        return next(m.lineno for m in read_po(f) if m.id == msgid)


def test_a_forged_link_is_reported_and_never_published(project, cli) -> None:
    root = project("basic")
    line = set_translation(root, PARAGRAPH, PARAGRAPH_EN + ' <a href="tel:3615">Help</a> [More](//evil.example/)')
    result = cli(root, "check")
    assert result.code == 1, result.err
    assert f"{PO}:{line}: msgstr: translation of" in result.err
    assert "adds the link //evil.example/" in result.err and "adds the phone number" in result.err
    assert cli(root, "build").code == 0
    html = (root / "_site/demoville/en/services/cours-de-francais.html").read_text(encoding="utf-8")
    assert "evil.example" not in html and "3615" not in html
    assert "Les cours ont lieu" in html  # the reader gets the source text instead


def test_an_unsafe_fuzzy_translation_is_a_warning_counted_once(project, cli) -> None:
    root = project("basic")
    set_translation(root, PARAGRAPH, PARAGRAPH_EN.replace("twice", "3 times"), fuzzy=True)
    before = {(r["city"], r["lang"]): r for r in json.loads(cli(root, "status", "--json").out)}
    result = cli(root, "check")
    assert result.code == 0, result.err
    assert "warning: " in result.err and "fuzzy translation of 'Les cours ont lieu" in result.err
    assert "adds the number 3" in result.err
    rows = {(r["city"], r["lang"]): r for r in json.loads(cli(root, "status", "--json").out)}
    row = rows["demoville", "en"]
    assert row["unsafe"] == 0 and row["fuzzy"] == before["demoville", "en"]["fuzzy"]


def test_a_direction_override_in_content_is_refused_with_file_line_and_field(project, cli) -> None:
    root = project("basic")
    service = root / "content/demoville/services/cours-de-francais.md"
    text = service.read_text(encoding="utf-8")
    service.write_text(text.replace("summary: Des cours", "summary: \u202eDes cours")
                       .replace("deux fois", "deux\u200b fois"), encoding="utf-8")
    result = cli(root, "check")
    assert result.code == 1
    assert "content/demoville/services/cours-de-francais.md:3: summary: the invisible character U+202E" in result.err
    assert "Traceback" not in result.err
    service.write_text(text.replace("deux fois", "deux\u200b fois"), encoding="utf-8")
    result = cli(root, "check")
    line = text.split("\n").index(next(x for x in text.split("\n") if "deux fois" in x)) + 1
    assert f"cours-de-francais.md:{line}: text: the invisible character U+200B" in result.err


def test_persian_joiners_stay_allowed_in_content(project, cli) -> None:
    root = project("basic")
    service = root / "content/demoville/services/cours-de-francais.md"
    service.write_text(service.read_text(encoding="utf-8").replace("> Venez avec un cahier.",
                                                                   "> Venez avec un cahier (می\u200cخواهم)."),
                       encoding="utf-8")
    assert cli(root, "check").code == 0


@pytest.mark.parametrize("joined", ["و", "ب", "ل"])
def test_an_arabic_prefix_joined_to_a_phone_number_keeps_the_whole_number(joined: str) -> None:
    # Arabic writes "and", "with", "to" joined to the next word: the number is still the source's
    source = "Centre antipoison : 070 245 245."
    translation = f"مركز السموم {joined}070 245 245."
    assert check_translation(source, translation, markdown=True, region="BE") == ()
    assert check_translation(source, f"مركز السموم {joined}070 245 246.", markdown=True, region="BE")


@pytest.mark.parametrize(("category", "plane"), [("M", "bmp"), ("M", "astral"), ("Cf", ""), ("Zs", ""), ("Cn", "")])
def test_character_classes_hold_every_character_of_their_category(category: str, plane: str) -> None:
    """The classes the safety check and the search's words use (read from one pass over the
    Unicode data) hold exactly the characters of their category, in their planes."""
    import re
    import unicodedata

    from ici_site.content.invisible import category_class

    pattern = re.compile(f"[{category_class(category, plane)}]")
    codes = {"bmp": range(0x10000), "astral": range(0x10000, 0x20000)}.get(plane, range(0x20000))
    for code in (*codes, *(range(0xE0000, 0xE1000) if plane != "bmp" else ())):
        char = chr(code)
        assert bool(pattern.match(char)) == unicodedata.category(char).startswith(category), hex(code)


def test_a_printable_text_without_the_printable_candidates_has_no_hidden_character() -> None:
    """hidden_characters skips its search for a printable text without PRINTABLE_CANDIDATES:
    every other character it looks for is one Python does not count as printable."""
    from ici_site.content.invisible import CANDIDATE, PRINTABLE_CANDIDATES, hidden_characters
    candidates = [chr(code) for code in range(0x110000) if CANDIDATE.fullmatch(chr(code))]
    assert {char for char in candidates if char.isprintable()} == set(PRINTABLE_CANDIDATES)
    for char in candidates:  # each one is still found at the end of a line of text
        assert [hidden.char for hidden in hidden_characters(f"appelez le 3919{char}")] == [char], hex(ord(char))
