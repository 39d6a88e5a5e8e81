"""Fleksjob over the API: employers, visitations, employments, arbejdsevnevurderinger, and the
agreements (``/api/v1/aftaler/``) that external systems send and the jobcenter reviews (API.md).

Same conventions as the forløb API: problem+json, reads scoped through the caller's forløb (404
outside reach), Idempotency-Key on creates, scopes forloeb:read / forloeb:write, audited reads.
An API client sees only the agreements it sent (and can follow their status); employees see their
teams' citizens'. Only employees approve or reject (`godkend` / `afvis`).
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases.selectors import forloeb_for
from decisions.models import Dokument
from decisions.services import sikr_kladde
from flexjob import aftaler, selectors, services
from flexjob.models import Aftale
from infra.api.etag import IF_MATCH, check_if_match, etag_for
from infra.api.idempotency import idempotent
from infra.api.mixins import AuditedReadMixin, StrictQueryParamsMixin
from infra.api.pagination import CursorPagination

from .filters import AftaleFilter, BevillingFilter, ForloebFilter, VirksomhedFilter, VurderingFilter
from .lister import aftale_liste, aftale_raekker
from .serializers import (
    AftaleAfvisSerializer,
    AftaleBekraeftSerializer,
    AftaleOpretSerializer,
    AftaleSerializer,
    AnsaettelseDetailSerializer,
    AnsaettelseOpretSerializer,
    AnsaettelseSerializer,
    ArbejdsevnevurderingSerializer,
    BevillingSerializer,
    RevurderSerializer,
    VirksomhedSerializer,
    VisitationOpretSerializer,
    VisitationSerializer,
    VurderingOpretSerializer,
    VurderingRetSerializer,
)

SCOPES = {"read": "forloeb:read", "write": "forloeb:write"}


def _forloeb(request, pk):
    fl = forloeb_for(request.user).filter(pk=pk).first()
    if fl is None:
        raise serializers.ValidationError({"forloeb": ["Forløbet findes ikke eller er uden for din adgang."]})
    return fl


class OprettetPagination(CursorPagination):
    ordering = ("-oprettet", "-id")


class NavnPagination(CursorPagination):
    ordering = ("navn", "id")


# --- virksomheder, visitationer, ansættelser, arbejdsevnevurderinger -------------------------------
@extend_schema(tags=["fleksjob"])
class VirksomhedViewSet(
    StrictQueryParamsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Arbejdsgivere (CVR, evt. P-nummer) i kommunens data."""

    serializer_class = VirksomhedSerializer
    filterset_class = VirksomhedFilter
    scopes = SCOPES
    pagination_class = NavnPagination

    def get_queryset(self):
        return selectors.virksomheder_for(self.request.user)

    @extend_schema(request=VirksomhedSerializer, responses={201: VirksomhedSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        body = VirksomhedSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = services.virksomhed_find_eller_opret(
            actor=request.user, kommune_id=request.user.kommune_id, **body.validated_data
        )
        location = reverse("virksomhed-detail", args=[v.pk])
        return Response(VirksomhedSerializer(v).data, status=201, headers={"Location": location})


@extend_schema(tags=["fleksjob"])
class VisitationViewSet(AuditedReadMixin, StrictQueryParamsMixin, viewsets.GenericViewSet):
    """Visitationer til fleksjob med den vurderede arbejdsevne, ledighedsydelse og ventetid."""

    serializer_class = VisitationSerializer
    filterset_class = ForloebFilter
    scopes = SCOPES
    pagination_class = OprettetPagination
    laes_handling = "visitation"

    def get_queryset(self):
        return selectors.visitationer_for(self.request.user).prefetch_related("ledighedsperioder")

    @extend_schema(request=VisitationOpretSerializer, responses={201: VisitationSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        body = VisitationOpretSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        fl = _forloeb(request, data.pop("forloeb"))
        afgoerelse = Dokument.objects.filter(pk=data.pop("afgoerelse"), forloeb=fl).first()
        if afgoerelse is None:
            raise serializers.ValidationError({"afgoerelse": ["Afgørelsen findes ikke i dette forløb."]})
        v = services.visitation_opret(actor=request.user, forloeb=fl, afgoerelse=afgoerelse, **data)
        v = self.get_queryset().get(pk=v.pk)
        location = reverse("visitation-detail", args=[v.pk])
        return Response(VisitationSerializer(v).data, status=201, headers={"Location": location})


@extend_schema(tags=["fleksjob"])
class AnsaettelseViewSet(AuditedReadMixin, StrictQueryParamsMixin, viewsets.GenericViewSet):
    """Ansættelser i fleksjob. Oprettelsen afslutter ledighedsydelsen og starter fristerne."""

    scopes = SCOPES
    filterset_class = ForloebFilter
    pagination_class = OprettetPagination
    laes_handling = "ansaettelse"

    def get_queryset(self):
        return selectors.ansaettelser_for(self.request.user)

    def get_serializer_class(self):
        return AnsaettelseSerializer if self.action == "list" else AnsaettelseDetailSerializer

    @extend_schema(request=AnsaettelseOpretSerializer, responses={201: AnsaettelseDetailSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        body = AnsaettelseOpretSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        fl = _forloeb(request, data.pop("forloeb"))
        virksomhed = selectors.virksomheder_for(request.user).filter(pk=data.pop("virksomhed")).first()
        if virksomhed is None:
            raise serializers.ValidationError({"virksomhed": ["Virksomheden findes ikke."]})
        a = services.ansaettelse_opret(actor=request.user, forloeb=fl, virksomhed=virksomhed, **data)
        a = self.get_queryset().get(pk=a.pk)
        location = reverse("ansaettelse-detail", args=[a.pk])
        return Response(AnsaettelseDetailSerializer(a).data, status=201, headers={"Location": location})


@extend_schema(tags=["fleksjob"])
class ArbejdsevnevurderingViewSet(AuditedReadMixin, StrictQueryParamsMixin, viewsets.GenericViewSet):
    """Arbejdsevnevurderinger (LAB § 122, stk. 2). Afgørelsen udstedes via `/dokumenter/{id}/udsted/`."""

    serializer_class = ArbejdsevnevurderingSerializer
    filterset_class = VurderingFilter
    scopes = SCOPES
    pagination_class = OprettetPagination
    laes_handling = "arbejdsevnevurdering"
    borger_sti = "ansaettelse.forloeb.borger_id"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.vurderinger_for(self.request.user)

    def get_serializer_context(self):
        return super().get_serializer_context() | {"actor": self.request.user}

    def _svar(self, v):
        v = self.get_queryset().get(pk=v.pk)
        location = reverse("arbejdsevnevurdering-detail", args=[v.pk])
        data = ArbejdsevnevurderingSerializer(v, context=self.get_serializer_context()).data
        return Response(data, status=201, headers={"Location": location})

    @extend_schema(request=VurderingOpretSerializer, responses={201: ArbejdsevnevurderingSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        body = VurderingOpretSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        a = selectors.ansaettelser_for(request.user).filter(pk=data.pop("ansaettelse")).first()
        if a is None:
            raise serializers.ValidationError(
                {"ansaettelse": ["Ansættelsen findes ikke eller er uden for din adgang."]}
            )
        return self._svar(services.arbejdsevnevurdering_opret(actor=request.user, ansaettelse=a, **data))

    @extend_schema(
        request=VurderingRetSerializer,
        responses={200: ArbejdsevnevurderingSerializer},
        description=(
            "Ret en vurdering, mens dens afgørelse er kladde (som i sagsbehandlerens skærmbillede); afgørelsens "
            "tekst dannes igen. 409 `ikke-kladde` når afgørelsen er udstedt (lav en revurdering); 412 ved "
            "forældet If-Match; 400 med alle feltfejl."
        ),
    )
    def partial_update(self, request, *args, **kwargs):
        v = self.get_object()
        sikr_kladde(v.dokument)
        body = VurderingRetSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        v = services.arbejdsevnevurdering_opdater(actor=request.user, vurdering=v, **body.validated_data)
        v = self.get_queryset().get(pk=v.pk)
        data = ArbejdsevnevurderingSerializer(v, context=self.get_serializer_context()).data
        return Response(data, headers={"ETag": etag_for(v)})

    @extend_schema(request=RevurderSerializer, responses={201: ArbejdsevnevurderingSerializer})
    @action(detail=True, methods=["post"])
    @idempotent
    def revurder(self, request, pk=None):
        """Ny version, når arbejdsgiver og medarbejder sammen beder om det; afgørelsen erstatter den forrige."""
        forrige = self.get_object()
        body = RevurderSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._svar(
            services.arbejdsevnevurdering_revurder(actor=request.user, forrige=forrige, **body.validated_data)
        )


@extend_schema(tags=["fleksjob"])
class BevillingViewSet(AuditedReadMixin, StrictQueryParamsMixin, viewsets.GenericViewSet):
    """Borgerens tidligere bevillinger (hjælpemidler, personlig assistance, arbejdspladsindretning ...):
    strukturerede oplysninger, som arbejdsevnevurderingen og en afgørelses begrundelse kan henvise til."""

    serializer_class = BevillingSerializer
    filterset_class = BevillingFilter
    scopes = SCOPES
    pagination_class = OprettetPagination
    laes_handling = "bevilling"
    borger_sti = "borger_id"

    def get_queryset(self):
        return selectors.bevillinger_for(self.request.user)

    @extend_schema(responses={201: BevillingSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        b = services.bevilling_registrer(actor=request.user, **body.validated_data)
        b = self.get_queryset().get(pk=b.pk)
        location = reverse("bevilling-detail", args=[b.pk])
        return Response(self.get_serializer(b).data, status=201, headers={"Location": location})


# --- aftaler --------------------------------------------------------------------------------------
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", str, OpenApiParameter.HEADER, description="Gentagelse med samme nøgle og body giver første svar"
)
KONFLIKT = (
    "409 `allerede-behandlet` når aftalen ikke længere har status modtaget; for fleksjob 409 "
    "`mangler-bekraeftelse` (borger og arbejdsgiver skal begge have bekræftet; `grunde` siger hvem, der mangler), "
    "`intet-fleksjob-forloeb`, `ingen-visitation` eller `ansaettelse-afvist` (med `grunde`). "
    "403 for API-klienter: kun jobcentrets medarbejdere behandler aftaler."
)


class AftalePagination(CursorPagination):
    ordering = ("-oprettet", "-id")


@extend_schema(tags=["aftaler"])
class AftaleViewSet(AuditedReadMixin, StrictQueryParamsMixin, viewsets.GenericViewSet):
    """Aftaler med arbejdsgivere indsendt af eksterne systemer; jobcentret godkender eller afviser."""

    serializer_class = AftaleSerializer
    filterset_class = AftaleFilter
    direkte_filtre = True  # the FilterSet applied without its form (infra.api.filters.anvend)
    scopes = {"read": "aftaler:write", "write": "aftaler:write"}
    pagination_class = AftalePagination
    laes_handling = "aftale"
    borger_sti = "borger_id"
    etag = True

    def get_queryset(self):
        return selectors.aftaler_for(self.request.user)

    def liste_raekker(self, queryset):
        return aftale_raekker(queryset)

    def liste_data(self, raekker) -> list:
        return aftale_liste(raekker)  # AftaleSerializer's answer, built by hand for the page

    def _svar(self, aftale: Aftale, status: int = 200) -> Response:
        aftale = selectors.aftaler_for(self.request.user).get(pk=aftale.pk)
        headers = {"ETag": etag_for(aftale)}
        if status == 201:
            headers["Location"] = reverse("aftale-detail", args=[aftale.pk])
        return Response(AftaleSerializer(aftale).data, status=status, headers=headers)

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
        version = check_if_match(request, aftale)
        return self._svar(funktion(actor=request.user, aftale=aftale, expected_version=version, **kwargs))

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
        request=AftaleBekraeftSerializer,
        responses={200: AftaleSerializer},
        parameters=[IF_MATCH, IDEMPOTENCY_KEY],
        description=(
            "Registrér en parts bekræftelse af aftalen (borgeren eller arbejdsgiveren; hvem og hvornår), fx når "
            "VITAS melder den. Kun mens aftalen afventer behandling (ellers 409 `allerede-behandlet`)."
        ),
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def bekraeft(self, request, pk=None):
        """Registrér borgerens eller arbejdsgiverens bekræftelse af aftalen."""
        aftale = self.get_object()
        version = check_if_match(request, aftale)
        body = AftaleBekraeftSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        return self._svar(
            aftaler.aftale_bekraeft(
                actor=request.user, aftale=aftale, part=v["part"], af=v["af"], tidspunkt=v.get("tidspunkt"),
                expected_version=version,
            )
        )  # fmt: skip

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
