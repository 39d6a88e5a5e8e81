"""Borgere, forløb, frister and journalnotater over the API (../shared/API.md).

Views parse input, call one service and answer. Refusals are the services' own exceptions
(``infra.fejl.DomaeneFejl``), answered by the one exception handler; reads are audited by
``AuditedReadMixin``.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases import overgange, services
from cases.models import User
from cases.selectors import borger_soeg, borgere_for, forloeb_for, frister_for, journalnotater_for, tilbud_for
from infra import audit
from infra.api.etag import IF_MATCH, check_if_match, etag_for, repraesentations_etag
from infra.api.idempotency import IDEMPOTENCY_KEY, idempotent
from infra.api.mixins import AuditedReadMixin, StrictQueryParamsMixin, valider
from infra.api.pagination import CursorPagination

from . import forberedt
from .detalje import forloeb_detalje
from .filters import BorgerFilter, ForloebFilter, FristFilter, JournalnotatFilter, TilbudFilter
from .lister import BorgerRef, borger_liste, borger_raekker, forloeb_liste, forloeb_raekker, frist_liste, frist_raekker
from .serializers import (
    AdresseSerializer,
    AdresseVisSerializer,
    BorgerOpretSerializer,
    BorgerSerializer,
    BorgerSoegSerializer,
    CprOpslagSerializer,
    CprSerializer,
    CprVisSerializer,
    ForloebDetailSerializer,
    ForloebOpretSerializer,
    ForloebSerializer,
    FristSerializer,
    JournalnotatSerializer,
    RegisterAendringSerializer,
    RegisterPersonSerializer,
    TilbudSerializer,
    TilbudSvarSerializer,
    TildelSerializer,
)


def _sagsbehandler(request, pk) -> User:
    """An employee of the caller's municipality named in a request body (else a field error)."""
    sagsbehandler = User.objects.filter(pk=pk, kommune_id=request.user.kommune_id).first()
    if sagsbehandler is None:
        raise serializers.ValidationError({"sagsbehandler": ["Sagsbehandleren findes ikke."]})
    return sagsbehandler


