"""The command line as a user runs it: exit codes, messages, `python build.py`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import BUILD_DAY, REPO


def test_python_build_py_without_arguments_builds_every_city(project) -> None:
    root = project("basic")
    run = subprocess.run([sys.executable, str(REPO / "build.py")], cwd=root, check=False, capture_output=True,
                         text=True, env={**os.environ, "SOURCE_DATE_EPOCH": BUILD_DAY})
    assert run.returncode == 0, run.stderr
    # 29 reader pages, an accessibility statement per language, and 9 posters (base_url is set)
    assert run.stdout.startswith("built 1 cities, 3 languages, 41 pages in ")
    assert (root / "_site" / "demoville" / "ar" / "index.html").is_file()


def test_content_error_exits_1_without_traceback(project) -> None:
    root = project("invalid-combined")
    run = subprocess.run([sys.executable, str(REPO / "build.py"), "build"], cwd=root,
                         check=False, capture_output=True, text=True)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert [line[:7] for line in run.stderr.splitlines()] == ["error: "] * 5 + ["5 error"]


def test_usage_errors_exit_2(project, cli) -> None:
    run = subprocess.run([sys.executable, str(REPO / "build.py"), "frobnicate"], check=False, capture_output=True, text=True)
    assert run.returncode == 2 and "invalid choice" in run.stderr
    root = project("basic")
    assert cli(root, "build", "nowhere").code == 1
    result = cli(root, "init", "nowhere", "ar")
    assert result.code == 2 and "no city 'nowhere'" in result.err


def test_build_named_city_only(project, cli) -> None:
    root = project("basic")
    result = cli(root, "build", "demoville")
    assert result.code == 0 and (root / "_site" / "demoville").is_dir()
    result = cli(root, "build", "elsewhere")
    assert result.code == 1 and "no city 'elsewhere' (cities: demoville)" in result.err


def test_new_city_builds_at_once(project, cli) -> None:
    root = project("basic")
    assert cli(root, "new", "nouvelleville").code == 0
    result = cli(root, "build", "nouvelleville")
    assert result.code == 0, result.err
    assert (root / "_site" / "nouvelleville" / "fr" / "services" / "welcome-desk.html").is_file()
    again = cli(root, "new", "nouvelleville")
    assert again.code == 2 and "already exists" in again.err


def test_status_counts_per_language(project, cli) -> None:
    root = project("basic")
    result = cli(root, "status", "--json")
    assert result.code == 0
    import json

    rows = {row["lang"]: row for row in json.loads(result.out) if row["city"] == "demoville"}
    assert set(rows) == {"en", "ar"}
    assert rows["en"]["fuzzy"] == 1 and rows["en"]["translated"] > rows["ar"]["translated"] > 0
    assert rows["en"]["messages"] == rows["en"]["translated"] + rows["en"]["fuzzy"] + rows["en"]["missing"]


def test_broken_catalog_is_reported_with_file_and_line(project, cli) -> None:
    root = project("basic")
    po = root / "locales" / "en" / "LC_MESSAGES" / "demoville.po"
    po.write_text(po.read_text() + '\nmsgid "Unclosed\n')
    for command in ("check", "build", "update"):
        result = cli(root, command)
        assert result.code == 1, command
        assert "locales/en/LC_MESSAGES/demoville.po" in result.err and "Traceback" not in result.err
    assert po.read_text().endswith('msgid "Unclosed\n')  # update did not rewrite it


def test_compile_writes_mo_files(project, cli) -> None:
    root = project("basic")
    assert cli(root, "compile").code == 0
    assert (root / "locales" / "en" / "LC_MESSAGES" / "demoville.mo").stat().st_size > 0


def test_console_script_is_declared() -> None:
    assert 'ici-site = "ici_site.cli:run"' in (REPO / "pyproject.toml").read_text()
    assert Path(REPO / "build.py").read_text().count("\n") < 12
