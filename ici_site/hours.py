"""Opening hours as a week table in the reader's language.

The OpenStreetMap ``opening_hours`` value is evaluated by ``opening-hours-py``
over the week of the build date, so rules such as "PH off" or month ranges
show what applies that week; day names and time format come from CLDR.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_time, get_day_names
from opening_hours import OpeningHours, State

from .languages import locale


@dataclass(frozen=True, slots=True)
class DayHours:
    """One row of the table."""

    day: str  # day name in the reader's language
    spans: tuple[str, ...]  # "09:00–12:30" ranges; empty when closed
    weekday: int  # 0 = Monday


def open_intervals(hours: str, start: dt.datetime, days: int) -> list[tuple[dt.datetime, dt.datetime]]:
    """The open (start, end) intervals, in local time, of ``days`` days from ``start``."""
    return [(a, b) for a, b, state, _comment in
            OpeningHours(hours).intervals(start, start + dt.timedelta(days=days)) if state == State.OPEN]


def week_spans(hours: str, today: dt.date) -> dict[int, list[tuple[dt.time, dt.time]]]:
    """Weekday (0 = Monday) -> open (start, end) times of ``today``'s week; 00:00 ends a day."""
    monday = dt.datetime.combine(today - dt.timedelta(days=today.weekday()), dt.time())
    spans: dict[int, list[tuple[dt.time, dt.time]]] = {day: [] for day in range(7)}
    for start, end in open_intervals(hours, monday, 7):
        while start < end:  # an interval past midnight is cut at each day's end
            day_end = dt.datetime.combine(start.date() + dt.timedelta(days=1), dt.time())
            stop = min(end, day_end)
            spans[start.weekday()].append((start.time(), stop.time()))
            start = stop
    return spans


@lru_cache(maxsize=4096)  # every language of a city asks for the same services' times
def open_times(hours: str, timezone: str, today: dt.date, days: int = 14) -> str:
    """The open intervals of ``days`` days from ``today`` as UTC minutes, "start-end start-end …".

    The browser compares them with its clock to say "open now"; computing them here
    keeps the one evaluator of the opening_hours syntax (holidays, seasons) in charge.
    """
    zone = ZoneInfo(timezone)

    def minutes(local: dt.datetime) -> int:
        return int(local.replace(tzinfo=zone).timestamp()) // 60

    start = dt.datetime.combine(today, dt.time())
    merged: list[list[int]] = []
    for a, b in open_intervals(hours, start, days):
        if merged and merged[-1][1] >= minutes(a):  # "22:00-24:00" then "00:00-02:00": one span
            merged[-1][1] = max(merged[-1][1], minutes(b))
        else:
            merged.append([minutes(a), minutes(b)])
    return " ".join(f"{a}-{b}" for a, b in merged)


@lru_cache(maxsize=8192)  # the service page and the whole guide show the same table
def week_table(hours: str, lang: str, today: dt.date) -> tuple[DayHours, ...]:
    """Monday to Sunday of ``today``'s week, with the open spans of each day."""
    spans = week_spans(hours, today)
    names = get_day_names("wide", locale=locale(lang))
    return tuple(
        DayHours(names[day][:1].upper() + names[day][1:],
                 tuple(f"{_time(a, lang)}–{_time(b, lang, end=True)}" for a, b in spans[day]), day)
        for day in range(7)
    )


def _time(value: dt.time, lang: str, end: bool = False) -> str:
    """A time in the reader's format; a span ending at midnight ends at 24:00 in 24-hour locales."""
    if end and value == dt.time(0, 0) and "H" in locale(lang).time_formats["short"].pattern:
        return "24:00"
    return format_time(value, "short", locale=locale(lang))
