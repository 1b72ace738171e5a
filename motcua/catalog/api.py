"""Public catalog API: procedure search and detail, and the legal due-time calculator.

GET /api/v1/procedures?q=        ranked search (diacritics/case/misspelling tolerant), or a filtered list
GET /api/v1/procedures/<code>    one procedure with papers, fees, times, declaration form and history
GET /api/v1/calendar/due         the legal due time of a dossier received at a given moment
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from motcua.catalog import selectors
from motcua.catalog.errors import CatalogError
from motcua.catalog.models import CompetentLevel, OnlineLevel, Procedure
from motcua.core.calendar import LegalTimeUnit, calendar_for
from motcua.core.openapi import ApiErrorSerializer, ApiView
from motcua.core.ratelimit import AnonThrottle, ScopedThrottle
from motcua.org import selectors as org_selectors


def _number(value: Decimal | float | int | str) -> int | float:
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def legal_time_out(procedure: Procedure, channel: str = "counter") -> dict:
    value, unit = selectors.legal_time(procedure, channel)
    return {"value": _number(value), "unit": str(unit), "label": str(LegalTimeUnit(unit).label)}


def procedure_item(procedure: Procedure) -> dict:
    return {
        "code": procedure.code,
        "name": procedure.name,
        "url": selectors.procedure_url(procedure),
        "field": procedure.field.name if procedure.field else "",
        "competent_level": procedure.competent_level,
        "online_level": procedure.online_level,
        "status": procedure.status,
        "legal_time": legal_time_out(procedure),
    }


def procedure_detail(procedure: Procedure) -> dict:
    data = procedure_item(procedure)
    data.update(
        {
            "full_code": procedure.full_code,
            "level_text": procedure.level_text,
            "competent_agency": procedure.competent_agency.code if procedure.competent_agency else None,
            "applicants": procedure.applicants,
            "conditions": procedure.conditions,
            "result": procedure.result_text,
            "legal_basis": procedure.legal_basis_list(),
            "successor": procedure.successor.code if procedure.successor else None,
            "submit_url": selectors.submit_url(procedure)
            if procedure.is_online and procedure.is_active
            else None,
            "needs_review": procedure.needs_review,
            "times": [
                {"channel": t.channel, "value": _number(t.value), "unit": t.unit}
                for t in procedure.times.all()
            ],
            "papers": [
                {
                    "id": r.pk,  # the `requirement` of the dossier API's paper and supplement uploads
                    "order": r.order,
                    "name": r.name,
                    "kind": r.kind,
                    "quantity_original": r.quantity_original,
                    "quantity_copy": r.quantity_copy,
                    "form_name": r.form_name,
                    "required": r.required,
                }
                for r in selectors.papers(procedure)
            ],
            "fees": [
                {
                    "channel": f.channel or None,
                    "amount": f.amount,
                    "description": f.description,
                    "exemption": f.exemption,
                }
                for f in procedure.fees.all()
            ],
            "form_fields": [
                {
                    "key": f.key,
                    "label": f.label,
                    "type": f.field_type,
                    "required": f.required,
                    "choices": f.choices,
                    "help_text": f.help_text,
                    "registry_field": f.registry_field or None,
                    "registry_subject": f.registry_subject or None,
                }
                for f in selectors.form_fields(procedure)
            ],
            "history": [
                {
                    "decision": e.decision.number,
                    "date": e.decision.date.isoformat(),
                    "issuer": e.decision.issuer,
                    "effect": e.effect,
                    "procedure": e.procedure.code,
                    "successor": e.successor.code if e.successor else None,
                }
                for e in selectors.history(procedure)
            ],
        }
    )
    return data


LegalTimeOut = inline_serializer(
    "LegalTime",
    {"value": serializers.FloatField(), "unit": serializers.CharField(), "label": serializers.CharField()},
)
ProcedureItemOut = inline_serializer(
    "ProcedureItem",
    many=True,
    fields={
        "code": serializers.CharField(),
        "name": serializers.CharField(),
        "url": serializers.CharField(),
        "field": serializers.CharField(),
        "competent_level": serializers.CharField(),
        "online_level": serializers.CharField(),
        "status": serializers.CharField(),
        "legal_time": LegalTimeOut,
    },
)
ProcedureListOut = inline_serializer(
    "ProcedureList",
    {"count": serializers.IntegerField(), "query": serializers.CharField(), "results": ProcedureItemOut},
)
ErrorOut = ApiErrorSerializer


def error(code: str, **params: object) -> Response:
    exc = CatalogError(code, **params)
    return Response(exc.body(), status=exc.status)


class ProcedureListView(ApiView):
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes = [AnonThrottle]

    @extend_schema(
        operation_id="procedures_search",
        parameters=[
            OpenApiParameter(
                "q", str, description="Citizen's words; diacritics, case and misspellings tolerated"
            ),
            OpenApiParameter("field", str, description="Field slug (lĩnh vực)"),
            OpenApiParameter("level", str, enum=CompetentLevel.values),
            OpenApiParameter(
                "online", str, enum=[*OnlineLevel.values, "any"], description="any = full or partial"
            ),
            OpenApiParameter(
                "limit", {"type": "integer", "minimum": 1, "maximum": 100}, description="1-100, default 20"
            ),
        ],
        responses={200: ProcedureListOut, 400: ErrorOut},
        description="Active procedures, ranked by relevance when q is given, else by code.",
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        q = (params.get("q") or "").strip()[:200]
        try:
            limit = int(params["limit"]) if "limit" in params else 20
        except ValueError:
            return error("bad_limit")
        if not 1 <= limit <= 100:
            return error("bad_limit")
        qs = selectors.active_procedures().prefetch_related("times")
        field = params.get("field")
        if field:
            qs = qs.filter(field__slug=field)
        level = params.get("level")
        if level is not None:
            if level not in CompetentLevel.values:
                return error("bad_filter", name="level")
            qs = qs.filter(competent_level=level)
        online = params.get("online")
        if online == "any":
            qs = qs.exclude(online_level=OnlineLevel.NONE)
        elif online is not None:
            if online not in OnlineLevel.values:
                return error("bad_filter", name="online")
            qs = qs.filter(online_level=online)
        if q:
            found = selectors.search(q, limit=limit, queryset=qs)
        else:
            found = list(qs.order_by("code")[:limit])
        return Response({"count": len(found), "query": q, "results": [procedure_item(p) for p in found]})


class ProcedureDetailView(ApiView):
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes = [AnonThrottle]

    @extend_schema(
        operation_id="procedures_detail",
        responses={200: OpenApiTypes.OBJECT, 404: ErrorOut},
        description="One procedure (any status) with papers, fees, legal times, declaration form and decisions. "
        "Each paper's `id` is the `requirement` the dossier API's paper and supplement uploads name.",
    )
    def get(self, request: Request, code: str) -> Response:
        procedure = selectors.get_procedure(code)
        if procedure is None:
            return error("procedure_not_found")
        return Response(procedure_detail(procedure))


# --- the legal due-time calculator ------------------------------------------------------------------
PROCEDURE_CODE = r"^[0-9]\.[0-9]{6}$"
UNIT_CODE = r"^[0-9A-Za-z][0-9A-Za-z.\-]{0,31}$"
_YEAR = r"(19[0-9]{2}|2[01][0-9]{2}|2200)"
_MONTH_DAY = (
    r"((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))"
)
_LEAP_DAY = r"(19(0[48]|[2468][048]|[13579][26])|20([02468][048]|[13579][26])|21(0[48]|[2468][048]|[13579][26]))-02-29"
# A real calendar date (leap years included) in 1900-2200, a time, and an offset (Z or +hh:mm).
RECEIVED_AT = (
    rf"^({_YEAR}-{_MONTH_DAY}|{_LEAP_DAY})"
    r"T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?(Z|[-+ ]([01][0-9]|2[0-3]):[0-5][0-9])$"
)
_SPACE_OFFSET = re.compile(r"^(.*T[\d:.]+) (\d{2}:?\d{2})$")


def parse_moment(text: str) -> dt.datetime | None:
    """ISO 8601 with an offset; a '+' turned into a space by an unencoded query string is accepted."""
    text = (text or "").strip()
    match = _SPACE_OFFSET.match(text)
    if match:
        text = f"{match.group(1)}+{match.group(2)}"
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment


def _rfc3339(moment: dt.datetime, received_at: dt.datetime) -> str:
    """ISO 8601 in local time; before 1912 local mean time had offsets with seconds (+07:06:30), which RFC 3339
    cannot carry, so such moments are given in the offset the caller used."""
    offset = moment.utcoffset()
    if offset is not None and offset.total_seconds() % 60:
        moment = moment.astimezone(received_at.tzinfo)
    return moment.isoformat()


DueOut = inline_serializer(
    "CalendarDue",
    {
        "due_at": serializers.DateTimeField(),
        "procedure": serializers.CharField(),
        "legal_time": inline_serializer(
            "DueLegalTime", {"value": serializers.FloatField(), "unit": serializers.CharField()}
        ),
        "counting_from": serializers.DateTimeField(),
        "unit": serializers.CharField(),
        "channel": serializers.CharField(),
    },
)


class CalendarDueView(ApiView):
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedThrottle]
    throttle_scope = "public_lookup"

    @extend_schema(
        operation_id="calendar_due",
        parameters=[
            OpenApiParameter(
                "procedure",
                {"type": "string", "pattern": PROCEDURE_CODE},
                required=True,
                description="National code N.NNNNNN, e.g. 1.001193 (an unknown code gives 404)",
            ),
            OpenApiParameter(
                "received_at",
                {"type": "string", "pattern": RECEIVED_AT},
                required=True,
                description="ISO 8601 / RFC 3339 with an offset, years 1900-2200, e.g. 2026-02-13T16:00:00+07:00 "
                "(a space in place of an unencoded '+' is accepted)",
            ),
            OpenApiParameter(
                "unit",
                {"type": "string", "pattern": UNIT_CODE},
                description="Unit code (default: the province; an unknown code gives 404)",
            ),
            OpenApiParameter("channel", str, enum=["counter", "online"], description="Default counter"),
        ],
        responses={
            200: DueOut,
            400: OpenApiResponse(ErrorOut, description="Missing or malformed parameter"),
            404: OpenApiResponse(ErrorOut, description="No procedure or unit with this code"),
        },
        description="The legal due time (holidays, make-up days, office hours, 15:00 rule) for a valid receipt.",
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        code = params.get("procedure")
        if not code:
            return error("missing_procedure")
        if not re.match(PROCEDURE_CODE, code):
            return error("bad_code")
        raw = params.get("received_at")
        if not raw:
            return error("missing_date")
        received_at = parse_moment(raw) if re.match(RECEIVED_AT, raw) else None
        if received_at is None:
            return error("bad_date")
        channel = params.get("channel", "counter")
        if channel not in ("counter", "online"):
            return error("bad_channel")
        unit_code = params.get("unit")
        if unit_code is not None and not re.match(UNIT_CODE, unit_code):
            return error("bad_unit")
        procedure = selectors.get_procedure(code.strip())
        if procedure is None:
            return error("procedure_not_found")
        unit = org_selectors.unit_by_code(unit_code.strip()) if unit_code else org_selectors.province()
        if unit is None:
            return error("unit_not_found")
        value, time_unit = selectors.legal_time(procedure, channel)
        calendar = calendar_for(unit.province_code)
        try:
            due = selectors.due_at(
                procedure, channel, unit, received_at, legal=(value, time_unit), calendar=calendar
            )
            counting = calendar.counting_moment(received_at, unit.schedule)
        except (ValueError, OverflowError):
            return error("bad_date")
        return Response(
            {
                "due_at": _rfc3339(due, received_at),
                "procedure": procedure.code,
                "legal_time": {"value": _number(value), "unit": str(time_unit)},
                "counting_from": _rfc3339(counting, received_at),
                "unit": unit.code,
                "channel": channel,
            }
        )
