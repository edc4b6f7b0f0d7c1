"""Bundles of a built city for offline use: a zip for USB sticks, a ZIM file for Kiwix.

``bundle`` reads a city folder the build made (it is not part of the build): the zip
holds the folder as it is (unzip, open ``<city>/index.html``); the ZIM file holds every
file at the same path as on the site, the language chooser as its main page, a
full-text index, and the metadata Kiwix shows in its library.

Both are reproducible where their formats allow: zip entries carry the build date
(SOURCE_DATE_EPOCH) and fixed permissions, in path order, so the zip is byte-identical
from one run to the next; a ZIM file carries a random UUID that python-libzim 2.1 does
not let us set, so two ZIM files of the same site differ in those bytes only.
"""

from __future__ import annotations

import datetime as dt
import html
import mimetypes
import re
import shutil
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ici_site.content.loaders import load_site
from ici_site.content.model import City
from ici_site.errors import ContentError, Problem
from ici_site.site import urls
from ici_site.site.precompress import SUFFIXES, wanted

ZIP_EPOCH = dt.date(1980, 1, 1)  # the earliest date a zip entry can hold
TITLE = re.compile(rb"<title>(.*?)</title>", re.DOTALL)
DOWNLOAD = re.compile(rb'\n?<p class="download">.*?</p>', re.DOTALL)  # see strip_download
MIMETYPES = {".webmanifest": "application/manifest+json", ".atom": "application/atom+xml",
             ".vcf": "text/vcard", ".js": "text/javascript", ".csv": "text/csv", ".md": "text/markdown"}


@dataclass(frozen=True, slots=True)
class Bundled:
    """What ``bundle`` wrote for one city."""

    zip: Path
    zim: Path


def published_files(folder: Path) -> Iterator[tuple[str, Path]]:
    """(path inside the city folder, file) of every file of a built city, in path order."""
    files = {path.relative_to(folder).as_posix(): path for path in folder.rglob("*")
             if path.is_file() and not path.name.endswith(SUFFIXES)}  # .gz/.br: for HTTP only
    files.pop(urls.download(folder.name), None)  # a bundle never holds itself
    yield from sorted(files.items())


def strip_download(data: bytes) -> bytes:
    """A page without its "download this guide" link: inside a bundle the zip is not there."""
    return DOWNLOAD.sub(b"", data)


def write_zip(folder: Path, target: Path, day: dt.date) -> None:
    """The city folder as a zip (``<city>/…``), with fixed dates and permissions."""
    stamp = max(day, ZIP_EPOCH).timetuple()[:6]
    partial = target.with_name(target.name + ".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path, file in published_files(folder):
            info = zipfile.ZipInfo(f"{folder.name}/{path}", stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix: the permissions above are read as such
            data = file.read_bytes()
            archive.writestr(info, strip_download(data) if path.endswith(".html") else data)
    partial.replace(target)  # never a half-written bundle under the final name


def mimetype(path: str) -> str:
    """The MIME type Kiwix serves a file with."""
    suffix = Path(path).suffix
    return MIMETYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"


def page_title(data: bytes, fallback: str) -> str:
    """A page's <title> (what Kiwix's search and suggestions show)."""
    found = TITLE.search(data)
    if not found:
        return fallback
    return html.unescape(found.group(1).decode("utf-8")).strip() or fallback


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A PNG of one colour (8-bit RGB), written with zlib: no image library needed."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    row = b"\x00" + bytes(rgb) * width  # filter type 0, then the pixels
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * height, 9)) + chunk(b"IEND", b""))


def illustration(city: City, folder: Path) -> bytes:
    """The 48×48 PNG Kiwix shows for the ZIM: the logo if it is such a PNG, else a square
    in the city's theme colour (an SVG logo would need a renderer such as Cairo or a browser)."""
    if city.logo and city.logo.endswith(".png"):
        data = (folder / urls.asset(city.logo)).read_bytes()
        if data[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", data[16:24]) == (48, 48):
            return data
    colour = city.theme_color.lstrip("#")
    return png(48, 48, (int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)))


