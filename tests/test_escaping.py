"""Every output is escaped for its format: a translation holding a raw carriage return,
a line separator, ``</script>``, ``;`` or ``,`` stays one value in the vCard, the
JSON-LD, the search index script and the service worker (and the helpers for CSV and
XML, used by the publishing outputs, keep formulas and markup out)."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from ici_site.site.escape import (
    csv_cell,
    json_for_script,
    vcard_line,
    vcard_text,
    vcard_unfold,
    xml_attr,
    xml_text,
)

# Hostile, yet past the safety check (which refuses CR, U+2028/2029 and other controls in a
# translation: tests/test_safety_forms.py): what is left must still be escaped per format.
HOSTILE_TITLE = "French\ncourses; one, two\nEND:VCARD\nBEGIN:VCARD FN:Evil </script><!--x & y\\"
HOSTILE_SUMMARY = "Free; for all, ask\n=HYPERLINK(\"x\") \\"


def translate(root: Path, lang: str, table: dict[str, str]) -> None:
    """Set translations in a city's catalog the way a translator's tool would save them."""
    path = root / "locales" / lang / "LC_MESSAGES" / "demoville.po"
    with open(path, "rb") as fileobj:
        catalog = read_po(fileobj)
    for msgid, msgstr in table.items():
        catalog[msgid].string = msgstr
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    path.write_bytes(buffer.getvalue())


def hostile_site(project, cli) -> Path:
    root = project("basic")
    translate(root, "en", {"Cours de français": HOSTILE_TITLE, "Des cours gratuits pour adultes.": HOSTILE_SUMMARY})
    result = cli(root, "build")
    assert result.code == 0, result.err
    return root / "_site" / "demoville"


def vcard_properties(data: bytes) -> list[tuple[str, str]]:
    """(name with parameters, value) of each content line, the way a vCard reader splits them."""
    text = data.decode("utf-8")
    assert re.search(r"\r(?!\n)|(?<!\r)\n", text) is None, "a bare CR or LF would start a new line"
    lines = vcard_unfold(text).split("\r\n")
    assert lines[-1] == ""
    return [tuple(line.split(":", 1)) for line in lines[:-1]]  # type: ignore[misc]


def unescape_vcard(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def test_a_translation_cannot_add_or_break_vcard_lines(project, cli) -> None:
    site = hostile_site(project, cli)
    data = (site / "en/services/cours-de-francais.vcf").read_bytes()
    properties = vcard_properties(data)
    names = [name for name, _ in properties]
    assert names.count("BEGIN") == names.count("END") == 1 and names[0] == "BEGIN" and names[-1] == "END"
    assert all(len(line.encode()) <= 75 for line in data.decode().split("\r\n"))  # folded (RFC 6350 §3.2)
    value = dict(properties)["FN"]
    assert re.search(r"(?<!\\)[;,]", value) is None  # a raw ; or , would split the value into fields
    expected = re.sub(r"\r\n|[\r\n\u2028\u2029]", "\n", HOSTILE_TITLE)
    assert unescape_vcard(value) == expected
    assert unescape_vcard(dict(properties)["NOTE"]) == HOSTILE_SUMMARY.replace("\u2028", "\n")


def test_json_ld_and_search_index_keep_hostile_text_as_data(project, cli) -> None:
    site = hostile_site(project, cli)
    page = (site / "en/services/cours-de-francais.html").read_text("utf-8")
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL)
    assert len(scripts) == 1
    for raw in scripts:
        assert not re.search("[<>\u2028\u2029]", raw)  # cannot end the element or a JavaScript line
        data = json.loads(raw)
        assert data["name"] == HOSTILE_TITLE and data["description"] == HOSTILE_SUMMARY
    head = (site / "en/search/docs.js").read_text("utf-8")  # result titles, as the search page shows them
    assert not re.search("[<\u2028\u2029]", head)
    data = json.loads(head[head.index("(") + 1:head.rindex(")")])
    assert any(" ".join(HOSTILE_TITLE.split()).startswith(title[:40]) for _url, title, _summary in data["docs"])


def test_vcard_text_escapes_each_special_character() -> None:
    assert vcard_text("a\\b,c;d\re\r\nf\ng\u2028h\x00i") == "a\\\\b\\,c\\;d\\ne\\nf\\ng\\nh" + "i"
    assert vcard_line("X:" + "é" * 40) == "X:" + "é" * 36 + "\r\n " + "é" * 4  # 74 octets, then 1 + 8
    assert vcard_unfold(vcard_line("NOTE:" + "word " * 40)) == "NOTE:" + "word " * 40


def test_json_for_script_is_json_and_safe_in_a_script_element() -> None:
    value = {"a": "</script><!-- & \u2028\u2029 é"}
    text = json_for_script(value)
    assert json.loads(text) == value
    assert not re.search("[<>&\u2028\u2029]", text) and "é" in text


def test_csv_cells_never_start_a_formula() -> None:
    rows = [[csv_cell(v) for v in ("=HYPERLINK(\"http://x\")", "+33 1 99", "-1", "@SUM(A1)", "\tx", "ok, \"quoted\"\n")]]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    back = next(csv.reader(io.StringIO(buffer.getvalue())))
    assert [cell[:1] for cell in back[:5]] == ["'"] * 5
    assert back[5] == "ok, \"quoted\"\n"


def test_xml_text_and_attributes_parse_back_to_the_value() -> None:
    value = "a < b & c > d \"q\" 'p'\r\n\tend\x00\x1f"
    root = ET.fromstring(f"<r a=\"{xml_attr(value)}\" b='{xml_attr(value)}'>{xml_text(value)}</r>")
    kept = value.replace("\x00", "").replace("\x1f", "")
    assert root.text == kept and root.get("a") == kept and root.get("b") == kept
