"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2/) at /open311/v2/, JSON and XML.

Plain Django views so the output is exactly the spec's shapes. Reports are the spec's service requests,
categories its services. Writes go through `services.submit_report` like every other channel.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from xml.etree import ElementTree as ET

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from motcua.core import ratelimit
from motcua.feedback import selectors, services
from motcua.feedback.errors import FeedbackError
from motcua.feedback.intake import safe_media_url
from motcua.feedback.models import DONE_STATUSES, ApiKey, Category, Report, ReportStatus

SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
MAX_ITEMS = 1000
DEFAULT_DAYS = 90
CHANGESET = "2026-03-01T00:00:00+07:00"


def jurisdiction() -> str:
    return settings.OPEN311_JURISDICTION_ID


def accepted_jurisdictions(request: HttpRequest) -> set[str]:
    """The configured jurisdiction, and this server's own host name (what a client configured with only
    the endpoint URL tends to send)."""
    host = request.get_host().lower()
    return {jurisdiction().lower(), host, host.split(":")[0]}


def w3c(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


# --- output -----------------------------------------------------------------------------------------
def _xml_value(parent: ET.Element, tag: str, value: Any) -> None:
    el = ET.SubElement(parent, tag)
    if value is None:
        return
    if isinstance(value, bool):
        el.text = "true" if value else "false"
    elif isinstance(value, dict):
        for k, v in value.items():
            _xml_value(el, k, v)
    elif isinstance(value, list):
        child = tag[:-1] if tag.endswith("s") else "item"
        for item in value:
            _xml_value(el, child, item)
    else:
        el.text = str(value)


def render(fmt: str, root: str, item: str, rows: list[dict] | dict, status: int = 200) -> HttpResponse:
    """JSON: the rows as they are. XML: <root><item>...</item></root> (or <root>fields</root> for a dict)."""
    if fmt == "json":
        return HttpResponse(
            json.dumps(rows, ensure_ascii=False),
            status=status,
            content_type="application/json; charset=utf-8",
        )
    top = ET.Element(root)
    if isinstance(rows, dict):
        for k, v in rows.items():
            _xml_value(top, k, v)
    else:
        for row in rows:
            el = ET.SubElement(top, item)
            for k, v in row.items():
                _xml_value(el, k, v)
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(
        top, encoding="utf-8", xml_declaration=False
    )
    return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")


def cors(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Browser clients on other origins may read Open311 only from the origins configured in
    OPEN311_CORS_ORIGINS ("*" only if an operator writes it there); none by default."""
    allowed = settings.OPEN311_CORS_ORIGINS
    origin = request.headers.get("Origin", "")
    if "*" in allowed:
        response["Access-Control-Allow-Origin"] = "*"
    elif origin and origin in allowed:
        response["Access-Control-Allow-Origin"] = origin
        patch_vary_headers(response, ["Origin"])
    return response


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return render(fmt, "errors", "error", [{"code": status, "description": str(description)}], status=status)


def _check_jurisdiction(request: HttpRequest, fmt: str) -> HttpResponse | None:
    value = (request.POST.get("jurisdiction_id") if request.method == "POST" else None) or request.GET.get(
        "jurisdiction_id"
    )
    if value and value.lower() not in accepted_jurisdictions(request):
        return error(fmt, 404, f"jurisdiction_id not found: {value}")
    return None


def _fmt_guard(view):
    def wrapped(request, *args, fmt: str, **kwargs):
        if fmt not in ("json", "xml"):
            return cors(request, error("json", 404, "format not supported: use .json or .xml"))
        if ratelimit.limited(request, "open311"):
            return cors(request, error(fmt, 429, str(ratelimit.MESSAGE)))
        bad = _check_jurisdiction(request, fmt)
        if bad is not None:
            return cors(request, bad)
        return cors(request, view(request, *args, fmt=fmt, **kwargs))

    wrapped.__name__ = view.__name__
    return wrapped


# --- discovery, services ---------------------------------------------------------------------------
@require_http_methods(["GET", "HEAD"])
@_fmt_guard
def discovery(request: HttpRequest, *, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri("/open311/v2")
    data = {
        "changeset": CHANGESET,
        "contact": "Tổng đài 1022 Thành phố Hồ Chí Minh, 1022, open311@tphcm.gov.vn",
        "key_service": request.build_absolute_uri("/phan-anh/"),
        "endpoints": [
            {
                "specification": SPEC_URL,
                "url": base,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            },
        ],
    }
    if fmt == "json":
        return render(fmt, "discovery", "", data)
    top = ET.Element("discovery")
    for key in ("changeset", "contact", "key_service"):
        ET.SubElement(top, key).text = data[key]
    endpoints = ET.SubElement(top, "endpoints")
    for ep in data["endpoints"]:
        el = ET.SubElement(endpoints, "endpoint")
        for key in ("specification", "url", "changeset", "type"):
            ET.SubElement(el, key).text = ep[key]
        formats = ET.SubElement(el, "formats")
        for f in ep["formats"]:
            ET.SubElement(formats, "format").text = f
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(top, encoding="utf-8")
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


def service_row(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description or category.name,
        "metadata": bool(category.attributes),
        "type": "realtime",
        "keywords": ",".join(category.keyword_list()),
        "group": category.group or "",
    }


@require_http_methods(["GET", "HEAD"])
@_fmt_guard
def service_list(request: HttpRequest, *, fmt: str) -> HttpResponse:
    return render(fmt, "services", "service", [service_row(c) for c in selectors.public_categories()])


def attribute_row(attr: dict, index: int) -> dict:
    row = {
        "variable": bool(attr.get("variable", True)),
        "code": str(attr["code"]),
        "datatype": attr.get("datatype", "string"),
        "required": bool(attr.get("required", False)),
        "datatype_description": attr.get("datatype_description") or "",
        "order": int(attr.get("order", index + 1)),
        "description": attr.get("description") or str(attr["code"]),
    }
    if row["datatype"] in ("singlevaluelist", "multivaluelist"):
        row["values"] = [{"key": str(v["key"]), "name": v["name"]} for v in attr.get("values", [])]
    return row


@require_http_methods(["GET", "HEAD"])
@_fmt_guard
def service_definition(request: HttpRequest, code: str, *, fmt: str) -> HttpResponse:
    category = selectors.public_categories().filter(code=code).first()
    if category is None:
        return error(fmt, 404, f"service_code not found: {code}")
    attrs = sorted(
        (attribute_row(a, i) for i, a in enumerate(category.attributes or [])), key=lambda r: r["order"]
    )
    data = {"service_code": category.code, "attributes": attrs}
    if fmt == "json":
        return render(fmt, "service_definition", "", data)
    top = ET.Element("service_definition")
    ET.SubElement(top, "service_code").text = category.code
    attributes = ET.SubElement(top, "attributes")
    for attr in attrs:
        el = ET.SubElement(attributes, "attribute")
        for key in (
            "variable",
            "code",
            "datatype",
            "required",
            "datatype_description",
            "order",
            "description",
        ):
            _xml_value(el, key, attr[key])
        if "values" in attr:
            values = ET.SubElement(el, "values")
            for v in attr["values"]:
                value = ET.SubElement(values, "value")
                ET.SubElement(value, "key").text = v["key"]
                ET.SubElement(value, "name").text = v["name"]
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(top, encoding="utf-8")
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


# --- requests ----------------------------------------------------------------------------------------
def status_of(report: Report) -> str:
    return "closed" if report.status in DONE_STATUSES else "open"


def status_notes(report: Report) -> str:
    if report.status in (ReportStatus.ANSWERED, ReportStatus.CLOSED):
        return report.public_answer
    if report.status == ReportStatus.MERGED and report.duplicate_of_id:
        return f"Trùng với phản ánh {report.duplicate_of.code}"
    if report.status == ReportStatus.NOT_ACCEPTED:
        return f"Không tiếp nhận: {report.status_note}" if report.status_note else "Không tiếp nhận"
    return str(report.get_status_display())


def expected(report: Report) -> str | None:
    if not report.deadline:
        return None
    closing = report.unit.afternoon_end if report.unit_id else dt.time(17, 0)
    return w3c(dt.datetime.combine(report.deadline, closing, tzinfo=timezone.get_current_timezone()))


def request_row(report: Report, request: HttpRequest, *, extensions: bool = False) -> dict:
    media = _safe_media(report.media_url) or (
        request.build_absolute_uri(report.photo.url) if report.photo else ""
    )
    row = {
        "service_request_id": report.code,
        "status": status_of(report),
        "status_notes": status_notes(report),
        "service_name": report.category.name if report.category_id else "",
        "service_code": report.category.code if report.category_id else "",
        "description": services.redact(report.description, [report.contact_name]),
        "agency_responsible": report.unit.name,
        "service_notice": "",
        "requested_datetime": w3c(report.received_at),
        "updated_datetime": w3c(report.updated_at),
        "expected_datetime": expected(report),
        "address": report.address or (report.ward.name if report.ward_id else ""),
        "address_id": report.ward.code if report.ward_id else "",
        "zipcode": "",
        "lat": report.latitude,
        "long": report.longitude,
        "media_url": media,
    }
    if extensions:
        row["extended_attributes"] = {
            "detailed_status": report.status,
            "detailed_status_name": str(report.get_status_display()),
            "classification": report.classification,
            "channel": report.channel,
            "ward": report.ward.name if report.ward_id else "",
            "deadline": report.deadline.isoformat() if report.deadline else None,
            "escalation_level": report.escalation_level,
            "reopen_count": report.reopen_count,
            "duplicate_of": report.duplicate_of.code if report.duplicate_of_id else "",
            "answered_datetime": w3c(report.answered_at),
        }
    return row


def _rows(reports, request) -> list[dict]:
    ext = request.GET.get("extensions", "").lower() == "true"
    return [request_row(r, request, extensions=ext) for r in reports]


def _safe_media(url: str) -> str:
    """Rows stored before the check (or by hand) are never republished with a non-http(s) link."""
    try:
        return safe_media_url(url)
    except FeedbackError:
        return ""


def _base_qs(client: ApiKey | None = None):
    """The publishing rule: a public category, answered and published. An unpublished code answers the
    same 404 as an unknown one, except to the client that filed it (its `api_key`), which reads back the
    status of its own requests from the start."""
    qs = Report.objects.published()
    if client is not None:
        qs = qs | Report.objects.filter(api_key=client)
    return qs.select_related("category", "unit", "ward", "duplicate_of")


class _BadKey(Exception):
    pass


def _reading_client(request: HttpRequest) -> ApiKey | None:
    """The Open311 client a GET names with `api_key` (query) or an `X-Api-Key` header; None without one.
    A key that is given but not valid is refused (`_BadKey`), never silently treated as anonymous."""
    raw = request.GET.get("api_key", "") or request.headers.get("X-Api-Key", "")
    if not raw:
        return None
    key = selectors.api_key_valid(raw, touch=False)
    if key is None:
        raise _BadKey
    return key


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@_fmt_guard
def requests_view(request: HttpRequest, *, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    params = request.GET
    try:
        qs = _base_qs(_reading_client(request))
    except _BadKey:
        return error(fmt, 403, "api_key is not valid")
    if params.get("service_request_id"):
        ids = [i.strip().upper() for i in params["service_request_id"].split(",") if i.strip()]
        return render(fmt, "service_requests", "request", _rows(qs.filter(code__in=ids[:MAX_ITEMS]), request))
    try:
        start = _parse_date(params.get("start_date"))
        end = _parse_date(params.get("end_date"))
    except ValueError as exc:
        return error(fmt, 400, str(exc))
    if start is None and end is None:
        start = timezone.now() - dt.timedelta(days=DEFAULT_DAYS)
    elif start is None:
        start = end - dt.timedelta(days=DEFAULT_DAYS)
    if end is not None and end - start > dt.timedelta(days=DEFAULT_DAYS):
        return error(fmt, 400, "start_date and end_date may be at most 90 days apart")
    qs = qs.filter(received_at__gte=start)
    if end is not None:
        qs = qs.filter(received_at__lte=end)
    if params.get("service_code"):
        qs = qs.filter(category__code__in=[c.strip() for c in params["service_code"].split(",") if c.strip()])
    if params.get("status"):
        wanted = {s.strip().lower() for s in params["status"].split(",") if s.strip()}
        if not wanted <= {"open", "closed"}:
            return error(fmt, 400, "status must be open and/or closed")
        if wanted == {"open"}:
            qs = qs.exclude(status__in=DONE_STATUSES)
        elif wanted == {"closed"}:
            qs = qs.filter(status__in=DONE_STATUSES)
    return render(fmt, "service_requests", "request", _rows(qs.order_by("-received_at")[:MAX_ITEMS], request))


def _parse_date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    parsed = parse_datetime(value.replace(" ", "+")) if "T" in value else None
    if parsed is None:
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"invalid W3C datetime: {value}") from None
        parsed = dt.datetime.combine(day, dt.time(0, 0))
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _attributes(post) -> dict:
    found: dict[str, Any] = {}
    for key in post:
        if not key.startswith("attribute["):
            continue
        name = key[len("attribute[") :]
        if name.endswith("][]"):
            found[name[:-3]] = post.getlist(key)
        elif name.endswith("]"):
            values = post.getlist(key)
            found[name[:-1]] = values if len(values) > 1 else values[0]
    return found


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    post = request.POST
    # some clients send api_key (and jurisdiction_id) in the query string of the POST
    client = selectors.api_key_valid(post.get("api_key") or request.GET.get("api_key", ""))
    if client is None:
        return error(fmt, 403, "api_key is missing or not valid")
    code = post.get("service_code", "").strip()
    if not code:
        return error(fmt, 400, "service_code is required")
    category = selectors.public_categories().filter(code=code).first()
    if category is None:
        return error(fmt, 404, f"service_code not found: {code}")
    lat, lon = post.get("lat", "").strip(), post.get("long", "").strip()
    address = post.get("address_string", "").strip()
    address_id = post.get("address_id", "").strip()
    if not ((lat and lon) or address or address_id):
        return error(fmt, 400, "a location is required: lat and long, address_string or address_id")
    try:
        latitude = float(lat) if lat and lon else None
        longitude = float(lon) if lat and lon else None
    except ValueError:
        return error(fmt, 400, "lat and long must be numbers")
    description = post.get("description", "").strip()[:4000]
    if len(description) < 10:
        description = (
            f"{category.name}: {description}" if description else f"{category.name} ({address or lat})"
        )
    name = " ".join(p for p in (post.get("first_name", "").strip(), post.get("last_name", "").strip()) if p)
    try:
        report = services.submit_report(
            channel="open311",
            description=description,
            category_code=category.code,
            address=address,
            latitude=latitude,
            longitude=longitude,
            contact_name=name,
            phone=post.get("phone", ""),
            email=post.get("email", ""),
            actor="open311",
            ward_code=address_id or None,
            attributes=_attributes(post),
            media_url=post.get("media_url", "").strip(),
            photo=request.FILES.get("media"),
            device_id=post.get("device_id", ""),
            account_id=post.get("account_id", ""),
            api_key=client,
        )
    except FeedbackError as exc:
        status = 404 if exc.code == "unknown_category" else 400
        detail = exc.message
        if exc.code == "bad_unit" and address_id:
            detail = f"address_id not found: {address_id}"
        return error(fmt, status, detail)
    notice = f"Hạn trả lời dự kiến: {report.deadline:%d/%m/%Y}. Tra cứu mã {report.code}."
    row = {
        "service_request_id": report.code,
        "token": str(report.token),
        "service_notice": notice,
        "account_id": report.account_id or None,
    }
    return render(fmt, "service_requests", "request", [row], status=200)


@require_http_methods(["GET", "HEAD"])
@_fmt_guard
def request_detail(request: HttpRequest, request_id: str, *, fmt: str) -> HttpResponse:
    try:
        qs = _base_qs(_reading_client(request))
    except _BadKey:
        return error(fmt, 403, "api_key is not valid")
    report = qs.filter(code=request_id.upper()).first()
    if report is None:
        return error(fmt, 404, f"service_request_id not found: {request_id}")
    return render(fmt, "service_requests", "request", _rows([report], request))


@require_http_methods(["GET", "HEAD"])
@_fmt_guard
def token_detail(request: HttpRequest, token: str, *, fmt: str) -> HttpResponse:
    import uuid

    try:
        value = uuid.UUID(token)
    except ValueError:
        return error(fmt, 404, f"token not found: {token}")
    report = Report.objects.filter(token=value).first()
    if report is None:
        return error(fmt, 404, f"token not found: {token}")
    return render(fmt, "service_requests", "request", [{"service_request_id": report.code, "token": token}])
