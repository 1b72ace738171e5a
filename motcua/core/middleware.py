"""Request middleware of the platform: language choice, and the input boundary.

Vietnamese first: the interface is Vietnamese unless the visitor chose another language. Django's
LocaleMiddleware follows the browser's Accept-Language, so a kiosk or an office PC set up in English
would show English. Here only an explicit choice (the language switch, which sets the language cookie)
changes the language.

The input boundary (`WellFormedInputMiddleware`): text that no database column can hold (a lone UTF-16
surrogate, a NUL character) and JSON nested deeper than any client needs are refused with a Vietnamese
400 before any view runs, whatever the view does with its input: the path, the query string, form fields
and file names, and every key and string of a JSON body. `AtomicWritesMiddleware` makes every write
request (POST, PUT, PATCH, DELETE) one transaction, rolled back when the answer is a server error.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# --- well-formed text ---------------------------------------------------------------------------------
ILL_FORMED = re.compile("[\x00\ud800-\udfff]")
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(rb"[\[\]{}]")
API_PREFIX = "/api/"
MACHINE_PREFIXES = (API_PREFIX, "/open311/")


class BadInput(Exception):
    """Input refused at the boundary: `code` for programs, `message` (Vietnamese) for people."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def ill_formed_text() -> BadInput:
    return BadInput(
        "ill_formed_text",
        _("Dữ liệu gửi lên chứa ký tự không hợp lệ (ký tự NUL hoặc ký tự Unicode lỗi). Vui lòng nhập lại."),
    )


def check_text(values: Iterable[str]) -> None:
    """Raise BadInput if any of `values` holds a NUL or a lone surrogate."""
    for value in values:
        if isinstance(value, str) and ILL_FORMED.search(value):
            raise ill_formed_text()


def json_depth(raw: bytes) -> int:
    """Nesting depth of a JSON document, computed without recursion (strings skipped)."""
    depth = deepest = 0
    for bracket in _JSON_BRACKET.findall(_JSON_STRING.sub(b'""', raw)):
        if bracket in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def loads_checked(raw: bytes | str) -> Any:
    """json.loads for request bodies: refuses deep nesting, invalid JSON and ill-formed text (BadInput).

    Every view or parser that reads a JSON body uses this (the DRF parser `motcua.core.parsers.JSONParser`).
    """
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    if json_depth(data) > settings.MOTCUA_MAX_JSON_DEPTH:
        raise BadInput(
            "too_deep",
            _("Dữ liệu JSON lồng nhau quá %(depth)s cấp.") % {"depth": settings.MOTCUA_MAX_JSON_DEPTH},
        )
    try:
        value = json.loads(data)
    except (ValueError, RecursionError):
        raise BadInput("parse_error", _("Dữ liệu JSON không hợp lệ.")) from None
    check_text(_strings(value))
    return value


def _strings(value: Any) -> Iterator[str]:
    """Every key and string in a parsed JSON value (iteratively: depth is already bounded)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            yield from item.keys()
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _is_json(request: HttpRequest) -> bool:
    content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    return bool(content_type == "application/json" or content_type.endswith("+json"))


def _check_request(request: HttpRequest) -> None:
    check_text([request.path])
    check_text(key for key in request.GET)
    check_text(value for values in request.GET.lists() for value in values[1])
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if _is_json(request):
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > settings.MOTCUA_MAX_JSON_BYTES:
            raise BadInput("too_large", _("Dữ liệu gửi lên quá lớn."), status=413)
        if request.body:
            loads_checked(request.body)
        return
    content_type = request.META.get("CONTENT_TYPE", "")
    if request.path.startswith(API_PREFIX):
        return  # DRF reads the stream itself: its form parsers check (motcua.core.parsers)
    if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        check_form(request.POST, request.FILES)


def check_form(data: Any, files: Any = None) -> None:
    """Keys, values and file names of a parsed form (QueryDict/MultiValueDict); raises BadInput."""
    check_text(key for key in data)
    check_text(value for values in data.lists() for value in values[1])
    if files is not None:
        check_text(upload.name or "" for uploads in files.lists() for upload in uploads[1])


def refusal(request: HttpRequest, error: BadInput) -> HttpResponse:
    """The boundary's answer: the API error shape for machine clients, the error page for people."""
    if request.path.startswith(MACHINE_PREFIXES):
        return JsonResponse(
            {"code": error.code, "detail": error.message},
            status=error.status,
            json_dumps_params={"ensure_ascii": False},
        )
    return render(
        request, "core/error.html", {"code": error.status, "message": error.message}, status=error.status
    )


class WellFormedInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            _check_request(request)
        except BadInput as error:
            return refusal(request, error)
        return self.get_response(request)


# --- one transaction per write, and ids that are not ids ----------------------------------------------------
# Django's message when a lookup value cannot be converted to the field's type ("Field 'id' expected a
# number but got 'abc'."): the id came from the request, so the object does not exist.
_NOT_AN_ID = re.compile(r"^Field '[^']+' expected a (number|UUID) but got ")
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Exceptions Django answers with a 4xx: the request was refused, not broken.
CLIENT_ERRORS = (Http404, PermissionDenied, SuspiciousOperation, BadRequest)


def _not_an_id(exc: Exception) -> bool:
    return isinstance(exc, ValueError | TypeError) and bool(_NOT_AN_ID.match(str(exc)))


class AtomicWritesMiddleware:
    """Run every write request's view in one transaction; a server error rolls all of it back.

    4xx answers (and the exceptions Django turns into one) keep what the view wrote on purpose: a counted
    wrong one-time code, a rate-limit hit, the audit entry of a refused registry look-up.
    A view marked with `django.db.transaction.non_atomic_requests` manages its own transactions.
    Listed last in MIDDLEWARE, so every other middleware's `process_view` (CSRF first) has run.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if request.method not in WRITE_METHODS or getattr(view_func, "_non_atomic_requests", None):
            return None
        refusal = None
        try:
            with transaction.atomic():
                try:
                    response = view_func(request, *view_args, **view_kwargs)
                except CLIENT_ERRORS as exc:  # a 4xx: keep what was written on purpose (a logged refusal)
                    refusal = exc
                else:
                    if response is not None and response.status_code >= 500:
                        transaction.set_rollback(True)
        except Exception as exc:
            if _not_an_id(exc):
                raise Http404 from exc
            raise
        if refusal is not None:
            raise refusal
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if _not_an_id(exception):
            return refusal(request, BadInput("not_found", _("Không tìm thấy."), status=404))
        return None
