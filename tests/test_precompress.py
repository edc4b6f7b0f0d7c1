"""`build --precompress`: a .gz and a .br beside every text file, equal to it once decompressed."""

from __future__ import annotations

import gzip
from pathlib import Path

import brotli
import pytest

from ici_site.site.precompress import TEXT


def files(city: Path) -> dict[str, Path]:
    return {p.relative_to(city).as_posix(): p for p in city.rglob("*") if p.is_file()}


def check_copies(city: Path) -> int:
    """Assert every text file has exact .gz/.br copies; return how many files have them."""
    found = files(city)
    originals = [name for name in found if not name.endswith((".gz", ".br"))]
    for name in originals:
        data = found[name].read_bytes()
        if name.endswith(TEXT):
            packed = found[name + ".gz"].read_bytes()
            assert packed[4:8] == b"\0\0\0\0"  # no timestamp: reproducible
            assert gzip.decompress(packed) == data, name
            assert brotli.decompress(found[name + ".br"].read_bytes()) == data, name
        else:
            assert name + ".gz" not in found
    assert len(found) == len(originals) + 2 * sum(name.endswith(TEXT) for name in originals)
    return len(originals)


@pytest.mark.speed_layer  # an unchanged page keeps its copies: linked by the speed layer
def test_precompressed_copies_follow_every_build(project, cli) -> None:
    root = project("basic")
    assert cli(root, "build", "--precompress").code == 0
    city = root / "_site" / "demoville"
    assert check_copies(city) > 50
    before = {name: path.stat().st_ino for name, path in files(city).items()}
    source = root / "content" / "demoville" / "services" / "cours-de-francais.md"
    source.write_text(source.read_text().replace("Des cours gratuits", "Des cours toujours gratuits"))
    assert cli(root, "build", "--precompress").code == 0
    check_copies(city)
    page = "fr/services/cours-de-francais.html"
    assert b"toujours gratuits" in gzip.decompress((city / (page + ".gz")).read_bytes())
    after = {name: path.stat().st_ino for name, path in files(city).items()}
    other = "fr/services/conseil-juridique.html.br"
    assert after[other] == before[other]  # an unchanged page keeps its copies (hard link, not rewritten)
    assert cli(root, "build").code == 0  # without the option: no copies left behind
    assert not [name for name in files(city) if name.endswith((".gz", ".br"))]
