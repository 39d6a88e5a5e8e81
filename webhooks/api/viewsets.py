"""Webhooks over the API: an API client manages its own subscriptions and reads its delivery log
(and replays a delivery); the municipality's integration administrators may read both, for support.
Every read is audited. Anything outside
the caller's reach answers 404. The subscription secret is returned once, in the 201 of its creation."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from infra import audit
from infra.api.etag import IfMatchPaakraevet, etag_for
from infra.api.idempotency import idempotent
from infra.api.mixins import StrictQueryParamsMixin
from webhooks import selectors
from webhooks import services as webhooks

from .filters import LeveringFilter
from .serializers import (
    WebhookAbonnementOpretSerializer,
    WebhookAbonnementOprettetSerializer,
    WebhookAbonnementSerializer,
    WebhookLeveringSerializer,
)


class WebhookAdgang(permissions.BasePermission):
    """API clients manage their own webhooks (no extra scope: they only ever see their own);
    of the municipality's employees only integration administrators (``webhooks.se_leveringslog``)
    may read them, for support, and only read."""

    message = "Kun integrationsadministratorer kan se webhooks; de oprettes og ændres af API-klienten selv."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not getattr(user, "is_authenticated", False):
            return False
        if selectors.er_klient(user):
            return True
        return request.method in permissions.SAFE_METHODS and selectors.er_integrationsadministrator(user)


class LaesningLogges:
    """Every list and retrieve of the subscriptions and the delivery log is written to the audit log."""

    laes_handling: str

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        audit.record_teknisk_laesning(
            actor=request.user, handling=f"{self.laes_handling}.liste", kommune_id=request.user.kommune_id
        )
        return response

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        audit.record_teknisk_laesning(
            actor=request.user, handling=f"{self.laes_handling}.laes", kommune_id=request.user.kommune_id, subject=obj
        )
        return Response(self.get_serializer(obj).data, headers={"ETag": etag_for(obj)})


@extend_schema(tags=["webhooks"])
class WebhookAbonnementViewSet(
    LaesningLogges,
    StrictQueryParamsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Webhook-abonnementer. Leveringer signeres med `X-Signatur: sha256=<hex>` (HMAC-SHA256 af den
    præcise body med abonnementets hemmelighed) og sendes med `X-Haendelse` og `X-Levering-Id`."""

    permission_classes = [WebhookAdgang, IfMatchPaakraevet]
    serializer_class = WebhookAbonnementSerializer
    laes_handling = "webhook"
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.abonnementer_for(self.request.user).filter(aktiv=True)

    @extend_schema(request=WebhookAbonnementOpretSerializer, responses={201: WebhookAbonnementOprettetSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        body = WebhookAbonnementOpretSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        abonnement = webhooks.abonnement_opret(actor=request.user, **body.validated_data)
        data = WebhookAbonnementOprettetSerializer(abonnement, context=self.get_serializer_context()).data
        headers = {"Location": reverse("webhook-detail", args=[abonnement.pk]), "Cache-Control": "no-store"}
        return Response(data, status=201, headers=headers)

    def destroy(self, request, *args, **kwargs):
        """Stop abonnementet. Leveringsloggen bevares; afventende leveringer sendes ikke."""
        webhooks.abonnement_stop(actor=request.user, abonnement=self.get_object())
        return Response(status=204)


@extend_schema(tags=["webhooks"])
class WebhookLeveringViewSet(
    LaesningLogges, StrictQueryParamsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Leveringsloggen: status, antal forsøg og sidste fejl for hver hændelse sendt til et abonnement."""

    permission_classes = [WebhookAdgang, IfMatchPaakraevet]
    serializer_class = WebhookLeveringSerializer
    laes_handling = "webhook_levering"
    filterset_class = LeveringFilter

    def get_queryset(self):
        return selectors.leveringer_for(self.request.user)

    @extend_schema(request=None, responses={202: WebhookLeveringSerializer})
    @action(detail=True, methods=["post"])
    @idempotent
    def genafspil(self, request, pk=None):
        """Send leveringen igen fra loggen (med nye forsøg). 409 hvis abonnementet er stoppet."""
        levering = webhooks.genafspil(self.get_object(), actor=request.user)
        return Response(self.get_serializer(levering).data, status=202)
