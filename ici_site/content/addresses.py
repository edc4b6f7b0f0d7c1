"""Postal addresses as data: the parts of one written line, for HSDS and schema.org.

An address is a fact, never translated (:class:`~ici_site.content.model.Official`): which of
its forms a page shows is :meth:`~ici_site.content.model.Official.shown`; the machine-readable
files of a page carry :meth:`~ici_site.content.model.Official.primary`, made into parts here.
"""

from __future__ import annotations

import re

from ici_site.content.model import City, Official
from ici_site.errors import Problems

POSTAL_CODE = re.compile(r"\b(?:[A-Z]{1,3}-)?\d[\d ]{2,7}\d\b")  # 45140, LV-3001, 75 008 (FR, LV, …)


def split_address(address: str, fallback_city: str, country: str, region: str) -> dict[str, str]:
    """An HSDS address from one written line: "street, postcode town" or "street, town, postcode".

    The first part is the street; the part with a postal code gives it (and the town when
    it holds more); otherwise the town is the first other part, or the city's name.
    HSDS requires a state or province: ``region`` (city.yaml), else the town stands in.
    """
    parts = [part.strip() for part in address.split(",") if part.strip()]
    street, rest = (parts[0], parts[1:]) if parts else (address, [])
    postal, town, others = "", "", []
    for part in rest:
        match = POSTAL_CODE.search(part) if not postal else None
        if match:
            postal = match.group()
            left = (part[:match.start()] + part[match.end():]).strip(" ,")
            town = town or left
        elif not town:
            town = part
        else:
            others.append(part)
    return {"address_1": street, "address_2": ", ".join(others), "city": town or fallback_city,
            "state_province": region or town or fallback_city, "postal_code": postal, "country": country, "address_type": "physical"}


def address_parts(address: Official, lang: str, city: City) -> dict[str, str]:
    """The HSDS parts of the form a ``lang`` page's data carries; the town, when the line has
    none, is the city's name in the form's own language."""
    code, line = address.primary(lang)
    return split_address(line, city.names.get(code, city.name), city.country, city.region)


def postal_address(parts: dict[str, str], region: str) -> dict[str, str]:
    """A schema.org ``PostalAddress`` from the HSDS parts of an address (``region``: city.yaml's,
    or "": schema.org, unlike HSDS, does not need the town standing in for it)."""
    street = ", ".join(part for part in (parts["address_1"], parts["address_2"]) if part)
    result = {"@type": "PostalAddress", "streetAddress": street, "postalCode": parts["postal_code"],
              "addressLocality": parts["city"], "addressRegion": region, "addressCountry": parts["country"]}
    return {key: value for key, value in result.items() if value}


def resolve_official(text: Official, path: str, key: str, line: int, official: tuple[str, ...], source: str,
                     problems: Problems) -> Official:
    """``text`` with its languages checked against city.yaml's official languages and the
    source language's form first (one line of text is the source language's form)."""
    if text.forms[0][0] == "":
        return Official(((source, text.source),), text.lines)
    if not official:
        problems.add(path, line, key, "one line per language needs official_languages in city.yaml: "
                     "declare them there, or write one line of text in the source language")
        return text
    for (lang, _), form_line in zip(text.forms, text.lines):
        if lang not in official:
            problems.add(path, form_line, f"{key}.{lang}",
                         f"'{lang}' is not an official language of the city (official_languages: {', '.join(official)})")
    if source not in dict(text.forms):
        problems.add(path, line, key, f"the form in the source language is missing: add '{source}: ...'")
    order = (source, *official)
    pairs = sorted(zip(text.forms, text.lines), key=lambda p: order.index(p[0][0]) if p[0][0] in order else len(order))
    return Official(tuple(form for form, _ in pairs), tuple(form_line for _, form_line in pairs))
