"""Satisfaction ratings: one per dossier after a result, editable for a while, figures and export."""

import datetime as dt
import io

import pytest
from django.utils import timezone

from motcua.core.models import AuditEntry, OutboundMessage
from motcua.core.notify import message_text
from motcua.surveys import selectors, services
from motcua.surveys.errors import SurveyError
from motcua.surveys.models import Question, Rating

pytestmark = pytest.mark.django_db
GOOD = {"service": 5, "time": 4, "attitude": 5}


def post(client, code, values, **extra):
    data = {f"q_{k}": v for k, v in values.items()}
    data.update(extra)
    return client.post(f"/danh-gia/{code}/", data)


def test_rating_after_result_counts_for_unit_and_officer(client, make_dossier, desk_officer, auditor):
    d = make_dossier()
    response = post(client, d.code, GOOD, comment="Cán bộ nhiệt tình", kenh="qr")
    assert response.status_code == 200 and "Cảm ơn" in response.content.decode()
    rating = Rating.objects.get()
    assert rating.unit_id == d.unit_id and rating.officer_id == desk_officer.pk and rating.channel == "qr"
    assert float(rating.score) == pytest.approx(4.67, abs=0.01) and rating.satisfied
    assert AuditEntry.objects.filter(action="surveys.rating_created", object_id=str(rating.pk)).exists()
    units = selectors.unit_figures(auditor)
    assert units == [
        {
            "unit_id": d.unit_id,
            "unit__code": d.unit.code,
            "unit__name": d.unit.name,
            "count": 1,
            "satisfied": 1,
            "average": 4.67,
            "satisfied_pct": 100.0,
        }
    ]
    officers = selectors.officer_figures(auditor)
    assert officers[0]["officer_id"] == desk_officer.pk and officers[0]["attitude"] == 5.0


def test_no_rating_before_result_and_unknown_code(client, make_dossier):
    d = make_dossier(result=False)
    assert post(client, d.code, GOOD).status_code == 400
    assert client.get("/danh-gia/KHONG-CO/").status_code == 404
    with pytest.raises(SurveyError) as exc:
        services.submit_rating(dossier_code=d.code, answers=GOOD, channel="qr")
    assert exc.value.code == "no_result_yet" and not Rating.objects.exists()


def test_one_rating_per_dossier_editable_by_its_author_for_24h(client, make_dossier, settings):
    d = make_dossier()
    assert post(client, d.code, GOOD).status_code == 200
    # Someone else with only the code cannot change it.
    stranger = type(client)()
    response = post(stranger, d.code, {"service": 1, "time": 1, "attitude": 1})
    assert response.status_code == 400 and "đã được đánh giá" in response.content.decode()
    # The same browser may edit within the window.
    assert post(client, d.code, {"service": 2, "time": 2, "attitude": 3}).status_code == 200
    rating = Rating.objects.get()
    assert (
        float(rating.score) == pytest.approx(2.33, abs=0.01)
        and not rating.satisfied
        and rating.answers.count() == 3
    )
    Rating.objects.update(editable_until=timezone.now() - dt.timedelta(seconds=1))
    response = post(client, d.code, GOOD)
    assert response.status_code == 400 and "hết thời gian" in response.content.decode()
    assert float(Rating.objects.get().score) == pytest.approx(2.33, abs=0.01) and Rating.objects.count() == 1


def test_edit_window_is_configurable(make_dossier, settings):
    settings.SURVEYS_EDIT_HOURS = 2
    d = make_dossier()
    rating = services.submit_rating(dossier_code=d.code, answers=GOOD, channel="portal")
    assert (
        dt.timedelta(hours=1, minutes=59) < rating.editable_until - rating.created_at <= dt.timedelta(hours=2)
    )


def test_sms_link_with_signed_token(client, make_dossier, run_tasks, django_capture_on_commit_callbacks):
    d = make_dossier()
    assert services.invite_by_sms(d.code)
    assert services.invite_by_sms(d.code)  # queued once (same key)
    message = OutboundMessage.objects.get(key__startswith="surveys.invite.")
    assert message.recipient == "0901234567" and f"/danh-gia/{d.code}/?t=••••••" in message.body
    token = message_text(message).split("?t=")[1]  # only the gateway sees the signed token
    assert client.get(f"/danh-gia/{d.code}/?t=forged").status_code == 400
    assert post(client, d.code, GOOD, t=token).status_code == 200
    assert Rating.objects.get().channel == "sms"
    other = make_dossier()
    assert not services.check_token(token, other.code)


def test_invalid_answers_change_nothing(client, make_dossier):
    d = make_dossier()
    assert post(client, d.code, {"service": 9, "time": 4, "attitude": 5}).status_code == 400
    assert post(client, d.code, {"service": 5}).status_code == 400  # required questions missing
    assert not Rating.objects.exists()


def test_questions_are_configurable(client, make_dossier):
    services.ensure_default_questions()
    Question.objects.filter(code="time").update(active=False)
    Question.objects.create(code="clarity", text="Hướng dẫn có dễ hiểu không?", order=9, required=False)
    d = make_dossier()
    page = client.get(f"/danh-gia/{d.code}/").content.decode()
    assert "Hướng dẫn có dễ hiểu không?" in page and "q_time" not in page
    assert post(client, d.code, {"service": 4, "attitude": 4, "clarity": 3}).status_code == 200
    header, rows = selectors.export_rows(_all_reader())
    assert header[8:] == ["service", "time", "attitude", "clarity", "comment"]
    assert rows[0][8:12] == [4, "", 4, 3]


def _all_reader():
    from motcua.surveys.selectors import _SurveyReader

    return _SurveyReader()


def test_staff_export_four_callers(client, make_dossier, make_staff, ward_a, ward_b, citizen):
    d = make_dossier()
    services.submit_rating(dossier_code=d.code, answers=GOOD, channel="kiosk", comment="Tốt")
    assert client.get("/staff/surveys/export.csv").status_code == 302  # anonymous
    client.force_login(citizen)
    assert client.get("/staff/surveys/export.csv").status_code == 403
    client.force_login(make_staff("specialist", ward_b))
    csv_other = client.get("/staff/surveys/export.csv").content.decode("utf-8-sig")
    assert d.code not in csv_other and csv_other.startswith("dossier_code,")
    client.force_login(make_staff("unit_leader", ward_a))
    csv_text = client.get("/staff/surveys/export.csv").content.decode("utf-8-sig")
    lines = csv_text.strip().splitlines()
    assert lines[0].split(",")[8:] == ["service", "time", "attitude", "comment"]
    assert lines[1].startswith(d.code) and lines[1].endswith("5,4,5,Tốt")
    response = client.get("/staff/surveys/export.xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][8:] == ("service", "time", "attitude", "comment") and values[1][0] == d.code
    page = client.get("/staff/surveys/").content.decode()
    assert "100,0%" in page and d.unit.name in page
    assert Rating.objects.count() == 1


def test_recent_results_get_one_sms_invitation(make_dossier):
    d = make_dossier()
    make_dossier(result=False)
    assert services.invite_recent() == 1
    assert services.invite_recent() == 1  # same outbox key: still one message
    assert OutboundMessage.objects.filter(key__startswith="surveys.invite.").count() == 1
    services.submit_rating(dossier_code=d.code, answers=GOOD, channel="sms")
    assert services.invite_recent() == 0