def iso639_3(code: str) -> str:
    """The ISO 639-3 code Kiwix wants for a language code such as 'fr', 'pt-BR' or 'ckb'."""
    import pycountry  # only `bundle` needs it

    base = code.split("-")[0].lower()
    found = pycountry.languages.get(alpha_2=base) if len(base) == 2 else pycountry.languages.get(alpha_3=base)
    return found.alpha_3 if found else base


def published(folder: Path, city: City) -> tuple[str, ...]:
    """The languages the build published (their folders have a home page), in city.yaml's order."""
    return tuple(lang for lang in city.languages if (folder / urls.Route("home").path(lang)).is_file())


def write_zim(folder: Path, target: Path, city: City, day: dt.date) -> None:
    """The city folder as a ZIM file for Kiwix: same paths, chooser as main page, full-text index."""
    from libzim.writer import Creator, Hint, Item, StringProvider  # only `bundle` needs libzim

    class Page(Item):  # type: ignore[misc]
        def __init__(self, path: str, data: bytes) -> None:
            super().__init__()
            self.path, self.data, self.type = path, data, mimetype(path)
            self.front = self.type == "text/html" and path != urls.STATUS  # what search should find

        def get_path(self) -> str:
            return self.path

        def get_title(self) -> str:
            return page_title(self.data, self.path) if self.type == "text/html" else ""

        def get_mimetype(self) -> str:
            return self.type

        def get_contentprovider(self) -> StringProvider:
            return StringProvider(self.data)

        def get_hints(self) -> dict[Hint, int]:
            return {Hint.FRONT_ARTICLE: self.front, Hint.COMPRESS: wanted(self.path)}

    languages = published(folder, city)
    name = city.name[:30]  # Kiwix's limits: Title 30 characters, Description 80
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    creator = Creator(partial).config_indexing(True, iso639_3(city.source_language))
    with creator:
        creator.set_mainpath(urls.ROOT)
        for path, file in published_files(folder):
            data = file.read_bytes()
            creator.add_item(Page(path, strip_download(data) if path.endswith(".html") else data))
        for key, value in (("Name", f"ici-site_{city.slug}"), ("Title", name), ("Creator", city.name),
                           ("Publisher", city.name), ("Date", day.isoformat()),
                           ("Description", (city.tagline or city.name)[:80]),
                           ("Language", ",".join(dict.fromkeys(iso639_3(lang) for lang in languages)))):
            creator.add_metadata(key, value)
        creator.add_illustration(48, illustration(city, folder))
    partial.replace(target)


def bundle_city(city: City, folder: Path, out: Path, day: dt.date) -> Bundled:
    """Write ``out/<city>.zip`` and ``out/<city>.zim`` from the built city ``folder``."""
    out.mkdir(parents=True, exist_ok=True)
    made = Bundled(out / f"{city.slug}.zip", out / f"{city.slug}.zim")
    write_zip(folder, made.zip, day)
    write_zim(folder, made.zim, city, day)
    if city.offer_download:  # where the pages' "download this guide" link leads
        copy = folder / urls.download(city.slug)
        copy.unlink(missing_ok=True)
        shutil.copyfile(made.zip, copy)
    return made


def bundle(root: Path, site: Path, only: tuple[str, ...], out: Path, day: dt.date) -> list[Bundled]:
    """Bundle every built city (or those named) of the project at ``root`` from ``site`` into ``out``."""
    cities = load_site(root, only).cities  # raises the loader's own messages
    missing = [Problem(f"{site / city.slug}", None, "", "not built yet: run 'ici-site build' first")
               for city in cities if not (site / city.slug / urls.ROOT).is_file()]
    if missing:
        raise ContentError(missing)
    return [bundle_city(city, site / city.slug, out, day) for city in cities]
