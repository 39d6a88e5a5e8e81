"""``Idempotency-Key`` for POSTs that create or change something.

The first request with a key runs inside one transaction with the key's row, so the effect and the
stored response commit together; a refusal removes the key (the client may retry) and keeps only what
the refusing service committed on purpose (its audit of the attempt). A replay with the same key and
body returns the stored response; the same key with a different body answers 422. A concurrent
duplicate waits on the key's row and then gets the stored response.
"""

from __future__ import annotations

import functools
import hashlib
import json

from django.db import IntegrityError, transaction
from drf_spectacular.utils import OpenApiParameter
from rest_framework.response import Response

from infra.fejl import IdempotencyKeyGenbrugt, UgyldigIdempotencyKey
from infra.models import IdempotencyKey

HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER,
    str,
    OpenApiParameter.HEADER,
    description="Gentag sikkert: samme nøgle og body giver det første svar; samme nøgle med en anden body 422",
)


def _ejer(request) -> str:
    user = request.user
    kind = "client" if getattr(user, "er_api_klient", False) else "user"
    return f"{kind}:{user.pk}"


def _fingerprint(request) -> str:
    try:
        body = json.dumps(request.data, sort_keys=True, default=str)
    except (TypeError, ValueError):
        body = request.body.decode(errors="replace")
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def idempotent(view_method):
    @functools.wraps(view_method)
    def wrapper(self, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if not key:
            return view_method(self, request, *args, **kwargs)
        if len(key) > 200 or not key.strip():
            raise UgyldigIdempotencyKey()
        ejer, fingerprint = _ejer(request), _fingerprint(request)
        fejl = None
        with transaction.atomic():
            try:
                with transaction.atomic():
                    row = IdempotencyKey.objects.create(
                        ejer=ejer, noegle=key, metode=request.method, sti=request.path[:300], request_hash=fingerprint
                    )
            except IntegrityError:
                # Someone used the key before (or is using it now: wait for their transaction).
                row = IdempotencyKey.objects.select_for_update().get(ejer=ejer, noegle=key)
                if row.request_hash != fingerprint:
                    raise IdempotencyKeyGenbrugt() from None
                headers = {**row.svar_headers, "Idempotent-Replay": "true"}
                return Response(row.svar, status=row.status_kode, headers=headers)
            try:
                response = view_method(self, request, *args, **kwargs)
            except Exception as exc:
                if transaction.get_connection().needs_rollback:
                    raise
                # A refusal is not remembered (the client may retry), but what the refusing service
                # deliberately committed (its audit of the refused attempt, a notification) stays.
                row.delete()
                fejl = exc
            else:
                if response.status_code >= 400:
                    row.delete()  # errors are not remembered: the client may retry
                    return response
                row.status_kode = response.status_code
                row.svar = json.loads(json.dumps(response.data, default=str))
                row.svar_headers = {k: v for k, v in response.headers.items() if k in ("ETag", "Location")}
                row.save(update_fields=["status_kode", "svar", "svar_headers"])
                return response
        raise fejl

    wrapper.idempotent = True  # read by the schema (the header is documented) and tests/security
    return wrapper


def er_idempotent(handler) -> bool:
    return getattr(handler, "idempotent", False)
