"""The /api/v1/ error contract and OpenAPI post-processing.

Every error answer of the API has one shape, `ApiError`: `detail` (a Vietnamese message for people), `code`
(a stable machine code) and, for invalid input, `errors` (field -> messages). `api_exception_handler` gives
the framework's own answers (400 parse/validation, 401/403, 404, 405, 406, 415, 429) that shape, and
`ApiView` is the base class of every motcua API view. `add_standard_errors` documents those framework
answers on every operation, so clients and fuzzers find them in the contract.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler

from motcua.core.errors import MotcuaError, error_body
from motcua.core.validation import personal_id_pattern

ERROR_SCHEMA = {
    "type": "object",
    "description": "An error: `detail` for people (Vietnamese), `code` for programs, `errors` per field.",
    "required": ["code", "detail"],
    "properties": {
        "code": {"type": "string", "description": "Stable error code, e.g. invalid, not_found, stale"},
        "detail": {"type": "string", "description": "Vietnamese message"},
        "message": {"type": "string", "description": "Same as detail (kept for older clients)"},
        "errors": {
            "type": "object",
            "description": "Invalid input: field name -> messages (nested for nested objects)",
            "additionalProperties": True,
        },
    },
    "additionalProperties": True,
}

# Answers the framework itself gives (authentication, permissions, negotiation, throttling): whatever a view
# declares, the body is ApiError.
FRAMEWORK_CODES = {"401", "403", "405", "406", "415", "429"}

STANDARD = {
    "400": "Dữ liệu không hợp lệ (invalid input)",
    "401": "Chưa xác thực (authentication required)",
    "403": "Không có quyền (permission denied)",
    "404": "Không tìm thấy (not found)",
    "405": "Phương thức không được hỗ trợ (method not allowed)",
    "406": "Định dạng không được hỗ trợ (not acceptable)",
    "415": "Kiểu nội dung không được hỗ trợ (unsupported media type)",
    "429": "Quá nhiều yêu cầu (rate limited)",
}

# Text that reaches a CharField: DRF refuses NUL characters, so the contract says so.
NO_NUL = r"^[^\x00]*$"
# A required, non-blank text: at least one visible character, no NUL.
NOT_BLANK = r"^[^\x00]*[^\s\x00][^\x00]*$"


def error_response(code: str, detail: object, status: int, **extra: Any) -> Response:
    return Response(error_body(code, detail, **extra), status=status)


def _first_message(errors: object) -> str:
    if isinstance(errors, dict):
        for key, value in errors.items():
            message = _first_message(value)
            if message:
                return f"{key}: {message}" if key != "non_field_errors" else message
        return ""
    if isinstance(errors, list):
        for value in errors:
            message = _first_message(value)
            if message:
                return message
        return ""
    return str(errors)


def invalid_response(errors: Any) -> Response:
    """400 for input refused by a serializer: a readable first message plus every field's messages."""
    first = _first_message(errors)
    detail = _("Dữ liệu không hợp lệ") + (f": {first}" if first else ".")
    if not isinstance(errors, dict):
        errors = {"non_field_errors": errors if isinstance(errors, list) else [str(errors)]}
    return error_response("invalid", detail, 400, errors=errors)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, MotcuaError):
        # A business refusal that a view did not answer itself: its own code, message and status.
        return Response(exc.body(), status=exc.status)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        invalid = invalid_response(exc.detail)
        response.data = invalid.data
        return response
    data = response.data
    detail = data.get("detail", "") if isinstance(data, dict) else data
    code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
    if isinstance(exc, exceptions.NotFound):
        code = "not_found"
    response.data = error_body(str(code), detail)
    return response


class ApiView(APIView):
    """Base of motcua's API views: every error answer is an ApiError."""

    def get_exception_handler(self) -> Callable[[Exception, dict[str, Any]], Response | None]:
        return api_exception_handler


_REF = {"$ref": "#/components/schemas/ApiError"}


# Constraints a serializer cannot express (e.g. "both or neither"), merged into its component by name.
COMPONENT_EXTRAS: dict[str, dict] = {}


def both_or_neither(*names: str) -> dict:
    """JSON Schema for: either every one of `names` is present, or none of them."""
    return {
        "anyOf": [
            {"required": list(names)},
            {"not": {"anyOf": [{"required": [name]} for name in names]}},
        ]
    }


