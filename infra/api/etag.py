"""Optimistic concurrency over HTTP: ``ETag`` on resources that change, ``If-Match`` on every write.

Every write to an existing resource (PUT, PATCH, DELETE and every POST action on it) must carry
``If-Match``: without it the answer is 428 ``if-match-mangler`` (:class:`IfMatchPaakraevet`, one of the
API's default permission classes, checks it when the view fetches the object, so a resource outside
the caller's reach is still a 404 first). A view declares the actions that read through a POST and
change nothing in ``uden_if_match`` (``vis_cpr``).

A resource with a ``version`` column hands the version the client saw (:func:`check_if_match`) to its
service as ``expected_version``; the service checks it again on the locked row and raises
``infra.fejl.ForaeldetVersion`` (412 ``foraeldet``) when it is stale. A resource without one (a complaint, a
booking) has an ``ETag`` computed from its stored fields; the permission compares it before the service
runs, and the service's own state checks (409 on a step out of order) hold the rest.

A resource whose answer shows more than its own row (the forløb: its deadlines, which the sweep marks
overdue without a new version; its history; the caller's transitions) carries a *representation* ETag
(:func:`repraesentations_etag`): the version ETag with a digest of the answer, ``"<id>-<version>.<digest>"``.
It changes whenever the answer does, so ``If-None-Match`` can answer 304 honestly; a write compares
only the version part, so a deadline the sweep marked overdue is not a conflict for the caseworker's
next step (and the plain ``"<id>-<version>"`` still works as ``If-Match``).
"""

from __future__ import annotations

import hashlib
import re

from drf_spectacular.utils import OpenApiParameter
from rest_framework import permissions
from rest_framework.renderers import JSONRenderer

from infra.fejl import ForaeldetVersion, IfMatchMangler

IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description="ETag fra GET (eller `*`); 428 hvis den mangler, 412 hvis den er forældet",
)


def _indhold(obj) -> str:
    """A digest of a resource's stored fields (the ETag of a resource without a version)."""
    felter = [f"{f.attname}={f.value_from_object(obj)!r}" for f in obj._meta.concrete_fields]
    return hashlib.sha256("\n".join(felter).encode()).hexdigest()[:16]


def etag_for(obj) -> str:
    return f'"{obj.pk}-{obj.version}"' if _versioneret(obj) else f'"{obj.pk}-{_indhold(obj)}"'


def repraesentations_etag(obj, data, krop: bytes | None = None) -> str:
    """The version ETag of ``obj`` with a digest of its answer ``data`` (see the module's docstring):
    of ``data`` as the API's JSON renderer writes it without parameters (compact, UTF-8), which is the
    body of every answer but one asked for with ``indent``. ``krop``: those bytes, already rendered
    for the response (the detail GET renders once for both)."""
    if krop is None:
        krop = JSONRenderer().render(data)
    return f'{etag_for(obj)[:-1]}.{hashlib.sha256(krop).hexdigest()[:16]}"'


_DIGEST = re.compile(r'^"(.+)\.[0-9a-f]{16}"$')


def _versionsdel(header: str) -> str:
    """An ``If-Match`` value with a representation ETag's digest taken off: a write compares the version."""
    header = header.strip()
    m = _DIGEST.match(header)
    return f'"{m.group(1)}"' if m else header


def _versioneret(obj) -> bool:
    """The resource carries an optimistic-concurrency ``version`` its services check (a model whose
    ``version`` means something else sets ``OPTIMISTISK_VERSION = False``)."""
    return getattr(type(obj), "OPTIMISTISK_VERSION", True) and any(
        f.attname == "version" for f in obj._meta.concrete_fields
    )


def if_none_match(request, etag: str) -> bool:
    """``If-None-Match`` names ``etag`` (or ``*``): the client's copy is current (weak comparison,
    RFC 9110 13.1.2: a ``W/`` prefix is ignored)."""
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    kandidater = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in kandidater or etag.removeprefix("W/") in kandidater


def check_if_match(request, obj) -> int | None:
    """The version the client saw (``None`` without ``If-Match``); ``ForaeldetVersion`` if it is stale."""
    header = request.headers.get("If-Match")
    if not header:
        return None
    if _versionsdel(header) not in ("*", etag_for(obj)):
        raise ForaeldetVersion()
    return obj.version if _versioneret(obj) else None


class IfMatchPaakraevet(permissions.BasePermission):
    """Every write to an existing resource carries ``If-Match`` (428 without; 412 when a resource
    without a version has changed since the client read it)."""

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        if getattr(view, "action", None) in getattr(view, "uden_if_match", ()):
            return True
        header = request.headers.get("If-Match")
        if not header or not header.strip():
            raise IfMatchMangler()
        if not _versioneret(obj) and _versionsdel(header) not in ("*", etag_for(obj)):
            raise ForaeldetVersion()
        return True
