"""GET /api/v1/stats/dossiers agrees with dossiers created and driven through the dossier API: returned
early, on time and late, in progress and overdue at the end of the period (the project's clock decides
when each action happens), online share; four callers; bad dates and units."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from motcua.dashboard import scope as dash_scope
from motcua.dashboard import selectors
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.services.clock import clock_at
from motcua.dossiers.tests.conftest import APPLICANT, PDF, files_for, pdf
from motcua.org.models import Role

TZ = timezone.get_fixed_timezone(7 * 60)
MON = dt.datetime(2026, 3, 9, 9, 0, tzinfo=TZ)


def client_for(user) -> APIClient:
    api = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return api


class Office:
    """Ward A's officers working through the dossier API."""

    def __init__(self, procedure, ward, make_staff) -> None:
        self.procedure, self.ward = procedure, ward
        self.desk = client_for(make_staff(Role.DESK_OFFICER, ward))
        self.specialist = client_for(make_staff(Role.SPECIALIST, ward))
        self.leader_user = make_staff(Role.UNIT_LEADER, ward)
        self.leader = client_for(self.leader_user)
        self.n = 0

    def act(self, api: APIClient, code: str, action: str, at: dt.datetime, **body) -> dict:
        with clock_at(at):
            r = api.post(f"/api/v1/dossiers/{code}/transitions/", {"action": action, **body}, format="json")
        assert r.status_code == 200, r.content
        return r.json()

    def receive(self, at: dt.datetime, channel: str = "counter") -> str:
        self.n += 1
        with clock_at(at):
            r = self.desk.post(
                "/api/v1/dossiers/",
                {
                    "procedure": self.procedure.code,
                    "receiving_unit": self.ward.code,
                    "competent_unit": self.ward.code,
                    "channel": channel,
                    "applicant": dict(APPLICANT),
                    "form_data": {"ho_ten": "A"},
                },
                format="json",
                HTTP_IDEMPOTENCY_KEY=f"stats-{self.n}",
            )
            assert r.status_code == 201, r.content
            code = r.json()["code"]
            for req in self.procedure.requirements.filter(kind="submit"):
                up = self.desk.post(
                    f"/api/v1/dossiers/{code}/papers/",
                    {"requirement": req.pk, "file": SimpleUploadedFile("a.pdf", PDF)},
                    format="multipart",
                )
                assert up.status_code == 201, up.content
        self.act(self.desk, code, "receive", at)
        return code

    def finish(self, code: str, result_at: dt.datetime, returned_at: dt.datetime) -> dict:
        self.act(self.specialist, code, "claim", result_at - dt.timedelta(minutes=30))
        self.act(self.specialist, code, "complete", result_at - dt.timedelta(minutes=20))
        self.act(self.leader, code, "claim", result_at - dt.timedelta(minutes=10))
        self.act(self.leader, code, "complete", result_at)
        with clock_at(result_at):  # the result file is uploaded on the officer's screen (multipart)
            services.attach_result(
                Dossier.objects.get(code=code), actor=self.leader_user, file=pdf(), name="KQ"
            )
        return self.act(self.desk, code, "return_result", returned_at, channel="counter")


def due_of(code: str) -> dt.datetime:
    return timezone.localtime(Dossier.objects.get(code=code).due_at)


@pytest.fixture
def world(procedure, ward_a, make_staff, citizen):
    office = Office(procedure, ward_a, make_staff)
    codes = {}
    codes["early"] = office.receive(MON)
    codes["on_time"] = office.receive(MON + dt.timedelta(minutes=10), channel="post")
    codes["late"] = office.receive(MON + dt.timedelta(minutes=20))
    codes["overdue"] = office.receive(MON + dt.timedelta(minutes=30))
    codes["open"] = office.receive(MON + dt.timedelta(days=9))  # Wednesday 18/3: due the week after
    with clock_at(MON + dt.timedelta(hours=1)):  # filed online through the portal, received by the desk
        online = services.submit_online(
            procedure=procedure,
            citizen_user=citizen,
            applicant=dict(APPLICANT),
            form_data={"ho_ten": "A"},
            files=files_for(procedure),
            idempotency_key="stats-online",
            receiving_unit=ward_a,
            competent_unit=ward_a,
        )
    office.act(office.desk, online.code, "receive", MON + dt.timedelta(hours=2))
    codes["online"] = online.code
    office.finish(codes["early"], MON + dt.timedelta(days=1), MON + dt.timedelta(days=1, hours=1))
    office.finish(codes["online"], MON + dt.timedelta(days=1, hours=2), MON + dt.timedelta(days=1, hours=3))
    due = due_of(codes["on_time"])
    office.finish(codes["on_time"], due.replace(hour=9, minute=0), due.replace(hour=10, minute=0))
    late_due = due_of(codes["late"])
    office.finish(codes["late"], late_due + dt.timedelta(days=1), late_due + dt.timedelta(days=1, hours=1))
    return codes


def stats(user, **params) -> tuple[int, dict]:
    r = client_for(user).get("/api/v1/stats/dossiers", params)
    return r.status_code, r.json()


