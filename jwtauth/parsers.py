"""Request body parsing that answers 400 ``parse_error`` for any JSON, however deep."""

from types import TracebackType
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.request import Request

TOO_DEEP = _("JSON parse error - the body is nested too deeply.")


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


def raised_while_parsing(exc: BaseException) -> bool:
    """True when ``exc`` came out of DRF reading the request body (any parser)."""
    if not isinstance(exc, RecursionError):
        return False
    frame: TracebackType | None = exc.__traceback__
    parse_code = Request._parse.__code__
    while frame is not None:
        if frame.tb_frame.f_code is parse_code:
            return True
        frame = frame.tb_next
    return False
