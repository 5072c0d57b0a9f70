"""Request body parsing that answers 400 ``parse_error`` for any JSON, however deep."""

from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError

from jwtauth.exceptions import TOO_DEEP


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser; a body nested past Python's recursion limit is a ParseError.

    ``json`` raises RecursionError (not ValueError) for ``[[[[...]]]]`` a few thousand
    levels deep, which DRF's parser lets escape as a 500.
    """

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(TOO_DEEP) from exc
