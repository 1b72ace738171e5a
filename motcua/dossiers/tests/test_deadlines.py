import datetime as dt

import pytest

from motcua.core.calendar import TZ
from motcua.core.models import OutboundMessage
from motcua.dossiers import services
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import DossierStatus as S
from motcua.dossiers.models import Outcome
from motcua.dossiers.tests.conftest import pdf


def at(y, m, d, h=9, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=TZ)


def test_supplement_after_appraisal_restarts_the_clock_from_zero(intake, specialist, desk_officer):
    with services.clock_at(at(2026, 3, 9)):  # Monday
        d = intake()
    assert d.due_at == at(2026, 3, 12, 17)
    with services.clock_at(at(2026, 3, 11)):  # Wednesday, 2 working days after receipt
        services.claim_task(d.tasks.get(order=2), actor=specialist)
        d = services.request_supplement(d, actor=specialist, items=["Bản sao sổ hộ khẩu"], reason="Thiếu")
    assert d.status == S.SUPPLEMENT_REQUESTED
    with services.clock_at(at(2026, 3, 16, 10)):  # next Monday the citizen brings the paper
        d = services.supplement(d, actor=desk_officer, files={"x": pdf()})
    assert d.status == S.PROCESSING
    # full 3 working days again, counted from the supplement
    assert d.due_at == at(2026, 3, 19, 17) and d.original_due_at == d.due_at
    assert d.clock_started_at == at(2026, 3, 16, 10)
    with pytest.raises(DossierError) as err:
        services.request_supplement(d, actor=specialist, items=["Khác"])
    assert err.value.code == "supplement_once"


def test_supplement_only_within_three_working_days(intake, specialist):
    with services.clock_at(at(2026, 3, 9)):
        d = intake()
    with services.clock_at(at(2026, 3, 13)):  # Friday = 4th working day after receipt
        with pytest.raises(DossierError) as err:
            services.request_supplement(d, actor=specialist, items=["x"])
    assert err.value.code == "supplement_late"
    with services.clock_at(at(2026, 3, 12)):
        with pytest.raises(DossierError) as err:
            services.request_supplement(d, actor=specialist, items=[" "])
    assert err.value.code == "supplement_empty"


def test_apology_new_date_only_once_and_only_with_a_working_day_left(intake, leader, specialist):
    with services.clock_at(at(2026, 3, 9)):
        d = intake()
    with services.clock_at(at(2026, 3, 12, 8)):  # due day itself: no working day left
        with pytest.raises(DossierError) as err:
            services.apologise(d, actor=leader, new_due_date=dt.date(2026, 3, 17), reason="Chờ xác minh")
        assert err.value.code == "apology_too_late"
    with services.clock_at(at(2026, 3, 11, 8)):
        with pytest.raises(DossierError):
            services.apologise(d, actor=leader, new_due_date=dt.date(2026, 3, 11), reason="Chờ xác minh")
        d = services.apologise(d, actor=leader, new_due_date=dt.date(2026, 3, 14), reason="Chờ xác minh")
        # Saturday moves to the next working day
        assert d.due_at == at(2026, 3, 16, 17) and d.original_due_at == at(2026, 3, 12, 17)
        with pytest.raises(DossierError) as err:
            services.apologise(d, actor=leader, new_due_date=dt.date(2026, 3, 20), reason="Lần hai")
        assert err.value.code == "apology_once"
    assert (
        OutboundMessage.objects.filter(
            object_id=str(d.pk), subject__icontains="xin lỗi", channel="sms"
        ).count()
        == 1
    )


def test_overdue_flag_and_late_outcome(intake, specialist, leader, desk_officer):
    with services.clock_at(at(2026, 3, 9)):
        d = intake()
    assert services.flag_overdue(at(2026, 3, 12, 16)) == 0
    assert services.flag_overdue(at(2026, 3, 13, 8)) == 1
    assert services.flag_overdue(at(2026, 3, 13, 9)) == 0  # idempotent
    d.refresh_from_db()
    assert d.overdue
    with services.clock_at(at(2026, 3, 13, 10)):
        for order, actor in ((2, specialist), (3, leader)):
            task = d.tasks.get(order=order)
            services.claim_task(task, actor=actor)
            services.complete_task(task, actor=actor)
        services.attach_result(d, actor=specialist, file=pdf(), name="Kết quả")
        d = services.return_result(d, actor=desk_officer, channel="post")
    assert d.outcome == Outcome.LATE and not d.overdue and d.return_channel == "post"


def test_classify():
    due = at(2026, 3, 12, 17)
    assert services.classify(at(2026, 3, 11, 16), due) == Outcome.EARLY
    assert services.classify(at(2026, 3, 12, 16), due) == Outcome.ON_TIME
    assert services.classify(at(2026, 3, 12, 17, 1), due) == Outcome.LATE
