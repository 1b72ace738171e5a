"""The counter screen binds its registry look-up to an intake session for the applicant and procedure,
and the dossier it creates closes that session as linked (issue 11 item 7, end to end through the pages
against the registry simulator)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.citizens.models import IntakeOutcome, IntakeSession, RegistryMessage
from motcua.citizens.tests.conftest import registry, registry_server  # noqa: F401  (the simulator)
from motcua.core.models import AuditEntry
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import PDF
from motcua.org.models import Role

pytestmark = pytest.mark.usefixtures("registry")

AN = "079090001234"


def _session_in(body: str) -> str:
    found = re.search(r'name="intake_session" value="([0-9a-f-]*)"', body)
    assert found, body[:500]
    return found.group(1)


def test_counter_look_up_opens_a_session_and_the_dossier_links_it(
    client,
    desk_officer,
    procedure,
    ward_a,
):
    client.force_login(desk_officer)
    form = {"applicant_personal_id": AN, "procedure": procedure.code, "receiving_unit": ward_a.pk}
    first = client.post(reverse("dossiers:lookup"), form)
    assert first.status_code == 200 and 'value="Nguyễn Văn An"' in first.content.decode()
    sid = _session_in(first.content.decode())
    session = IntakeSession.objects.get(public_id=sid)
    assert (session.officer, session.unit, session.personal_id) == (desk_officer, ward_a, AN)
    assert set(RegistryMessage.objects.values_list("purpose", flat=True)) == {f"intake {sid}"}
    # the same applicant again: the same session
    again = client.post(reverse("dossiers:lookup"), {**form, "intake_session": sid})
    assert _session_in(again.content.decode()) == sid and IntakeSession.objects.count() == 1
    data = {
        "procedure": procedure.code,
        "receiving_unit": ward_a.pk,
        "channel": "counter",
        "competent_unit": ward_a.pk,
        "applicant_name": "Nguyễn Văn An",
        "applicant_personal_id": AN,
        "f_ho_ten": "Nguyễn Văn An",
        "outcome": "accept",
        "idempotency_key": "intake-session-1",
        "intake_session": sid,
    }
    for r in procedure.requirements.filter(kind="submit"):
        data[f"paper_{r.pk}"] = SimpleUploadedFile(f"p{r.pk}.pdf", PDF)
    assert client.post(reverse("dossiers:intake"), data).status_code == 302
    d = Dossier.objects.get()
    session.refresh_from_db()
    assert session.outcome == IntakeOutcome.LINKED and session.case_ref == d.code
    assert AuditEntry.objects.filter(action="citizens.intake_session_linked", unit_id=ward_a.pk).count() == 1


def test_a_session_is_never_borrowed_from_another_officer(
    client,
    desk_officer,
    make_staff,
    procedure,
    ward_a,
):
    colleague = make_staff(Role.DESK_OFFICER, ward_a)
    client.force_login(colleague)
    form = {"applicant_personal_id": AN, "procedure": procedure.code, "receiving_unit": ward_a.pk}
    theirs = _session_in(client.post(reverse("dossiers:lookup"), form).content.decode())
    client.force_login(desk_officer)
    mine = _session_in(
        client.post(reverse("dossiers:lookup"), {**form, "intake_session": theirs}).content.decode()
    )
    assert mine != theirs
    assert IntakeSession.objects.get(public_id=theirs).outcome == IntakeOutcome.OPEN  # not closed by me
    assert IntakeSession.objects.get(public_id=mine).officer == desk_officer


def test_a_specialist_without_a_counter_role_gets_no_session_and_no_look_up(
    client,
    specialist,
    procedure,
    ward_a,
):
    client.force_login(specialist)
    response = client.post(
        reverse("dossiers:lookup"),
        {"applicant_personal_id": AN, "procedure": procedure.code, "receiving_unit": ward_a.pk},
    )
    assert response.status_code == 200 and "Chỉ cán bộ một cửa" in response.content.decode()
    assert IntakeSession.objects.count() == 0 and RegistryMessage.objects.count() == 0


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_counter_officer_fills_from_the_registry_and_the_dossier_links_the_session(
    browser_page, live_server, procedure, desk_officer
):
    from motcua.dossiers.tests.test_browser import counter_intake_after_lookup, sign_in

    page = browser_page
    sign_in(page, desk_officer)
    d = counter_intake_after_lookup(page, procedure, AN)
    assert d.applicant_name == "Nguyễn Văn An" and d.field_sources["applicant_name"] == "registry"
    (session,) = IntakeSession.objects.all()
    assert session.outcome == IntakeOutcome.LINKED and session.case_ref == d.code
    assert set(RegistryMessage.objects.values_list("purpose", flat=True)) == {f"intake {session.public_id}"}
