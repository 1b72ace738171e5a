"""edXML (QCVN 102:2016/BTTTT) messages: read an incoming package into register fields and attachments,
write one for a registered document.

Reading is hostile-input safe: no DTD, no entities (a DOCTYPE is refused outright, so neither XXE nor the
billion-laughs expansion can happen), no network, a size limit; every refusal is `bad_edxml` with the
reason in Vietnamese, raised before anything is registered.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from motcua.core.uploads import DOCUMENTS, max_upload_bytes, sniff
from motcua.documents.actions import Upload
from motcua.documents.errors import DocumentError
from motcua.documents.models import Document, Urgency

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
E = "{" + NS + "}"
# OtherInfo/Priority: 0 thường, 1 khẩn, 2 thượng khẩn, 3 hỏa tốc, 4 hỏa tốc hẹn giờ.
PRIORITY_TO_URGENCY = {
    "0": Urgency.NORMAL,
    "1": Urgency.URGENT,
    "2": Urgency.VERY_URGENT,
    "3": Urgency.FLASH,
    "4": Urgency.FLASH,
}
URGENCY_TO_PRIORITY = {Urgency.NORMAL: "0", Urgency.URGENT: "1", Urgency.VERY_URGENT: "2", Urgency.FLASH: "3"}


@dataclass
class Package:
    header: dict[str, Any]
    urgency: str
    attachments: list[Upload] = field(default_factory=list)
    trace: list[dict[str, str]] = field(default_factory=list)


def _bad(reason: str) -> DocumentError:
    return DocumentError("bad_edxml", reason=reason)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )


def _text(node: etree._Element | None, path: str) -> str:
    if node is None:
        return ""
    found = node.find(_path(path))
    return (found.text or "").strip() if found is not None and found.text else ""


def _path(path: str) -> str:
    return "/".join(f"{E}{part}" for part in path.split("/"))


def _date(value: str, name: str, required: bool = False) -> dt.date | None:
    if not value:
        if required:
            raise _bad(_("thiếu %(name)s") % {"name": name})
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError as exc:
        raise _bad(_("%(name)s không phải ngày hợp lệ (YYYY-MM-DD)") % {"name": name}) from exc


def parse(raw: bytes) -> Package:
    """The register fields, urgency, attachments and trace of an edXML message, or `bad_edxml`."""
    if not raw or not raw.strip():
        raise _bad(_("tệp rỗng"))
    if len(raw) > 2 * max_upload_bytes():
        raise _bad(_("tệp quá lớn"))
    head = raw[:4096].upper()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in raw.upper():
        raise _bad(_("không chấp nhận khai báo DOCTYPE/ENTITY"))
    try:
        root = etree.fromstring(raw, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise _bad(_("không phải XML hợp lệ")) from exc
    if root.tag != f"{E}edXMLEnvelope":
        raise _bad(_("phần tử gốc phải là edXMLEnvelope (QCVN 102:2016)"))
    header = root.find(_path("edXMLHeader/MessageHeader"))
    if header is None:
        raise _bad(_("thiếu MessageHeader"))
    organ_id = _text(header, "From/OrganId")
    organ_name = _text(header, "From/OrganName")
    if not organ_id or not organ_name:
        raise _bad(_("thiếu From/OrganId hoặc From/OrganName"))
    number = _text(header, "Code/CodeNumber")
    notation = _text(header, "Code/CodeNotation")
    if not number:
        raise _bad(_("thiếu Code/CodeNumber"))
    subject = _text(header, "Subject")
    if not subject:
        raise _bad(_("thiếu Subject"))
    issued = _date(_text(header, "PromulgationInfo/PromulgationDate"), "PromulgationDate", required=True)
    due = _date(_text(header, "DueDate"), "DueDate")
    priority = _text(header, "OtherInfo/Priority") or "0"
    if priority not in PRIORITY_TO_URGENCY:
        raise _bad(_("OtherInfo/Priority phải từ 0 đến 4"))
    attachments = []
    body = root.find(f"{E}edXMLBody")
    for index, node in enumerate(body.iter(f"{E}Attachment") if body is not None else [], start=1):
        name = _text(node, "AttachmentName") or f"dinh-kem-{index}"
        value = "".join((node.findtext(f"{E}Value") or "").split())
        try:
            data = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise _bad(_("tệp đính kèm “%(name)s” không phải base64 hợp lệ") % {"name": name}) from exc
        kind = sniff(data[:16], DOCUMENTS)
        if not data or kind is None:
            raise _bad(_("tệp đính kèm “%(name)s” phải là PDF, JPEG hoặc PNG") % {"name": name})
        if len(data) > max_upload_bytes():
            raise _bad(_("tệp đính kèm “%(name)s” quá lớn") % {"name": name})
        attachments.append(
            Upload(
                name=name[:255],
                data=data,
                content_type=kind.content_type,
                sha256=hashlib.sha256(data).hexdigest(),
            )
        )
    if not attachments:
        raise _bad(_("không có tệp đính kèm (Attachment) nào"))
    trace = [
        {"organ_id": _text(t, "OrganId"), "timestamp": _text(t, "Timestamp")}
        for t in root.iter(f"{E}TraceHeader")
    ]
    notation_full = f"{number}/{notation}" if notation else number
    return Package(
        header={
            "issuer": organ_name,
            "number_notation": notation_full,
            "issued_on": issued.isoformat() if issued else "",
            "doc_type": _text(header, "DocumentType/TypeName"),
            "summary": subject,
            "signer": _text(header, "SignerInfo/FullName"),
            "sender_code": organ_id,
            "sender_name": organ_name,
            "exchange_id": _text(header, "DocumentId"),
            "due_on": due,
            "place": _text(header, "PromulgationInfo/Place"),
        },
        urgency=PRIORITY_TO_URGENCY[priority],
        attachments=attachments,
        trace=trace,
    )


def _sub(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    node = etree.SubElement(parent, f"{E}{name}")
    if text is not None:
        node.text = text
    return node


def build(
    document: Document,
    attachments: list[tuple[str, str, bytes]],
    *,
    to_id: str,
    to_name: str,
    our_id: str,
) -> bytes:
    """An edXML message carrying `document` (its issuer as From) and `attachments` (name, type, bytes)."""
    number, _sep, notation = document.number_notation.partition("/")
    root = etree.Element(f"{E}edXMLEnvelope", nsmap={"edXML": NS})
    head = _sub(root, "edXMLHeader")
    message = _sub(head, "MessageHeader")
    sender = _sub(message, "From")
    _sub(sender, "OrganId", document.sender_code or our_id)
    _sub(sender, "OrganName", document.issuer or document.sender_name)
    receiver = _sub(message, "To")
    _sub(receiver, "OrganId", to_id)
    _sub(receiver, "OrganName", to_name)
    _sub(message, "DocumentId", document.exchange_id or f"{our_id},{document.year},{document.arrival_number}")
    code = _sub(message, "Code")
    _sub(code, "CodeNumber", number)
    _sub(code, "CodeNotation", notation)
    promulgation = _sub(message, "PromulgationInfo")
    _sub(promulgation, "Place", "")
    _sub(promulgation, "PromulgationDate", document.issued_on.isoformat() if document.issued_on else "")
    kind = _sub(message, "DocumentType")
    _sub(kind, "Type", "1")
    _sub(kind, "TypeName", document.doc_type)
    _sub(message, "Subject", document.summary)
    signer = _sub(message, "SignerInfo")
    _sub(signer, "FullName", document.signer)
    if document.due_on:
        _sub(message, "DueDate", document.due_on.isoformat())
    other = _sub(message, "OtherInfo")
    _sub(other, "Priority", URGENCY_TO_PRIORITY[Urgency(document.urgency)])
    _sub(other, "PageAmount", "")
    traces = _sub(head, "TraceHeaderList")
    trace = _sub(traces, "TraceHeader")
    _sub(trace, "OrganId", our_id)
    _sub(trace, "Timestamp", timezone.now().isoformat(timespec="seconds"))
    body = _sub(root, "edXMLBody")
    manifest = _sub(body, "edXMLManifest")
    for index, (name, content_type, _data) in enumerate(attachments, start=1):
        reference = _sub(manifest, "Reference")
        _sub(reference, "ContentId", f"cid:{index}")
        _sub(reference, "ContentType", content_type)
        _sub(reference, "AttachmentName", name)
    for index, (name, content_type, data) in enumerate(attachments, start=1):
        attachment = _sub(body, "Attachment")
        _sub(attachment, "ContentId", f"cid:{index}")
        _sub(attachment, "AttachmentName", name)
        _sub(attachment, "ContentType", content_type)
        _sub(attachment, "Value", base64.b64encode(data).decode("ascii"))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def status_message(document: Document, status: str, *, our_id: str, our_name: str) -> bytes:
    """The status message back to the sender (received, assigned, in progress, done)."""
    codes = {"received": "01", "assigned": "04", "in_progress": "05", "done": "06"}
    root = etree.Element(f"{E}Status", nsmap={"edXML": NS})
    header = _sub(root, "Header")
    response = _sub(header, "ResponseFor")
    _sub(response, "OrganId", document.sender_code)
    _sub(response, "Code", document.number_notation)
    _sub(response, "PromulgationDate", document.issued_on.isoformat() if document.issued_on else "")
    _sub(response, "DocumentId", document.exchange_id)
    sender = _sub(header, "From")
    _sub(sender, "OrganId", our_id)
    _sub(sender, "OrganName", our_name)
    _sub(header, "Timestamp", timezone.now().isoformat(timespec="seconds"))
    _sub(root, "StatusCode", codes[status])
    _sub(root, "Description", status)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
