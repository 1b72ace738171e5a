"""The legal calendar: working days, office hours and due times for dossiers.

Working days come from the `holidays` package (Vietnam) plus each province's official overrides
(CalendarOverride). Office hours belong to a unit (OfficeSchedule). The rules (domain.md, Deadlines):

- a valid receipt outside office hours counts from the next working moment;
- "same day": counted by 15:00 -> due at closing time that day; later -> closing time next working day;
- N working days: counted from the working day after the counting moment; due at closing on the Nth;
- N days: Civil Code Arts 147-148: start the day after, last day moved to the next working day;
- N working hours: counted inside office hours.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass, field
from functools import lru_cache

import holidays
from django.conf import settings
from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from motcua.core.models import CalendarOverride

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
SAME_DAY_CUTOFF = dt.time(15, 0)
_SUBSTITUTED = re.compile(r"substituted from (\d{2})/(\d{2})/(\d{4})")


class LegalTimeUnit(TextChoices):
    SAME_DAY = "same_day", _("Trong ngày")
    WORKING_DAYS = "working_days", _("Ngày làm việc")
    DAYS = "days", _("Ngày")
    HOURS = "hours", _("Giờ làm việc")


@dataclass(frozen=True)
class OfficeSchedule:
    """A unit's office hours. Saturday-morning reception adds receiving time, not working days."""

    morning_start: dt.time = dt.time(7, 30)
    morning_end: dt.time = dt.time(11, 30)
    afternoon_start: dt.time = dt.time(13, 0)
    afternoon_end: dt.time = dt.time(17, 0)
    saturday_reception: bool = False

    def sessions(self) -> list[tuple[dt.time, dt.time]]:
        return [(self.morning_start, self.morning_end), (self.afternoon_start, self.afternoon_end)]

    @property
    def closing(self) -> dt.time:
        return self.afternoon_end

    @property
    def hours_per_day(self) -> float:
        total = 0.0
        for start, end in self.sessions():
            total += (dt.datetime.combine(dt.date.min, end) - dt.datetime.combine(dt.date.min, start)).seconds
        return total / 3600


DEFAULT_SCHEDULE = OfficeSchedule()


