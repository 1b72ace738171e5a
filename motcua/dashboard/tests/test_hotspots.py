"""Hot spots against each series' own history and season: a synthetic surge in one category and ward is
flagged; the same kind of rise that comes back every year at this time is not; small counts are not."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from motcua.core.models import OutboundMessage
from motcua.dashboard import hotspots
from motcua.dashboard import scope as dash_scope
from motcua.dashboard.models import FeedbackDay
from motcua.org.models import Role

DAY = dt.date(2026, 9, 14)


def seed(unit, ward, category: int, daily, *, days: int = 430, rng=None) -> None:
    """FeedbackDay rows for one place and category: `daily(date)` expected reports per day (Poisson-ish)."""
    rng = rng or random.Random(7)
    rows = []
    for i in range(days):
        day = DAY - dt.timedelta(days=i)
        lam = daily(day)
        n = sum(1 for _ in range(int(lam * 4)) if rng.random() < 0.25)  # binomial around lam
        if n:
            rows.append(
                FeedbackDay(unit_id=unit.pk, ward_id=ward.pk, category_id=category, day=day, received=n)
            )
    FeedbackDay.objects.bulk_create(rows)


def rainy_season(day: dt.date) -> float:
    """Flooding reports triple every year from late August to October."""
    return 3.0 if (day.month == 9 or (day.month == 8 and day.day > 25) or day.month == 10) else 1.0


@pytest.mark.django_db
def test_a_surge_in_one_category_and_ward_is_flagged_a_seasonal_rise_is_not(province, ward_a, ward_b):
    seed(ward_a, ward_a, 1, lambda d: 1.0 if d < DAY - dt.timedelta(days=6) else 6.0)  # sudden surge
    seed(ward_a, ward_a, 2, rainy_season)  # flooding, as every year
    seed(ward_b, ward_b, 1, lambda d: 1.0)  # ordinary
    city = dash_scope.Scope(province, tuple(dash_scope.units_below(province)), True)
    spots = hotspots.feedback_hotspots(city, DAY)
    flagged = {(h.key["ward"], h.key["category"]) for h in spots}
    assert flagged == {(ward_a.pk, 1)}
    spot = spots[0]
    assert spot.values[-1] == spot.assessment.observed and len(spot.values) == hotspots.WEEKS + 1
    low, high = spot.band
    assert spot.assessment.observed > high and low >= 0
    # the same rise in a series with no year of history IS flagged: last year's season is what explains it
    seed(ward_b, ward_b, 3, rainy_season, days=70)
    young = {(h.key["ward"], h.key["category"]) for h in hotspots.feedback_hotspots(city, DAY)}
    assert young == {(ward_a.pk, 1), (ward_b.pk, 3)}


def test_assess_rules():
    # small counts are never a hot spot, however sudden
    assert not hotspots.assess(4, [0, 0, 0, 0, 0, 0, 0, 0]).flagged
    # a large jump over a quiet history is
    assert hotspots.assess(30, [5, 6, 4, 5, 7, 5, 6, 5]).flagged
    # a series that is always noisy needs a bigger jump (robust spread from its own history)
    assert not hotspots.assess(30, [5, 25, 3, 28, 6, 30, 4, 26]).flagged
    # the same jump is expected when last year did the same at this time
    assert not hotspots.assess(
        30, [5, 6, 4, 5, 7, 5, 6, 5], last_year=28, last_year_history=[5, 5, 6, 4]
    ).flagged


@pytest.mark.django_db
def test_morning_digest_goes_through_the_outbox_once(province, ward_a, make_staff):
    seed(ward_a, ward_a, 1, lambda d: 1.0 if d < DAY - dt.timedelta(days=6) else 6.0)
    make_staff(Role.UNIT_LEADER, ward_a, email="lanhdao@example.vn")
    assert hotspots.send_digest(DAY) == 1
    hotspots.send_digest(DAY)
    messages = OutboundMessage.objects.filter(key__startswith="dashboard-digest:")
    assert messages.count() == 1
    assert "Bản tin điểm nóng ngày 14/09/2026" in messages.get().body


@pytest.mark.django_db
def test_the_leaders_page_shows_the_evidence(province, ward_a, ward_b, make_staff, client):
    seed(ward_a, ward_a, 1, lambda d: 1.0 if d < DAY - dt.timedelta(days=6) else 6.0)
    client.force_login(make_staff(Role.UNIT_LEADER, province))
    page = client.get("/staff/dashboard/diem-nong/", {"day": DAY.isoformat()}).content.decode()
    assert f"tại {ward_a.name}" in page and "<svg" in page and "z = " in page
    client.force_login(make_staff(Role.UNIT_LEADER, ward_b))  # another ward's leader: not in scope
    page = client.get("/staff/dashboard/diem-nong/", {"day": DAY.isoformat()}).content.decode()
    assert ward_a.name not in page
