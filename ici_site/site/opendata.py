"""A city's services as Open Referral HSDS 3.0: the JSON form and the tabular data package.

``open-data/services.json`` is a JSON array of complete HSDS ``service`` objects (as
``GET /services/{id}`` of an HSDS API returns one): organization, location with
address and coordinates, phones, weekly schedules, languages, required documents and
cost, in the city's source language. ``open-data/<lang>/services.json`` gives the same
objects, with the same ids, in each other published language (HSDS has no field for
a second language). ``open-data/hsds/`` holds the same data as Open Referral's tabular
data package: its ``datapackage.json`` (the official table schemas, unchanged) and one
CSV file per table, empty tables included so that every foreign key resolves.

Ids are UUID 5 of the city, the service's slug and the object's role, so they stay the
same from build to build and another service can keep pointing at them.

What HSDS cannot say (docs/deploy.md): a schedule's time zone is a UTC offset, not a
zone with summer time, so schedules carry the offset of the build's week; rules such
as ``PH off`` (closed on public holidays) or seasons have no field: the original
``opening_hours`` value is kept in each schedule's ``notes``; an address needs
``state_province`` (city.yaml's optional ``region``, else the town's name) and
``address_type`` (always ``physical``: services are places people go to).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
from collections.abc import Callable, Iterator
from functools import cache, lru_cache, partial
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from ici_site import vocab
from ici_site.content.addresses import address_parts
from ici_site.content.model import City, Service
from ici_site.i18n.languages import native_name
from ici_site.site import urls
from ici_site.site.escape import csv_cell
from ici_site.site.hours import Place, usual_spans

NAMESPACE = uuid.UUID("5d4e3c2b-1a09-4f8e-9d7c-6b5a49382716")  # ici_site's own: ids are ours alone
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
JSON_FILE = "services.json"
FILLED = ("organization", "service", "service_at_location", "location", "address", "phone", "schedule",
          "language", "required_document", "cost_option")  # the HSDS tables our content fills
TABLES = "hsds"


@lru_cache(maxsize=65536)  # every language's export names the same things
def stable_uuid(*parts: str) -> str:
    """A UUID that is the same in every build for the same parts (city, slug, role)."""
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def json_path(lang: str, source_language: str) -> str:
    """Where the HSDS JSON of a language is written."""
    return urls.open_data(JSON_FILE if lang == source_language else f"{lang}/{JSON_FILE}")


def utc_offset(timezone: str, day: dt.date) -> float:
    """The zone's offset from UTC in hours at noon on ``day`` (HSDS has no named zones)."""
    offset = dt.datetime.combine(day, dt.time(12), ZoneInfo(timezone)).utcoffset()
    return offset.total_seconds() / 3600 if offset else 0.0


def schedules(service: Service, sid: str, city: City, today: dt.date) -> list[dict[str, Any]]:
    """Weekly HSDS schedules of the usual week from ``today`` (public holidays are the days
    that differ, which HSDS cannot say): one per opening span, with the days it applies to."""
    if not service.hours:
        return []
    days: dict[tuple[str, str], list[str]] = {}
    week = usual_spans(service.hours, Place(city.country, city.holiday_region), today)
    for day, spans in enumerate(week):
        for start, end in spans:
            days.setdefault((_clock(start), _clock(end)), []).append(DAYS[day])
    result = []
    for (opens, closes), byday in sorted(days.items()):
        result.append({
            "id": stable_uuid(sid, "schedule", opens, "00:00" if closes == "24:00" else closes),
            "service_id": sid, "freq": "WEEKLY", "wkst": "MO", "byday": ",".join(byday),
            "opens_at": opens, "closes_at": closes,
            "timezone": utc_offset(city.timezone, today), "attending_type": "in person",
            "notes": f"OpenStreetMap opening_hours: {service.hours}",
        })
    return result


def _clock(minutes: int) -> str:
    """Local minutes after midnight as HH:MM (1440, the end of the day, as 24:00)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@cache
def official_package() -> dict[str, Any]:
    """Open Referral's tabular data package for HSDS 3.0 (CC BY-SA 4.0), as published."""
    text = resources.files("ici_site").joinpath("data/hsds/datapackage.json").read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


