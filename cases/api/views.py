from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases import services
from cases.selectors import borger_soeg, borgere_for
from infra import audit
from infra.api.etag import check_if_match, etag_for
from infra.api.mixins import StrictQueryParamsMixin, is_uuid
from infra.api.problems import Problem

from .serializers import BorgerOpretSerializer, BorgerSerializer, BorgerSoegSerializer, CprSerializer, CprVisSerializer


@extend_schema(tags=["borgere"])
class BorgerViewSet(
    StrictQueryParamsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Borgere i kaldets teams. CPR modtages kun ved oprettelse og søgning (i body) og vises maskeret."""

    serializer_class = BorgerSerializer
    scopes = {"read": "borgere:read", "write": "borgere:write"}
    http_method_names = ["get", "post", "patch", "head", "options"]
    allowed_query_params = {"team"}

    def get_queryset(self):
        qs = borgere_for(self.request.user).order_by("-oprettet", "id")
        team = self.request.query_params.get("team")
        if team:
            qs = qs.filter(team_id=team) if is_uuid(team) else qs.none()
        return qs

    def get_serializer_class(self):
        return BorgerOpretSerializer if self.action == "create" else BorgerSerializer

    @extend_schema(parameters=[OpenApiParameter("team", str, description="Team-id")])
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        audit.record_read(actor=request.user, handling="borger.liste", borgere=page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        borger = self.get_object()
        audit.record_read(actor=request.user, handling="borger.laes", borgere=[borger], subject=borger)
        return Response(self.get_serializer(borger).data, headers={"ETag": etag_for(borger)})

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        borger = serializer.save()
        return Response(
            BorgerSerializer(borger, context=self.get_serializer_context()).data,
            status=201,
            headers={"ETag": etag_for(borger), "Location": f"/api/v1/borgere/{borger.pk}/"},
        )

    def partial_update(self, request, *args, **kwargs):
        borger = self.get_object()
        version = check_if_match(request, borger)
        serializer = self.get_serializer(borger, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        try:
            borger = services.borger_opdater(
                actor=request.user, borger=borger, expected_version=version, **serializer.validated_data
            )
        except DjangoValidationError as exc:
            if getattr(exc, "code", None) == "stale":
                raise Problem(412, "foraeldet", exc.messages[0]) from None
            raise
        return Response(self.get_serializer(borger).data, headers={"ETag": etag_for(borger)})

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=BorgerSoegSerializer, responses=BorgerSerializer(many=True))
    @action(detail=False, methods=["post"])
    def soeg(self, request):
        """Søg på eksakt CPR eller navn. CPR sendes i body, så det aldrig står i en URL eller log."""
        params = BorgerSoegSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        query = params.validated_data.get("cpr") or params.validated_data.get("navn") or ""
        if not query.strip():
            raise serializers.ValidationError({"cpr": ["Angiv CPR-nummer eller navn."]})
        page = self.paginate_queryset(borger_soeg(request.user, query).order_by("-oprettet", "id"))
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
