"""The API's JSON parser: bounded in size and depth, so bad input is a 4xx, never a 500.

- A body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` raises Django's ``RequestDataTooBig`` before it is
  read, answered 413 problem+json by ``infra.api.problems.exception_handler``.
- JSON nested deeper than Python's parser follows (``RecursionError``) is a parse error: 400.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework import exceptions
from rest_framework.parsers import JSONParser


def _laengde(parser_context) -> int:
    request = (parser_context or {}).get("request")
    meta = getattr(request, "META", {}) if request is not None else {}
    try:
        return int(meta.get("CONTENT_LENGTH") or 0)
    except (TypeError, ValueError):
        return 0


class JsonParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        graense = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if graense is not None and _laengde(parser_context) > graense:
            raise RequestDataTooBig("Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.")
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError("Forespørgslens JSON er indlejret for dybt.") from None
