"""Optimistic concurrency over HTTP: ``ETag`` on resources that change, ``If-Match`` on writes."""

from __future__ import annotations

from .problems import Problem


def etag_for(obj) -> str:
    return f'"{obj.pk}-{obj.version}"'


def check_if_match(request, obj) -> int | None:
    """Return the version the client saw, or raise 412 if its If-Match is stale."""
    header = request.headers.get("If-Match")
    if not header:
        return None
    if header.strip() not in ("*", etag_for(obj)):
        raise Problem(412, "foraeldet", "Ressourcen er ændret siden du hentede den. Hent den igen og prøv på ny.")
    return obj.version
