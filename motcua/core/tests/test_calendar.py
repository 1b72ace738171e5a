"""The legal calendar: concrete cases from the rules, then properties over many dates (hypothesis)."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.core.calendar import TZ, LegalCalendar, LegalTimeUnit, OfficeSchedule, calendar_for
from motcua.core.models import CalendarOverride

CAL = LegalCalendar()


def at(y, m, d, hh=9, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


@pytest.mark.parametrize(
    "day, working",
    [
        (dt.date(2026, 2, 16), False),  # Tết 2026: 16-20 February
        (dt.date(2026, 2, 20), False),
        (dt.date(2026, 2, 23), True),
        (dt.date(2026, 4, 30), False),
        (dt.date(2026, 5, 1), False),
        (dt.date(2026, 8, 31), False),  # swapped day off before 2/9 in 2026
        (dt.date(2026, 9, 1), False),
        (dt.date(2026, 9, 2), False),
        (dt.date(2026, 9, 3), True),
        (dt.date(2026, 11, 28), False),  # Saturday
        (dt.date(2026, 11, 29), False),  # Sunday
        (dt.date(2025, 4, 26), True),  # Saturday made a working day (swap for 2/5/2025)
        (dt.date(2025, 5, 2), False),
    ],
)
def test_working_days_follow_vietnamese_holidays(day, working):
    assert CAL.is_working_day(day) is working


def test_same_day_received_by_1500_is_due_at_1700_that_day():
    assert CAL.due_at(at(2026, 11, 26, 14, 59), 0, LegalTimeUnit.SAME_DAY) == at(2026, 11, 26, 17, 0)
    assert CAL.due_at(at(2026, 11, 26, 15, 0), 0, LegalTimeUnit.SAME_DAY) == at(2026, 11, 26, 17, 0)


def test_same_day_received_after_1500_is_due_next_working_day():
    # Friday 27/11/2026 15:30 -> Monday 30/11 17:00
    assert CAL.due_at(at(2026, 11, 27, 15, 30), 0, LegalTimeUnit.SAME_DAY) == at(2026, 11, 30, 17, 0)


def test_receipt_outside_office_hours_counts_from_next_working_moment():
    # Saturday -> counts from Monday 07:30; same day -> Monday 17:00
    assert CAL.counting_moment(at(2026, 11, 28, 10)) == at(2026, 11, 30, 7, 30)
    assert CAL.due_at(at(2026, 11, 28, 10), 0, LegalTimeUnit.SAME_DAY) == at(2026, 11, 30, 17, 0)
    # Lunch break -> 13:00 the same day
    assert CAL.counting_moment(at(2026, 11, 26, 12, 0)) == at(2026, 11, 26, 13, 0)
    # Evening -> next morning, so 1 working day is due the day after that
    assert CAL.due_at(at(2026, 11, 26, 18, 0), 1, LegalTimeUnit.WORKING_DAYS) == at(2026, 11, 30, 17, 0)


def test_working_days_skip_weekends_and_tet():
    # Thursday 12/2/2026, 3 working days: Fri 13, (Tết 16-20), Mon 23, Tue 24
    assert CAL.due_at(at(2026, 2, 12, 9), 3, LegalTimeUnit.WORKING_DAYS) == at(2026, 2, 24, 17, 0)


def test_working_days_across_30_4_and_1_5():
    # Wednesday 29/4/2026, 2 working days: 30/4 and 1/5 off, weekend -> Mon 4/5, Tue 5/5
    assert CAL.due_at(at(2026, 4, 29, 10), 2, LegalTimeUnit.WORKING_DAYS) == at(2026, 5, 5, 17, 0)


def test_working_days_across_national_day():
    # Friday 28/8/2026, 1 working day: 31/8, 1/9, 2/9 off -> Thursday 3/9
    assert CAL.due_at(at(2026, 8, 28, 10), 1, LegalTimeUnit.WORKING_DAYS) == at(2026, 9, 3, 17, 0)


def test_calendar_days_move_a_non_working_last_day_forward():
    # Monday 23/11/2026 + 5 days = Saturday 28/11 -> Monday 30/11
    assert CAL.due_at(at(2026, 11, 23, 9), 5, LegalTimeUnit.DAYS) == at(2026, 11, 30, 17, 0)
    assert CAL.due_at(at(2026, 11, 23, 9), 3, LegalTimeUnit.DAYS) == at(2026, 11, 26, 17, 0)


def test_working_hours_stay_inside_office_hours():
    # Thursday 26/11 10:30 + 4h: 1h until 11:30, 3h from 13:00 -> 16:00
    assert CAL.add_working_hours(at(2026, 11, 26, 10, 30), 4) == at(2026, 11, 26, 16, 0)
    # Friday 16:00 + 2h -> Monday 08:30
    assert CAL.add_working_hours(at(2026, 11, 27, 16, 0), 2) == at(2026, 11, 30, 8, 30)
    # exactly to the end of a session stays at 17:00, not the next morning
    assert CAL.add_working_hours(at(2026, 11, 26, 13, 0), 4) == at(2026, 11, 26, 17, 0)
    assert CAL.due_at(at(2026, 11, 26, 13, 0), 8, LegalTimeUnit.HOURS) == at(2026, 11, 27, 11, 30)


def test_saturday_reception_is_a_receiving_time_but_not_a_working_day():
    schedule = OfficeSchedule(saturday_reception=True)
    saturday = at(2026, 11, 28, 9, 0)
    assert CAL.next_working_moment(saturday, schedule, reception=True) == saturday
    assert CAL.next_working_moment(saturday, schedule) == at(2026, 11, 30, 7, 30)
    assert CAL.due_at(saturday, 1, LegalTimeUnit.WORKING_DAYS, schedule) == at(2026, 12, 1, 17, 0)


def test_unit_office_hours_change_the_closing_time():
    schedule = OfficeSchedule(afternoon_start=dt.time(13, 30), afternoon_end=dt.time(17, 30))
    assert CAL.due_at(at(2026, 11, 26, 9), 1, LegalTimeUnit.WORKING_DAYS, schedule) == at(
        2026, 11, 27, 17, 30
    )


@pytest.mark.django_db
def test_province_overrides_add_days_off_and_make_up_days():
    CalendarOverride.objects.create(province_code="79", date=dt.date(2026, 12, 1), kind="off", note="Nghỉ bù")
    CalendarOverride.objects.create(province_code="79", date=dt.date(2026, 12, 5), kind="work", note="Làm bù")
    cal = calendar_for("79")
    assert not cal.is_working_day(dt.date(2026, 12, 1))
    assert cal.is_working_day(dt.date(2026, 12, 5))
    # Monday 30/11 + 2 working days: Wed 2/12, Thu 3/12
    assert cal.due_at(at(2026, 11, 30, 9), 2, LegalTimeUnit.WORKING_DAYS) == at(2026, 12, 3, 17, 0)
    # another province keeps the national calendar
    assert calendar_for("01").is_working_day(dt.date(2026, 12, 1))


moments = st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2028, 12, 31)).map(
    lambda d: d.replace(tzinfo=TZ)
)


@settings(max_examples=300, deadline=None)
@given(moment=moments, n=st.integers(min_value=1, max_value=30))
def test_n_working_days_due_is_the_nth_working_day_after_counting_start(moment, n):
    due = CAL.due_at(moment, n, LegalTimeUnit.WORKING_DAYS)
    start = CAL.counting_moment(moment)
    assert due.time() == dt.time(17, 0)
    assert CAL.is_working_day(due.date())
    assert CAL.working_days_between(start.date(), due.date()) == n
    assert due > moment


@settings(max_examples=300, deadline=None)
@given(moment=moments, n=st.integers(min_value=1, max_value=20))
def test_due_time_is_monotonic_in_duration_and_receipt(moment, n):
    shorter = CAL.due_at(moment, n, LegalTimeUnit.WORKING_DAYS)
    longer = CAL.due_at(moment, n + 1, LegalTimeUnit.WORKING_DAYS)
    assert longer > shorter
    later = CAL.due_at(moment + dt.timedelta(hours=5), n, LegalTimeUnit.WORKING_DAYS)
    assert later >= shorter


@settings(max_examples=300, deadline=None)
@given(moment=moments)
def test_same_day_due_is_at_closing_on_a_working_day_no_later_than_next(moment):
    due = CAL.due_at(moment, 0, LegalTimeUnit.SAME_DAY)
    start = CAL.counting_moment(moment)
    assert due.time() == dt.time(17, 0) and CAL.is_working_day(due.date())
    expected = start.date() if start.time() <= dt.time(15, 0) else CAL.next_working_day(start.date())
    assert due.date() == expected


@settings(max_examples=300, deadline=None)
@given(moment=moments, hours=st.integers(min_value=1, max_value=80))
def test_working_hours_added_are_exactly_the_office_hours_between(moment, hours):
    end = CAL.add_working_hours(moment, hours)
    assert CAL.working_hours_between(moment, end) == pytest.approx(hours)
    assert CAL.is_working_day(end.date())


@settings(max_examples=200, deadline=None)
@given(moment=moments)
def test_next_working_moment_is_inside_office_hours(moment):
    nxt = CAL.next_working_moment(moment)
    assert nxt >= moment
    assert CAL.is_office_hours(nxt)
