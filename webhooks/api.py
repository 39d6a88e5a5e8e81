"""Webhooks over the API: an API client manages its own subscriptions and reads its delivery log
(and replays a delivery); the municipality's employees may read both, for support. Anything outside
the caller's reach answers 404. The subscription secret is returned once, in the 201 of its creation."""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from infra import audit
from infra.api.mixins import StrictQueryParamsMixin, is_uuid
from infra.api.problems import Problem
from webhooks import services as webhooks
from webhooks.models import HaendelseType, LeveringStatus, WebhookAbonnement, WebhookLevering


def _er_klient(user) -> bool:
    return getattr(user, "er_api_klient", False)


class WebhookAdgang(permissions.BasePermission):
    """API clients manage their own webhooks (no extra scope: they only ever see their own);
    employees of the municipality may only read."""

    message = "Medarbejdere kan kun se webhooks; de oprettes og ændres af API-klienten selv."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not getattr(user, "is_authenticated", False):
            return False
        return _er_klient(user) or request.method in permissions.SAFE_METHODS


# --- Serializers ---------------------------------------------------------------------------------
class WebhookAbonnementSerializer(serializers.ModelSerializer):
    haendelser = serializers.ListField(child=serializers.ChoiceField(choices=HaendelseType.choices))
    klient_navn = serializers.CharField(source="klient.navn", read_only=True)

    class Meta:
        model = WebhookAbonnement
        fields = ["id", "url", "haendelser", "aktiv", "klient", "klient_navn", "oprettet"]
        read_only_fields = ["id", "aktiv", "klient", "klient_navn", "oprettet"]


class WebhookAbonnementOpretSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=500)
    haendelser = serializers.ListField(
        child=serializers.ChoiceField(choices=HaendelseType.choices), min_length=1, max_length=20
    )

    def validate_url(self, value: str) -> str:
        if fejl := webhooks.adresse_fejl(value):
            raise serializers.ValidationError(fejl)
        return value

    def validate_haendelser(self, value: list[str]) -> list[str]:
        scopes = set(getattr(self.context["request"].user, "scopes", ()))
        mangler = [h for h in value if webhooks.SCOPE_FOR_HAENDELSE[h] not in scopes]
        if mangler:
            raise serializers.ValidationError(
                "Klienten har ikke rettighed (scope) til at modtage: "
                + ", ".join(f"{h} (kræver {webhooks.SCOPE_FOR_HAENDELSE[h]})" for h in mangler)
            )
        return list(dict.fromkeys(value))


class WebhookAbonnementOprettetSerializer(WebhookAbonnementSerializer):
    hemmelighed = serializers.CharField(
        read_only=True, help_text="Nøglen til at verificere X-Signatur. Vises kun her, ved oprettelsen."
    )

    class Meta(WebhookAbonnementSerializer.Meta):
        fields = [*WebhookAbonnementSerializer.Meta.fields, "hemmelighed"]


class WebhookLeveringSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookLevering
        fields = [
            "id",
            "abonnement",
            "haendelse",
            "haendelse_id",
            "status",
            "forsoeg",
            "sidste_status_kode",
            "sidste_fejl",
            "naeste_forsoeg",
            "leveret",
            "oprettet",
            "payload",
        ]
        read_only_fields = fields


# --- Views ---------------------------------------------------------------------------------------
def abonnementer_for(user):
    qs = WebhookAbonnement.objects.select_related("klient")
    if _er_klient(user):
        return qs.filter(klient_id=user.klient.pk)
    kommune_id = getattr(user, "kommune_id", None)
    if kommune_id is None:
        return qs.none()
    return qs.filter(klient__kommune_id=kommune_id)


