"""Opening hours as a week table in the reader's language.

The OpenStreetMap ``opening_hours`` value is evaluated by ``opening-hours-py``
over the week of the build date, so rules such as "PH off" or month ranges
show what applies that week; day names and time format come from CLDR.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel.dates import format_time, get_day_names
from opening_hours import OpeningHours, State

from .languages import locale


@dataclass(frozen=True, slots=True)
class DayHours:
    """One row of the table."""

    day: str  # day name in the reader's language
    spans: tuple[str, ...]  # "09:00–12:30" ranges; empty when closed
    weekday: int  # 0 = Monday


def week_table(hours: str, lang: str, today: dt.date) -> list[DayHours]:
    """Monday to Sunday of ``today``'s week, with the open spans of each day."""
    monday = dt.datetime.combine(today - dt.timedelta(days=today.weekday()), dt.time())
    opening = OpeningHours(hours)
    spans: dict[int, list[tuple[dt.time, dt.time]]] = {day: [] for day in range(7)}
    for start, end, state, _comment in opening.intervals(monday, monday + dt.timedelta(days=7)):
        if state != State.OPEN:
            continue
        while start < end:  # an interval past midnight is cut at each day's end
            day_end = dt.datetime.combine(start.date() + dt.timedelta(days=1), dt.time())
            stop = min(end, day_end)
            spans[start.weekday()].append((start.time(), stop.time()))
            start = stop
    names = get_day_names("wide", locale=locale(lang))
    return [
        DayHours(names[day][:1].upper() + names[day][1:],
                 tuple(f"{_time(a, lang)}–{_time(b, lang, end=True)}" for a, b in spans[day]), day)
        for day in range(7)
    ]


def _time(value: dt.time, lang: str, end: bool = False) -> str:
    """A time in the reader's format; a span ending at midnight ends at 24:00 in 24-hour locales."""
    if end and value == dt.time(0, 0) and "H" in locale(lang).time_formats["short"].pattern:
        return "24:00"
    return format_time(value, "short", locale=locale(lang))
