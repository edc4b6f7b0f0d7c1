"""Opening hours: the usual week, public holidays and "open now", in the reader's language.

The OpenStreetMap ``opening_hours`` value is evaluated by ``opening-hours-py``, told
the city's country so that ``PH`` (public holiday) rules apply on that country's
holidays. That library knows no regions (and no calendar for about a hundred countries),
so the holidays of a region (Alsace-Moselle's Good Friday, Bavaria's Epiphany), and those
of such a country, come from the ``holidays`` package and are evaluated as holidays by
:func:`_as_holiday`. Everything the reader sees comes from one
evaluation of :data:`HORIZON_DAYS` days from the build date (:func:`day_spans`):
the week table is the usual week of its first weeks, the "open now" line gets that
week plus the days that differ from it, and the public holidays are listed with
their hours. Day names, dates and time formats come from CLDR.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import opening_hours
from babel.dates import format_date, format_time, get_day_names
from opening_hours import OpeningHours, State

from ici_site.content.model import City
from ici_site.errors import Problem
from ici_site.i18n.languages import locale

HORIZON_DAYS = 396  # 13 months: a city that rebuilds twice a year still says "open now" right
USUAL_WEEKS = 8  # the week table shows the hours most days have in these weeks from the build
DAY_CODES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
PH = re.compile(r"\bPH\b")
EXPRESSION_ERROR = opening_hours.ParserError  # type: ignore[attr-defined]  # not in its stubs
UNKNOWN_COUNTRY = opening_hours.UnknownCountryError  # type: ignore[attr-defined]

Span = tuple[int, int]  # open from..to, in minutes after local midnight; 1440 ends at midnight
Day = tuple[Span, ...]  # the open spans of one local day, in order; () when closed


@dataclass(frozen=True, slots=True)
class Place:
    """Whose holidays apply: the city's country and, optionally, its region."""

    country: str  # ISO 3166-1 alpha-2
    region: str | None = None  # a subdivision code of the ``holidays`` package, e.g. "57", "BY"


NO_HOLIDAYS = Place("")  # a place whose holidays are unknown: PH rules never apply


@dataclass(frozen=True, slots=True)
class DayHours:
    """One row of the table."""

    day: str  # day name (or, for a holiday, its date) in the reader's language
    spans: tuple[str, ...]  # "09:00–12:30" ranges; empty when closed
    weekday: int  # 0 = Monday
    date: dt.date | None = None  # the date of a public holiday row; None in the usual week


@dataclass(frozen=True, slots=True)
class OpenData:
    """What the browser needs to say "open now" for :data:`HORIZON_DAYS` days."""

    start: dt.date  # day 0, the build date in the city
    days: int  # how many days the data covers; after that the line is not shown
    week: str  # usual spans Monday to Sunday: "540-720,840-1020/540-720/…" (local minutes)
    exceptions: str  # days that differ: "22= 29=540-600" (day number = spans, empty: closed)


def day_spans(hours: str, place: Place, start: dt.date, days: int = HORIZON_DAYS) -> tuple[Day, ...]:
    """The open spans of each local day from ``start``, holidays of ``place`` included."""
    return _day_spans(hours, place, start, days)


@lru_cache(maxsize=1024)  # every language of a city asks for the same services
def _day_spans(hours: str, place: Place, start: dt.date, days: int) -> tuple[Day, ...]:
    result = _native_days(hours, place.country, start, days)
    for holiday in _extra_holidays(place, start, days):  # the ones the library does not know
        result[(holiday - start).days] = _as_holiday(hours, place.country, holiday, result[(holiday - start).days])
    return tuple(result)


def _evaluator(hours: str, country: str | None) -> OpeningHours:
    """The expression with the country's holiday calendar, or without one if the library has none."""
    try:
        return OpeningHours(hours, country=country or None)
    except UNKNOWN_COUNTRY:  # a territory without a calendar: PH rules never apply
        return OpeningHours(hours)


def _native_days(hours: str, country: str, start: dt.date, days: int) -> list[Day]:
    """Open spans per day as the library computes them (national holidays only)."""
    spans: list[list[Span]] = [[] for _ in range(days)]
    begin = dt.datetime.combine(start, dt.time())
    for a, b, state, _comment in _evaluator(hours, country).intervals(begin, begin + dt.timedelta(days=days)):
        while state == State.OPEN and a < b:  # an interval past midnight is cut at each day's end
            day_end = dt.datetime.combine(a.date() + dt.timedelta(days=1), dt.time())
            stop = min(b, day_end)
            day = spans[(a.date() - start).days]
            end = 1440 if stop == day_end else stop.hour * 60 + stop.minute
            if day and day[-1][1] == a.hour * 60 + a.minute:  # two open intervals that touch are one
                day[-1] = (day[-1][0], end)
            else:
                day.append((a.hour * 60 + a.minute, end))
            a = stop
    return [tuple(day) for day in spans]


