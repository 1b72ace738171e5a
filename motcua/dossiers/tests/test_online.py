"""The services the portal and kiosk call: submit, supplement, withdraw; citizen-facing selectors."""

import pytest

from motcua.dossiers import selectors, services
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier
from motcua.dossiers.models import DossierStatus as S
from motcua.dossiers.tests.conftest import APPLICANT, files_for, pdf


@pytest.fixture
def online(procedure, citizen, ward_a):
    def make(**kw):
        args = dict(
            procedure=procedure,
            citizen_user=citizen,
            applicant=dict(APPLICANT),
            form_data={"ho_ten": "Nguyễn Văn An"},
            files=files_for(procedure),
            idempotency_key="web-1",
            receiving_unit=ward_a,
            competent_unit=ward_a,
        )
        args.update(kw)
        return services.submit_online(**args)

    return make


def test_submit_online_is_idempotent_and_waits_for_the_desk(online, citizen, desk_officer):
    d = online()
    assert online().pk == d.pk and Dossier.objects.count() == 1
    assert d.status == S.SUBMITTED and d.channel == "online" and d.citizen == citizen
    assert list(selectors.dossiers_of_citizen(citizen)) == [d]
    d = services.receive(d, actor=desk_officer)
    assert d.status == S.RECEIVED and d.due_at


def test_another_citizen_cannot_reuse_the_key_or_supplement(online, procedure, make_staff):
    from motcua.org.models import User, UserKind

    d = online()
    other = User.objects.create_user(username="other-citizen", password="x" * 12, kind=UserKind.CITIZEN)
    with pytest.raises(DossierError) as err:
        online(citizen_user=other)
    assert err.value.code == "idempotency_conflict"
    with pytest.raises(DossierError) as err:
        services.supplement_online(d, citizen_user=other, files={"x": pdf()})
    assert err.value.code == "not_citizen_owner"
    assert list(selectors.dossiers_of_citizen(other)) == []


def test_online_supplement_restarts_the_clock(online, citizen, desk_officer, specialist):
    d = services.receive(online(), actor=desk_officer)
    services.claim_task(d.tasks.get(order=2), actor=specialist)
    services.request_supplement(d, actor=specialist, items=["Ảnh chụp giấy tờ rõ nét hơn"])
    d = services.supplement_online(d, citizen_user=citizen, files={"x": pdf()})
    assert d.status == S.PROCESSING and d.clock_started_at == d.supplemented_at
    assert d.papers.filter(is_supplement=True).count() == 1


def test_withdraw_only_by_owner_and_before_receipt(online, citizen, desk_officer):
    d = online()
    with pytest.raises(DossierError):
        services.withdraw(d, citizen_user=desk_officer)
    d = services.withdraw(d, citizen_user=citizen, reason="Nộp nhầm")
    assert d.status == S.WITHDRAWN


def test_public_selectors_carry_no_personal_data(online, desk_officer):
    d = services.receive(online(), actor=desk_officer)
    status = selectors.public_status(d.code)
    assert status["status"] == S.RECEIVED and status["step"]["total"] == 3
    flat = repr(status)
    assert APPLICANT["name"] not in flat and APPLICANT["personal_id"] not in flat
    assert selectors.public_status("nope") is None
    public = selectors.timeline(d, public=True)
    assert public and all("actor" not in row for row in public)
    assert list(selectors.result_files(d)) == []


def test_kiosk_channel_and_no_online_procedures(online, procedure):
    d = online(channel="kiosk", idempotency_key="kiosk-1")
    assert d.channel == "kiosk"
    procedure.online_level = "none"
    procedure.save()
    with pytest.raises(DossierError) as err:
        online(idempotency_key="web-2")
    assert err.value.code == "channel"
