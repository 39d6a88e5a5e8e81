"""Complaints (klager) over the API (../shared/API.md): register, genvurder, send to Ankestyrelsen,
record Ankestyrelsen's result, fetch the appeal package.

Each step is an explicit POST action calling one service in :mod:`decisions.klager`; a step out
of order answers 409 ``klage-forkert-status`` and changes nothing. A complaint or decision outside
the caller's reach answers 404.
"""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from infra import audit
from infra.api.idempotency import idempotent
from infra.api.mixins import StrictQueryParamsMixin
from infra.api.pagination import CursorPagination
from infra.api.params import choice_param, uuid_param
from infra.api.problems import Problem

from . import klager
from .klage_serializers import AnkeResultatSerializer, GenvurderSerializer, KlageOpretSerializer, KlageSerializer
from .models import KlageStatus

IDEMPOTENCY = OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)


class KlagePagination(CursorPagination):
    ordering = ("-oprettet", "id")


def _forkert_status(exc: klager.KlageFejl) -> Problem:
    return Problem(409, "klage-forkert-status", str(exc), title="Klagen kan ikke behandles sådan nu")


@extend_schema(tags=["klager"])
class KlageViewSet(StrictQueryParamsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Klager over afgørelser: modtaget → genvurdering (medhold eller fastholdt) → Ankestyrelsen → afgjort."""

    serializer_class = KlageSerializer
    scopes = {"read": "forloeb:read", "write": "forloeb:write"}
    pagination_class = KlagePagination
    allowed_query_params = {"forloeb", "status"}

    def get_queryset(self):
        qs = klager.klager_for(self.request.user)
        if self.action == "list":
            if forloeb := uuid_param(self.request, "forloeb"):
                qs = qs.filter(forloeb_id=forloeb)
            if status := choice_param(self.request, "status", KlageStatus.values):
                qs = qs.filter(status=status)
        return qs

    def _svar(self, klage, status: int = 200) -> Response:
        klage = klager.klager_for(self.request.user).get(pk=klage.pk)
        return Response(KlageSerializer(klage).data, status=status)

    def _afgoerelse(self, pk):
        """A document within the caller's reach, or None."""
        return klager.afgoerelser_for(self.request.user).select_related("forloeb").filter(pk=pk).first()

    @extend_schema(
        parameters=[
            OpenApiParameter("forloeb", OpenApiTypes.UUID),
            OpenApiParameter("status", str, enum=KlageStatus.values),
        ]
    )
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        audit.record_read(actor=request.user, handling="klage.liste", borgere={k.forloeb.borger_id for k in page})
        return self.get_paginated_response(KlageSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        klage = self.get_object()
        audit.record_read(actor=request.user, handling="klage.laes", borgere=[klage.forloeb.borger_id], subject=klage)
        return Response(KlageSerializer(klage).data)

    @extend_schema(
        request=KlageOpretSerializer,
        responses={201: KlageSerializer},
        parameters=[IDEMPOTENCY],
        description=(
            "Registrér en klage over en udstedt afgørelse. Lukker afgørelsens klagefrist og starter "
            "genvurderingsfristen (4 uger). En klage modtaget efter klagefristen markeres `for_sent` men "
            "afvises ikke. 404 hvis afgørelsen ikke findes eller er uden for din adgang; 409 hvis dokumentet "
            "er et brev, ikke er udstedt, er erstattet, eller der allerede verserer en klage over det."
        ),
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        body = KlageOpretSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        afgoerelse = self._afgoerelse(v["afgoerelse"])
        if afgoerelse is None:
            raise Problem(404, "findes-ikke", "Afgørelsen findes ikke, eller du har ikke adgang til den.")
        try:
            klage = klager.klage_modtag(
                actor=request.user,
                afgoerelse=afgoerelse,
                modtaget_dato=v["modtaget_dato"],
                kanal=v["kanal"],
                indhold=v["indhold"],
            )
        except klager.KlageFejl as exc:
            raise _forkert_status(exc) from None
        response = self._svar(klage, status=201)
        response["Location"] = f"/api/v1/klager/{klage.pk}/"
        return response

    @extend_schema(
        request=GenvurderSerializer,
        responses={200: KlageSerializer},
        parameters=[IDEMPOTENCY],
        description=(
            "Registrér kommunens genvurdering. `medhold` kræver `ny_afgoerelse`: en udstedt afgørelse oprettet "
            "som erstatning for den påklagede; `fastholdt` skal følges af `send-til-ankestyrelsen`. Et brev til "
            "borgeren om resultatet oprettes som kladde (`genvurdering_brev`)."
        ),
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def genvurder(self, request, pk=None):
        klage = self.get_object()
        body = GenvurderSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        ny = None
        if v.get("ny_afgoerelse"):
            ny = self._afgoerelse(v["ny_afgoerelse"])
            if ny is None:
                raise serializers.ValidationError(
                    {"ny_afgoerelse": ["Afgørelsen findes ikke, eller du har ikke adgang til den."]}
                )
        try:
            klager.klage_genvurder(
                actor=request.user, klage=klage, resultat=v["resultat"], begrundelse=v["begrundelse"], ny_afgoerelse=ny
            )
        except klager.KlageFejl as exc:
            raise _forkert_status(exc) from None
        return self._svar(klage)

    @extend_schema(
        request=None,
        responses={200: KlageSerializer},
        parameters=[IDEMPOTENCY],
        description=(
            "Send en fastholdt klage til Ankestyrelsen: danner ankepakken (ZIP med indeks og sagens akter i "
            "rækkefølge) og lukker genvurderingsfristen."
        ),
    )
    @action(detail=True, methods=["post"], url_path="send-til-ankestyrelsen")
    @idempotent
    def send_til_ankestyrelsen(self, request, pk=None):
        klage = self.get_object()
        try:
            klager.klage_send_til_ankestyrelsen(actor=request.user, klage=klage)
        except klager.KlageFejl as exc:
            raise _forkert_status(exc) from None
        return self._svar(klage)

    @extend_schema(
        request=AnkeResultatSerializer,
        responses={200: KlageSerializer},
        parameters=[IDEMPOTENCY],
        description=(
            "Registrér Ankestyrelsens afgørelse; klagen bliver `afgjort`. Ved `hjemvist` (ny afgørelse) og "
            "`aendret` (effektuér Ankestyrelsens afgørelse) oprettes et journalnotat, hvis næste skridt bliver "
            "forløbets næste skridt."
        ),
    )
    @action(detail=True, methods=["post"], url_path="ankestyrelsens-resultat")
    @idempotent
    def ankestyrelsens_resultat(self, request, pk=None):
        klage = self.get_object()
        body = AnkeResultatSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            klager.klage_ankestyrelsens_resultat(
                actor=request.user,
                klage=klage,
                resultat=body.validated_data["resultat"],
                dato=body.validated_data["dato"],
            )
        except klager.KlageFejl as exc:
            raise _forkert_status(exc) from None
        return self._svar(klage)

    @extend_schema(
        responses={
            (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY, description="Ankepakken (ZIP)"),
            404: OpenApiResponse(description="Klagen findes ikke, eller ankepakken er ikke dannet endnu"),
        },
        description="Hent ankepakken præcis som sendt (SHA-256 i `ankepakke_sha256`). Hentningen logges.",
    )
    @action(detail=True, methods=["get"])
    def ankepakke(self, request, pk=None):
        klage = self.get_object()
        if not klage.ankepakke_sha256:
            raise Problem(404, "findes-ikke", "Ankepakken er ikke dannet endnu. Den dannes, når klagen sendes.")
        with klage.ankepakke.open("rb") as f:
            data = f.read()
        audit.record_read(
            actor=request.user, handling="klage.ankepakke_hent", borgere=[klage.forloeb.borger_id], subject=klage
        )
        response = HttpResponse(data, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="ankepakke-{klage.pk}.zip"'
        response["Cache-Control"] = "no-store"
        response["X-SHA256"] = klage.ankepakke_sha256
        return response


router = SimpleRouter()
router.register("klager", KlageViewSet, basename="klage")

urlpatterns = router.urls