def _as_holiday(hours: str, country: str, day: dt.date, otherwise: Day) -> Day:
    """``day``'s spans if it were a public holiday: ``PH`` is read as that day's weekday.

    On that one day "PH" and "Fr" (say) select the same day, so the rules mean what
    the editor wrote; a PH rule the substitution cannot express (``PH -1 day``) keeps
    the day as the national calendar has it.
    """
    try:
        return _native_days(PH.sub(DAY_CODES[day.weekday()], hours), country, day, 1)[0]
    except EXPRESSION_ERROR:
        return otherwise


@lru_cache(maxsize=64)
def _extra_holidays(place: Place, start: dt.date, days: int) -> tuple[dt.date, ...]:
    """The holidays opening-hours-py does not know, in the period: the region's own ones
    (those the country as a whole does not have), or all of them for a country the library
    has no calendar for (about a hundred territories) when the ``holidays`` package has one."""
    native = _knows(place.country)
    if native and not place.region:
        return ()
    import holidays  # only these cities need it

    end = start + dt.timedelta(days=days)
    years = range(start.year, end.year + 1)
    try:
        known = holidays.country_holidays(place.country, subdiv=place.region, years=years)
    except NotImplementedError:  # no calendar anywhere: holidays are ordinary days
        return ()
    national = holidays.country_holidays(place.country, years=years) if native else {}
    return tuple(sorted(d for d in known if d not in national and start <= d < end))


@lru_cache(maxsize=256)
def _knows(country: str) -> bool:
    """Whether opening-hours-py has the country's holiday calendar."""
    try:
        OpeningHours("PH", country=country)
    except UNKNOWN_COUNTRY:
        return False
    return bool(country)


@lru_cache(maxsize=64)
def public_holidays(place: Place, start: dt.date, days: int = HORIZON_DAYS) -> tuple[dt.date, ...]:
    """Every public holiday of ``place`` in the ``days`` days from ``start``."""
    national = [start + dt.timedelta(days=i) for i, day in enumerate(_native_days("PH", place.country, start, days))
                if day]
    return tuple(sorted({*national, *_extra_holidays(place, start, days)}))


def usual_week(spans: tuple[Day, ...], start: dt.date) -> tuple[Day, ...]:
    """Monday to Sunday as most days of the first :data:`USUAL_WEEKS` weeks have them.

    A holiday or a one-off closing is a minority of its weekday, so the table shows
    the regular hours; the days that differ are listed (holidays) and known to "open now".
    """
    counts: list[Counter[Day]] = [Counter() for _ in range(7)]
    for index, day in enumerate(spans[: USUAL_WEEKS * 7]):
        counts[(start + dt.timedelta(days=index)).weekday()][day] += 1
    return tuple(c.most_common(1)[0][0] if c else () for c in counts)


@lru_cache(maxsize=1024)
def open_data(hours: str, place: Place, today: dt.date) -> OpenData:
    """The usual week and the days that differ, for "open now" in the browser.

    The browser reads its clock in the city's time zone and looks the day up: a
    13-month table that stays small (one week plus holidays) and keeps the one
    evaluator of the opening_hours syntax (holidays, seasons) in charge.
    """
    spans = day_spans(hours, place, today)
    week = usual_week(spans, today)
    exceptions = [f"{i}={_code(day)}" for i, day in enumerate(spans)
                  if day != week[(today + dt.timedelta(days=i)).weekday()]]
    return OpenData(today, len(spans), "/".join(_code(day) for day in week), " ".join(exceptions))


def _code(day: Day) -> str:
    return ",".join(f"{a}-{b}" for a, b in day)


@lru_cache(maxsize=1024)
def usual_spans(hours: str, place: Place, today: dt.date) -> tuple[Day, ...]:
    """Monday to Sunday: the usual open spans (local minutes) of each day from ``today`` on."""
    return usual_week(day_spans(hours, place, today), today)


@lru_cache(maxsize=8192)  # the service page and the whole guide show the same table
def week_table(hours: str, lang: str, today: dt.date, place: Place = NO_HOLIDAYS) -> tuple[DayHours, ...]:
    """Monday to Sunday: the usual open spans of each day from ``today`` on."""
    week = usual_spans(hours, place, today)
    names = get_day_names("wide", locale=locale(lang))
    return tuple(DayHours(_capital(names[day]), _texts(week[day], lang), day) for day in range(7))


@lru_cache(maxsize=8192)
def holiday_table(hours: str, lang: str, today: dt.date, place: Place) -> tuple[DayHours, ...]:
    """The public holidays of the 13 months whose hours differ from the usual week, with their hours."""
    return tuple(DayHours(_capital(format_date(holiday, "full", locale=locale(lang))), _texts(day, lang),
                          holiday.weekday(), holiday)
                 for holiday, day in special_days(hours, today, place))