def add_standard_errors(
    result: dict[str, Any], generator: object, request: object, public: bool
) -> dict[str, Any]:
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["ApiError"] = ERROR_SCHEMA
    for name, extra in COMPONENT_EXTRAS.items():
        if name in components:
            components[name].update(extra)
    components.pop("StandardError", None)
    for _path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            if "requestBody" in operation:
                # Every motcua API body carries required fields: an empty request is never valid.
                operation["requestBody"]["required"] = True
            responses = operation.setdefault("responses", {})
            for code, description in STANDARD.items():
                if code == "415" and method in {"get", "delete"}:
                    continue
                if code in {"401", "403"} and operation.get("security") == [{}] and code not in responses:
                    # Public operations without authentication never answer 401/403.
                    continue
                answer = {
                    "description": description,
                    "content": {"application/json": {"schema": dict(_REF)}},
                }
                if code in FRAMEWORK_CODES:
                    responses[code] = answer
                else:
                    responses.setdefault(code, answer)
    return result


__all__ = [
    "COMPONENT_EXTRAS",
    "both_or_neither",
    "StrictBooleanField",
    "StrictChoiceField",
    "StrictFloatField",
    "StrictIntegerField",
    "TextField",
    "ApiErrorSerializer",
    "ApiView",
    "NOT_BLANK",
    "NO_NUL",
    "api_exception_handler",
    "add_standard_errors",
    "error_body",
    "error_response",
    "invalid_response",
]


class ApiErrorSerializer(serializers.Serializer):
    """For `extend_schema(responses=...)`: documented as the ApiError component."""

    code = serializers.CharField()
    detail = serializers.CharField()


def auth_errors(forbidden: str = "Không có quyền") -> dict[int, OpenApiResponse]:
    """The 401/403 responses every protected endpoint documents (403's wording says which rule refused)."""
    return {
        401: OpenApiResponse(ApiErrorSerializer, description="Chưa xác thực"),
        403: OpenApiResponse(ApiErrorSerializer, description=forbidden),
    }


# The refusals of every upload endpoint (core.uploads: size, then content sniffing).
UPLOAD_ERRORS = {
    413: OpenApiResponse(ApiErrorSerializer, description="Tệp vượt dung lượng cho phép"),
    415: OpenApiResponse(ApiErrorSerializer, description="Tệp không phải PDF, JPEG hoặc PNG (theo nội dung)"),
}


# --- strict request fields: JSON types exactly as documented (DRF would turn 5 into "5" or "1" into True) ---
class _StrictString(serializers.Field):  # type: ignore[type-arg]
    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class TextField(_StrictString, serializers.RegexField):
    """A JSON string matching `regex` (default: no NUL); kept as sent (no trimming), so the schema is exact."""

    def __init__(self, regex: str = NO_NUL, **kwargs: Any) -> None:
        kwargs.setdefault("trim_whitespace", False)
        kwargs.setdefault("error_messages", {"invalid": gettext_lazy("Giá trị không hợp lệ.")})
        super().__init__(regex, **kwargs)


# One sentence for every API that takes a personal ID number (the rule itself: core.validation).
PERSONAL_ID_REFUSED = gettext_lazy(
    "Số định danh cá nhân không hợp lệ: cần đúng 12 chữ số, ba chữ số đầu là mã tỉnh nơi đăng ký khai sinh "
    "(001-096) và năm sinh không sau năm hiện tại."
)


class PersonalIdField(TextField):
    """A personal ID number: its structure (province code, century/sex digit, birth year not after this year)
    is the field's pattern, so the contract states the ID rule and fuzzers generate numbers it accepts."""

    def __init__(self, *, optional: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"invalid": PERSONAL_ID_REFUSED})
        super().__init__(personal_id_pattern(optional=optional), **kwargs)


class StrictChoiceField(serializers.ChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "error_messages", {"invalid_choice": gettext_lazy("“{input}” không phải là lựa chọn hợp lệ.")}
        )
        super().__init__(*args, **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"invalid": gettext_lazy("Phải là số nguyên.")})
        super().__init__(*args, **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictFloatField(serializers.FloatField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"invalid": gettext_lazy("Phải là số.")})
        super().__init__(*args, **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, (int, float)):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"invalid": gettext_lazy("Phải là true hoặc false.")})
        super().__init__(*args, **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data
