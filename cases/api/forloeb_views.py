"""Forløb, frister and journalnotater over the API (../shared/API.md)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases import overgange, services
from cases.models import FristStatus, Tilstand, User
from cases.selectors import borgere_for, forloeb_for, frister_for, journalnotater_for
from infra import audit
from infra.api.etag import check_if_match, etag_for
from infra.api.idempotency import idempotent
from infra.api.mixins import StrictQueryParamsMixin
from infra.api.pagination import CursorPagination
from infra.api.params import choice_param, date_param, uuid_param
from infra.api.problems import Problem

from .forloeb_serializers import (
    ForloebDetailSerializer,
    ForloebOpretSerializer,
    ForloebSerializer,
    FristSerializer,
    JournalnotatSerializer,
    TildelSerializer,
)


class ForloebPagination(CursorPagination):
    ordering = ("-oprettet", "id")


@extend_schema(tags=["forloeb"])
class ForloebViewSet(StrictQueryParamsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Borgerens forløb. Tilstanden ændres kun gennem overgange: `POST .../overgange/{overgang}/`."""

    scopes = {"read": "forloeb:read", "write": "forloeb:write"}
    allowed_query_params = {"tilstand", "team", "sagsbehandler", "borger"}
    pagination_class = ForloebPagination

    def get_queryset(self):
        qs = forloeb_for(self.request.user)
        if self.action == "retrieve":
            qs = qs.prefetch_related("historik")
        if self.action == "list":
            if tilstand := choice_param(self.request, "tilstand", Tilstand.values):
                qs = qs.filter(tilstand=tilstand)
            if team := uuid_param(self.request, "team"):
                qs = qs.filter(team_id=team)
            if borger := uuid_param(self.request, "borger"):
                qs = qs.filter(borger_id=borger)
            if sagsbehandler := self.request.query_params.get("sagsbehandler"):
                qs = qs.filter(sagsbehandler_id=sagsbehandler) if sagsbehandler.isdigit() else qs.none()
        return qs

    def get_serializer_class(self):
        return ForloebDetailSerializer if self.action != "list" else ForloebSerializer

    def _detail(self, forloeb, status=200, *, hent_igen=True):
        if hent_igen:  # after a change: the state, version and history as committed
            forloeb = self.get_queryset().prefetch_related("historik").get(pk=forloeb.pk)
        data = ForloebDetailSerializer(forloeb, context=self.get_serializer_context()).data
        return Response(data, status=status, headers={"ETag": etag_for(forloeb)})

    @extend_schema(
        parameters=[
            OpenApiParameter("tilstand", str, enum=Tilstand.values),
            OpenApiParameter("team", OpenApiTypes.UUID),
            OpenApiParameter("borger", OpenApiTypes.UUID),
            OpenApiParameter("sagsbehandler", int),
        ]
    )
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        audit.record_read(actor=request.user, handling="forloeb.liste", borgere=[f.borger_id for f in page])
        return self.get_paginated_response(ForloebSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        forloeb = self.get_object()
        audit.record_read(actor=request.user, handling="forloeb.laes", borgere=[forloeb.borger_id], subject=forloeb)
        return self._detail(forloeb, hent_igen=False)  # get_object() has prefetched the history

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
            sagsbehandler = User.objects.filter(pk=sb_id, kommune_id=request.user.kommune_id).first()
            if sagsbehandler is None:
                raise serializers.ValidationError({"sagsbehandler": ["Sagsbehandleren findes ikke."]})
        forloeb = services.forloeb_opret(actor=request.user, borger=borger, sagsbehandler=sagsbehandler)
        response = self._detail(forloeb, status=201)
        response["Location"] = f"/api/v1/forloeb/{forloeb.pk}/"
        return response

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={200: ForloebDetailSerializer},
        parameters=[
            OpenApiParameter("overgang", str, OpenApiParameter.PATH, enum=[*overgange.NAVNE]),
            OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, description="ETag fra GET; 412 hvis forældet"),
            OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER),
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
        try:
            services.forloeb_overgang(
                actor=request.user, forloeb=forloeb, overgang=overgang, data=request.data, expected_version=version
            )
        except services.UkendtOvergang as exc:
            raise Problem(404, "ukendt-overgang", str(exc), title="Ukendt overgang") from None
        except services.ForkertTilstand as exc:
            raise Problem(409, "forkert-tilstand", str(exc), title="Overgangen passer ikke til tilstanden") from None
        except services.ForaeldetVersion as exc:
            raise Problem(412, "foraeldet", str(exc)) from None
        except services.OvergangAfvist as exc:
            raise Problem(
                409, "betingelser-ikke-opfyldt", str(exc), title="Betingelser ikke opfyldt",
                betingelser=[m.as_dict() for m in exc.uopfyldte],
            ) from None  # fmt: skip
        return self._detail(forloeb)

    @extend_schema(request=TildelSerializer, responses={200: ForloebDetailSerializer})
    @action(detail=True, methods=["post"])
    @idempotent
    def tildel(self, request, pk=None):
        """Overdrag forløbet til en anden sagsbehandler (overdragelsesnotat påkrævet)."""
        forloeb = self.get_object()
        version = check_if_match(request, forloeb)
        body = TildelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ny = User.objects.filter(pk=body.validated_data["sagsbehandler"], kommune_id=request.user.kommune_id).first()
        if ny is None:
            raise serializers.ValidationError({"sagsbehandler": ["Sagsbehandleren findes ikke."]})
        try:
            services.forloeb_tildel(
                actor=request.user, forloeb=forloeb, sagsbehandler=ny,
                overdragelsesnotat=body.validated_data["overdragelsesnotat"], expected_version=version,
            )  # fmt: skip
        except services.ForaeldetVersion as exc:
            raise Problem(412, "foraeldet", str(exc)) from None
        return self._detail(forloeb)


