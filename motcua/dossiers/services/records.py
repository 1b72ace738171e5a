"""What every dossier action writes besides the dossier row: the control-sheet event, the scans, the
citizen's messages and the one delivery task per transaction (outbox)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from motcua.core import audit, notify
from motcua.core.links import dossier_tracking_url
from motcua.core.uploads import check_upload
from motcua.core.validation import is_personal_id
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier, DossierEvent, DossierPaper, DossierPerson, PersonRole, Task
from motcua.dossiers.services import clock
from motcua.dossiers.services.catalog import CatalogSnapshot, catalog_snapshot
from motcua.org.actors import Actor, signed_in
from motcua.org.models import Unit, User


def lock(dossier: Dossier | int, expected_version: int | None = None) -> Dossier:
    pk = dossier.pk if isinstance(dossier, Dossier) else dossier
    locked = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("unit", "receiving_unit", "procedure")
        .get(pk=pk)
    )
    if expected_version is not None and int(expected_version) != locked.version:
        raise DossierError("stale")
    return locked


def snapshot(d: Dossier) -> dict[str, Any]:
    return {"status": d.status, "version": d.version, "due_at": d.due_at, "unit_id": d.unit_id}


def saved_by(actor: Actor | str | None) -> User | None:
    """The actor as a foreign key value (None for system labels and anonymous callers)."""
    return actor if signed_in(actor) and actor.pk else None


def event(
    d: Dossier,
    action: str,
    actor: Actor | str | None,
    *,
    from_status: str = "",
    note: str = "",
    task: Task | None = None,
    public: bool = True,
    unit: Unit | None = None,
    **data: Any,
) -> DossierEvent:
    return DossierEvent.objects.create(
        dossier=d,
        at=clock.now(),
        action=action,
        from_status=from_status,
        to_status=d.status,
        actor=saved_by(actor),
        actor_label=str(actor) if actor is not None else "",
        unit=unit or (task.unit if task else None),
        task=task,
        note=note,
        public=public,
        data=audit._normalise(data) or {},
    )


class Outbox:
    """What one transaction queued for one dossier; delivered by ONE task enqueued on commit."""

    def __init__(self) -> None:
        self.message_ids: list[int] = []
        self.portal = False


def outbox(d: Dossier) -> Outbox:
    """The dossier instance's pending deliveries; the first call registers the on-commit enqueue.

    Every action locks a fresh instance or creates one, so the object lives for one transaction; a
    rollback discards the callback with it."""
    pending = d.__dict__.get("_outbox")
    if pending is None:
        pending = d.__dict__["_outbox"] = Outbox()
        dossier_id = d.pk
        transaction.on_commit(lambda: _enqueue_outbox(dossier_id, pending))
    return pending


def _enqueue_outbox(dossier_id: int, pending: Outbox) -> None:
    if pending.message_ids or pending.portal:
        from motcua.dossiers.tasks import deliver_outbox  # tasks import the services: import at use

        deliver_outbox.enqueue(dossier_id, list(pending.message_ids), pending.portal)


def notify_applicant(d: Dossier, event_name: str, body: str, subject: str, *, key: str = "") -> None:
    """SMS, e-mail (and Zalo when opted in) to the applicant: one INSERT for all of them, delivered by
    the transaction's one task. Each message's key is `key` + channel (default key: the dossier, event
    and version)."""
    key = key or f"dossier:{d.pk}:{event_name}:{d.version}:"
    batch = notify.MessageBatch()
    channels = [("sms", d.applicant_phone), ("email", d.applicant_email)]
    if d.notify_zalo:
        channels.append(("zalo", d.applicant_phone))
    for channel, recipient in channels:
        notify.queue_message(
            key=f"{key}{channel}",
            channel=channel,
            recipient=recipient,
            body=body,
            subject=subject,
            unit_id=d.unit_id,
            obj=d,
            batch=batch,
        )
    created = batch.write()
    if created:
        outbox(d).message_ids.extend(created)


def public_url(d: Dossier) -> str:
    return dossier_tracking_url(d.code)


def store_persons(d: Dossier, catalog: CatalogSnapshot | None = None) -> None:
    """Index the personal ID numbers the dossier names: the applicant's and every ID the declaration
    holds (fields of the ID type or filled from a registry ID), so each person finds it in "My dossiers"."""
    rows = {(d.applicant_personal_id, PersonRole.APPLICANT)} if d.applicant_personal_id else set()
    for field in (catalog or catalog_snapshot(d.procedure)).form_fields(d.procedure):
        if field.field_type != "personal_id" and not str(field.registry_field or "").endswith("_id"):
            continue
        value = str((d.form_data or {}).get(field.key) or "").strip()
        if is_personal_id(value) and (value, PersonRole.APPLICANT) not in rows:
            rows.add((value, PersonRole.CONCERNED))
    DossierPerson.objects.bulk_create(
        [DossierPerson(dossier=d, personal_id=pid, role=role) for pid, role in sorted(rows)],
        ignore_conflicts=True,
    )


def store_papers(
    d: Dossier,
    files: Mapping[str | int, Any],
    actor: Actor | None,
    *,
    supplement: bool = False,
    catalog: CatalogSnapshot | None = None,
) -> list[DossierPaper]:
    if not files:
        return []
    names = {r.pk: r.name for r in (catalog or catalog_snapshot(d.procedure)).papers(d.procedure)}
    stored = []
    for key, uploads in files.items():
        for upload in uploads if isinstance(uploads, list | tuple) else [uploads]:
            if not upload:
                continue
            content_type, ext, size, digest = check_upload(upload, error=DossierError)
            req_id = int(key) if str(key).isdigit() else None
            name = names.get(req_id) if req_id is not None else None
            paper = DossierPaper(
                dossier=d,
                requirement_id=req_id,
                name=(name or getattr(upload, "name", None) or "")[:500],
                content_type=content_type,
                size=size,
                sha256=digest,
                is_supplement=supplement,
                uploaded_by=saved_by(actor),
            )
            upload.seek(0)
            paper.file.save(
                f"{d.code}-{req_id or 'x'}-{digest[:8]}.{ext}", ContentFile(upload.read()), save=False
            )
            stored.append(paper)
    return DossierPaper.objects.bulk_create(stored)  # one INSERT for every scan
