"""Status messages back to the sender over the inter-agency exchange (the outbox pattern).

`queue_status` writes an `ExchangeMessage` row (unique key per document and status) in the caller's
transaction and enqueues its delivery on commit; `deliver` posts the edXML status message to the exchange
endpoint (`MOTCUA_DOCUMENTS_EXCHANGE_URL`) and marks the row sent, so a retried task never sends twice.
Without an endpoint the message stays in the local outbox as sent locally. `FakeExchange` is the local
stand-in that speaks the same HTTP (tests, demo).
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from lxml import etree

from motcua.documents.models import Document, ExchangeMessage

STATUSES = ("received", "assigned", "in_progress", "done")


def organ_id(document: Document) -> str:
    return document.unit.agency_identifier or document.unit.code


def queue_status(document: Document, status: str) -> ExchangeMessage | None:
    if status not in STATUSES or not document.sender_code:
        return None
    message, created = ExchangeMessage.objects.get_or_create(
        key=f"documents:{document.pk}:{status}", defaults={"document": document, "status": status}
    )
    if created:
        from motcua.documents.tasks import deliver_exchange  # noqa: PLC0415 - tasks import the services

        pk = message.pk
        transaction.on_commit(lambda: deliver_exchange.enqueue(pk))
    return message


def deliver(pk: int) -> bool:
    """Send one status message once. True when it is (or already was) sent."""
    from motcua.documents import edxml  # noqa: PLC0415 - edxml imports actions, which import this module

    with transaction.atomic():
        message = (
            ExchangeMessage.objects.select_for_update().select_related("document__unit").filter(pk=pk).first()
        )
        if message is None:
            return False
        if message.sent_at is not None:
            return True
        document = message.document
        body = edxml.status_message(
            document, message.status, our_id=organ_id(document), our_name=document.unit.name
        )
        url = settings.MOTCUA_DOCUMENTS_EXCHANGE_URL
        message.attempts += 1
        try:
            if url:
                response = requests.post(
                    url, data=body, headers={"Content-Type": "application/xml"}, timeout=10
                )
                response.raise_for_status()
        except requests.RequestException as exc:
            message.last_error = str(exc)[:300]
            message.save(update_fields=["attempts", "last_error"])
            return False
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["attempts", "last_error", "sent_at"])
        return True


class FakeExchange:
    """A local exchange server: accepts edXML status messages on POST /status, lists them on GET /status."""

    def __init__(self, port: int = 0) -> None:
        received: list[dict[str, Any]] = []
        self.received = received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = min(int(self.headers.get("Content-Length") or 0), 1_000_000)
                raw = self.rfile.read(length)
                try:
                    root = etree.fromstring(
                        raw, parser=etree.XMLParser(resolve_entities=False, no_network=True)
                    )
                except etree.XMLSyntaxError:
                    self.send_response(400)
                    self.end_headers()
                    return
                ns = {"e": root.nsmap.get("edXML", "")}
                received.append(
                    {
                        "status_code": root.findtext("e:StatusCode", namespaces=ns),
                        "description": root.findtext("e:Description", namespaces=ns),
                        "document_id": root.findtext("e:Header/e:ResponseFor/e:DocumentId", namespaces=ns),
                        "to": root.findtext("e:Header/e:ResponseFor/e:OrganId", namespaces=ns),
                        "from": root.findtext("e:Header/e:From/e:OrganId", namespaces=ns),
                    }
                )
                self.send_response(202)
                self.end_headers()

            def do_GET(self) -> None:  # noqa: N802
                body = json.dumps(received).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/status"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> FakeExchange:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
