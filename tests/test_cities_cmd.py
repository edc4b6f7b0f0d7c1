"""`ici-site cities --json`: the list a CI matrix builds one city per job from."""

from __future__ import annotations

import json
import shutil


def test_cities_lists_every_city_folder(project, cli) -> None:
    root = project("basic")
    shutil.copytree(root / "content" / "demoville", root / "content" / "autreville")
    (root / "content" / ".hidden").mkdir()
    result = cli(root, "cities", "--json")
    assert result.code == 0
    assert json.loads(result.out) == ["autreville", "demoville"]
    assert cli(root, "cities").out.splitlines() == ["autreville", "demoville"]


def test_each_listed_city_builds_on_its_own(project, cli) -> None:
    """What a matrix job does: build one city into its own folder, as the deploy docs' CI files do."""
    root = project("basic")
    shutil.copytree(root / "content" / "demoville", root / "content" / "autreville")
    for city in json.loads(cli(root, "cities", "--json").out):
        assert cli(root, "build", city, "--out", str(root / "jobs" / city)).code == 0
        assert [p.name for p in (root / "jobs" / city).iterdir()] == [city]  # that city alone


def test_cities_without_content_is_a_clear_error(tmp_path, cli) -> None:
    result = cli(tmp_path, "cities", "--json")
    assert result.code == 1
    assert "no content folder" in result.err and "Traceback" not in result.err
