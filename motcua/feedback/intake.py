"""Intake of a report from any channel: checking the input, locating and routing it.

`submit` is the SUBMIT action's body; it runs inside `workflow.perform`, which writes the status the
table allows, saves the row (one report per channel and external id, enforced by the database) and audits.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.utils import timezone

from motcua.core import uploads, validation
from motcua.core.calendar import calendar_for
from motcua.core.codes import next_sequence
from motcua.feedback import events
from motcua.feedback.errors import FeedbackError
from motcua.feedback.models import (
    ApiKey,
    Category,
    Channel,
    Classification,
    Report,
    ReportStatus,
    RoutingRule,
)
from motcua.feedback.notifications import tell_receipt
from motcua.feedback.trace import Step, actor_label, now_or, record_event
from motcua.org.models import COMMUNE_LEVEL, Unit
from motcua.org.selectors import current_communes, find_unit_in_text, fold, province, unit_by_code


def normalise_phone(phone: str) -> str:
    try:
        return validation.normalise_phone(phone)
    except validation.InvalidPhone:
        raise FeedbackError("bad_phone") from None


def fold_text(text: str) -> str:
    return fold(text)


def safe_media_url(url: str) -> str:
    """Only http(s) links are stored or republished (no `javascript:`, `data:`...)."""
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c in url for c in "\x00\r\n"):
        raise FeedbackError("bad_media_url")
    return url[:500]


def check_photo(photo: UploadedFile | None):
    if not photo:
        return None
    if photo.size and photo.size > uploads.max_upload_bytes():
        raise FeedbackError("photo_too_large")
    if uploads.sniff_file(photo, uploads.PHOTOS) is None:
        raise FeedbackError("bad_photo")
    return photo


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


# --- location and routing --------------------------------------------------------------------------
def resolve_ward(
    address: str = "", latitude: float | None = None, longitude: float | None = None
) -> Unit | None:
    """Today's ward for an address (old names included), else the nearest ward centre to the point."""
    if address:
        unit = find_unit_in_text(address)
        if unit is not None:
            return unit
    if latitude is not None and longitude is not None:
        best = None
        for unit in (
            current_communes().exclude(latitude__isnull=True).only("id", "latitude", "longitude", "name")
        ):
            d = distance_m(latitude, longitude, unit.latitude, unit.longitude)
            if best is None or d < best[0]:
                best = (d, unit)
        if best is not None and best[0] < 30000:
            return best[1]
    return None


def city_unit() -> Unit:
    unit = province()
    if unit is None:
        raise FeedbackError("bad_unit", "province not loaded")
    return unit


def route(category: Category | None, ward: Unit | None) -> tuple[Unit, str]:
    """The responsible unit for a category at a place, and why (for the trace)."""
    if category is not None:
        rules = RoutingRule.objects.filter(active=True).filter(
            category__in=[category.pk]
        ) | RoutingRule.objects.filter(active=True, category__isnull=True)
        for rule in rules.select_related("target").order_by("priority", "pk"):
            if rule.ward_id and (ward is None or rule.ward_id != ward.pk):
                continue
            if rule.target_id:
                return rule.target, f"rule:{rule.pk}"
            if ward is not None:
                return ward, f"rule:{rule.pk}:ward"
        if category.route_to_ward and ward is not None:
            return ward, "category:ward"
        if category.default_unit_id:
            return category.default_unit, "category:default_unit"
    return city_unit(), "city:triage"


def reply_deadline(start: dt.date, category: Category | None) -> dt.date:
    days = category.reply_days if category else 10
    return calendar_for().add_working_days(start, days)


# --- checking the input ------------------------------------------------------------------------------
def _attribute_ok(attr: dict, value: Any) -> bool:
    if value in (None, "", []):
        return True
    keys = {str(v["key"]) for v in attr.get("values", [])}
    kind = attr.get("datatype")
    if kind == "singlevaluelist":
        return str(value) in keys
    if kind == "multivaluelist":
        return all(str(v) in keys for v in (value if isinstance(value, list) else [value]))
    if kind == "number":
        try:
            float(value)
        except (TypeError, ValueError):
            return False
    return True


def validate_attributes(category: Category | None, attributes: dict | None, *, require: bool = True) -> dict:
    """Types are checked on every channel; required attributes only where the caller is told the contract
    (Open311 service definitions). A hotline call or an e-mail is never refused for a missing detail."""
    attributes = dict(attributes or {})
    if category is None:
        return attributes
    for attr in category.attributes or []:
        if not attr.get("variable", True):
            continue
        value = attributes.get(attr["code"])
        if require and attr.get("required") and value in (None, "", []):
            raise FeedbackError("bad_attribute", str(attr["code"]))
        if not _attribute_ok(attr, value):
            raise FeedbackError("bad_attribute", str(attr["code"]))
    return attributes


