"""Property tests (hypothesis) of what the build writes and copies: escaping per format,
catalog writes, the output folder rule, copied images and failure messages.

Same profiles as tests/test_properties.py: `HYPOTHESIS_PROFILE=long` runs 10,000
examples per property (`HYPOTHESIS_PROFILE=long python -m pytest tests/test_properties_files.py`)."""

from __future__ import annotations

import csv
import errno
import html.parser
import io
import json
import os
import re
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import test_properties  # noqa: F401  (registers and loads the ci / long profiles)
from hypothesis import given
from hypothesis import strategies as st

from ici_site.build.output_folder import PROTECTED, output_folder_problem
from ici_site.content.images import SVG_ELEMENTS, image_problem
from ici_site.errors import os_problem
from ici_site.i18n.pofile import CatalogChanged, atomic_write, file_state
from ici_site.site.escape import (
    csv_cell,
    json_for_script,
    vcard_line,
    vcard_text,
    vcard_unfold,
    xml_attr,
    xml_text,
)

# Text a translation can hold: anything, with the characters each format treats specially
# drawn far more often than chance would.
SPECIAL = st.sampled_from(list("\\,;:\r\n\t\x0b\x0c\x85\u2028\u2029<>&\"'=+-@/ é\x00\x1f\x7f") + [
    "\r\n", "</script>", "<!--", "-->", "]]>", "=HYPERLINK(", "BEGIN:VCARD", "END:VCARD", "\\n", "ب", "🙂"])
TEXT = st.lists(st.one_of(SPECIAL, st.text(st.characters(blacklist_categories=["Cs"]), max_size=4)),
                max_size=12).map("".join)
LINE_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")


# -- vCard -----------------------------------------------------------------------------------

def vcard_fields(value: str) -> list[str]:
    """A reader's split of a structured value on unescaped ``;`` then its unescaping."""
    parts = re.split(r"(?<!\\)((?:\\\\)*);", value)
    joined = "".join(parts)
    return [re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), joined)]


@given(TEXT)
def test_vcard_text_is_one_value_on_one_content_line(text: str) -> None:
    escaped = vcard_text(text)
    assert not re.search(r"[\r\n\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029]", escaped)
    assert re.search(r"(?<!\\)(?:\\\\)*[;,]", escaped.replace("\\;", "").replace("\\,", "")) is None
    folded = vcard_line("NOTE:" + escaped)
    physical = folded.split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in physical)
    assert all(line.startswith(" ") for line in physical[1:])
    assert vcard_unfold(folded) == "NOTE:" + escaped
    expected = re.sub(r"[\x00-\x08\x0e-\x1f\x7f]", "", LINE_BREAKS.sub("\n", text))
    assert re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), escaped) == expected


# -- JSON in a script element or a .js file ----------------------------------------------------

JSON = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), TEXT),
                    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)),
                    max_leaves=6)


class _ScriptText(html.parser.HTMLParser):
    """What an HTML parser puts inside the first <script> element."""

    def __init__(self) -> None:
        super().__init__()
        self.inside, self.text, self.ended = False, "", 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.inside = self.inside or tag == "script"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.inside, self.ended = False, self.ended + 1

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.text += data


@given(JSON)
def test_json_for_script_is_the_same_value_and_stays_inside_its_element(value: object) -> None:
    text = json_for_script(value)
    assert json.loads(text) == value
    assert not re.search("[<>&\u2028\u2029]", text)  # a JavaScript line cannot end, an element cannot close
    parser = _ScriptText()
    parser.feed(f'<script type="application/ld+json">{text}</script><p>after</p>')
    parser.close()
    assert parser.text == text and parser.ended == 1


# -- CSV -------------------------------------------------------------------------------------

