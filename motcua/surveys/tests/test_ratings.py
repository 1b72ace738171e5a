"""Satisfaction ratings: one per dossier after a result, editable for a while, figures and export."""

import datetime as dt
import io

import pytest
from django.utils import timezone

from motcua.core.models import AuditEntry, OutboundMessage
from motcua.core.notify import message_text
from motcua.dossiers.receipts import receipt_key
from motcua.surveys import selectors, services
from motcua.surveys.errors import SurveyError
from motcua.surveys.models import Question, Rating

pytestmark = pytest.mark.django_db
GOOD = {"service": 5, "time": 4, "attitude": 5}


def post(client, code, values, **extra):
    data = {f"q_{k}": v for k, v in values.items()}
    data.update(extra)
    return client.post(f"/danh-gia/{code}/", data)


def key(d) -> str:
    return receipt_key(d.code)


def test_rating_after_result_counts_for_unit_and_officer(client, make_dossier, desk_officer, auditor):
    d = make_dossier()
    response = post(client, d.code, GOOD, comment="Cán bộ nhiệt tình", kenh="qr", k=key(d))
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
    assert post(client, d.code, GOOD, k=key(d)).status_code == 400
    with pytest.raises(SurveyError) as exc:
        services.submit_rating(dossier_code=d.code, answers=GOOD, channel="qr", receipt_key=key(d))
    assert exc.value.code == "no_result_yet" and not Rating.objects.exists()
    with pytest.raises(SurveyError) as exc:
        services.submit_rating(dossier_code="KHONG-CO", answers=GOOD, channel="qr", receipt_key="ABCD-EFGH")
    assert exc.value.code == "not_applicant" and not Rating.objects.exists()


def test_one_rating_per_dossier_editable_by_its_author_for_24h(client, make_dossier, settings):
    d = make_dossier()
    assert post(client, d.code, GOOD, k=key(d)).status_code == 200
    # Someone else with only the code cannot change it.
    stranger = type(client)()
    response = post(stranger, d.code, {"service": 1, "time": 1, "attitude": 1})
    assert response.status_code == 200 and "Chỉ người nộp hồ sơ" in response.content.decode()
    assert float(Rating.objects.get().score) == pytest.approx(4.67, abs=0.01)
    # The same browser (it proved holding the receipt) may edit within the window.
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
    rating = services.submit_rating(dossier_code=d.code, answers=GOOD, channel="portal", receipt_key=key(d))
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
    assert post(client, d.code, {"service": 9, "time": 4, "attitude": 5}, k=key(d)).status_code == 400
    assert post(client, d.code, {"service": 5}, k=key(d)).status_code == 400  # required questions missing
    assert not Rating.objects.exists()


def test_questions_are_configurable(client, make_dossier):
    services.ensure_default_questions()
    Question.objects.filter(code="time").update(active=False)
    Question.objects.create(code="clarity", text="Hướng dẫn có dễ hiểu không?", order=9, required=False)
    d = make_dossier()
    page = client.get(f"/danh-gia/{d.code}/?k={key(d)}").content.decode()
    assert "Hướng dẫn có dễ hiểu không?" in page and "q_time" not in page
    assert post(client, d.code, {"service": 4, "attitude": 4, "clarity": 3}).status_code == 200
    header, rows = selectors.export_rows(_all_reader())
    assert header[8:] == ["service", "time", "attitude", "clarity", "comment"]
    assert rows[0][8:12] == [4, "", 4, 3]


def _all_reader():
    from motcua.org.models import User

    return User(username="toan-tinh", is_superuser=True, is_active=True)  # the whole scope (ALL)


def test_staff_export_four_callers(client, make_dossier, make_staff, ward_a, ward_b, citizen):
    d = make_dossier()
    services.submit_rating(
        dossier_code=d.code, answers=GOOD, channel="kiosk", comment="Tốt", receipt_key=key(d)
    )
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
    services.submit_rating(dossier_code=d.code, answers=GOOD, channel="sms", receipt_key=key(d))
    assert services.invite_recent() == 0


