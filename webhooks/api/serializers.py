"""Webhook subscriptions and their delivery log over the API."""

from __future__ import annotations

from rest_framework import serializers

from webhooks import services as webhooks
from webhooks.models import HaendelseType, WebhookAbonnement, WebhookLevering


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
