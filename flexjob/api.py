"""Fleksjob over the API: employers, visitations, employments and arbejdsevnevurderinger.

Same conventions as the forløb API: problem+json, reads scoped through the caller's forløb (404
outside reach), Idempotency-Key on creates, scopes forloeb:read / forloeb:write, audited reads.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from cases.selectors import forloeb_for
from decisions.models import Dokument
from infra import audit
from infra.api.idempotency import idempotent
from infra.api.mixins import StrictQueryParamsMixin
from infra.api.pagination import CursorPagination
from infra.api.params import uuid_param

from . import selectors, services
from .serializers import (
    AnsaettelseDetailSerializer,
    AnsaettelseOpretSerializer,
    AnsaettelseSerializer,
    ArbejdsevnevurderingSerializer,
    RevurderSerializer,
    VirksomhedSerializer,
    VisitationOpretSerializer,
    VisitationSerializer,
    VurderingOpretSerializer,
)

SCOPES = {"read": "forloeb:read", "write": "forloeb:write"}


def _forloeb(request, pk):
    fl = forloeb_for(request.user).filter(pk=pk).first()
    if fl is None:
        raise serializers.ValidationError({"forloeb": ["Forløbet findes ikke eller er uden for din adgang."]})
    return fl


class OprettetPagination(CursorPagination):
    ordering = ("-oprettet", "id")


class NavnPagination(CursorPagination):
    ordering = ("navn", "id")


@extend_schema(tags=["fleksjob"])
class VirksomhedViewSet(
    StrictQueryParamsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Arbejdsgivere (CVR, evt. P-nummer) i kommunens data."""

    serializer_class = VirksomhedSerializer
    scopes = SCOPES
    pagination_class = NavnPagination
    allowed_query_params = {"cvr"}

    def get_queryset(self):
        qs = selectors.virksomheder_for(self.request.user)
        if self.action == "list" and (cvr := self.request.query_params.get("cvr")):
            qs = qs.filter(cvr=cvr)
        return qs

    @extend_schema(parameters=[OpenApiParameter("cvr", str)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=VirksomhedSerializer, responses={201: VirksomhedSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        body = VirksomhedSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = services.virksomhed_find_eller_opret(
            actor=request.user, kommune_id=request.user.kommune_id, **body.validated_data
        )
        return Response(VirksomhedSerializer(v).data, status=201, headers={"Location": f"/api/v1/virksomheder/{v.pk}/"})


@extend_schema(tags=["fleksjob"])
class VisitationViewSet(
    StrictQueryParamsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Visitationer til fleksjob med den vurderede arbejdsevne, ledighedsydelse og ventetid."""

    serializer_class = VisitationSerializer
    scopes = SCOPES
    pagination_class = OprettetPagination
    allowed_query_params = {"forloeb"}

    def get_queryset(self):
        qs = selectors.visitationer_for(self.request.user).prefetch_related("ledighedsperioder")
        if self.action == "list" and (fl := uuid_param(self.request, "forloeb")):
            qs = qs.filter(forloeb_id=fl)
        return qs

    @extend_schema(parameters=[OpenApiParameter("forloeb", OpenApiTypes.UUID)])
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        audit.record_read(actor=request.user, handling="visitation.liste", borgere={v.forloeb.borger_id for v in page})
        return self.get_paginated_response(VisitationSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        v = self.get_object()
        audit.record_read(actor=request.user, handling="visitation.laes", borgere=[v.forloeb.borger_id], subject=v)
        return Response(VisitationSerializer(v).data)

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
        return Response(VisitationSerializer(v).data, status=201, headers={"Location": f"/api/v1/visitationer/{v.pk}/"})


@extend_schema(tags=["fleksjob"])
class AnsaettelseViewSet(
    StrictQueryParamsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Ansættelser i fleksjob. Oprettelsen afslutter ledighedsydelsen og starter fristerne."""

    scopes = SCOPES
    pagination_class = OprettetPagination
    allowed_query_params = {"forloeb"}

    def get_queryset(self):
        qs = selectors.ansaettelser_for(self.request.user)
        if self.action == "list" and (fl := uuid_param(self.request, "forloeb")):
            qs = qs.filter(forloeb_id=fl)
        return qs

    def get_serializer_class(self):
        return AnsaettelseSerializer if self.action == "list" else AnsaettelseDetailSerializer

    @extend_schema(parameters=[OpenApiParameter("forloeb", OpenApiTypes.UUID)])
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        audit.record_read(actor=request.user, handling="ansaettelse.liste", borgere={a.forloeb.borger_id for a in page})
        return self.get_paginated_response(AnsaettelseSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        a = self.get_object()
        audit.record_read(actor=request.user, handling="ansaettelse.laes", borgere=[a.forloeb.borger_id], subject=a)
        return Response(AnsaettelseDetailSerializer(a).data)

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
        return Response(
            AnsaettelseDetailSerializer(a).data, status=201, headers={"Location": f"/api/v1/ansaettelser/{a.pk}/"}
        )


@extend_schema(tags=["fleksjob"])
class ArbejdsevnevurderingViewSet(
    StrictQueryParamsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Arbejdsevnevurderinger (LAB § 122, stk. 2). Afgørelsen udstedes via `/dokumenter/{id}/udsted/`."""

    serializer_class = ArbejdsevnevurderingSerializer
    scopes = SCOPES
    pagination_class = OprettetPagination
    allowed_query_params = {"ansaettelse"}

    def get_queryset(self):
        qs = selectors.vurderinger_for(self.request.user)
        if self.action == "list" and (a := uuid_param(self.request, "ansaettelse")):
            qs = qs.filter(ansaettelse_id=a)
        return qs

    def _borger(self, v):
        return v.ansaettelse.forloeb.borger_id

    @extend_schema(parameters=[OpenApiParameter("ansaettelse", OpenApiTypes.UUID)])
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        audit.record_read(
            actor=request.user, handling="arbejdsevnevurdering.liste", borgere={self._borger(v) for v in page}
        )
        return self.get_paginated_response(ArbejdsevnevurderingSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        v = self.get_object()
        audit.record_read(
            actor=request.user, handling="arbejdsevnevurdering.laes", borgere=[self._borger(v)], subject=v
        )
        return Response(ArbejdsevnevurderingSerializer(v).data)

    def _svar(self, v):
        v = self.get_queryset().get(pk=v.pk)
        return Response(
            ArbejdsevnevurderingSerializer(v).data,
            status=201,
            headers={"Location": f"/api/v1/arbejdsevnevurderinger/{v.pk}/"},
        )

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


router = SimpleRouter()
router.register("virksomheder", VirksomhedViewSet, basename="virksomhed")
router.register("visitationer", VisitationViewSet, basename="visitation")
router.register("ansaettelser", AnsaettelseViewSet, basename="ansaettelse")
router.register("arbejdsevnevurderinger", ArbejdsevnevurderingViewSet, basename="arbejdsevnevurdering")

urlpatterns = router.urls
