"""edXML (QCVN 102:2016): import fills the register from the header, export and re-import give the same
fields and attachments, malformed or hostile packages get a Vietnamese 400 and register nothing, and the
sender receives status messages through the exchange adapter (a local fake exchange server)."""

import base64

import pytest
from django.test import Client

from motcua.documents import edxml, exchange, services
from motcua.documents.errors import DocumentError
from motcua.documents.models import Document, DocumentStatus, ExchangeMessage, FileKind
from motcua.documents.tests.conftest import pdf_of
from motcua.documents.workflow import Action, perform

NS = edxml.NS


def package(
    *,
    attachment: bytes | None = None,
    priority: str = "1",
    extra_header: str = "",
    subject: str = "Về việc báo cáo tình hình tiếp nhận hồ sơ",
) -> bytes:
    data = base64.b64encode(attachment if attachment is not None else pdf_of(1)).decode()
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<edXML:edXMLEnvelope xmlns:edXML="{NS}">
 <edXML:edXMLHeader>
  <edXML:MessageHeader>
   <edXML:From><edXML:OrganId>000.00.00.H29</edXML:OrganId><edXML:OrganName>SỞ TƯ PHÁP</edXML:OrganName></edXML:From>
   <edXML:To><edXML:OrganId>000.26.758.H29</edXML:OrganId><edXML:OrganName>UBND phường Cầu Ông Lãnh</edXML:OrganName></edXML:To>
   <edXML:DocumentId>000.00.00.H29,2026/04/02,482</edXML:DocumentId>
   <edXML:Code><edXML:CodeNumber>482</edXML:CodeNumber><edXML:CodeNotation>QĐ-STP</edXML:CodeNotation></edXML:Code>
   <edXML:PromulgationInfo><edXML:Place>Thành phố Hồ Chí Minh</edXML:Place><edXML:PromulgationDate>2026-04-02</edXML:PromulgationDate></edXML:PromulgationInfo>
   <edXML:DocumentType><edXML:Type>1</edXML:Type><edXML:TypeName>Quyết định</edXML:TypeName></edXML:DocumentType>
   <edXML:Subject>{subject}</edXML:Subject>
   <edXML:SignerInfo><edXML:Position>Giám đốc</edXML:Position><edXML:FullName>Nguyễn Văn Bình</edXML:FullName></edXML:SignerInfo>
   <edXML:DueDate>2026-04-20</edXML:DueDate>
   <edXML:OtherInfo><edXML:Priority>{priority}</edXML:Priority></edXML:OtherInfo>
   {extra_header}
  </edXML:MessageHeader>
  <edXML:TraceHeaderList><edXML:TraceHeader><edXML:OrganId>000.00.00.H29</edXML:OrganId><edXML:Timestamp>2026-04-02T08:00:00+07:00</edXML:Timestamp></edXML:TraceHeader></edXML:TraceHeaderList>
 </edXML:edXMLHeader>
 <edXML:edXMLBody>
  <edXML:Attachment><edXML:ContentId>cid:1</edXML:ContentId><edXML:AttachmentName>482-QD-STP.pdf</edXML:AttachmentName><edXML:ContentType>application/pdf</edXML:ContentType><edXML:Value>{data}</edXML:Value></edXML:Attachment>
 </edXML:edXMLBody>