# --- borgere --------------------------------------------------------------------------------------
@extend_schema(tags=["borgere"])
class BorgerViewSet(AuditedReadMixin, StrictQueryParamsMixin, viewsets.GenericViewSet):
    """Borgere i kaldets teams. CPR modtages kun ved oprettelse og søgning (i body) og vises maskeret."""

    serializer_class = BorgerSerializer
    filterset_class = BorgerFilter
    direkte_filtre = True  # the FilterSet applied without its form (infra.api.filters.anvend)
    scopes = {"read": "borgere:read", "write": "borgere:write"}
    action_scopes = {"soeg": ("borgere:read",)}  # a search is a read, sent by POST to keep the CPR out of URLs
    http_method_names = ["get", "post", "patch", "head", "options"]
    laes_handling = "borger"
    uden_if_match = {"vis_cpr", "vis_adresse"}  # read the CPR / a protected address (audited); change nothing

    def get_queryset(self):
        # No join to the team (the representation carries its id): the page is read in index order.
        return borgere_for(self.request.user).select_related(None).order_by("-oprettet", "-id")

    def get_serializer_class(self):
        return BorgerOpretSerializer if self.action == "create" else BorgerSerializer

    def laes_borgere(self, obj) -> list:
        return [BorgerRef(obj["id"], obj["kommune_id"]) if isinstance(obj, dict) else obj]

    def liste_raekker(self, queryset):
        return borger_raekker(queryset)

    def liste_data(self, raekker) -> list:
        return borger_liste(raekker)  # BorgerSerializer's answer, built by hand for the page

    def _svar(self, borger, status: int = 200, **headers) -> Response:
        data = BorgerSerializer(borger, context=self.get_serializer_context()).data
        return Response(data, status=status, headers={"ETag": etag_for(borger), **headers})

    @idempotent
    def create(self, request, *args, **kwargs):
        data = valider(self.get_serializer(data=request.data), self._opret_fejl)
        borger = services.borger_opret(actor=request.user, **data)
        return self._svar(borger, status=201, Location=reverse("borger-detail", args=[borger.pk]))

    def _opret_fejl(self, data: dict) -> dict:
        felter = {k: data[k] for k in services.BORGER_FELTER if k in data}
        return services.borger_opret_fejl(actor=self.request.user, cpr=data.get("cpr"), **felter)

    def partial_update(self, request, *args, **kwargs):
        borger = self.get_object()
        version = check_if_match(request, borger)
        serializer = self.get_serializer(borger, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        borger = services.borger_opdater(
            actor=request.user, borger=borger, expected_version=version, **serializer.validated_data
        )
        return self._svar(borger)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=BorgerSoegSerializer, responses=BorgerSerializer(many=True), filters=False)
    @action(detail=False, methods=["post"])
    def soeg(self, request):
        """Søg på eksakt CPR eller navn. CPR sendes i body, så det aldrig står i en URL eller log."""
        params = BorgerSoegSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        query = params.validated_data.get("cpr") or params.validated_data.get("navn") or ""
        if not query.strip():
            raise serializers.ValidationError({"cpr": ["Angiv CPR-nummer eller navn."]})
        page = self.paginate_queryset(borger_soeg(request.user, query).order_by("-oprettet", "-id"))
        audit.record_read(actor=request.user, handling="borger.soeg", borgere=page)
        return self.get_paginated_response(
            BorgerSerializer(page, many=True, context=self.get_serializer_context()).data
        )

    @extend_schema(request=CprVisSerializer, responses=CprSerializer)
    @action(detail=True, methods=["post"], url_path="vis-cpr")
    def vis_cpr(self, request, pk=None):
        """Vis det fulde CPR-nummer. Kræver en begrundelse; handlingen logges."""
        borger = self.get_object()
        body = CprVisSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        cpr = services.borger_cpr_vis(actor=request.user, borger=borger, begrundelse=body.validated_data["begrundelse"])
        return Response({"cpr": cpr}, headers={"Cache-Control": "no-store"})

    @extend_schema(request=CprOpslagSerializer, responses=RegisterPersonSerializer, filters=False)
    @action(detail=False, methods=["post"], url_path="cpr-opslag")
    def cpr_opslag(self, request):
        """Slå en person op i CPR-registeret før oprettelse (CPR i body). Logges; en beskyttet adresse udelades."""
        body = CprOpslagSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        person = services.cpr_opslag(actor=request.user, cpr=body.validated_data["cpr"])
        return Response(RegisterPersonSerializer(person).data, headers={"Cache-Control": "no-store"})

    @extend_schema(request=None, responses=BorgerSerializer)
    @action(detail=True, methods=["post"], url_path="opdater-fra-register")
    @idempotent
    def opdater_fra_register(self, request, pk=None):
        """Hent borgerens oplysninger fra CPR-registeret nu; ændringer gemmes i registerhistorikken."""
        borger = self.get_object()
        services.borger_register_opdater(actor=request.user, borger=borger)
        borger.refresh_from_db()
        return self._svar(borger)

    @extend_schema(responses=RegisterAendringSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], pagination_class=None)
    def registerhistorik(self, request, pk=None):
        """Ændringer CPR-registeret har meldt (ny adresse, død, udrejse ...), nyeste først."""
        borger = self.get_object()
        rows = list(borger.registeraendringer.all())
        audit.record_read(actor=request.user, handling="borger.registerhistorik", borgere=[borger])
        return Response(RegisterAendringSerializer(rows, many=True).data)

    @extend_schema(request=AdresseVisSerializer, responses=AdresseSerializer)
    @action(detail=True, methods=["post"], url_path="vis-adresse")
    def vis_adresse(self, request, pk=None):
        """Vis en beskyttet adresse. Kræver en begrundelse; handlingen logges."""
        borger = self.get_object()
        body = AdresseVisSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = services.borger_adresse_vis(
            actor=request.user, borger=borger, begrundelse=body.validated_data["begrundelse"]
        )
        return Response(data, headers={"Cache-Control": "no-store"})


# --- forløb ---------------------------------------------------------------------------------------
class ForloebPagination(CursorPagination):
    ordering = ("-oprettet", "-id")


