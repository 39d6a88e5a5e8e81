"""Webhooks over the API: an API client manages its own subscriptions and reads its delivery log
(and replays a delivery); the municipality's employees may read both, for support. Anything outside
the caller's reach answers 404. The subscription secret is returned once, in the 201 of its creation."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

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
    employees of the municipality may only read."""

    message = "Medarbejdere kan kun se webhooks; de oprettes og ændres af API-klienten selv."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not getattr(user, "is_authenticated", False):
            return False
        return selectors.er_klient(user) or request.method in permissions.SAFE_METHODS


@extend_schema(tags=["webhooks"])
class WebhookAbonnementViewSet(
    StrictQueryParamsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Webhook-abonnementer. Leveringer signeres med `X-Signatur: sha256=<hex>` (HMAC-SHA256 af den
    præcise body med abonnementets hemmelighed) og sendes med `X-Haendelse` og `X-Levering-Id`."""

    permission_classes = [WebhookAdgang]
    serializer_class = WebhookAbonnementSerializer
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.abonnementer_for(self.request.user).filter(aktiv=True)

    @extend_schema(request=WebhookAbonnementOpretSerializer, responses={201: WebhookAbonnementOprettetSerializer})
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
    StrictQueryParamsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Leveringsloggen: status, antal forsøg og sidste fejl for hver hændelse sendt til et abonnement."""

    permission_classes = [WebhookAdgang]
    serializer_class = WebhookLeveringSerializer
    filterset_class = LeveringFilter

    def get_queryset(self):
        return selectors.leveringer_for(self.request.user)

    @extend_schema(request=None, responses={202: WebhookLeveringSerializer})
    @action(detail=True, methods=["post"])
    def genafspil(self, request, pk=None):
        """Send leveringen igen fra loggen (med nye forsøg). 409 hvis abonnementet er stoppet."""
        levering = webhooks.genafspil(self.get_object(), actor=request.user)
        return Response(self.get_serializer(levering).data, status=202)
