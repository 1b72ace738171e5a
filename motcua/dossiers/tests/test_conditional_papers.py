"""Papers follow the law at the counter and online: a conditional paper is asked about, not required of
everyone; a shown paper is sighted, not scanned; a registry-held paper is never asked for."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.catalog.models import CopyKind, Requirement
from motcua.dossiers import services
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier
from motcua.dossiers.models import DossierStatus as S
from motcua.dossiers.tests.conftest import APPLICANT, PDF, files_for, pdf

CONDITION = "Trường hợp ủy quyền thực hiện việc đăng ký khai sinh"


@pytest.fixture
def letter(procedure):
    return Requirement.objects.create(
        procedure=procedure,
        order=4,
        name="Văn bản ủy quyền (được chứng thực) theo quy định. Trường hợp người được ủy quyền là cha, mẹ …",
        kind="submit",
        quantity_original=1,
        required=True,
        condition=CONDITION,
        copy_kind=CopyKind.ORIGINAL,
        quantity=1,
    )


@pytest.fixture
def registry_paper(procedure):
    return Requirement.objects.create(
        procedure=procedure, order=5, name="Giấy tờ chứng minh cư trú (khai thác CSDL)", kind="registry"
    )


def shown(procedure):
    return procedure.requirements.get(kind="show")


def test_counter_accepts_without_the_letter_when_nobody_files_for_another(intake, letter, registry_paper):
    d = intake(paper_answers={str(letter.pk): False}, sighted=[shown(letter.procedure).pk])
    assert d.status == S.RECEIVED
    assert d.paper_answers == {str(letter.pk): False}
    assert d.sighted_papers == [shown(letter.procedure).pk]
    names = [row["name"] for row in services.checklist(d)]
    assert not any(n.startswith("Văn bản ủy quyền") for n in names)
    assert not any("khai thác CSDL" in n for n in names)  # the registry's own paper is not listed
    row = next(r for r in services.checklist(d) if r["shown"])
    assert row["sighted"] is True and row["quantity"] == "01 bản chính"


def test_counter_refuses_when_the_case_applies_and_the_letter_is_missing(intake, letter):
    with pytest.raises(DossierError) as exc:
        intake(paper_answers={str(letter.pk): True})
    assert exc.value.code == "missing_papers"
    assert (
        exc.value.message
        == "Còn thiếu giấy tờ bắt buộc: Văn bản ủy quyền (được chứng thực) theo quy định (01 bản chính)."
    )
    assert Dossier.objects.count() == 0


def test_the_letter_is_accepted_when_the_case_applies_and_it_is_brought(intake, letter, procedure):
    files = {**files_for(procedure), letter.pk: pdf("uy-quyen.pdf")}
    d = intake(paper_answers={str(letter.pk): True}, files=files)
    assert d.status == S.RECEIVED
    row = next(r for r in services.checklist(d) if r["name"].startswith("Văn bản ủy quyền"))
    assert row == {
        "name": "Văn bản ủy quyền (được chứng thực) theo quy định",
        "quantity": "01 bản chính",
        "shown": False,
        "sighted": False,
        "scans": 1,
    }


def test_supplement_at_the_counter_lists_papers_with_copy_kind_and_quantity(intake, procedure, letter):
    files = files_for(procedure)
    copy_paper = procedure.requirements.get(name="Giấy tờ chứng minh nơi cư trú")
    copy_paper.copy_kind, copy_paper.quantity = CopyKind.COPY, 2
    copy_paper.save()
    files.pop(copy_paper.pk)
    d = intake(outcome="supplement", files=files, paper_answers={str(letter.pk): True})
    assert d.supplement_items == [
        "Giấy tờ chứng minh nơi cư trú (02 bản sao)",
        "Văn bản ủy quyền (được chứng thực) theo quy định (01 bản chính)",
    ]


def test_answers_for_papers_of_another_procedure_or_unconditional_ones_are_dropped(intake, letter, procedure):
    unconditional = procedure.requirements.get(name="Tờ khai theo mẫu")
    d = intake(paper_answers={str(letter.pk): False, str(unconditional.pk): False, "999999": True, "x": True})
    assert d.paper_answers == {str(letter.pk): False}


def test_online_filing_needs_the_letter_only_when_the_citizen_says_the_case_applies(
    procedure, citizen, ward_a, letter
):
    args = dict(
        procedure=procedure,
        citizen_user=citizen,
        applicant=dict(APPLICANT),
        form_data={"ho_ten": "Nguyễn Văn An"},
        files=files_for(procedure),
        receiving_unit=ward_a,
        competent_unit=ward_a,
    )
    with pytest.raises(DossierError):
        services.submit_online(**args, idempotency_key="k1", paper_answers={str(letter.pk): True})
    d = services.submit_online(**args, idempotency_key="k2", paper_answers={str(letter.pk): False})
    assert d.status == S.SUBMITTED and d.paper_answers == {str(letter.pk): False}


def test_counter_screen_asks_the_condition_and_offers_sighting(
    client, desk_officer, procedure, ward_a, letter
):
    client.force_login(desk_officer)
    page = client.get(reverse("dossiers:intake") + f"?procedure={procedure.code}").content.decode()
    assert f"{CONDITION}?" in page
    assert f'name="cond_{letter.pk}"' in page
    assert f'name="sighted" value="{shown(procedure).pk}"' in page
    assert f'name="paper_{shown(procedure).pk}"' not in page  # a shown paper is not scanned
    data = {
        "procedure": procedure.code,
        "receiving_unit": ward_a.pk,
        "competent_unit": ward_a.pk,
        "channel": "counter",
        "applicant_name": "Trần Thị Bình",
        "applicant_phone": "0912345678",
        "f_ho_ten": "Trần Thị Bình",
        "outcome": "accept",
        "idempotency_key": "cond-1",
        f"cond_{letter.pk}": "no",
        "sighted": [str(shown(procedure).pk)],
    }
    for r in procedure.requirements.filter(kind="submit", condition__isnull=True):
        data[f"paper_{r.pk}"] = SimpleUploadedFile(f"p{r.pk}.pdf", PDF)
    response = client.post(reverse("dossiers:intake"), data)
    assert response.status_code == 302
    d = Dossier.objects.get()
    assert d.status == S.RECEIVED and d.sighted_papers == [shown(procedure).pk]
    detail = client.get(reverse("dossiers:detail", args=[d.code])).content.decode()
    assert "đã xuất trình bản chính" in detail and "01 bản chính" in detail