# --- only the applicant rates (issue 11 item 4) ----------------------------------------------------------
def test_only_the_applicant_may_rate_four_callers(client, make_dossier, citizen, make_staff, ward_a):
    from motcua.org.models import User

    d = make_dossier()
    other_citizen = User.objects.create(username="sdt-0987654321", kind="citizen", phone="0987654321")
    callers = {
        "anonymous": None,
        "other citizen": other_citizen,
        "staff of the unit": make_staff("unit_leader", ward_a),
    }
    for name, user in callers.items():
        browser = type(client)()
        if user is not None:
            browser.force_login(user)
        page = browser.get(f"/danh-gia/{d.code}/")
        assert page.status_code == 200 and "q_service" not in page.content.decode(), name
        response = post(browser, d.code, {"service": 1, "time": 1, "attitude": 1})
        assert response.status_code == 200 and "Chỉ người nộp hồ sơ" in response.content.decode(), name
        assert not Rating.objects.exists(), name
        with pytest.raises(SurveyError) as exc:
            services.submit_rating(dossier_code=d.code, answers=GOOD, channel="qr", citizen=user)
        assert exc.value.code == "not_applicant" and not Rating.objects.exists(), name
    owner = type(client)()
    owner.force_login(citizen)
    assert "q_service" in owner.get(f"/danh-gia/{d.code}/").content.decode()
    assert post(owner, d.code, GOOD).status_code == 200
    rating = Rating.objects.get()
    assert rating.citizen_id == citizen.pk and rating.channel == "portal"


def _same_page(response, code: str) -> str:
    """The page with the code and the (per-response masked) CSRF token taken out."""
    import re

    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode()).replace(
        code, "CODE"
    )


def test_rating_page_answers_the_same_for_valid_and_invalid_codes(client, make_dossier):
    d = make_dossier()
    fake = d.code[:-4] + ("9999" if not d.code.endswith("9999") else "9998")
    for query in ("", "?k=ABCD-EFGH"):
        real = client.get(f"/danh-gia/{d.code}/{query}")
        bogus = client.get(f"/danh-gia/{fake}/{query}")
        assert real.status_code == bogus.status_code
        assert _same_page(real, d.code) == _same_page(bogus, fake)
    assert not Rating.objects.exists()


def test_wrong_receipt_keys_are_limited_per_dossier_from_any_address(client, make_dossier, settings):
    settings.MOTCUA_RATE_LIMITS = {**settings.MOTCUA_RATE_LIMITS, "rate": "100/m", "rate:target": "5/h"}
    d = make_dossier()
    statuses = [
        client.get(f"/danh-gia/{d.code}/?k=ABCD-EFG{n}", REMOTE_ADDR=f"203.0.113.{n}").status_code
        for n in range(7)
    ]
    assert statuses == [400] * 5 + [429] * 2
    # Even the right key waits now: guessing from rotating addresses cannot win the race.
    assert client.get(f"/danh-gia/{d.code}/?k={key(d)}", REMOTE_ADDR="198.51.100.1").status_code == 429
    # Another dossier is not affected.
    other = make_dossier()
    assert (
        client.get(f"/danh-gia/{other.code}/?k={key(other)}", REMOTE_ADDR="198.51.100.1").status_code == 200
    )


def test_rating_page_is_limited_per_address(client, make_dossier, settings):
    settings.MOTCUA_RATE_LIMITS = {**settings.MOTCUA_RATE_LIMITS, "rate": "3/m"}
    d = make_dossier()
    statuses = [client.get(f"/danh-gia/{d.code}/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert client.get(f"/danh-gia/{d.code}/", REMOTE_ADDR="198.51.100.2").status_code == 200


def test_receipt_key_is_printed_on_the_receipt_and_tolerates_typing(make_dossier):
    from django.template.loader import render_to_string

    from motcua.dossiers.receipts import check_receipt_key

    d = make_dossier(result=False)
    shown = receipt_key(d.code)
    assert len(shown) == 9 and shown[4] == "-"
    assert check_receipt_key(d.code, shown.lower().replace("-", " "))
    assert check_receipt_key(d.code, shown.replace("0", "O").replace("1", "I"))
    assert not check_receipt_key(d.code + "1", shown)
    html = render_to_string("dossiers/pdf/form.html", {"d": d, "number": "01", "receipt_key": shown})
    assert shown in html
