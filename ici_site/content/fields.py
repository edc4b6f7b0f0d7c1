"""Schemas for the editor's YAML, and the checkers for each kind of field.

A schema maps each allowed key to a :class:`Field`. :func:`read_fields` checks a
mapping against it and reports every problem with its file, line and key path;
unknown keys get a "did you mean" hint. Checkers receive the raw YAML value and
return the typed value, or raise :class:`Invalid` with a message for the editor.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import opening_hours
import phonenumbers

from ici_site.content.model import Phone
from ici_site.content.sources import Node, Seq
from ici_site.content.translit import ascii_name
from ici_site.errors import Problems
from ici_site.site.shortnumbers import digits_of, is_short_number

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\Z")
URL = re.compile(r"https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?::\d+)?(?:[/?#][^\s<>\"]*)?\Z")
COLOR = re.compile(r"#[0-9a-fA-F]{6}\Z")
# Names Windows refuses for a file, whatever the extension: a site must unpack anywhere.
RESERVED_NAMES = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{d}{n}" for d in ("com", "lpt") for n in range(1, 10)])


class Invalid(Exception):
    """A value is wrong; the message tells the editor what to write instead."""


@dataclass(frozen=True, slots=True)
class At:
    """Where a value sits, and what checkers need to know about its city."""

    path: str  # file
    line: int  # 1-based line of the value
    key: str  # key path, e.g. "emergency[1].phone"
    problems: Problems
    country: str = ""  # ISO code of the city, for phone numbers

    def child(self, key: str, line: int) -> At:
        """The place of a nested value."""
        return At(self.path, line, key, self.problems, self.country)

    def report(self, message: str) -> None:
        """Record a problem at this place."""
        self.problems.add(self.path, self.line, self.key, message)


Checker = Callable[[Any, At], Any]


@dataclass(frozen=True, slots=True)
class Field:
    """One allowed key of a mapping."""

    check: Checker
    required: bool = False


class Reported(Exception):
    """A nested checker already reported its problems."""


def read_fields(node: Any, schema: Mapping[str, Field], at: At) -> dict[str, Any] | None:
    """Check ``node`` against ``schema``; return typed values, or None if anything failed."""
    if not isinstance(node, Node):
        at.report(f"expected a set of 'key: value' lines, got {_kind(node)}")
        return None
    before = len(at.problems.items)
    values: dict[str, Any] = {}
    for key, value in node.items():
        line = node.key_lines.get(key, node.line)
        here = at.child(f"{at.key}.{key}" if at.key else key, line)
        field = schema.get(key)
        if field is None:
            here.report(f"unknown key{_did_you_mean(key, schema)}")
            continue
        if value is None:
            if field.required:
                here.report("is empty; give a value")
            continue
        try:
            values[key] = field.check(value, here)
        except Invalid as exc:
            here.report(str(exc))
        except Reported:
            pass
    for key, field in schema.items():
        if field.required and key not in node:
            name = f"{at.key}.{key}" if at.key else key
            at.problems.add(at.path, node.line, name, "is required but missing")
    return values if len(at.problems.items) == before else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """"; did you mean 'x'?" for the closest choice, or "" when none is close."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _did_you_mean(key: str, schema: Mapping[str, Field]) -> str:
    return did_you_mean(key, schema) or "; allowed keys: " + ", ".join(sorted(schema))


def _kind(value: Any) -> str:
    if isinstance(value, (dict, Node)):
        return "a mapping"
    if isinstance(value, (list, Seq)):
        return "a list"
    if value is None:
        return "nothing (the file or value is empty)"
    return f"{type(value).__name__} {value!r}"


# -- scalar checkers ---------------------------------------------------------


def text(value: Any, at: At) -> str:
    """Non-empty text (numbers are accepted as text)."""
    if isinstance(value, (Node, Seq, dict, list, bool)):
        raise Invalid(f"expected text, got {_kind(value)}")
    result = str(value).strip()
    if not result:
        raise Invalid("is empty; give a value")
    return result


def boolean(value: Any, at: At) -> bool:
    """true or false."""
    if not isinstance(value, bool):
        raise Invalid(f"expected true or false, got {value!r}")
    return value


def share(value: Any, at: At) -> float:
    """A number from 0 to 1."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise Invalid(f"expected a number from 0 to 1 (e.g. 0.5), got {value!r}")
    return float(value)


def date(value: Any, at: At) -> dt.date:
    """A date written YYYY-MM-DD."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise Invalid(f"expected a date written YYYY-MM-DD, got {value!r}")


def slug(value: Any, at: At) -> str:
    """Lowercase letters, digits and single hyphens."""
    result = text(value, at)
    problem = slug_problem(result)
    if problem:
        raise Invalid(problem)
    return result


def slug_problem(name: str) -> str | None:
    """Why ``name`` cannot name a file of the site, or None if it can."""
    if not SLUG.match(name):
        return f"'{name}' is not a valid name: use lowercase letters, digits and '-'"
    if name in RESERVED_NAMES:
        return f"'{name}' is a reserved device name on Windows; choose another name"
    return None


def rename_hint(name: str, lang: str | None = None, suffix: str = "") -> str:
    """"; rename it 'livadeia'" for a file or folder named ``Λιβαδειά``, or "" when its
    Latin-letter form (:mod:`.translit`) would be no valid name either."""
    latin = ascii_name(name, lang)
    return f"; rename it '{latin}{suffix}'" if latin and not slug_problem(latin) else ""


