"""The API's parsers: DRF's, with the input boundary's limits (depth, well-formed text).

The boundary middleware checks JSON bodies everywhere, but leaves form and multipart bodies under /api/
to DRF (reading them first would consume the stream DRF parses), so the form parsers check here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError

from motcua.core.middleware import BadInput, check_form, loads_checked


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        try:
            return loads_checked(stream.read() if stream is not None else b"")
        except BadInput as error:
            raise ParseError(detail=error.message, code=error.code) from None


def _checked(parsed: Any) -> Any:
    try:
        check_form(getattr(parsed, "data", parsed), getattr(parsed, "files", None))
    except BadInput as error:
        raise ParseError(detail=error.message, code=error.code) from None
    return parsed


class FormParser(parsers.FormParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        return _checked(super().parse(stream, media_type, parser_context))


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        return _checked(super().parse(stream, media_type, parser_context))