@extend_schema(tags=["webhooks"])
class WebhookAbonnementViewSet(
    StrictQueryParamsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Webhook-abonnementer. Leveringer signeres med `X-Signatur: sha256=<hex>` (HMAC-SHA256 af den
    præcise body med abonnementets hemmelighed) og sendes med `X-Haendelse` og `X-Levering-Id`."""

    permission_classes = [WebhookAdgang]
    serializer_class = WebhookAbonnementSerializer
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        return abonnementer_for(self.request.user).filter(aktiv=True)

    @extend_schema(request=WebhookAbonnementOpretSerializer, responses={201: WebhookAbonnementOprettetSerializer})
    def create(self, request, *args, **kwargs):
        body = WebhookAbonnementOpretSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        with transaction.atomic():
            abonnement = WebhookAbonnement.objects.create(klient=request.user.klient, **body.validated_data)
            audit.record(
                actor=request.user,
                handling=webhooks.AUDIT_OPRET,
                subject=abonnement,
                kommune_id=abonnement.klient.kommune_id,
                efter={"url": abonnement.url, "haendelser": abonnement.haendelser},
            )
        data = WebhookAbonnementOprettetSerializer(abonnement, context=self.get_serializer_context()).data
        return Response(
            data,
            status=201,
            headers={"Location": f"/api/v1/webhooks/{abonnement.pk}/", "Cache-Control": "no-store"},
        )

    def destroy(self, request, *args, **kwargs):
        """Stop abonnementet. Leveringsloggen bevares; afventende leveringer sendes ikke."""
        abonnement = self.get_object()
        with transaction.atomic():
            WebhookAbonnement.objects.filter(pk=abonnement.pk).update(aktiv=False)
            audit.record(
                actor=request.user,
                handling=webhooks.AUDIT_SLET,
                subject=abonnement,
                kommune_id=abonnement.klient.kommune_id,
                foer={"url": abonnement.url, "haendelser": abonnement.haendelser},
            )
        return Response(status=204)


@extend_schema(tags=["webhooks"])
class WebhookLeveringViewSet(
    StrictQueryParamsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Leveringsloggen: status, antal forsøg og sidste fejl for hver hændelse sendt til et abonnement."""

    permission_classes = [WebhookAdgang]
    serializer_class = WebhookLeveringSerializer
    allowed_query_params = {"status", "haendelse", "abonnement"}

    def get_queryset(self):
        qs = WebhookLevering.objects.filter(abonnement__in=abonnementer_for(self.request.user))
        if self.action == "list":
            params = self.request.query_params
            errors = {}
            if (status := params.get("status")) and status not in LeveringStatus.values:
                errors["status"] = [f"Ukendt værdi. Brug en af: {', '.join(LeveringStatus.values)}."]
            if (haendelse := params.get("haendelse")) and haendelse not in HaendelseType.values:
                errors["haendelse"] = [f"Ukendt værdi. Brug en af: {', '.join(HaendelseType.values)}."]
            if (abonnement := params.get("abonnement")) and not is_uuid(abonnement):
                errors["abonnement"] = ["Skal være et UUID."]
            if errors:
                raise serializers.ValidationError(errors)
            if status:
                qs = qs.filter(status=status)
            if haendelse:
                qs = qs.filter(haendelse=haendelse)
            if abonnement:
                qs = qs.filter(abonnement_id=abonnement)
        return qs

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=LeveringStatus.values),
            OpenApiParameter("haendelse", str, enum=HaendelseType.values),
            OpenApiParameter("abonnement", str, description="Abonnementets id (UUID)"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses={202: WebhookLeveringSerializer})
    @action(detail=True, methods=["post"])
    def genafspil(self, request, pk=None):
        """Send leveringen igen fra loggen (med nye forsøg). 409 hvis abonnementet er stoppet."""
        levering = self.get_object()
        try:
            levering = webhooks.genafspil(levering, actor=request.user)
        except webhooks.IkkeAktivt:
            raise Problem(
                409, "abonnement-inaktivt", "Abonnementet er stoppet eller klienten deaktiveret; kan ikke genafspilles."
            ) from None
        return Response(self.get_serializer(levering).data, status=202)


router = SimpleRouter()
router.register("webhooks", WebhookAbonnementViewSet, basename="webhook")
router.register("webhook-leveringer", WebhookLeveringViewSet, basename="webhook-levering")

urlpatterns = router.urls