@extend_schema(tags=["forloeb"])
class ForloebViewSet(AuditedReadMixin, StrictQueryParamsMixin, viewsets.GenericViewSet):
    """Borgerens forløb. Tilstanden ændres kun gennem overgange: `POST .../overgange/{overgang}/`."""

    scopes = {"read": "forloeb:read", "write": "forloeb:write"}
    filterset_class = ForloebFilter
    direkte_filtre = True
    pagination_class = ForloebPagination
    laes_handling = "forloeb"
    borger_sti = "borger_id"
    etag = True
    etag_af_svaret = True  # the answer shows deadlines, history and the caller's transitions: a digest of it

    def get_queryset(self):
        qs = forloeb_for(self.request.user)
        if self.action != "retrieve" or getattr(self, "swagger_fake_view", False):
            return qs  # (the schema generator has no database to compile the sub-selects against)
        return forberedt.med_frister_og_historik(qs)

    def get_object(self):
        """The detail GET reads through SQL compiled once per caller scope (``forberedt.hent_detalje``);
        a detail GET with filter parameters and every other action take DRF's way."""
        if self.action != "retrieve" or set(self.request.query_params) - {"format"}:
            return super().get_object()
        obj = forberedt.hent_detalje(self.request.user, self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        if obj is None:
            raise Http404
        self.check_object_permissions(self.request, obj)
        return obj

    def detalje_data(self, obj) -> dict:
        return forloeb_detalje(obj, self.request.user)  # ForloebDetailSerializer's answer, built by hand

    def liste_raekker(self, queryset):
        return forloeb_raekker(queryset)

    def liste_data(self, raekker) -> list:
        return forloeb_liste(raekker)  # ForloebSerializer's answer, built by hand

    def get_serializer_class(self):
        return ForloebDetailSerializer if self.action != "list" else ForloebSerializer

    def _svar(self, forloeb, status: int = 200, **headers) -> Response:
        """The forløb after a change: state, version and history as committed."""
        forloeb = self.get_queryset().prefetch_related("historik").get(pk=forloeb.pk)
        data = ForloebDetailSerializer(forloeb, context=self.get_serializer_context()).data
        return Response(data, status=status, headers={"ETag": repraesentations_etag(forloeb, data), **headers})

    @extend_schema(request=ForloebOpretSerializer, responses={201: ForloebDetailSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        body = ForloebOpretSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        borger = borgere_for(request.user).filter(pk=body.validated_data["borger"]).first()
        if borger is None:
            raise serializers.ValidationError({"borger": ["Borgeren findes ikke eller er uden for din adgang."]})
        sagsbehandler = None
        if sb_id := body.validated_data.get("sagsbehandler"):
            sagsbehandler = _sagsbehandler(request, sb_id)
        forloeb = services.forloeb_opret(actor=request.user, borger=borger, sagsbehandler=sagsbehandler)
        return self._svar(forloeb, status=201, Location=reverse("forloeb-detail", args=[forloeb.pk]))

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={200: ForloebDetailSerializer},
        parameters=[
            OpenApiParameter("overgang", str, OpenApiParameter.PATH, enum=[*overgange.NAVNE]),
            IF_MATCH,
            IDEMPOTENCY_KEY,
        ],
        description=(
            "Udfør en overgang. Body er overgangens data (se `tilladte_overgange[].felter`). "
            "409 med `betingelser` når forløbets betingelser ikke er opfyldt (alle listes), "
            "409 `forkert-tilstand`, 412 ved forældet If-Match, 400 ved ugyldige data."
        ),
    )
    @action(detail=True, methods=["post"], url_path=r"overgange/(?P<overgang>[^/]+)")
    @idempotent
    def overgange(self, request, pk=None, overgang=None):
        forloeb = self.get_object()
        version = check_if_match(request, forloeb)
        services.forloeb_overgang(
            actor=request.user, forloeb=forloeb, overgang=overgang, data=request.data, expected_version=version
        )
        return self._svar(forloeb)

    @extend_schema(request=TildelSerializer, responses={200: ForloebDetailSerializer})
    @action(detail=True, methods=["post"])
    @idempotent
    def tildel(self, request, pk=None):
        """Overdrag forløbet til en anden sagsbehandler (overdragelsesnotat påkrævet)."""
        forloeb = self.get_object()
        version = check_if_match(request, forloeb)
        body = TildelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.forloeb_tildel(
            actor=request.user,
            forloeb=forloeb,
            sagsbehandler=_sagsbehandler(request, body.validated_data["sagsbehandler"]),
            overdragelsesnotat=body.validated_data["overdragelsesnotat"],
            expected_version=version,
        )
        return self._svar(forloeb)


# --- frister --------------------------------------------------------------------------------------
class FristPagination(CursorPagination):
    ordering = ("gaeldende_forfald", "id")


@extend_schema(tags=["frister"])
class FristViewSet(AuditedReadMixin, StrictQueryParamsMixin, viewsets.GenericViewSet):
    """Frister. De oprettes og lukkes af hændelser i forløbet, aldrig i hånden."""

    serializer_class = FristSerializer
    filterset_class = FristFilter
    direkte_filtre = True
    scopes = {"read": "forloeb:read"}
    pagination_class = FristPagination
    laes_handling = "frist"

    def get_queryset(self):
        return frister_for(self.request.user).select_related("definition", "forloeb")

    def liste_raekker(self, queryset):
        return frist_raekker(queryset)

    def liste_data(self, raekker) -> list:
        return frist_liste(raekker)  # FristSerializer's answer, built by hand


# --- journalnotater -------------------------------------------------------------------------------
class JournalPagination(CursorPagination):
    ordering = ("-oprettet", "-id")


@extend_schema(tags=["journalnotater"])
class JournalnotatViewSet(AuditedReadMixin, StrictQueryParamsMixin, viewsets.GenericViewSet):
    """Journalnotater. Et notat ændres ikke, når det er skrevet; rettelser er nye notater."""

    serializer_class = JournalnotatSerializer
    filterset_class = JournalnotatFilter
    scopes = {"read": "forloeb:read", "write": "forloeb:write"}
    pagination_class = JournalPagination
    laes_handling = "journal"
    etag_daekker_svaret = True  # only its own columns, never changed; the ETag is their digest

    def get_queryset(self):
        return journalnotater_for(self.request.user)

    @idempotent
    def create(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        notat = services.journalnotat_opret(actor=request.user, forloeb=data.pop("forloeb"), **data)
        return Response(self.get_serializer(notat).data, status=201)


class TilbudPagination(CursorPagination):
    ordering = ("-oprettet", "-id")


@extend_schema(tags=["tilbud"])
class TilbudViewSet(AuditedReadMixin, StrictQueryParamsMixin, viewsets.GenericViewSet):
    """Tilbud til borgeren i forløbet (praktik, løntilskud, mentor, konkret fleksjob ...) og borgerens svar.
    Et tilbud kan citeres som oplysning i en afgørelses begrundelse (`kilde_type: tilbud`)."""

    serializer_class = TilbudSerializer
    filterset_class = TilbudFilter
    scopes = {"read": "forloeb:read", "write": "forloeb:write"}
    pagination_class = TilbudPagination
    laes_handling = "tilbud"
    borger_sti = "forloeb.borger_id"
    etag = True
    etag_daekker_svaret = True  # only its own columns; the one change (besvar) raises the version

    def get_queryset(self):
        return tilbud_for(self.request.user)

    def _svar(self, t, status: int = 200, **headers) -> Response:
        t = self.get_queryset().get(pk=t.pk)
        return Response(self.get_serializer(t).data, status=status, headers={"ETag": etag_for(t), **headers})

    @extend_schema(
        parameters=[IDEMPOTENCY_KEY],
        description="Registrér et tilbud (og svaret, hvis det er givet). Et nej kræver borgerens begrundelse; "
        "alle fejl returneres på én gang.",
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        t = services.tilbud_registrer(actor=request.user, forloeb=data.pop("forloeb"), **data)
        return self._svar(t, status=201, Location=reverse("tilbud-detail", args=[t.pk]))

    @extend_schema(
        request=TilbudSvarSerializer,
        responses={200: TilbudSerializer},
        parameters=[IF_MATCH, IDEMPOTENCY_KEY],
        description="Registrér borgerens svar på tilbuddet. 412 ved forældet If-Match.",
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def besvar(self, request, pk=None):
        t = self.get_object()
        version = check_if_match(request, t)
        body = TilbudSvarSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        t = services.tilbud_besvar(actor=request.user, tilbud=t, expected_version=version, **body.validated_data)
        return self._svar(t)