</edXML:edXMLEnvelope>""".encode()


def test_import_fills_the_register_without_ocr(clerk):
    document = services.import_edxml(clerk, package())
    assert document.arrival_number == 1
    assert document.ocr_status == "off" and "edXML" in document.ocr_note
    assert document.fields() == {
        "issuer": "SỞ TƯ PHÁP",
        "number_notation": "482/QĐ-STP",
        "issued_on": "2026-04-02",
        "doc_type": "Quyết định",
        "summary": "Về việc báo cáo tình hình tiếp nhận hồ sơ",
    }
    assert document.urgency == "khan" and document.signer == "Nguyễn Văn Bình"
    assert str(document.due_on) == "2026-04-20" and document.sender_code == "000.00.00.H29"
    assert document.files.filter(kind=FileKind.ATTACHMENT).get().name == "482-QD-STP.pdf"
    assert ExchangeMessage.objects.filter(document=document, status="received").exists()


def test_round_trip_same_fields_and_attachments(clerk, clerk_b):
    first = services.import_edxml(clerk, package())
    raw = services.export_edxml(first, clerk, to_id="000.26.740.H29", to_name="UBND phường Sài Gòn")
    second = services.import_edxml(clerk_b, raw)
    assert second.unit != first.unit
    assert second.fields() == first.fields()
    assert (second.urgency, second.signer, second.due_on, second.sender_code) == (
        first.urgency,
        first.signer,
        first.due_on,
        first.sender_code,
    )
    from motcua.documents import storage

    def files(d):
        return [
            (f.name, f.content_type, storage.read(f))
            for f in d.files.filter(kind=FileKind.ATTACHMENT).order_by("pk")
        ]

    assert files(second) == files(first)


def test_scanned_document_exports_with_its_pdf(clerk, clerk_b):
    document = services.register_upload(
        clerk, [__import__("motcua.documents.tests.conftest", fromlist=["upload"]).upload(pdf_of(0))]
    )
    again = services.import_edxml(clerk_b, services.export_edxml(document, clerk))
    assert again.fields() == document.fields()


HOSTILE = {
    "empty": b"",
    "not xml": b"this is not xml",
    "wrong root": b'<?xml version="1.0"?><root/>',
    "xxe": b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
    "billion laughs": b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><l>&b;</l>',
    "no header": f'<edXML:edXMLEnvelope xmlns:edXML="{NS}"/>'.encode(),
    "bad base64": package().replace(b"<edXML:Value>", b"<edXML:Value>!!!"),
    "exe attachment": package(attachment=b"MZ\x90\x00\x03"),
    "bad priority": package(priority="9"),
    "no subject": package(subject=""),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_malformed_is_refused_and_registers_nothing(clerk, name):
    with pytest.raises(DocumentError) as exc:
        services.import_edxml(clerk, HOSTILE[name])
    assert exc.value.code == "bad_edxml" and exc.value.status == 400
    assert exc.value.message.startswith("Gói edXML không hợp lệ")
    assert not Document.objects.exists()


def test_malformed_over_http_is_a_vietnamese_400(clerk):
    client = Client()
    client.force_login(clerk)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/api/v1/documents/edxml", {"file": SimpleUploadedFile("x.edxml", HOSTILE["xxe"])})
    assert response.status_code == 400
    assert response.json()["code"] == "bad_edxml" and "DOCTYPE" in response.json()["detail"]
    assert not Document.objects.exists()


def test_sender_gets_status_messages_through_the_exchange(clerk, leader, specialist, settings):
    server = exchange.FakeExchange().start()
    settings.MOTCUA_DOCUMENTS_EXCHANGE_URL = server.url
    try:
        document = services.import_edxml(clerk, package())
        perform(document, Action.DIRECT, leader, text="Giao xử lý", lead_person=specialist, working_days=5)
        perform(document, Action.NOTE, specialist, text="Đang làm")
        perform(document, Action.COMPLETE, specialist, text="Xong")
        assert Document.objects.get(pk=document.pk).status == DocumentStatus.DONE
        for message in ExchangeMessage.objects.order_by("pk"):
            assert exchange.deliver(message.pk) is True
            assert exchange.deliver(message.pk) is True  # a retry sends nothing twice
        assert [m["status_code"] for m in server.received] == ["01", "04", "05", "06"]
        assert {m["to"] for m in server.received} == {"000.00.00.H29"}
        assert server.received[0]["document_id"] == "000.00.00.H29,2026/04/02,482"
    finally:
        server.stop()


def test_exchange_down_keeps_the_message_pending(clerk, settings):
    settings.MOTCUA_DOCUMENTS_EXCHANGE_URL = "http://127.0.0.1:9/status"
    document = services.import_edxml(clerk, package())
    message = ExchangeMessage.objects.get(document=document)
    assert exchange.deliver(message.pk) is False
    message.refresh_from_db()
    assert message.sent_at is None and message.attempts == 1 and message.last_error
