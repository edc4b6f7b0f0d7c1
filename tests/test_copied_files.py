"""Files copied into the site are what they claim: the city's logo is checked by its
bytes (PNG, JPEG, WebP, GIF), an SVG only in a drawing-only subset, and sizes are
bounded; a refusal names city.yaml's line and ``theme.logo``."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_file_safety import png

import ici_site.build
import ici_site.pipeline
from ici_site.content.images import MAX_BYTES, MAX_PIXELS, image_problem

SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 4 4">'
SAFE_SVG = (SVG_OPEN + '<defs><linearGradient id="g"><stop offset="0" stop-color="#123"/></linearGradient></defs>'
            '<title>Démoville</title><rect width="4" height="4" fill="url(#g)" style="stroke: url(#g)"/>'
            '<use href="#g"/><circle cx="2" cy="2" r="1"/></svg>')
INKSCAPE_SVG = ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<!-- Created with Inkscape -->\n'
                '<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"'
                ' xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" inkscape:version="1.2"'
                ' viewBox="0 0 4 4"><sodipodi:namedview id="n" inkscape:zoom="1"/>'
                '<g inkscape:label="Layer 1"><path d="M0 0h4v4z"/></g></svg>')

UNSAFE_SVG = {
    "script": SVG_OPEN + "<script>alert(document.cookie)</script></svg>",
    "script in a namespace prefix": '<s:svg xmlns:s="http://www.w3.org/2000/svg"><s:script>alert(1)</s:script></s:svg>',
    "event attribute": SVG_OPEN + '<rect width="1" height="1" onclick="alert(1)"/></svg>',
    "event on the root": SVG_OPEN.replace("<svg ", '<svg onload="alert(1)" ') + "</svg>",
    "foreignObject": SVG_OPEN + '<foreignObject><body xmlns="http://www.w3.org/1999/xhtml">'
                                "<script>alert(1)</script></body></foreignObject></svg>",
    "XHTML element": SVG_OPEN + '<iframe xmlns="http://www.w3.org/1999/xhtml" src="https://evil.example"/></svg>',
    "external href": SVG_OPEN + '<use href="https://evil.example/x.svg#a"/></svg>',
    "javascript xlink:href": SVG_OPEN + '<use xlink:href="javascript:alert(1)"/></svg>',
    "link": SVG_OPEN + '<a href="#x"><rect width="1" height="1"/></a></svg>',
    "data image": SVG_OPEN + '<image href="data:image/svg+xml;base64,PHN2Zz4="/></svg>',
    "animate an href": SVG_OPEN + '<use href="#a"><set attributeName="href" to="javascript:alert(1)"/></use></svg>',
    "style url()": SVG_OPEN + "<style>rect { fill: url(https://evil.example/track) }</style></svg>",
    "style @import": SVG_OPEN + '<style>@import "https://evil.example/x.css";</style></svg>',
    "style attribute url()": SVG_OPEN + '<rect style="fill:url( \'//evil.example/a\')"/></svg>',
    "CSS escape": SVG_OPEN + "<style>rect { fill: u\\72l(//evil.example/a) }</style></svg>",
    "presentation attribute url()": SVG_OPEN + '<rect filter="url(https://evil.example/f.svg#f)"/></svg>',
    "DOCTYPE with entities": '<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                             + SVG_OPEN + "<text>&b;</text></svg>",
    "xml-stylesheet": '<?xml-stylesheet href="https://evil.example/x.css"?>' + SVG_OPEN + "</svg>",
    "not svg at all": "<html><script>alert(1)</script></html>",
    "not well-formed": SVG_OPEN + "<rect>",
}

PNG = png()
RASTER_OK = {
    "logo.png": PNG,
    "logo.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32,
    "logo.jpeg": b"\xff\xd8\xff\xdb" + b"\x00" * 32,
    "logo.webp": b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 24,
    "logo.gif": b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
}
RASTER_BAD = {
    "logo.png": b"<html><script>alert(1)</script></html>",  # HTML under an image's name
    "logo.jpg": PNG,  # the wrong image type: browsers would sniff it, nosniff servers refuse it
    "logo.webp": b"RIFF\x24\x00\x00\x00AVI LIST",
    "logo.gif": b"GIF87",
    "logo.html": b"<p>hello</p>",
    "logo": PNG,
    "logo.png ": PNG,
}


def with_logo(project, name: str, data: bytes) -> Path:
    root = project("basic")
    (root / "content/demoville" / name).write_bytes(data)
    city = root / "content/demoville/city.yaml"
    city.write_text(city.read_text().replace('theme: {color: "#225588"}', f'theme: {{color: "#225588", logo: "{name}"}}'))
    return root


def refused(cli, root: Path) -> str:
    result = cli(root, "build")
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    assert not (root / "_site").exists()
    return result.err.splitlines()[0]


@pytest.mark.parametrize("case", sorted(UNSAFE_SVG))
def test_an_unsafe_svg_logo_is_refused(project, cli, case: str) -> None:
    root = with_logo(project, "logo.svg", UNSAFE_SVG[case].encode("utf-8"))
    assert refused(cli, root).startswith("error: content/demoville/city.yaml:17: theme.logo: 'logo.svg' ")


@pytest.mark.parametrize("name", sorted(RASTER_BAD))
def test_an_image_that_is_not_what_it_claims_is_refused(project, cli, name: str) -> None:
    root = with_logo(project, name, RASTER_BAD[name])
    assert refused(cli, root).startswith("error: content/demoville/city.yaml:17: theme.logo: ")


@pytest.mark.parametrize("svg", [SAFE_SVG, INKSCAPE_SVG], ids=["hand-written", "inkscape"])
def test_a_plain_svg_logo_is_copied_as_it_is(project, cli, svg: str) -> None:
    root = with_logo(project, "logo.svg", svg.encode("utf-8"))
    result = cli(root, "build")
    assert result.code == 0, result.err
    assert (root / "_site/demoville/assets/logo.svg").read_text("utf-8") == svg
    assert '"type": "image/svg+xml"' in (root / "_site/demoville/fr/manifest.webmanifest").read_text()


def test_raster_logos_are_recognised_by_their_bytes(project, cli) -> None:
    for name, data in RASTER_OK.items():
        assert image_problem(name, data) is None, name
    root = with_logo(project, "logo.webp", RASTER_OK["logo.webp"])
    assert cli(root, "build").code == 0
    assert (root / "_site/demoville/assets/logo.webp").read_bytes() == RASTER_OK["logo.webp"]
    assert '"type": "image/webp"' in (root / "_site/demoville/fr/manifest.webmanifest").read_text()


def test_sizes_are_bounded(project, cli) -> None:
    root = with_logo(project, "logo.png", PNG + b"\x00" * MAX_BYTES)
    assert refused(cli, root) == ("error: content/demoville/city.yaml:17: theme.logo: 'logo.png' is over 512 KB; "
                                  "readers pay for every byte: use a small SVG or PNG")
    assert "pixels" in str(image_problem("huge.png", png(MAX_PIXELS + 1, 1)))


def test_a_logo_replaced_after_loading_is_checked_again(project, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    root = with_logo(project, "logo.png", PNG)
    load_site = ici_site.pipeline.load_site

    def then_replaced(*args, **kwargs):
        site = load_site(*args, **kwargs)
        (root / "content/demoville/logo.png").write_bytes(RASTER_BAD["logo.png"])
        return site

    monkeypatch.setattr(ici_site.pipeline, "load_site", then_replaced)
    assert "is not a PNG image" in refused(cli, root)
