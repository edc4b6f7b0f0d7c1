"""Hostile files that cannot live in a case file: symbolic links, huge files, pipes,
output-path collisions; and what Windows editors save, which is simply accepted."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from conftest import BUILD_DAY, REPO, make_project

SERVICE = "---\ntitle: Aide\nsummary: Une aide.\ncategory: housing\nreviewed: 2026-01-01\n---\nDu texte.\n"


def errors(result) -> list[str]:
    return [line.removeprefix("error: ") for line in result.err.splitlines() if line.startswith("error: ")]


def test_symbolic_link_leaving_content_is_refused(project, cli, tmp_path: Path) -> None:
    root = project("basic")
    secret = tmp_path / "secret.md"
    secret.write_text(SERVICE)
    (root / "content/demoville/services/aide.md").symlink_to(secret)
    (root / "content/demoville/templates").mkdir()
    (root / "content/demoville/templates/base.html").symlink_to("/etc/passwd")
    result = cli(root, "build")
    assert result.code == 1
    assert errors(result) == [
        f"content/demoville/{name}: symbolic link to a file outside content/; "
        "copy the file into the city folder instead" for name in ("services/aide.md", "templates/base.html")]
    assert not (root / "_site").exists()


def test_symbolic_link_inside_content_is_fine(project, cli) -> None:
    root = project("basic")
    (root / "content/demoville/shared.md").write_text(SERVICE)
    (root / "content/demoville/services/aide.md").symlink_to("../shared.md")
    result = cli(root, "build")
    assert result.code == 0, result.err
    assert "Aide" in (root / "_site/demoville/fr/services/aide.html").read_text()


def test_city_folder_that_is_a_link_out_of_content_is_refused(project, cli, tmp_path: Path) -> None:
    root = project("basic")
    os.rename(root / "content/demoville", tmp_path / "elsewhere")
    (root / "content/demoville").symlink_to(tmp_path / "elsewhere")
    result = cli(root, "build")
    assert result.code == 1
    assert errors(result) == [("content/demoville: symbolic link to a file outside content/; "  # once, not
                               "copy the file into the city folder instead")]  # again for each file in it


def test_looping_link_and_named_pipe_are_refused_without_hanging(project, cli) -> None:
    root = project("basic")
    services = root / "content/demoville/services"
    (services / "boucle.md").symlink_to("boucle.md")
    os.mkfifo(services / "tube.md")  # reading it would block forever
    result = cli(root, "build")
    assert result.code == 1
    assert errors(result) == [
        "content/demoville/services/boucle.md: broken or looping symbolic link; remove it",
        "content/demoville/services/tube.md: is not a regular file (a pipe or a device?); remove it",
    ]


def test_a_50_mb_file_is_refused_before_it_is_read(project, tmp_path: Path) -> None:
    """In a subprocess with a 200 MB address-space cap: reading 50 MB into PyYAML would not fit."""
    root = project("basic")
    huge = root / "content/demoville/services/enorme.md"
    with open(huge, "wb") as fileobj:
        fileobj.write(b"---\ntitle: " + b"a" * (50 << 20) + b"\n---\n")
    script = (
        "import resource, sys\n"
        "from ici_site.cli import main\n"
        "resource.setrlimit(resource.RLIMIT_AS, (200 << 20, 200 << 20))\n"
        f"sys.exit(main(['--root', {str(root)!r}, 'check']))\n"
    )
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False,
                          env={**os.environ, "SOURCE_DATE_EPOCH": BUILD_DAY}, timeout=60, cwd=REPO)
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines()[0] == (
        "error: content/demoville/services/enorme.md: file is 50.0 MB; the limit is 1 MB "
        "(split it, or remove pasted data)")
    assert "Traceback" not in done.stderr
    assert time.monotonic() - started < 30
    assert resource.getrlimit(resource.RLIMIT_AS)[0] == resource.RLIM_INFINITY  # the cap stayed in the child


def test_a_logo_named_like_a_site_asset_is_a_clear_error(project, cli) -> None:
    root = project("basic")
    city = root / "content/demoville/city.yaml"
    (root / "content/demoville/style.css").write_text("body{}")
    city.write_text(city.read_text().replace('theme: {color: "#225588"}',
                                             'theme: {color: "#225588", logo: style.css}'))
    result = cli(root, "build")
    assert result.code == 1
    assert errors(result) == [  # no image name can collide with the site's own assets (style.css, app.js)
        "content/demoville/city.yaml:17: theme.logo: 'style.css' is not a PNG, JPEG, WebP, GIF or SVG file name"]


def test_byte_order_mark_and_crlf_are_simply_accepted(project, cli, tmp_path: Path) -> None:
    reference = project("basic")  # the same site saved the Unix way
    assert cli(reference, "build").code == 0
    root = make_project(tmp_path / "windows", "basic")
    for path in [root / "content/demoville/city.yaml", *(root / "content/demoville").glob("*/*.md")]:
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    po = root / "locales/ar/LC_MESSAGES/demoville.po"
    po.write_bytes(b"\xef\xbb\xbf" + po.read_bytes().replace(b"\n", b"\r\n"))
    result = cli(root, "build")
    assert result.code == 0, result.err
    assert "ديموفيل" in (root / "_site/demoville/ar/index.html").read_text()
    for page in ("fr/services/cours-de-francais.html", "ar/index.html"):
        assert (root / "_site/demoville" / page).read_bytes() == (reference / "_site/demoville" / page).read_bytes()
