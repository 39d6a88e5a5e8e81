"""Small mixins every viewset of the API shares."""

from __future__ import annotations

import uuid
from operator import attrgetter

from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from infra import audit

from .etag import etag_for, if_none_match, repraesentations_etag

PAGINATION_PARAMS = {"cursor", "page_size"}


class StrictQueryParamsMixin:
    """Unknown query parameters answer 400 instead of being silently ignored.

    The known ones are the ``filterset_class``'s parameters, plus ``allowed_query_params``.
    """

    allowed_query_params: set[str] = set()

    def known_query_params(self) -> set[str]:
        filterset_class = getattr(self, "filterset_class", None)
        filtre = set(filterset_class.base_filters) if filterset_class is not None else set()
        return filtre | set(self.allowed_query_params) | PAGINATION_PARAMS | {"format"}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        unknown = set(request.query_params) - self.known_query_params()
        if unknown:
            raise serializers.ValidationError({p: ["Ukendt forespørgselsparameter."] for p in sorted(unknown)})


class ForudRenderet(Response):
    """A ``Response`` whose body was rendered before it was returned (to digest it for the ETag):
    DRF sets the headers as for any answer and sends ``krop`` instead of rendering ``data`` again."""

    def __init__(self, data, krop: bytes, **kwargs):
        super().__init__(data, **kwargs)
        self.krop = krop

    @property
    def rendered_content(self):
        renderer = self.accepted_renderer
        self.accepted_renderer = _Renderet(renderer, self.krop)
        try:
            return super().rendered_content
        finally:
            self.accepted_renderer = renderer


class _Renderet:
    """The renderer the view negotiated, answering with the bytes it already rendered."""

    def __init__(self, renderer, krop: bytes):
        self.media_type, self.charset, self.format = renderer.media_type, renderer.charset, renderer.format
        self.krop = krop

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        return self.krop


class AuditedReadMixin:
    """``list`` and ``retrieve`` that write the read of citizens' data to the audit log.

    Declare ``laes_handling``, the prefix of the action codes (``"forloeb"``: ``forloeb.liste`` with the
    citizens of the page, ``forloeb.laes`` with the object as subject), and ``borger_sti``, the attribute
    path from an object to its citizen's id (or override ``laes_borgere``). Every retrieve answers with
    the ``ETag`` a write must send back as ``If-Match`` (``infra.api.etag``).

    A GET with a matching ``If-None-Match`` answers 304 and no body where the ``ETag`` changes whenever
    the answer does: ``etag_daekker_svaret`` (the answer shows only the row's own columns, and every
    change of them changes the version or the content digest), or ``etag_af_svaret`` (the answer also
    shows other rows or computed values — the forløb: deadlines the sweep marks overdue without a new
    version, the caller's transitions, today's rules — so its ETag is the version plus a digest of the
    answer, :func:`infra.api.etag.repraesentations_etag`; the answer is built before it can be compared,
    and only the bytes are saved). The read is still audited: the client holds the citizen's data and
    has just confirmed it is current.
    """

    laes_handling: str
    borger_sti: str = "forloeb.borger_id"
    etag: bool = True
    etag_daekker_svaret: bool = False
    etag_af_svaret: bool = False

    def laes_borgere(self, obj) -> list:
        """The citizen(s) an object is about: ids, or ``Borger`` objects. A list row read as a dict
        (:meth:`liste_raekker`) carries the id under ``borger_sti`` spelt as a lookup (``forloeb__borger_id``)."""
        if isinstance(obj, dict):
            return [obj[self.borger_sti.replace(".", "__")]]
        return [attrgetter(self.borger_sti)(obj)]

    def liste_raekker(self, queryset):
        """The list's filtered queryset before paging: model objects by default; a hot list may read
        dicts (``.values()``) and build its answer by hand in :meth:`liste_data`."""
        return queryset

    def liste_data(self, raekker) -> list:
        """The list's answer for the page's rows (a hot list may build it without DRF fields)."""
        return self.get_serializer(raekker, many=True).data

    def list(self, request, *args, **kwargs):
        queryset = self.liste_raekker(self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(queryset)
        objekter = page if page is not None else list(queryset)
        borgere = dict.fromkeys(b for obj in objekter for b in self.laes_borgere(obj))
        audit.record_read(actor=request.user, handling=f"{self.laes_handling}.liste", borgere=borgere)
        data = self.liste_data(objekter)
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        audit.record_read(
            actor=request.user, handling=f"{self.laes_handling}.laes", borgere=self.laes_borgere(obj), subject=obj
        )
        if not self.etag:
            return Response(self.detalje_data(obj))
        if self.etag_af_svaret:
            data = self.detalje_data(obj)
            renderer, medietype = request.accepted_renderer, request.accepted_media_type
            krop = renderer.render(data, medietype, self.get_renderer_context())
            kanonisk = type(renderer) is JSONRenderer and ";" not in (medietype or "")  # no indent asked for
            etag = repraesentations_etag(obj, data, krop if kanonisk else None)
            if if_none_match(request, etag):
                return Response(status=304, headers={"ETag": etag})
            return ForudRenderet(data, krop, headers={"ETag": etag})
        etag = etag_for(obj)
        if self.etag_daekker_svaret and if_none_match(request, etag):
            return Response(status=304, headers={"ETag": etag})
        return Response(self.detalje_data(obj), headers={"ETag": etag})

    def detalje_data(self, obj) -> dict:
        """The retrieve's answer for ``obj`` (a hot detail may build it without DRF fields)."""
        return self.get_serializer(obj).data


def valider(serializer, tjenestens_fejl=None):
    """The serializer's ``validated_data``, or one 400 with every field error at once: the
    serializer's and, for the fields it did not already reject, the service's own validation of the
    raw input (``tjenestens_fejl(data) -> {field: [messages]}``, without side effects). So a client
    sees the CPR's error together with the other fields', not after fixing them."""
    if serializer.is_valid():
        return serializer.validated_data
    fejl = {felt: list(beskeder) for felt, beskeder in serializer.errors.items()}
    data = serializer.initial_data
    if tjenestens_fejl is not None and isinstance(data, dict):
        for felt, beskeder in tjenestens_fejl(data).items():
            fejl.setdefault(felt, list(beskeder))
    raise serializers.ValidationError(fejl)


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
