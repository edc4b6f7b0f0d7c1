"""Open data: every service as HSDS 3.0, checked with Open Referral's official schema
(jsonschema) and the tabular package with frictionless — not with our own code."""

from __future__ import annotations

import csv
import json
import uuid
from pathlib import Path

import jsonschema
import pytest
from conftest import REPO, require_tool
from frictionless import Package, validate

HSDS_ROOT = next((folder / "shared" / "hsds-3.0" for folder in REPO.parents
                  if (folder / "shared" / "hsds-3.0").is_dir()), None)


@pytest.fixture(scope="module")
def service_schema() -> jsonschema.protocols.Validator:
    require_tool(HSDS_ROOT is not None, "shared/hsds-3.0 (Open Referral's official HSDS schemas)")
    assert HSDS_ROOT is not None
    schema = json.loads((HSDS_ROOT / "schema" / "compiled" / "service_with_definitions.json").read_text())
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)  # uuid, email, uri, date-time checked too


def cities(site: Path) -> list[Path]:
    return sorted(p for p in site.iterdir() if p.is_dir() and not p.name.startswith("."))


def test_every_service_is_a_valid_hsds_service(example_site, service_schema) -> None:
    for city in cities(example_site):
        services = json.loads((city / "open-data" / "services.json").read_text())
        assert len(services) == len(list((REPO / "content" / city.name / "services").glob("*.md"))) > 0
        for service in services:
            errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in service_schema.iter_errors(service)]
            assert not errors, (city.name, service["name"], errors)
        for lang in (p.parent.name for p in city.glob("*/index.html")):
            path = city / "open-data" / lang / "services.json"
            if path.exists():  # the other languages: the same ids, valid too
                translated = json.loads(path.read_text())
                assert [s["id"] for s in translated] == [s["id"] for s in services]
                for service in translated:
                    assert not list(service_schema.iter_errors(service))


def test_hsds_fields_from_the_content(project, cli, service_schema) -> None:
    root = project("basic")
    assert cli(root, "build").code == 0
    folder = root / "_site" / "demoville" / "open-data"
    services = {s["name"]: s for s in json.loads((folder / "services.json").read_text())}
    course = services["Cours de français"]
    assert course["id"] == str(uuid.UUID(course["id"]))
    assert course["description"] == "Des cours gratuits pour adultes."
    assert course["fees_description"] == "Gratuit" and course["cost_options"][0]["amount"] == 0
    assert [d["document"] for d in course["required_documents"]] == ["Une pièce d'identité"]
    assert [(lang["code"], lang["name"]) for lang in course["languages"]] == [
        ("fr", "Français"), ("ar", "العربية"), ("uk", "Українська")]
    assert course["phones"][0]["number"] == "+33199000002"
    location = course["service_at_locations"][0]["location"]
    assert (location["latitude"], location["longitude"]) == (47.9, 1.9)
    address = location["addresses"][0]
    assert (address["address_1"], address["postal_code"], address["city"], address["country"]) == (
        "1 rue de l'Exemple", "45000", "Démoville", "FR")
    assert address["state_province"] == "Démoville"  # no `region` in city.yaml: the town stands in
    weekly = {(s["byday"], s["opens_at"], s["closes_at"]) for s in course["schedules"]}
    assert weekly == {("MO,TU,WE,TH,FR", "09:00", "12:30"), ("MO,TU,WE,TH,FR", "14:00", "17:00"),
                      ("SA", "10:00", "12:00")}
    assert {s["timezone"] for s in course["schedules"]} == {1}  # Paris in November: UTC+1
    assert course["organization"]["name"] == "Démoville"
    english = {s["id"]: s for s in json.loads((folder / "en" / "services.json").read_text())}
    assert english[course["id"]]["name"] == "French courses"
    assert english[course["id"]]["fees_description"] == "Free"


def test_ids_stay_the_same_from_build_to_build(project, cli) -> None:
    root = project("basic")
    assert cli(root, "build").code == 0
    path = root / "_site" / "demoville" / "open-data" / "services.json"
    lines_before = path.read_text().splitlines()
    before = {s["name"]: s["id"] for s in json.loads(path.read_text())}
    source = root / "content" / "demoville" / "services" / "cours-de-francais.md"
    source.write_text(source.read_text().replace("Des cours gratuits", "Des cours gratuits et ouverts"))
    assert cli(root, "build").code == 0  # incremental: the open data follows the edit
    after = json.loads(path.read_text())
    assert {s["name"]: s["id"] for s in after} == before
    lines_after = path.read_text().splitlines()  # one service a line: the edit changes its line alone
    changed = [json.loads(b.rstrip(",")) for a, b in zip(lines_before, lines_after, strict=True) if a != b]
    assert [s["name"] for s in changed] == ["Cours de français"]
    assert any(s["description"].startswith("Des cours gratuits et ouverts") for s in after)
    rows = list(csv.DictReader((path.parent / "hsds" / "services.csv").read_text(encoding="utf-8").splitlines()))
    assert any(r["description"].startswith("Des cours gratuits et ouverts") for r in rows)


def test_tabular_package_is_valid_for_frictionless(example_site) -> None:
    require_tool(HSDS_ROOT is not None, "shared/hsds-3.0")
    assert HSDS_ROOT is not None
    official = {r["name"]: r["schema"] for r in json.loads((HSDS_ROOT / "datapackage.json").read_text())["resources"]}
    for city in cities(example_site):
        descriptor = city / "open-data" / "hsds" / "datapackage.json"
        report = validate(str(descriptor))
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
        package = Package(str(descriptor))
        for resource in package.resources:  # the official table schemas, unchanged
            assert resource.schema.to_descriptor() == Package.from_descriptor(
                {"resources": [{"name": "x", "path": "x.csv", "schema": official[resource.name]}]}
            ).resources[0].schema.to_descriptor()
        services = json.loads((city / "open-data" / "services.json").read_text())
        assert len(package.get_resource("service").read_rows()) == len(services)
        assert len(package.get_resource("schedule").read_rows()) == sum(len(s["schedules"]) for s in services)


def test_csv_cells_cannot_run_as_formulas(project, cli) -> None:
    root = project("basic")
    source = root / "content" / "demoville" / "services" / "cours-de-francais.md"
    source.write_text(source.read_text().replace("summary: Des cours gratuits pour adultes.",
                                                 "summary: '=HYPERLINK(\"http://example.org\",\"x\")'"))
    assert cli(root, "build").code == 0
    rows = list(csv.DictReader(
        (root / "_site/demoville/open-data/hsds/services.csv").read_text(encoding="utf-8").splitlines()))
    assert "'=HYPERLINK(\"http://example.org\",\"x\")" in [r["description"] for r in rows]
    report = validate(str(root / "_site/demoville/open-data/hsds/datapackage.json"))
    assert report.valid
