"""Decisions and letters over the API: ``/api/v1/afgoerelser/`` (../shared/API.md).

Lifecycle as actions: create a draft (POST), change it (PATCH with ``If-Match``), ``GET .../lint/``,
``POST .../udsted/``, ``POST .../afsend/``, ``GET .../pdf/``. Issuing answers **202 Accepted** while
the PDF is rendered by a Celery task after commit (``pdf_status: "dannes"``, ``Location`` = the
resource to poll) and 200 once it is ready (``pdf_status: "klar"``, ``pdf_sha256`` set). Issuing again
returns the issued document (no second effect).
"""

from __future__ import annotations

import hashlib
import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, renderers, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from cases.selectors import forloeb_for
from infra import audit
from infra.api.etag import check_if_match, etag_for
from infra.api.idempotency import idempotent
from infra.api.mixins import StrictQueryParamsMixin
from infra.api.pagination import CursorPagination
from infra.api.params import choice_param, uuid_param
from infra.api.problems import Problem, problem_response

from . import lint, services
from .models import DokumentStatus, DokumentType
from .selectors import dokumenter_for
from .serializers import (
    AfsendSerializer,
    DokumentOpretSerializer,
    DokumentSerializer,
    DokumentSkrivSerializer,
    LintSvarSerializer,
)

logger = logging.getLogger(__name__)

IF_MATCH = OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, description="ETag fra GET; 412 hvis forældet")
IDEMPOTENCY_KEY = OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)
FORSENDELSE_SLUG = {
    "ikke_udstedt": "ikke-udstedt",
    "pdf_ikke_klar": "pdf-ikke-klar",
    "ingen_digital_post": "ingen-digital-post",
    "ingen_adresse": "ingen-adresse",
}