class FristPagination(CursorPagination):
    ordering = ("gaeldende_forfald", "id")


@extend_schema(tags=["frister"])
class FristViewSet(StrictQueryParamsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Frister. De oprettes og lukkes af hændelser i forløbet, aldrig i hånden."""

    serializer_class = FristSerializer
    scopes = {"read": "forloeb:read"}
    pagination_class = FristPagination
    allowed_query_params = {
        "status", "art", "team", "forloeb", "sagsbehandler", "forfald_foer", "forfald_efter", "aaben", "ansvar",
    }  # fmt: skip

    def get_queryset(self):
        qs = frister_for(self.request.user).select_related("definition", "forloeb")
        if self.action != "list":
            return qs
        p = self.request.query_params
        if status := choice_param(self.request, "status", FristStatus.values):
            qs = qs.filter(status=status)
        if art := p.get("art"):
            qs = qs.filter(art=art)
        if team := uuid_param(self.request, "team"):
            qs = qs.filter(team_id=team)
        if forloeb := uuid_param(self.request, "forloeb"):
            qs = qs.filter(forloeb_id=forloeb)
        if sagsbehandler := p.get("sagsbehandler"):
            qs = qs.filter(forloeb__sagsbehandler_id=sagsbehandler) if sagsbehandler.isdigit() else qs.none()
        if foer := date_param(self.request, "forfald_foer"):
            qs = qs.filter(gaeldende_forfald__lt=foer)
        if efter := date_param(self.request, "forfald_efter"):
            qs = qs.filter(gaeldende_forfald__gte=efter)
        if aaben := choice_param(self.request, "aaben", ["true", "false"]):
            qs = qs.filter(lukket_dato__isnull=aaben == "true")
        if ansvar := choice_param(self.request, "ansvar", ["kommune", "borger"]):
            qs = qs.filter(ansvar=ansvar)
        return qs

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=FristStatus.values),
            OpenApiParameter("art", str),
            OpenApiParameter("team", OpenApiTypes.UUID),
            OpenApiParameter("forloeb", OpenApiTypes.UUID),
            OpenApiParameter("sagsbehandler", int),
            OpenApiParameter("forfald_foer", OpenApiTypes.DATE, description="Gældende forfald før denne dato"),
            OpenApiParameter("forfald_efter", OpenApiTypes.DATE, description="Gældende forfald på eller efter"),
            OpenApiParameter("aaben", str, enum=["true", "false"]),
            OpenApiParameter("ansvar", str, enum=["kommune", "borger"]),
        ]
    )
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        audit.record_read(actor=request.user, handling="frist.liste", borgere={f.forloeb.borger_id for f in page})
        return self.get_paginated_response(FristSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        frist = self.get_object()
        audit.record_read(actor=request.user, handling="frist.laes", borgere=[frist.forloeb.borger_id], subject=frist)
        return Response(FristSerializer(frist).data)


class JournalPagination(CursorPagination):
    ordering = ("-oprettet", "id")


@extend_schema(tags=["journalnotater"])
class JournalnotatViewSet(
    StrictQueryParamsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """Journalnotater. Et notat ændres ikke, når det er skrevet; rettelser er nye notater."""

    serializer_class = JournalnotatSerializer
    scopes = {"read": "forloeb:read", "write": "forloeb:write"}
    pagination_class = JournalPagination
    allowed_query_params = {"forloeb"}

    def get_queryset(self):
        qs = journalnotater_for(self.request.user)
        if self.action == "list" and (forloeb := uuid_param(self.request, "forloeb")):
            qs = qs.filter(forloeb_id=forloeb)
        return qs

    @extend_schema(parameters=[OpenApiParameter("forloeb", OpenApiTypes.UUID)])
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        audit.record_read(actor=request.user, handling="journal.liste", borgere={n.forloeb.borger_id for n in page})
        return self.get_paginated_response(JournalnotatSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        notat = self.get_object()
        audit.record_read(actor=request.user, handling="journal.laes", borgere=[notat.forloeb.borger_id], subject=notat)
        return Response(JournalnotatSerializer(notat, context=self.get_serializer_context()).data)

    @idempotent
    def create(self, request, *args, **kwargs):
        body = JournalnotatSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        forloeb = data.pop("forloeb")
        try:
            notat = services.journalnotat_opret(actor=request.user, forloeb=forloeb, **data)
        except DjangoValidationError:
            raise
        return Response(JournalnotatSerializer(notat, context=self.get_serializer_context()).data, status=201)


__all__ = ["get_object_or_404"]