@lru_cache(maxsize=64)
def _national_days(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """(days off, make-up working days) from the holidays package for one year."""
    off: set[dt.date] = set()
    work: set[dt.date] = set()
    for day, name in holidays.country_holidays("VN", years=[year]).items():
        off.add(day)
        for part in str(name).split(";"):
            match = _SUBSTITUTED.search(part)
            if match:
                month, dom, yr = (int(g) for g in match.groups())
                work.add(dt.date(yr, month, dom))
    return frozenset(off), frozenset(work)


@dataclass
class LegalCalendar:
    """Working days for one province. Build it with `calendar_for()`."""

    overrides: dict[dt.date, str] = field(default_factory=dict)

    def is_working_day(self, day: dt.date) -> bool:
        kind = self.overrides.get(day)
        if kind is not None:
            return kind == "work"
        off, work = _national_days(day.year)
        if day in work:
            return True
        if day in off:
            return False
        return day.weekday() < 5

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after `day`."""
        day += dt.timedelta(days=1)
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after `day` (n >= 1); `day` itself never counts."""
        for _i in range(n):
            day = self.next_working_day(day)
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]."""
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    # --- moments inside office hours -------------------------------------------------
    def sessions_on(
        self, day: dt.date, schedule: OfficeSchedule, *, reception: bool = False
    ) -> list[tuple[dt.datetime, dt.datetime]]:
        if self.is_working_day(day):
            return [(_at(day, s), _at(day, e)) for s, e in schedule.sessions()]
        if reception and schedule.saturday_reception and day.weekday() == 5 and self._not_holiday(day):
            return [(_at(day, schedule.morning_start), _at(day, schedule.morning_end))]
        return []

    def _not_holiday(self, day: dt.date) -> bool:
        return self.overrides.get(day) != "off" and day not in _national_days(day.year)[0]

    def next_working_moment(
        self, moment: dt.datetime, schedule: OfficeSchedule = DEFAULT_SCHEDULE, *, reception: bool = False
    ) -> dt.datetime:
        """`moment` itself if inside office hours, else the start of the next session."""
        moment = _local(moment)
        day = moment.date()
        for _i in range(400):
            for start, end in self.sessions_on(day, schedule, reception=reception):
                if moment < end:
                    return max(moment, start)
            day += dt.timedelta(days=1)
        raise ValueError("no working moment within 400 days")

    def is_office_hours(self, moment: dt.datetime, schedule: OfficeSchedule = DEFAULT_SCHEDULE) -> bool:
        moment = _local(moment)
        return any(s <= moment < e for s, e in self.sessions_on(moment.date(), schedule))

    def add_working_hours(
        self, moment: dt.datetime, hours: float, schedule: OfficeSchedule = DEFAULT_SCHEDULE
    ) -> dt.datetime:
        """The moment `hours` office hours after `moment` (ends at a session's end, never the next start)."""
        remaining = dt.timedelta(hours=hours)
        current = self.next_working_moment(moment, schedule)
        if remaining <= dt.timedelta(0):
            return current
        day = current.date()
        while True:
            for start, end in self.sessions_on(day, schedule):
                if end <= current:
                    continue
                start = max(start, current)
                available = end - start
                if remaining <= available:
                    return start + remaining
                remaining -= available
            day += dt.timedelta(days=1)
            current = _at(day, dt.time(0, 0))

    def working_hours_between(
        self, start: dt.datetime, end: dt.datetime, schedule: OfficeSchedule = DEFAULT_SCHEDULE
    ) -> float:
        start, end = _local(start), _local(end)
        if end <= start:
            return 0.0
        total = dt.timedelta(0)
        day = start.date()
        while day <= end.date():
            for s, e in self.sessions_on(day, schedule):
                lo, hi = max(s, start), min(e, end)
                if hi > lo:
                    total += hi - lo
            day += dt.timedelta(days=1)
        return total.total_seconds() / 3600

    # --- legal due times ------------------------------------------------------------------
    def counting_moment(
        self, received_at: dt.datetime, schedule: OfficeSchedule = DEFAULT_SCHEDULE
    ) -> dt.datetime:
        """Where the legal clock starts for a valid receipt."""
        return self.next_working_moment(received_at, schedule)

    def due_at(
        self,
        received_at: dt.datetime,
        value: float,
        unit: str,
        schedule: OfficeSchedule = DEFAULT_SCHEDULE,
    ) -> dt.datetime:
        """The legal due time of a dossier validly received at `received_at`."""
        start = self.counting_moment(received_at, schedule)
        if unit == LegalTimeUnit.HOURS:
            return self.add_working_hours(start, value, schedule)
        days = int(value)
        if unit == LegalTimeUnit.SAME_DAY or (unit == LegalTimeUnit.WORKING_DAYS and days <= 0):
            if start.time() <= SAME_DAY_CUTOFF:
                return _at(start.date(), schedule.closing)
            return _at(self.next_working_day(start.date()), schedule.closing)
        if unit == LegalTimeUnit.WORKING_DAYS:
            return _at(self.add_working_days(start.date(), days), schedule.closing)
        if unit == LegalTimeUnit.DAYS:
            last = start.date() + dt.timedelta(days=max(days, 0))
            if not self.is_working_day(last):
                last = self.next_working_day(last)
            return _at(last, schedule.closing)
        raise ValueError(f"unknown legal time unit: {unit}")


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=TZ)


def _local(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=TZ)
    return moment.astimezone(TZ)


def calendar_for(province_code: str | None = None) -> LegalCalendar:
    """The legal calendar of a province, with its recorded overrides."""
    code = province_code or settings.MOTCUA_PROVINCE_CODE
    overrides = dict(CalendarOverride.objects.filter(province_code=code).values_list("date", "kind"))
    return LegalCalendar(overrides=overrides)