class PdfRenderer(renderers.BaseRenderer):
    """Lets ``Accept: application/pdf`` through content negotiation; errors are still JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return renderers.JSONRenderer().render(data)


class DokumentPagination(CursorPagination):
    ordering = ("-oprettet", "id")


def _ikke_kladde(exc) -> Problem:
    return Problem(409, "ikke-kladde", str(exc), title="Dokumentet er udstedt")


@extend_schema(tags=["afgoerelser"])
class AfgoerelseViewSet(
    StrictQueryParamsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Afgørelser og breve i forløb, kalderen har adgang til. Et udstedt dokument ændres aldrig;
    en rettelse er et nyt dokument med `erstatter`."""

    serializer_class = DokumentSerializer
    scopes = {"read": "afgoerelser:read", "write": "forloeb:write"}
    pagination_class = DokumentPagination
    allowed_query_params = {"forloeb", "type", "status"}
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        qs = dokumenter_for(self.request.user).prefetch_related("fakta", "lovhenvisninger", "forsendelser")
        if self.action == "list":
            if forloeb := uuid_param(self.request, "forloeb"):
                qs = qs.filter(forloeb_id=forloeb)
            if type_ := choice_param(self.request, "type", DokumentType.values):
                qs = qs.filter(type=type_)
            if status := choice_param(self.request, "status", DokumentStatus.values):
                qs = qs.filter(status=status)
        return qs

    def _svar(self, dokument, status: int = 200, **headers) -> Response:
        dokument = self.get_queryset().get(pk=dokument.pk)
        data = DokumentSerializer(dokument, context=self.get_serializer_context()).data
        return Response(data, status=status, headers={"ETag": etag_for(dokument), **headers})

    @extend_schema(
        parameters=[
            OpenApiParameter("forloeb", OpenApiTypes.UUID),
            OpenApiParameter("type", str, enum=DokumentType.values),
            OpenApiParameter("status", str, enum=DokumentStatus.values),
        ]
    )
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        audit.record_read(actor=request.user, handling="dokument.liste", borgere={d.forloeb.borger_id for d in page})
        return self.get_paginated_response(DokumentSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        dokument = self.get_object()
        audit.record_read(
            actor=request.user, handling="dokument.laes", borgere=[dokument.forloeb.borger_id], subject=dokument
        )
        return self._svar(dokument)

    @extend_schema(
        request=DokumentOpretSerializer,
        responses={201: DokumentSerializer},
        parameters=[IDEMPOTENCY_KEY],
        description="Opret en kladde. `fakta[].kilde_id` skal pege på et dokument i samme forløb.",
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        body = DokumentOpretSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        forloeb = forloeb_for(request.user).filter(pk=data.pop("forloeb")).first()
        if forloeb is None:
            raise serializers.ValidationError({"forloeb": ["Forløbet findes ikke eller er uden for din adgang."]})
        erstatter = None
        if erstatter_id := data.pop("erstatter", None):
            erstatter = dokumenter_for(request.user).filter(pk=erstatter_id).first()
            if erstatter is None:
                raise serializers.ValidationError({"erstatter": ["Dokumentet findes ikke."]})
        dokument = services.dokument_opret(actor=request.user, forloeb=forloeb, erstatter=erstatter, **data)
        return self._svar(dokument, status=201, Location=f"/api/v1/afgoerelser/{dokument.pk}/")

    @extend_schema(
        request=DokumentSkrivSerializer,
        responses={200: DokumentSerializer},
        parameters=[IF_MATCH],
        description="Ret en kladde. 409 `ikke-kladde` når dokumentet er udstedt; 412 ved forældet If-Match.",
    )
    def partial_update(self, request, *args, **kwargs):
        dokument = self.get_object()
        if dokument.status != DokumentStatus.KLADDE:
            raise _ikke_kladde(services.IkkeKladde())
        version = check_if_match(request, dokument)
        body = DokumentSkrivSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        try:
            dokument = services.dokument_opdater(
                actor=request.user, dokument=dokument, expected_version=version, **body.validated_data
            )
        except services.IkkeKladde as exc:
            raise _ikke_kladde(exc) from None
        except DjangoValidationError as exc:
            if getattr(exc, "code", None) == "stale":
                raise Problem(412, "foraeldet", exc.messages[0]) from None
            raise
        return self._svar(dokument)

    @extend_schema(
        responses={200: LintSvarSerializer},
        description="Alt det, dokumentet mangler for at kunne udstedes (alle mangler på én gang).",
    )
    @action(detail=True, methods=["get"])
    def lint(self, request, pk=None):
        dokument = self.get_object()
        mangler = [] if dokument.status != DokumentStatus.KLADDE else lint.lint(dokument, actor=request.user)
        return Response(
            {
                "status": dokument.status,
                "kan_udstedes": dokument.status == DokumentStatus.KLADDE and not mangler,
                "mangler": [m.as_dict() for m in mangler],
            }
        )

    @extend_schema(
        request=None,
        responses={
            202: OpenApiResponse(DokumentSerializer, description="Udstedt; PDF'en dannes (`pdf_status: dannes`)"),
            200: OpenApiResponse(DokumentSerializer, description="Udstedt, og PDF'en er klar"),
        },
        parameters=[IF_MATCH, IDEMPOTENCY_KEY],
        description=(
            "Udsted dokumentet: 409 `afgoerelse-mangler` med `mangler` (alle) hvis noget mangler; 412 ved "
            "forældet If-Match (kun mens det er kladde). Gentaget udstedelse returnerer det udstedte dokument."
        ),
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def udsted(self, request, pk=None):
        dokument = self.get_object()
        version = None
        if dokument.status == DokumentStatus.KLADDE:
            version = check_if_match(request, dokument)
        try:
            dokument = services.dokument_udsted(actor=request.user, dokument=dokument, expected_version=version)
        except services.LintFejl as exc:
            raise Problem(
                409, "afgoerelse-mangler", str(exc), title="Dokumentet mangler noget",
                mangler=[m.as_dict() for m in exc.mangler],
            ) from None  # fmt: skip
        except services.ForaeldetVersion as exc:
            raise Problem(412, "foraeldet", str(exc)) from None
        dokument.refresh_from_db()
        if dokument.pdf_sha256:
            return self._svar(dokument)
        return self._svar(dokument, status=202, Location=f"/api/v1/afgoerelser/{dokument.pk}/")

    @extend_schema(
        request=AfsendSerializer,
        responses={200: DokumentSerializer},
        parameters=[IDEMPOTENCY_KEY],
        description=(
            "Send det udstedte dokument. 409 med en dansk forklaring: `pdf-ikke-klar` (prøv igen, se "
            "Retry-After), `ingen-digital-post`, `ingen-adresse`, `ikke-udstedt`. Intet sendes ved afvisning. "
            "Gentaget afsendelse returnerer den første forsendelse."
        ),
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def afsend(self, request, pk=None):
        dokument = self.get_object()
        body = AfsendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            services.dokument_afsend(actor=request.user, dokument=dokument, kanal=body.validated_data["kanal"])
        except services.ForsendelseFejl as exc:
            headers = {"Retry-After": "5"} if exc.kode == "pdf_ikke_klar" else None
            return problem_response(
                409, FORSENDELSE_SLUG.get(exc.kode, "forsendelse-afvist"), str(exc),
                title="Dokumentet kan ikke sendes", headers=headers,
            )  # fmt: skip
        return self._svar(dokument)

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        description=(
            "Den udstedte PDF præcis som sendt. `ETag` og `X-SHA256` er `pdf_sha256`. "
            "409 `pdf-ikke-klar` mens den dannes."
        ),
    )
    @action(detail=True, methods=["get"], renderer_classes=[renderers.JSONRenderer, PdfRenderer])
    def pdf(self, request, pk=None):
        dokument = self.get_object()
        if not dokument.pdf_sha256:
            raise Problem(409, "pdf-ikke-klar", "Dokumentet er ikke udstedt, eller PDF'en er ved at blive dannet.")
        with dokument.pdf.open("rb") as fh:
            data = fh.read()
        if hashlib.sha256(data).hexdigest() != dokument.pdf_sha256:
            logger.error("Gemt PDF matcher ikke sin SHA-256 (dokument %s)", dokument.pk)
            raise Problem(500, "pdf-integritet", "Den gemte PDF er beskadiget. Fejlen er logget.")
        audit.record_read(
            actor=request.user, handling="dokument.pdf_hent", borgere=[dokument.forloeb.borger_id], subject=dokument
        )
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{dokument.type}-{dokument.pk}.pdf"'
        response["ETag"] = f'"{dokument.pdf_sha256}"'
        response["X-SHA256"] = dokument.pdf_sha256
        response["Cache-Control"] = "no-store"
        response["Content-Length"] = str(len(data))
        return response


router = SimpleRouter()
router.register("afgoerelser", AfgoerelseViewSet, basename="afgoerelse")

urlpatterns = router.urls