@pytest.mark.django_db
def test_stats_agree_with_the_dossiers_driven_through_the_api(world, ward_a, make_staff, province):
    outcomes = {k: Dossier.objects.get(code=c).outcome for k, c in world.items()}
    assert outcomes == {
        "early": "early",
        "on_time": "on_time",
        "late": "late",
        "overdue": "",
        "open": "",
        "online": "early",
    }
    leader = make_staff(Role.UNIT_LEADER, ward_a)
    status, body = stats(leader, unit=ward_a.code, **{"from": "2026-03-09", "to": "2026-03-20"})
    assert status == 200, body
    assert body == {
        "unit": ward_a.code,
        "from": "2026-03-09",
        "to": "2026-03-20",
        "received": 6,
        "returned_early": 2,
        "returned_on_time": 1,
        "returned_late": 1,
        "in_progress": 2,
        "overdue": 1,
        "online_share": pytest.approx(1 / 6),
    }
    # the first two days: four received at the counter/by post and one online, one returned early
    status, body = stats(leader, unit=ward_a.code, **{"from": "2026-03-09", "to": "2026-03-10"})
    assert (body["received"], body["returned_early"], body["in_progress"], body["overdue"]) == (5, 2, 3, 0)
    # the city leader sees the same ward, and the city total includes it
    city = make_staff(Role.UNIT_LEADER, province)
    assert stats(city, unit=ward_a.code, **{"from": "2026-03-09", "to": "2026-03-20"})[1]["received"] == 6
    assert stats(city, unit=province.code, **{"from": "2026-03-09", "to": "2026-03-20"})[1]["received"] == 6


@pytest.mark.django_db
def test_overdue_now_counts_only_what_is_past_due_at_this_moment(procedure, ward_a, make_staff):
    leader = make_staff(Role.UNIT_LEADER, ward_a)
    due = due_of(Office(procedure, ward_a, make_staff).receive(MON))
    day = due.date().isoformat()
    with clock_at(due - dt.timedelta(minutes=1)):  # "today" is the due day, a minute before the due time
        assert stats(leader, unit=ward_a.code, **{"from": day, "to": day})[1]["overdue"] == 0
    with clock_at(due + dt.timedelta(minutes=1)):
        assert stats(leader, unit=ward_a.code, **{"from": day, "to": day})[1]["overdue"] == 1


@pytest.mark.django_db
def test_each_figure_drills_down_to_exactly_the_dossiers_it_counts(world, ward_a, make_staff):
    leader = make_staff(Role.UNIT_LEADER, ward_a)
    seen = dash_scope.resolve(leader, ward_a.code)
    start, end = dt.date(2026, 3, 9), dt.date(2026, 3, 20)
    figures = selectors.dossier_stats(seen, start, end)
    for figure in selectors.DOSSIER_FIGURES:
        behind = selectors.dossiers_behind(leader, seen, figure, start, end)
        assert behind.count() == figures[figure], figure
    assert set(
        selectors.dossiers_behind(leader, seen, "overdue", start, end).values_list("code", flat=True)
    ) == {world["overdue"]}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "citizen", "other_ward", "unit"])
def test_four_callers(who, world, ward_a, ward_b, make_staff, citizen):
    user = {
        "anonymous": None,
        "citizen": citizen,
        "other_ward": make_staff(Role.UNIT_LEADER, ward_b),
        "unit": make_staff(Role.UNIT_LEADER, ward_a),
    }[who]
    status, body = stats(user, unit=ward_a.code, **{"from": "2026-03-09", "to": "2026-03-20"})
    assert status == {"anonymous": 401, "citizen": 403, "other_ward": 403, "unit": 200}[who]
    if who != "unit":
        assert "received" not in body and body["code"] in (
            "not_authenticated",
            "permission_denied",
            "outside_scope",
        )
        assert body["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params, code",
    [
        ({"from": "2026-02-30"}, "bad_date"),
        ({"from": "hôm qua"}, "bad_date"),
        ({"to": "2026-03-01\x00"}, "bad_date"),
        ("to=%ED%A0%80", "bad_date"),  # a lone surrogate, as the bytes a client would send
        ({"from": "2026-03-10", "to": "2026-03-01"}, "bad_period"),
        ({"unit": "=HYPERLINK(1)"}, "unit_unknown"),
        ({"unit": "99999"}, "unit_unknown"),
    ],
)
def test_bad_input_is_refused_in_vietnamese(params, code, ward_a, make_staff):
    leader = make_staff(Role.UNIT_LEADER, ward_a)
    api = client_for(leader)
    if isinstance(params, str):
        r = api.get(f"/api/v1/stats/dossiers?unit={ward_a.code}&{params}")
    else:
        r = api.get("/api/v1/stats/dossiers", {"unit": ward_a.code, **params})
    # NUL and lone surrogates are refused by the project's middleware before the view (ill_formed_text)
    assert r.json()["code"] in (code, "ill_formed_text")
    assert r.status_code == (404 if code == "unit_unknown" else 400)
    assert r.json()["detail"]


@pytest.mark.django_db
def test_feedback_stats_same_shape(ward_a, make_staff):
    leader = make_staff(Role.UNIT_LEADER, ward_a)
    r = client_for(leader).get("/api/v1/stats/feedback", {"unit": ward_a.code})
    assert r.status_code == 200
    assert set(r.json()) == {
        "unit",
        "from",
        "to",
        "received",
        "answered",
        "answered_on_time",
        "answered_late",
        "in_progress",
        "overdue",
        "reopened",
    }
