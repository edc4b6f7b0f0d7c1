"""Images an editor puts in the site (the city's logo): checked by what they hold.

A logo is copied into the site's own origin, where a browser that opens it
directly runs whatever it is. So a file is accepted only when its bytes are
what its name says: PNG, JPEG, WebP or GIF by their signatures, or an SVG in a
safe subset (drawing only: no script, no event attribute, no foreign content, no
link or style that loads anything from elsewhere, no DOCTYPE or entity). Sizes
are bounded: readers pay for every byte.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

MAX_BYTES = 512 * 1024  # a logo is shown 40 px high: far more than any sensible one
MAX_PIXELS = 4096  # width or height of a raster image (a small file can decode to gigabytes)

TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp",
         ".gif": "image/gif", ".svg": "image/svg+xml"}

SVG = "http://www.w3.org/2000/svg"
# What drawing programs leave in a file; browsers ignore these elements.
EDITOR_NAMESPACES = ("http://www.inkscape.org/namespaces/inkscape",
                     "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
                     "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://creativecommons.org/ns#",
                     "http://purl.org/dc/elements/1.1/", "http://purl.org/dc/terms/")
SVG_ELEMENTS = frozenset((  # no script, foreignObject, image, a, animate/set (which can rewrite an href)…
    "svg", "g", "defs", "symbol", "use", "title", "desc", "metadata", "path", "rect", "circle", "ellipse",
    "line", "polyline", "polygon", "text", "tspan", "textPath", "linearGradient", "radialGradient", "stop",
    "clipPath", "mask", "pattern", "marker", "filter", "feBlend", "feColorMatrix", "feComponentTransfer",
    "feComposite", "feFlood", "feGaussianBlur", "feMerge", "feMergeNode", "feOffset", "feFuncA", "feFuncB",
    "feFuncG", "feFuncR", "style", "switch"))
# url() of anything but a #fragment, @import; a backslash could spell either in a CSS escape.
OUTSIDE = re.compile(r"url\s*+\(\s*+['\"]?+\s*+(?!#)|@import|expression\s*\(|\\", re.IGNORECASE)
INSTRUCTION = re.compile(rb"<\?(?!xml\s)", re.IGNORECASE)  # <?xml-stylesheet?> loads a stylesheet


def image_type(name: str) -> str | None:
    """The media type of an image file name, None when it is no image we accept."""
    return TYPES.get(name[name.rfind("."):].lower()) if "." in name else None


def image_problem(name: str, data: bytes) -> str | None:
    """Why the file ``name`` holding ``data`` may not be copied into the site, or None."""
    kind = image_type(name)
    if kind is None:
        return f"'{name}' is not a PNG, JPEG, WebP, GIF or SVG file name"
    if len(data) > MAX_BYTES:
        return f"'{name}' is over {MAX_BYTES >> 10} KB; readers pay for every byte: use a small SVG or PNG"
    return CHECKS[kind](name, data)


def logo_problem(path: Path) -> str | None:
    """Why the logo file at ``path`` may not be copied into the site, or None (read at most
    one byte over the limit: a huge file is not read whole)."""
    with open(path, "rb") as fileobj:
        return image_problem(path.name, fileobj.read(MAX_BYTES + 1))


def read_logo(path: Path) -> bytes:
    """The logo's bytes for the site, checked again as they are copied (the file may have
    changed since the site was loaded); a :class:`ValueError` if they are no longer acceptable."""
    data = path.read_bytes()
    problem = image_problem(path.name, data)
    if problem:
        raise ValueError(problem)
    return data


def _signature(expected: str, matches: Callable[[bytes], bool]) -> Callable[[str, bytes], str | None]:
    def check(name: str, data: bytes) -> str | None:
        if not matches(data):
            return f"'{name}' is not a {expected} image (its content says otherwise): save it again as {expected}"
        return None
    return check


def _png(name: str, data: bytes) -> str | None:
    problem = _signature("PNG", lambda d: d.startswith(b"\x89PNG\r\n\x1a\n") and d[12:16] == b"IHDR")(name, data)
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return problem or _pixels(name, width, height)


def _gif(name: str, data: bytes) -> str | None:
    problem = _signature("GIF", lambda d: d[:6] in (b"GIF87a", b"GIF89a") and len(d) >= 10)(name, data)
    width, height = int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little")
    return problem or _pixels(name, width, height)


def _pixels(name: str, width: int, height: int) -> str | None:
    if max(width, height) > MAX_PIXELS or not width or not height:
        return f"'{name}' is {width}×{height} pixels; a logo needs at most {MAX_PIXELS}"
    return None


def _svg(name: str, data: bytes) -> str | None:
    """An SVG is accepted only in the drawing subset described in the module's docstring."""
    try:
        data.decode("utf-8")  # what the scans below read: another encoding could hide a DOCTYPE
    except UnicodeDecodeError:
        return f"'{name}' is not UTF-8 text: save the SVG as UTF-8"
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        return _unsafe(name, "a DOCTYPE or entity")
    if INSTRUCTION.search(data):
        return _unsafe(name, "a processing instruction such as <?xml-stylesheet?>")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        return f"'{name}' is not a well-formed SVG file: {exc}"
    if root.tag != f"{{{SVG}}}svg":
        return f"'{name}' is not an SVG image (its first element is not <svg> in the SVG namespace)"
    for element in root.iter():
        problem = _element_problem(element)
        if problem:
            return _unsafe(name, problem)
    return None


def _element_problem(element: ET.Element) -> str | None:
    namespace, _, local = element.tag[1:].partition("}") if element.tag.startswith("{") else ("", "", element.tag)
    if namespace in EDITOR_NAMESPACES:
        return None
    if namespace != SVG or local not in SVG_ELEMENTS:
        return f"the element <{local}>"
    if local == "style" and OUTSIDE.search("".join(element.itertext())):
        return "a style that loads a file (url(), @import)"
    for attribute, value in element.attrib.items():
        bare = attribute.rpartition("}")[2].lower()
        if bare.startswith("on"):
            return f"the event attribute {bare}"
        if bare == "href" and not value.strip().startswith("#"):  # in any namespace: xlink:, svg:, none
            return f"a link to '{value[:40]}' (only #fragment links inside the file are allowed)"
        if OUTSIDE.search(value):
            return f"the attribute {bare}, which loads a file (url(), @import)"
    return None


def _unsafe(name: str, what: str) -> str:
    return f"'{name}' holds {what}, which could run or load something in the site: " \
           "export the logo again as plain SVG (drawing only) or as PNG"


CHECKS: dict[str, Callable[[str, bytes], str | None]] = {
    "image/png": _png,
    "image/jpeg": _signature("JPEG", lambda d: d.startswith(b"\xff\xd8\xff")),
    "image/webp": _signature("WebP", lambda d: d[:4] == b"RIFF" and d[8:12] == b"WEBP"),
    "image/gif": _gif,
    "image/svg+xml": _svg,
}