def _clean_contact(phone: str, email: str) -> tuple[str, str]:
    phone = normalise_phone(phone)
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise FeedbackError("bad_email") from None
    return phone, email


def _clean_point(latitude, longitude) -> tuple[float | None, float | None]:
    if latitude is None and longitude is None:
        return None, None
    try:
        latitude, longitude = float(latitude), float(longitude)
    except (TypeError, ValueError):
        raise FeedbackError("bad_location") from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise FeedbackError("bad_location")
    return latitude, longitude


def _category(code: str | None) -> Category | None:
    if not code:
        return None
    category = Category.objects.filter(code=code, active=True).first()
    if category is None:
        raise FeedbackError("unknown_category")
    return category


def _ward(ward_code: str | None, address: str, latitude, longitude) -> Unit | None:
    if ward_code:
        ward = unit_by_code(ward_code)
        if ward is None or ward.kind not in COMMUNE_LEVEL:
            raise FeedbackError("bad_unit")
        return ward
    return resolve_ward(address, latitude, longitude)


def _description(description: str) -> str:
    description = (description or "").strip()
    if len(description) < 10:
        raise FeedbackError("description_required")
    if len(description) > 5000:
        raise FeedbackError("description_too_long")
    return description


def earlier_report(channel: str, external_id: str) -> Report | None:
    """The report a channel's message already became (one per channel and external id)."""
    if not external_id:
        return None
    return Report.objects.filter(channel=channel, external_id=external_id[:255]).first()


def _new_report(
    channel: str,
    external_id: str,
    actor: Any,
    moment: dt.datetime,
    *,
    description: str,
    category_code: str | None = None,
    address: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    photo=None,
    contact_name: str = "",
    phone: str = "",
    email: str = "",
    ward_code: str | None = None,
    attributes: dict | None = None,
    media_url: str = "",
    device_id: str = "",
    account_id: str = "",
    api_key: ApiKey | None = None,
) -> tuple[Report, str]:
    """The checked, routed, unsaved report and the routing reason."""
    description = _description(description)
    category = _category(category_code)
    phone, email = _clean_contact(phone, email)
    latitude, longitude = _clean_point(latitude, longitude)
    photo = check_photo(photo)
    media_url = safe_media_url(media_url)
    attributes = validate_attributes(category, attributes, require=channel in (Channel.OPEN311, Channel.API))
    ward = _ward(ward_code, address, latitude, longitude)
    unit, reason = route(category, ward)
    day = timezone.localtime(moment).date()
    assigned = unit.kind != "province"
    report = Report(
        code=f"PA-{day:%y%m%d}-{next_sequence('PA', day):04d}",
        channel=channel,
        external_id=external_id[:255],
        contact_name=contact_name.strip()[:200],
        phone=phone,
        email=email,
        reporter=actor if getattr(actor, "is_citizen", False) else None,
        device_id=device_id[:100],
        account_id=account_id[:100],
        api_key=api_key,
        description=description,
        search_text=fold_text(description + " " + address)[:5000],
        address=address.strip()[:300],
        latitude=latitude,
        longitude=longitude,
        ward=ward,
        media_url=media_url,
        attributes=attributes,
        category=category,
        classification=Classification.WITHIN_COMPETENCE if assigned and category else Classification.PENDING,
        unit=unit,
        received_at=moment,
        deadline=reply_deadline(day, category),
    )
    if photo:
        report.photo = photo
    return report, reason


def submit(
    row: None,
    actor: Any,
    *,
    channel: str,
    external_id: str = "",
    now: dt.datetime | None = None,
    **fields: Any,
) -> Step:
    """Check and route one report; the unsaved row goes back to `perform` with its target status."""
    if channel not in Channel.values:
        raise FeedbackError("bad_channel")
    existing = earlier_report(channel, external_id)
    if existing is not None:
        return Step(existing=existing)
    moment = now_or(now)
    report, reason = _new_report(channel, external_id, actor, moment, **fields)

    def effects(saved: Report) -> None:
        staff = actor if getattr(actor, "is_authenticated", False) and saved.reporter_id is None else None
        received = staff or actor_label(actor) or channel
        record_event(saved, events.RECEIVED, actor=received, at=moment, data={"channel": channel})
        ward = saved.ward.code if saved.ward_id else None
        record_event(
            saved,
            events.ROUTED,
            actor="system",
            to_unit=saved.unit,
            note=reason,
            at=moment,
            data={"ward": ward},
        )
        tell_receipt(saved)

    category = report.category.code if report.category_id else None
    after = {"code": report.code, "channel": channel, "unit": report.unit.code, "category": category}
    return Step(
        target=ReportStatus.ASSIGNED if report.unit.kind != "province" else ReportStatus.RECEIVED,
        row=report,
        audit="feedback.report_received",
        after=after | {"route": reason},
        effects=effects,
    )
