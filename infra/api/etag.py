"""Optimistic concurrency over HTTP: ``ETag`` on resources that change, ``If-Match`` on writes.

Every write that takes ``If-Match`` reads it with :func:`check_if_match` and hands the version to its
service as ``expected_version``; the service checks it again on the locked row and raises
``infra.fejl.ForaeldetVersion`` (412 ``foraeldet``) when it is stale.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter

from infra.fejl import ForaeldetVersion

IF_MATCH = OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, description="ETag fra GET; 412 hvis forældet")


def etag_for(obj) -> str:
    return f'"{obj.pk}-{obj.version}"'


def check_if_match(request, obj) -> int | None:
    """The version the client saw (``None`` without ``If-Match``); ``ForaeldetVersion`` if it is stale."""
    header = request.headers.get("If-Match")
    if not header:
        return None
    if header.strip() not in ("*", etag_for(obj)):
        raise ForaeldetVersion()
    return obj.version