@given(st.lists(TEXT, min_size=1, max_size=5))
def test_csv_cells_come_back_and_never_start_a_formula(row: list[str]) -> None:
    row = [cell.replace("\x00", "") for cell in row]  # the csv module refuses NUL
    cells = [csv_cell(cell) for cell in row]
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerow(cells)
    back = next(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    assert back == cells
    for original, cell in zip(row, back, strict=True):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠"))
        assert cell in (original, "'" + original)


# -- XML -------------------------------------------------------------------------------------

@given(TEXT)
def test_xml_text_and_attribute_parse_back_to_the_text(text: str) -> None:
    document = f'<r a="{xml_attr(text)}" b=\'{xml_attr(text)}\'>{xml_text(text)}</r>'
    root = ET.fromstring(document.encode("utf-8"))
    kept = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", text)
    assert (root.text or "") == kept and root.get("a") == kept and root.get("b") == kept
    assert len(root) == 0  # no element came from the text


# -- catalogs: a write keeps the mode and refuses a file changed since it was read -------------------

@given(mode=st.sampled_from([0o600, 0o640, 0o644, 0o660, 0o664, 0o666, 0o400, 0o444]),
       before=st.binary(max_size=60), meanwhile=st.one_of(st.none(), st.binary(max_size=60)),
       new=st.binary(max_size=60))
def test_catalog_write_keeps_mode_and_what_others_saved(tmp_path_factory, mode: int, before: bytes,
                                                         meanwhile: bytes | None, new: bytes) -> None:
    folder = tmp_path_factory.mktemp("po")
    path = folder / "x.po"
    path.write_bytes(before)
    path.chmod(mode)
    read = file_state(path)
    if meanwhile is not None:  # someone saves it after it was read
        path.chmod(0o644)
        path.write_bytes(meanwhile)
        path.chmod(mode)
    try:
        atomic_write(path, new, read)
        assert meanwhile is None or meanwhile == before
        assert path.read_bytes() == new
    except CatalogChanged:
        assert meanwhile is not None and meanwhile != before
        assert path.read_bytes() == meanwhile
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert [p.name for p in folder.iterdir()] == ["x.po"]


# -- the output folder --------------------------------------------------------------------------

PARTS = st.lists(st.sampled_from([*PROTECTED, "..", ".", "_site", "public", "demoville", "LC_MESSAGES"]),
                 min_size=1, max_size=5)


@given(PARTS)
def test_output_folder_never_holds_or_lies_in_the_project_folders(tmp_path_factory, parts: list[str]) -> None:
    base = tmp_path_factory.getbasetemp() / "outs"
    root = base / "a" / "project"
    out = root.joinpath(*parts)
    target = Path(os.path.normpath(out))
    kept = [root, *(root / name for name in PROTECTED)]
    unsafe = any(os.path.commonpath([target, folder]) == str(target) for folder in kept) \
        or any(os.path.commonpath([target, root / name]) == str(root / name) for name in PROTECTED)
    assert (output_folder_problem(out, root) is not None) == unsafe


# -- copied images --------------------------------------------------------------------------------

SVG_NS = "http://www.w3.org/2000/svg"
ELEMENTS = st.sampled_from([*sorted(SVG_ELEMENTS), "script", "foreignObject", "a", "image", "set", "animate",
                            "iframe", "html:script", "x:script"])
ATTRIBUTES = st.sampled_from(["fill", "d", "href", "xlink:href", "onload", "ONCLICK", "style", "filter", "id",
                              "html:onclick", "x:href"])
VALUES = st.one_of(st.sampled_from(["#a", " #a", "url(#a)", "url( #a)", "url(http://e.example/)",
                                    "javascript:alert(1)", "u\\72l(//e)", "@import 'x'", "red", "data:x"]),
                   st.text(st.characters(blacklist_categories=["Cs", "Cc"]), max_size=8))
NODE = st.tuples(ELEMENTS, st.lists(st.tuples(ATTRIBUTES, VALUES), max_size=3, unique_by=lambda a: a[0]),
                 st.sampled_from(["", "x", "@import 'y';", "a{fill:url(http://e)}", "<![CDATA[<script>]]>"]))


def svg_document(nodes: list[tuple[str, list[tuple[str, str]], str]], prolog: str) -> bytes:
    body = ""
    for name, attributes, text in nodes:
        attrs = "".join(f' {a}="{xml_attr(v)}"' for a, v in attributes)
        body += f"<{name}{attrs}>{text}</{name}>"
    return (f'{prolog}<svg xmlns="{SVG_NS}" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'xmlns:html="http://www.w3.org/1999/xhtml" xmlns:x="{SVG_NS}">{body}</svg>').encode()


@given(st.lists(NODE, max_size=5),
       st.sampled_from(["", '<?xml version="1.0"?>', "<!DOCTYPE svg>", '<?xml-stylesheet href="x"?>',
                        '<!DOCTYPE s [<!ENTITY e "x">]>']))
def test_an_accepted_svg_holds_only_drawing(nodes: list, prolog: str) -> None:
    data = svg_document(nodes, prolog)
    if image_problem("logo.svg", data) is not None:
        return
    assert "<!" not in prolog and "stylesheet" not in prolog
    for element in ET.fromstring(data).iter():
        tag = element.tag.rpartition("}")[2]
        assert element.tag.startswith("{" + SVG_NS) and tag in SVG_ELEMENTS
        for attribute, value in element.attrib.items():
            name = attribute.rpartition("}")[2].lower()
            assert not name.startswith("on")
            assert name != "href" or value.strip().startswith("#")
            assert "\\" not in value and not re.search(r"url\(\s*['\"]?\s*[^\s#'\"]", value, re.IGNORECASE)
        if tag == "style":
            assert not re.search(r"url\(|@import|\\", "".join(element.itertext()), re.IGNORECASE)


@given(st.sampled_from(["logo.png", "logo.jpg", "logo.jpeg", "logo.webp", "logo.gif", "logo.svg", "logo.PNG",
                        "logo", "logo.html", "logo.svgz"]),
       st.one_of(st.binary(max_size=200), st.sampled_from([b"\x89PNG\r\n\x1a\n", b"GIF89a", b"RIFF", b"\xff\xd8\xff",
                                                           b"<svg", b"<html>"]).flatmap(
           lambda head: st.binary(max_size=100).map(lambda tail: head + tail))))
def test_any_bytes_under_any_name_give_an_answer_not_a_crash(name: str, data: bytes) -> None:
    problem = image_problem(name, data)
    assert problem is None or ("\n" not in problem and name in problem)
    if problem is None and not name.lower().endswith(".svg"):  # an accepted raster starts with its signature
        assert data.startswith((b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"\xff\xd8\xff")) or data[8:12] == b"WEBP"


# -- failures of the operating system ---------------------------------------------------------------

@given(st.sampled_from([errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOENT, errno.ENOTDIR,
                        errno.EISDIR, errno.EIO, errno.EDQUOT]),
       st.one_of(st.text(max_size=20), st.binary(max_size=20)), st.booleans())
def test_an_os_failure_is_one_line_naming_the_path(code: int, name: str | bytes, inside: bool) -> None:
    root = Path("/srv/project")
    filename = os.path.join(os.fsencode(root) if isinstance(name, bytes) else str(root), name) if inside else name
    line = os_problem(OSError(code, os.strerror(code), filename), root)
    assert "\n" not in line and "\r" not in line and line.isprintable()
    assert line.endswith(": " + os.strerror(code)[:1].lower() + os.strerror(code)[1:])
    if inside and name and "\\" not in os.fsdecode(name) and os.fsdecode(name).isprintable():
        assert line.startswith(Path(os.fsdecode(name)).as_posix() if name not in (".", b".") else ".")


pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
