"""Intake: arrival numbers (consecutive per organisation and year, one sequence for paper and electronic,
no gap, no duplicate under concurrency), register fields, duplicates by file hash, audit."""

import threading

import pytest
from django.db import connection

from motcua.core.models import AuditEntry
from motcua.documents import services
from motcua.documents.errors import DocumentError
from motcua.documents.models import ArrivalCounter, Document, DocumentFile, OcrStatus
from motcua.documents.tests.conftest import pdf_of, unique_pdf, upload


def test_born_digital_pdf_gets_number_and_fields_from_its_text_layer(clerk):
    document = services.register_upload(clerk, [upload(pdf_of(0))], received_via="email")
    assert document.arrival_number == 1
    assert document.ocr_status == OcrStatus.DONE
    assert document.fields() == {
        "issuer": "ỦY BAN NHÂN DÂN PHƯỜNG BẾN NGHÉ",
        "number_notation": "125/UBND-VP",
        "issued_on": "2026-03-15",
        "doc_type": "Công văn",
        "summary": "tăng cường công tác vệ sinh môi trường",
    }
    assert AuditEntry.objects.filter(action="documents.register", object_id=str(document.pk)).count() == 1
    assert DocumentFile.objects.get(document=document).storage == "documents"


def test_numbers_are_consecutive_across_paper_and_electronic(clerk):
    vias = ["desk", "email", "post", "api", "folder"]
    numbers = [
        services.register_upload(clerk, [unique_pdf(n)], received_via=via).arrival_number
        for n, via in enumerate(vias)
    ]
    assert numbers == [1, 2, 3, 4, 5]


def test_same_file_again_answers_the_first_entry_and_takes_no_number(clerk):
    first = services.register_upload(clerk, [upload(pdf_of(1))])
    again = services.register_upload(clerk, [upload(pdf_of(1), name="ban-sao.pdf")])
    assert again.pk == first.pk and again.duplicate is True
    assert Document.objects.count() == 1
    assert ArrivalCounter.objects.get().last == 1
    assert services.register_upload(clerk, [unique_pdf(99)]).arrival_number == 2


def test_images_without_ocr_stay_usable_and_say_why(clerk, settings):
    from motcua.documents.tests.scans import SAMPLES, png, render

    image, _truth = render(SAMPLES[0], dpi=100)
    document = services.register_upload(clerk, [upload(png(image, 100), "scan.png", "image/png")])
    assert document.ocr_status == OcrStatus.OFF
    assert "OCR" in document.ocr_note
    assert document.arrival_number == 1


def test_several_files_are_collated_into_one_document(clerk):
    document = services.register_upload(clerk, [unique_pdf(1), unique_pdf(2)])
    import pikepdf

    from motcua.documents import storage

    original = document.files.get()
    with pikepdf.open(__import__("io").BytesIO(storage.read(original))) as pdf:
        assert len(pdf.pages) == 2


@pytest.mark.parametrize(
    "data,code",
    [(b"", "file_empty"), (b"MZ\x90\x00 not a document", "file_type"), (b"%PDF-1.4 broken", "bad_file")],
)
def test_bad_files_are_refused_and_register_nothing(clerk, data, code):
    with pytest.raises(DocumentError) as exc:
        services.register_upload(clerk, [upload(data, "x.pdf")])
    assert exc.value.code == code
    assert not Document.objects.exists() and not ArrivalCounter.objects.filter(last__gt=0).exists()


def test_only_clerks_of_a_unit_register(specialist, citizen):
    for actor in (specialist, citizen):
        with pytest.raises(DocumentError) as exc:
            services.register_upload(actor, [unique_pdf(1)])
        assert exc.value.code == "forbidden"
    assert not Document.objects.exists()


def test_each_organisation_has_its_own_sequence(clerk, clerk_b):
    assert services.register_upload(clerk, [unique_pdf(1)]).arrival_number == 1
    assert services.register_upload(clerk_b, [unique_pdf(2)]).arrival_number == 1
    assert services.register_upload(clerk, [unique_pdf(3)]).arrival_number == 2


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_intakes_get_twenty_consecutive_numbers(ward_a, make_staff):
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency: PostgreSQL")
    from motcua.org.models import Role

    clerk = make_staff(Role.CLERK, ward_a)
    files = [unique_pdf(n).getvalue() for n in range(20)]
    barrier = threading.Barrier(20)
    numbers: list[int] = []
    errors: list[BaseException] = []

    def intake(n: int) -> None:
        try:
            barrier.wait()
            document = services.register_upload(clerk, [upload(files[n], f"vb-{n}.pdf")], received_via="api")
            numbers.append(document.arrival_number)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=intake, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == list(range(1, 21))
    assert ArrivalCounter.objects.get(unit=ward_a).last == 20
