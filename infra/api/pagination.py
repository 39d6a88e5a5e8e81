"""Keyset ("seek") pagination for every list of the API.

DRF's ``CursorPagination`` keeps one position and an OFFSET for the rows that share it: when many
rows share ``oprettet`` (a bulk import, a generated municipality) a deep page scans and discards
them. Here the ordering is a unique key (it ends in ``id``) and the cursor carries the whole key of
the page's edge row; the next page is ``WHERE (a, b) < (x, y) ORDER BY a DESC, b DESC LIMIT n+1``,
a row-value comparison a composite index ``(scope, a, b)`` serves directly (see
docs/performance.md, "Lists at scale"). Every key of an ordering has the same direction, because a
row-value comparison only compares in one direction.

The response keeps DRF's shape (``next``, ``previous``, ``results``) and the query parameters
(``cursor``, ``page_size``): the cursor is opaque (URL-safe base64 of JSON). A cursor that does not
decode, or whose key does not fit the list, answers 400 problem+json on the ``cursor`` field.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections import OrderedDict

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import F
from django.db.models.fields.tuple_lookups import TupleGreaterThan, TupleLessThan
from rest_framework import serializers
from rest_framework.pagination import CursorPagination as _CursorPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

UGYLDIG_CURSOR = "Ugyldig cursor. Brug next- eller previous-linket fra et tidligere svar."


def _ugyldig() -> serializers.ValidationError:
    return serializers.ValidationError({"cursor": [UGYLDIG_CURSOR]})


class CursorPagination(_CursorPagination):
    """Keyset pagination on ``ordering``: same-direction fields ending in a unique one (``id``)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering: tuple[str, ...] = ("-oprettet", "-id")

    # --- the key -------------------------------------------------------------------------------
    def _felter(self) -> tuple[list[str], bool]:
        """The ordering's field names and whether it descends (one direction for all)."""
        retninger = {f.startswith("-") for f in self.ordering}
        if len(retninger) != 1 or self.ordering[-1].lstrip("-") not in ("id", "pk"):
            raise ImproperlyConfigured(
                f"{type(self).__name__}.ordering must have one direction and end in id: {self.ordering}"
            )
        return [f.lstrip("-") for f in self.ordering], retninger.pop()

    def _noegle(self, obj) -> list:
        names, _ = self._felter()
        if isinstance(obj, dict):
            return [obj[n] for n in names]
        return [getattr(obj, "pk" if n in ("id", "pk") else n) for n in names]

    def _orden(self) -> str:
        """A short tag of the ordering, so one list's cursor is refused by a list with another key."""
        return hashlib.sha256(",".join(self.ordering).encode()).hexdigest()[:8]

    def _encode(self, noegle: list, baglaens: bool) -> str:
        data = {"o": self._orden(), "k": [v.isoformat() if hasattr(v, "isoformat") else str(v) for v in noegle]}
        if baglaens:
            data["r"] = 1
        raw = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def _decode(self, queryset, tekst: str) -> tuple[list, bool]:
        names, _ = self._felter()
        try:
            raw = base64.urlsafe_b64decode(tekst + "=" * (-len(tekst) % 4))
            data = json.loads(raw)
            vaerdier, baglaens, orden = data["k"], bool(data.get("r", 0)), data["o"]
        except (binascii.Error, ValueError, TypeError, KeyError):
            raise _ugyldig() from None
        if orden != self._orden():  # another list's cursor (another key)
            raise _ugyldig()
        if not isinstance(vaerdier, list) or len(vaerdier) != len(names):
            raise _ugyldig()
        model = queryset.model
        noegle = []
        for name, v in zip(names, vaerdier, strict=True):
            felt = model._meta.pk if name in ("id", "pk") else model._meta.get_field(name)
            if not isinstance(v, str):
                raise _ugyldig()
            try:
                python = felt.to_python(v)
            except (ValidationError, ValueError, TypeError):
                raise _ugyldig() from None
            if python is None:
                raise _ugyldig()
            noegle.append(python)
        return noegle, baglaens

    # --- the page ------------------------------------------------------------------------------
    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        if not self.page_size:
            return None
        names, faldende = self._felter()
        tekst = request.query_params.get(self.cursor_query_param)
        noegle, baglaens = self._decode(queryset, tekst) if tekst else (None, False)

        # Walking backwards (a "previous" link) reads the reverse order and turns the page round.
        ned = faldende != baglaens
        if noegle is not None:
            kolonner = tuple(F("pk" if n in ("id", "pk") else n) for n in names)
            opslag = TupleLessThan if ned else TupleGreaterThan
            queryset = queryset.filter(opslag(kolonner, tuple(noegle)))
        queryset = queryset.order_by(*(f"-{n}" if ned else n for n in names))

        rows = list(queryset[: self.page_size + 1])
        flere = len(rows) > self.page_size
        self.page = rows[: self.page_size]
        if baglaens:
            self.page.reverse()
        self._next = self._previous = None
        if self.page:
            foerste, sidste = self._noegle(self.page[0]), self._noegle(self.page[-1])
            if baglaens:  # the cursor's own row lies after the page; more before it if flere
                self._next, self._previous = sidste, foerste if flere else None
            else:  # rows before the page if we came by a cursor; more after it if flere
                self._next, self._previous = sidste if flere else None, foerste if noegle is not None else None
        elif noegle is not None:
            # An empty page after a cursor: offer the way back (forwards) or on (backwards).
            if baglaens:
                self._next = noegle
            else:
                self._previous = noegle
        return self.page

    def _link(self, noegle, baglaens: bool):
        if noegle is None:
            return None
        return replace_query_param(self.base_url, self.cursor_query_param, self._encode(noegle, baglaens))

    def get_next_link(self):
        return self._link(self._next, baglaens=False)

    def get_previous_link(self):
        return self._link(self._previous, baglaens=True)

    def get_paginated_response(self, data):
        return Response(
            OrderedDict([("next", self.get_next_link()), ("previous", self.get_previous_link()), ("results", data)])
        )
