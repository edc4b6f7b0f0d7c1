"""A service as machine-readable contact data: a vCard for the phone's address book,
and schema.org JSON-LD (``GovernmentService``) for search engines and other tools.

Both are made from the validated model and the text the reader sees; nothing is fetched.
"""

from __future__ import annotations

import datetime as dt

from ici_site.content.model import Service
from ici_site.site.escape import json_for_script, vcard_line, vcard_text
from ici_site.site.hours import NO_HOLIDAYS, Day, Place, special_days, usual_spans

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def render_vcard(service: Service, lang: str, title: str, note: str) -> str:
    """A vCard 3.0 (what Android and iOS contacts import) for one service in ``lang``, CRLF
    lines folded at 75 octets; every text from content or a translation is escaped."""
    name = vcard_text(title)
    # N is required in 3.0; the service's name stands in the family-name slot so phones list it.
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"N:{name};;;;", f"FN:{name}", f"ORG:{name}"]
    if service.phone:
        lines.append(f"TEL;TYPE=WORK,VOICE:{service.phone.tel}")
    if service.email:
        lines.append(f"EMAIL;TYPE=INTERNET:{service.email}")
    if service.address:
        lines.append(f"ADR;TYPE=WORK:;;{vcard_text(service.address.primary(lang)[1])};;;;")
    if service.geo:
        lines.append(f"GEO:{service.geo[0]};{service.geo[1]}")
    if service.website:
        lines.append(f"URL:{service.website}")
    if note:
        lines.append(f"NOTE:{vcard_text(note)}")
    lines.append("END:VCARD")
    return "".join(vcard_line(line) + "\r\n" for line in lines)


def opening_hours_specification(hours: str, today: dt.date, place: Place) -> list[dict[str, str]]:
    """schema.org OpeningHoursSpecification entries of the usual week (the one the page shows)."""
    week = usual_spans(hours, place, today)
    return [{"@type": "OpeningHoursSpecification", "dayOfWeek": f"https://schema.org/{DAYS[day]}", **times}
            for day in range(7) for times in _times(week[day])]


def special_opening_hours(hours: str, today: dt.date, place: Place) -> list[dict[str, str]]:
    """One entry per public holiday of the next 13 months whose hours differ from the usual week.

    schema.org writes a day closed as opens = closes = 00:00.
    """
    return [{"@type": "OpeningHoursSpecification", "validFrom": holiday.isoformat(),
             "validThrough": holiday.isoformat(), **times}
            for holiday, day in special_days(hours, today, place)
            for times in (_times(day) or [{"opens": "00:00", "closes": "00:00"}])]


def _times(day: Day) -> list[dict[str, str]]:
    return [{"opens": f"{a // 60:02}:{a % 60:02}", "closes": "23:59" if b == 1440 else f"{b // 60:02}:{b % 60:02}"}
            for a, b in day]


def render_jsonld(service: Service, lang: str, title: str, summary: str, area: str, today: dt.date,
                  url: str | None, holidays: Place = NO_HOLIDAYS, address: str | dict[str, str] | None = None) -> str:
    """JSON-LD of a ``GovernmentService`` whose channel is the place (at ``address``: text, or a
    ``PostalAddress``), phone and hours (with the public holidays of ``holidays``, the city's
    country and region)."""
    place: dict[str, object] = {"@type": "Place"}
    if address:
        place["address"] = address
    if service.geo:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": service.geo[0], "longitude": service.geo[1]}
    if service.phone:
        place["telephone"] = service.phone.tel
    if service.hours:
        place["openingHoursSpecification"] = opening_hours_specification(service.hours, today, holidays)
        special = special_opening_hours(service.hours, today, holidays)
        if special:
            place["specialOpeningHoursSpecification"] = special
    channel: dict[str, object] = {"@type": "ServiceChannel", "serviceLocation": place}
    if service.website:
        channel["serviceUrl"] = service.website
    data: dict[str, object] = {
        "@context": "https://schema.org", "@type": "GovernmentService", "name": title,
        "description": summary, "inLanguage": lang, "areaServed": area, "availableChannel": channel,
    }
    if service.email:
        data["email"] = service.email
    if url:
        data["url"] = url
    # It goes into a <script> element: "</script>", "<!--" and U+2028 must not appear raw.
    return json_for_script(data)
