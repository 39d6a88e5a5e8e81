"""Representations of complaints (klager) over the API. Validation of shape only: the rules live
in :mod:`decisions.klager`."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .klager import genvurdering_brev
from .models import AnkeResultat, Klage, KlageKanal, KlageStatus


class KlageSerializer(serializers.ModelSerializer):
    borger = serializers.UUIDField(source="forloeb.borger_id", read_only=True)
    indhold = serializers.CharField(source="klagens_indhold", read_only=True)
    afgoerelse_titel = serializers.CharField(source="afgoerelse.titel", read_only=True)
    genvurdering_brev = serializers.SerializerMethodField(
        help_text="Brevet til borgeren om genvurderingens resultat (kladde, indtil det udstedes)"
    )
    ankepakke = serializers.SerializerMethodField(help_text="Sti til ankepakken (ZIP), når den er dannet")

    class Meta:
        model = Klage
        fields = [
            "id", "afgoerelse", "afgoerelse_titel", "forloeb", "borger", "modtaget_dato", "kanal", "for_sent",
            "indhold", "status", "genvurderet_dato", "genvurdering_begrundelse", "ny_afgoerelse",
            "genvurdering_brev", "sendt_til_ankestyrelsen", "ankepakke", "ankepakke_sha256",
            "ankestyrelsens_resultat", "resultat_dato", "oprettet",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_genvurdering_brev(self, obj) -> str | None:

        if obj.status == KlageStatus.MODTAGET:
            return None
        brev = genvurdering_brev(obj)
        return str(brev.pk) if brev else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_ankepakke(self, obj) -> str | None:
        return f"/api/v1/klager/{obj.pk}/ankepakke/" if obj.ankepakke_sha256 else None


def _valg(choices, **kwargs) -> serializers.ChoiceField:
    """A choice field with an explicit enum schema, so drf-spectacular names its component after the
    serializer (``GenvurderResultatEnum``): these sets share field names ("kanal", "resultat") with
    other choice sets, and named after the field alone they collide (``make schema`` fails)."""

    @extend_schema_field({"type": "string", "enum": [value for value, _ in choices]})
    class Valg(serializers.ChoiceField):
        pass

    return Valg(choices=choices, **kwargs)


class KlageOpretSerializer(serializers.Serializer):
    afgoerelse = serializers.UUIDField(help_text="Den påklagede afgørelse")
    modtaget_dato = serializers.DateField(help_text="Datoen, kommunen modtog klagen")
    kanal = _valg(KlageKanal.choices, help_text="Hvordan klagen kom ind")
    indhold = serializers.CharField(required=False, allow_blank=True, default="", max_length=100_000)


class GenvurderSerializer(serializers.Serializer):
    resultat = _valg([(s.value, s.label) for s in (KlageStatus.MEDHOLD, KlageStatus.FASTHOLDT)])
    begrundelse = serializers.CharField(max_length=100_000)
    ny_afgoerelse = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="Ved medhold: den nye udstedte afgørelse, der erstatter den påklagede",
    )


class AnkeResultatSerializer(serializers.Serializer):
    resultat = _valg(AnkeResultat.choices)
    dato = serializers.DateField(help_text="Datoen for Ankestyrelsens afgørelse")
