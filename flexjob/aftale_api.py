"""``/api/v1/aftaler/``: agreements from external systems and the jobcenter's review (API.md).

An API client sees only the agreements it sent (and can follow their status); employees see their
municipality's. Only employees approve or reject (`godkend` / `afvis`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from cases.selectors import teams_for
from infra import audit
from infra.api.etag import etag_for
from infra.api.idempotency import idempotent
from infra.api.mixins import StrictQueryParamsMixin
from infra.api.pagination import CursorPagination
from infra.api.problems import Problem

from . import aftaler
from .aftale_serializers import AftaleAfvisSerializer, AftaleOpretSerializer, AftaleSerializer
from .models import Aftale, AftaleStatus, AftaleType

IF_MATCH = OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, description="ETag fra GET; 412 hvis forældet")
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", str, OpenApiParameter.HEADER, description="Gentagelse med samme nøgle og body giver første svar"
)
KONFLIKT = (
    "409 `allerede-behandlet` når aftalen ikke længere har status modtaget; for fleksjob 409 "
    "`intet-fleksjob-forloeb`, `ingen-visitation` eller `ansaettelse-afvist` (med `grunde`). "
    "403 for API-klienter: kun jobcentrets medarbejdere behandler aftaler."
)


def aftaler_for(user):
    """Agreements the caller may see: a client its own; an employee those of citizens in their teams
    (a jurist the municipality's), like every other list of citizens."""

    kommune_id = getattr(user, "kommune_id", None)
    if not getattr(user, "is_authenticated", False) or kommune_id is None:
        return Aftale.objects.none()
    qs = Aftale.objects.filter(kommune_id=kommune_id).select_related("borger", "ansaettelse")
    if getattr(user, "er_api_klient", False):
        return qs.filter(klient_id=user.klient.pk)
    return qs.filter(borger__team__in=teams_for(user))


def _version(request, aftale: Aftale) -> int | None:
    header = request.headers.get("If-Match")
    if not header:
        return None
    if header.strip() not in ("*", etag_for(aftale)):
        raise Problem(412, "foraeldet", "Aftalen er ændret, siden du hentede den. Hent den igen og prøv på ny.")
    return aftale.version


def _choice_param(request, name: str, choices) -> str | None:
    value = request.query_params.get(name)
    if value and value not in choices:
        raise serializers.ValidationError({name: [f"Ukendt værdi. Brug en af: {', '.join(choices)}."]})
    return value or None


class AftalePagination(CursorPagination):
    ordering = ("-oprettet", "id")


@extend_schema(tags=["aftaler"])
class AftaleViewSet(StrictQueryParamsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Aftaler med arbejdsgivere indsendt af eksterne systemer; jobcentret godkender eller afviser."""

    serializer_class = AftaleSerializer
    scopes = {"read": "aftaler:write", "write": "aftaler:write"}
    pagination_class = AftalePagination
    allowed_query_params = {"status", "type"}

    def get_queryset(self):
        qs = aftaler_for(self.request.user)
        if self.action == "list":
            if status := _choice_param(self.request, "status", AftaleStatus.values):
                qs = qs.filter(status=status)
            if type_ := _choice_param(self.request, "type", AftaleType.values):
                qs = qs.filter(type=type_)
        return qs

    def _svar(self, aftale: Aftale, status: int = 200) -> Response:
        aftale = aftaler_for(self.request.user).get(pk=aftale.pk)
        headers = {"ETag": etag_for(aftale)}
        if status == 201:
            headers["Location"] = f"/api/v1/aftaler/{aftale.pk}/"
        return Response(AftaleSerializer(aftale).data, status=status, headers=headers)

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=AftaleStatus.values),
            OpenApiParameter("type", str, enum=AftaleType.values),
        ]
    )
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        audit.record_read(actor=request.user, handling="aftale.liste", borgere={a.borger_id for a in page})
        return self.get_paginated_response(AftaleSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        aftale = self.get_object()
        audit.record_read(actor=request.user, handling="aftale.laes", borgere=[aftale.borger_id], subject=aftale)
        return Response(AftaleSerializer(aftale).data, headers={"ETag": etag_for(aftale)})

    @extend_schema(
        request=AftaleOpretSerializer,
        responses={201: AftaleSerializer},
        parameters=[IDEMPOTENCY_KEY],
        description=(
            "Indsend en aftale. Alle fejl returneres på én gang som problem+json med `errors` pr. felt; "
            "intet oprettes ved fejl. Ukendt CPR og CPR uden for kommunen giver samme fejl på `borger_cpr`."
        ),
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        body = AftaleOpretSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        aftale = aftaler.aftale_modtag(actor=request.user, **body.validated_data)
        return self._svar(aftale, status=201)

    def _behandl(self, request, funktion, **kwargs) -> Response:
        aftale = self.get_object()
        version = _version(request, aftale)
        try:
            aftale = funktion(actor=request.user, aftale=aftale, expected_version=version, **kwargs)
        except PermissionDenied as exc:
            raise Problem(403, "ingen-adgang", str(exc) or "Du har ikke adgang til at behandle aftalen.") from None
        except aftaler.AftaleFejl as exc:
            status = 412 if exc.kode == "foraeldet" else 409
            extra = {"kode": exc.kode}
            if exc.grunde:
                extra["grunde"] = exc.grunde
            raise Problem(status, exc.kode, str(exc), **extra) from None
        return self._svar(aftale)

    @extend_schema(
        request=None, responses={200: AftaleSerializer}, parameters=[IF_MATCH, IDEMPOTENCY_KEY], description=KONFLIKT
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def godkend(self, request, pk=None):
        """Godkend aftalen. Et fleksjob bliver til virksomhed og ansættelse (kilde aftale) uden genindtastning,
        og fristen for arbejdsevnevurderingen starter."""
        return self._behandl(request, aftaler.aftale_godkend)

    @extend_schema(
        request=AftaleAfvisSerializer,
        responses={200: AftaleSerializer},
        parameters=[IF_MATCH, IDEMPOTENCY_KEY],
        description=KONFLIKT,
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def afvis(self, request, pk=None):
        """Afvis aftalen med en begrundelse, som afsenderen kan læse."""
        body = AftaleAfvisSerializer(data=request.data)
        body.is_valid(raise_exception=True)  # a missing reason is refused by the service, after access
        return self._behandl(request, aftaler.aftale_afvis, begrundelse=body.validated_data.get("begrundelse", ""))


router = SimpleRouter()
router.register("aftaler", AftaleViewSet, basename="aftale")

urlpatterns = router.urls
