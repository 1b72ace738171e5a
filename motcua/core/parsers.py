"""The API's JSON parser: DRF's, with the input boundary's limits (depth, well-formed text)."""

from __future__ import annotations

from rest_framework import parsers
from rest_framework.exceptions import ParseError

from motcua.core.middleware import BadInput, loads_checked


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return loads_checked(stream.read() if stream is not None else b"")
        except BadInput as error:
            raise ParseError(detail=error.message, code=error.code) from None