class Exporter:
    """Turns one city's services into HSDS objects, with its texts in one language."""

    def __init__(self, city: City, lang: str, text: Callable[[str], str], term: Callable[[str], str],
                 today: dt.date) -> None:
        """``text`` gives a content text in ``lang``, ``term`` a template string (cost…)."""
        self.city, self.lang, self.text, self.term, self.today = city, lang, text, term, today
        self.org_id = stable_uuid(city.slug, "organization")

    def organization(self) -> dict[str, Any]:
        """The city's welcome desk, which publishes the directory (services name no provider)."""
        city, contact = self.city, self.city.contact
        org: dict[str, Any] = {"id": self.org_id, "name": self.text(city.name),
                               "description": self.text(city.tagline) if city.tagline else self.text(city.name)}
        if contact.email:
            org["email"] = contact.email
        if contact.website:
            org["website"] = contact.website
        if contact.phone:
            org["phones"] = [{"id": stable_uuid(self.org_id, "phone"), "organization_id": self.org_id,
                              "number": contact.phone.tel, "type": "voice"}]
        return org

    def service(self, service: Service) -> dict[str, Any]:
        """One complete HSDS ``service`` object."""
        sid = stable_uuid(self.city.slug, service.slug)
        page = urls.Route("service", service.slug).path(self.city.source_language)
        data: dict[str, Any] = {"id": sid, "organization_id": self.org_id, "name": self.text(service.title),
                                "description": self.text(service.summary), "status": "active",
                                "assured_date": service.reviewed.isoformat()}
        url = service.website or (urls.absolute(self.city.base_url, page) if self.city.base_url else None)
        if url:
            data["url"] = url
        if service.email:
            data["email"] = service.email
        if service.cost:
            data["fees_description"] = self.term(vocab.COST[service.cost])
            option = {"id": stable_uuid(sid, "cost"), "service_id": sid, "option": data["fees_description"]}
            data["cost_options"] = [option | ({"amount": 0} if service.cost == "free" else {})]
        if service.appointment:
            data["application_process"] = self.term(vocab.APPOINTMENT[service.appointment])
        if service.audience:
            data["eligibility_description"] = ", ".join(self.term(vocab.AUDIENCE[a]) for a in service.audience)
        data["phones"] = [{"id": stable_uuid(sid, "phone"), "service_id": sid, "number": service.phone.tel,
                           "type": "voice"}] if service.phone else []
        data["schedules"] = schedules(service, sid, self.city, self.today)
        data["languages"] = [{"id": stable_uuid(sid, "language", code), "service_id": sid,
                              "name": native_name(code), "code": code} for code in service.languages_spoken]
        data["required_documents"] = [{"id": stable_uuid(sid, "document", str(index)), "service_id": sid,
                                       "document": self.text(item)} for index, item in enumerate(service.documents)]
        data["service_at_locations"] = self.places(service, sid)
        data["organization"] = self.organization()
        return data

    def places(self, service: Service, sid: str) -> list[dict[str, Any]]:
        """Where the service is given: one physical location (address and/or coordinates)."""
        if not service.address and not service.geo:
            return []
        lid = stable_uuid(sid, "location")
        location: dict[str, Any] = {"id": lid, "location_type": "physical", "organization_id": self.org_id,
                                    "name": self.text(service.title)}
        if service.geo:
            location["latitude"], location["longitude"] = service.geo
        if service.address:
            address = address_parts(service.address, self.lang, self.city)
            location["addresses"] = [{"id": stable_uuid(lid, "address"), "location_id": lid, **address}]
        return [{"id": stable_uuid(sid, "at", lid), "service_id": sid, "location_id": lid, "location": location}]


def render_json(lines: list[str]) -> str:
    """``services.json``: the services as a JSON array (UTF-8, stable order), one service a
    line (:func:`service_line`): a changed service changes one line of the file."""
    if not lines:
        return "[]\n"
    return "[\n" + ",\n".join(lines) + "\n]\n"


def service_line(service: dict[str, Any]) -> str:
    """One service's line of ``services.json``, written by Python's C encoder (``indent`` would
    take the pure-Python one, three times slower here)."""
    return json.dumps(service, ensure_ascii=False)


# -- the tabular form ------------------------------------------------------------------

def table_rows(services: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The rows of every HSDS table, from the JSON objects (the one source of both forms)."""
    rows: dict[str, list[dict[str, Any]]] = {r["name"]: [] for r in official_package()["resources"]}
    if services:
        organization = {k: v for k, v in services[0]["organization"].items() if not isinstance(v, list)}
        rows["organization"].append(organization)
        rows["phone"].extend(services[0]["organization"].get("phones", []))
    for service in services:
        rows["service"].append({k: v for k, v in service.items() if not isinstance(v, (list, dict))})
        for table, key in (("phone", "phones"), ("schedule", "schedules"), ("language", "languages"),
                           ("required_document", "required_documents"), ("cost_option", "cost_options")):
            rows[table].extend(service.get(key, []))
        for at in service["service_at_locations"]:
            location = at["location"]
            rows["service_at_location"].append({k: v for k, v in at.items() if k != "location"})
            rows["location"].append({k: v for k, v in location.items() if k != "addresses"})
            rows["address"].extend(location.get("addresses", []))
    return rows


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "time":  # Table Schema's time is ISO 8601 with seconds
        return "24:00:00" if value == "24:00" else f"{value}:00"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return csv_cell(value) if isinstance(value, str) else str(value)


def render_csv(resource: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    """One table as CSV, its columns in the order of the official schema."""
    fields = [(f["name"], f["type"]) for f in resource["schema"]["fields"]]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180
    writer.writerow([name for name, _ in fields])
    for row in rows:
        writer.writerow([_cell(row.get(name), kind) for name, kind in fields])
    return out.getvalue()


def render_package(city_slug: str, city_name: str) -> str:
    """``datapackage.json``: the official resources and schemas, named for the city."""
    official = official_package()
    package = {
        "name": f"{city_slug}-services", "title": f"{city_name}: services (HSDS 3.0)",
        "profile": official["profile"], "version": official["version"],
        "description": "Open Referral Human Services Data Specification 3.0, tabular form. "
                       "Table schemas: Open Referral, CC BY-SA 4.0 (https://docs.openreferral.org).",
        "resources": official["resources"],
    }
    return json.dumps(package, ensure_ascii=False, indent=1) + "\n"


def tabular_makers(services: Callable[[], list[dict[str, Any]]]
                   ) -> Iterator[tuple[str, Callable[[], str], bool]]:
    """(file name in ``open-data/hsds/``, function making its CSV, whether our content fills it)
    of every table; the rows are made from ``services()`` once, when the first table is made."""
    rows: list[dict[str, list[dict[str, Any]]]] = []

    def table(resource: dict[str, Any]) -> str:
        if not rows:
            rows.append(table_rows(services()))
        return render_csv(resource, rows[0][resource["name"]])

    for resource in official_package()["resources"]:
        yield resource["path"], partial(table, resource), resource["name"] in FILLED