def special_days(hours: str, today: dt.date, place: Place) -> list[tuple[dt.date, Day]]:
    """Every public holiday of the 13 months whose hours differ from the usual week, with its hours."""
    spans = day_spans(hours, place, today)
    week = usual_week(spans, today)
    return [(h, spans[(h - today).days]) for h in public_holidays(place, today)
            if spans[(h - today).days] != week[h.weekday()]]


def _capital(name: str) -> str:
    return name[:1].upper() + name[1:]


def _texts(day: Day, lang: str) -> tuple[str, ...]:
    return tuple(f"{format_minutes(a, lang)}–{format_minutes(b, lang, end=True)}" for a, b in day)


def format_minutes(minutes: int, lang: str, end: bool = False) -> str:
    """A time in the reader's format; a span ending at midnight ends at 24:00 in 24-hour locales."""
    value = dt.time(minutes // 60 % 24, minutes % 60)
    if end and minutes == 1440 and "H" in locale(lang).time_formats["short"].pattern:
        return "24:00"
    return format_time(value, "short", locale=locale(lang))


# -- a later rule that replaces an earlier one ------------------------------------

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DAYS = r"(?:Mo|Tu|We|Th|Fr|Sa|Su)(?:\s*-\s*(?:Mo|Tu|We|Th|Fr|Sa|Su))?"
_TIMES = r"\d{1,2}:\d\d\s*-\s*\d{1,2}:\d\d(?:\s*,\s*\d{1,2}:\d\d\s*-\s*\d{1,2}:\d\d)*"
PLAIN_RULE = re.compile(rf"\s*(?:{_DAYS}(?:\s*,\s*{_DAYS})*\s+)?{_TIMES}\s*\Z")
RULES = re.compile(r';(?=(?:[^"]*"[^"]*")*[^"]*\Z)')  # a ';' outside "comments"
REFERENCE_YEAR = dt.date(2026, 1, 1)  # any year: no holidays, every month and weekday


@lru_cache(maxsize=1024)
def replaced_hours(hours: str) -> str | None:
    """What to tell the editor when a later rule drops hours an earlier rule gave, or None.

    In opening_hours, a rule after ';' *replaces* what earlier rules said about its
    days (``Mo-Fr 08:30-14:00; Th 16:00-18:30`` is closed on Thursday morning). That
    is usually a mistake when the later rule only names weekdays and opening times;
    a rule for a season, a date or holidays ("PH off", "Jul-Aug ...") is left alone.
    """
    main = hours.split("||")[0]
    rules = RULES.split(main)
    for index in range(1, len(rules)):
        rule = rules[index].strip()
        if not PLAIN_RULE.match(rule):
            continue
        earlier = ";".join(rules[:index])
        dropped = _dropped(earlier, rule)
        if dropped:
            tail = hours[len(main):].strip()
            joined = f"{earlier.rstrip()}, {';'.join(rules[index:]).strip()}" + (f" {tail}" if tail else "")
            names = ", ".join(DAY_NAMES[d] for d in dropped)
            lost = ",".join(f"{a // 60:02}:{a % 60:02}-{b // 60:02}:{b % 60:02}" for a, b in next(iter(dropped.values())))
            return (f"'{rule}' replaces the earlier hours of {names}, so {lost} is closed: after ';' a rule "
                    f"replaces what earlier rules say about its days; if the service is open at both times, "
                    f"write {_both(joined)}")
    return None


def _dropped(earlier: str, rule: str) -> dict[int, tuple[Span, ...]]:
    """Weekday -> the hours ``earlier`` gave that ``rule`` (open that day) leaves out."""
    try:
        before = _native_days(earlier, "", REFERENCE_YEAR, 364)
        after = _native_days(rule, "", REFERENCE_YEAR, 364)
    except EXPRESSION_ERROR:
        return {}
    dropped: dict[int, tuple[Span, ...]] = {}
    for index, (old, new) in enumerate(zip(before, after, strict=True)):
        lost = tuple((a, b) for a, b in old if not any(c <= a and b <= d for c, d in new))
        if new and lost:
            dropped.setdefault((REFERENCE_YEAR + dt.timedelta(days=index)).weekday(), lost)
    return dict(sorted(dropped.items()))


def _both(joined: str) -> str:
    """The expression that keeps both rules: joined with ',' and, when it reads better, normalised."""
    try:
        normal = str(OpeningHours(joined).normalize())
    except EXPRESSION_ERROR:
        return f"'{joined}'"
    return f"'{joined}' or '{normal}'" if normal != joined else f"'{joined}'"


def hours_warnings(city: City) -> list[Problem]:
    """A warning, at the ``hours:`` line, for each service whose later rule drops earlier hours."""
    return [Problem(s.path, s.lines.get("hours"), "hours", message) for s in city.services
            if s.hours and (message := replaced_hours(s.hours))]