def one_of(choices: Mapping[str, Any] | tuple[str, ...]) -> Checker:
    """A checker accepting only ``choices``."""

    def check(value: Any, at: At) -> str:
        result = text(value, at)
        if result not in choices:
            raise Invalid(f"'{result}' is not one of: {', '.join(choices)}{did_you_mean(result, choices)}")
        return result

    return check


NATIONAL_DIGITS = re.compile(r"\+?[\d][\d .\-/()]*")  # a number written with digits and separators only


def phone(value: Any, at: At) -> Phone:
    """A phone number valid in the city's country, or a short number such as 112."""
    raw = text(value, at)
    try:
        number = phonenumbers.parse(raw, at.country)
    except phonenumbers.NumberParseException:
        raise Invalid(f"'{raw}' is not a phone number") from None
    if phonenumbers.is_valid_number(number):
        if number.country_code == phonenumbers.country_code_for_region(at.country):
            fmt = phonenumbers.PhoneNumberFormat.NATIONAL
        else:
            fmt = phonenumbers.PhoneNumberFormat.INTERNATIONAL
        shown = phonenumbers.format_number(number, fmt)
        # The editor's grouping when it is the same number written the local way: Belgians
        # write "070 245 245" where libphonenumber groups "070 24 52 45", and the page's text
        # and its translations quote the number as the editor wrote it.
        if NATIONAL_DIGITS.fullmatch(raw) and not raw.isdigit() and re.sub(r"\D", "", raw) == re.sub(r"\D", "", shown):
            shown = " ".join(raw.split())
        return Phone(raw, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), shown)
    digits = digits_of(raw)
    if digits and is_short_number(digits, at.country):
        return Phone(raw, digits, digits)  # dialled as it is, in the country only
    if digits and len(digits) <= 6:
        raise Invalid(f"'{raw}' is not a valid phone number in {at.country}, nor a short number "
                      f"{at.country} has (such as 112): check it (a real line libphonenumber lacks "
                      "goes in ici_site/site/shortnumbers.py)")
    raise Invalid(f"'{raw}' is not a valid phone number in {at.country}")


def email(value: Any, at: At) -> str:
    """An e-mail address."""
    result = text(value, at)
    if not EMAIL.match(result):
        raise Invalid(f"'{result}' is not an e-mail address such as info@example.org")
    return result


def url(value: Any, at: At) -> str:
    """An absolute http(s) URL."""
    result = text(value, at)
    if not URL.match(result):
        raise Invalid(f"'{result}' is not a web address starting with https://")
    return result


def base_url(value: Any, at: At) -> str:
    """An absolute http(s) URL, ending with '/'."""
    result = url(value, at)
    return result if result.endswith("/") else result + "/"


def color(value: Any, at: At) -> str:
    """A CSS colour #rrggbb."""
    result = text(value, at)
    if not COLOR.match(result):
        raise Invalid(f"'{result}' is not a colour written #rrggbb, e.g. '#1d5a8c'")
    return result.lower()


def hours(value: Any, at: At) -> str:
    """OpenStreetMap opening_hours syntax."""
    result = text(value, at)
    try:
        opening_hours.OpeningHours(result)
    except (opening_hours.ParserError, ValueError) as exc:  # type: ignore[attr-defined]  # not in its stubs
        first = str(exc).strip().splitlines()
        detail = first[-1].strip(" =") if first else "syntax error"
        raise Invalid(
            f"'{result}' is not valid opening_hours syntax ({detail}); "
            "write e.g. 'Mo-Fr 09:00-12:30,14:00-17:00; Sa 10:00-12:00'"
        ) from None
    return result


def geo(value: Any, at: At) -> tuple[float, float]:
    """[latitude, longitude] in degrees."""
    if not isinstance(value, list) or len(value) != 2:
        raise Invalid("expected [latitude, longitude], e.g. [47.911, 1.866]")
    lat, lon = value
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lat, lon)):
        raise Invalid("latitude and longitude must be numbers, e.g. [47.911, 1.866]")
    if not -90 <= lat <= 90:
        raise Invalid(f"latitude {lat} is outside -90..90")
    if not -180 <= lon <= 180:
        raise Invalid(f"longitude {lon} is outside -180..180")
    return (float(lat), float(lon))


def list_of(item: Checker, unique: bool = False) -> Checker:
    """A list whose items are each checked by ``item``; a single value is not a list."""

    def check(value: Any, at: At) -> tuple[Any, ...]:
        if not isinstance(value, Seq):
            raise Invalid(f"expected a list, e.g. [a, b], got {_kind(value)}")
        results, failed = [], False
        for index, (element, line) in enumerate(zip(value, value.item_lines)):
            here = at.child(f"{at.key}[{index}]", line)
            try:
                result = item(element, here)
            except Invalid as exc:
                here.report(str(exc))
                failed = True
                continue
            except Reported:
                failed = True
                continue
            if unique and result in results:
                here.report(f"'{result}' is listed twice")
                failed = True
            results.append(result)
        if failed:
            raise Reported
        return tuple(results)

    return check


def mapping(schema: Mapping[str, Field]) -> Checker:
    """A nested mapping checked against ``schema``; returns the typed dict."""

    def check(value: Any, at: At) -> dict[str, Any]:
        values = read_fields(value, schema, at)
        if values is None:
            raise Reported
        return values

    return check
