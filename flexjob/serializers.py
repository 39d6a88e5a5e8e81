"""Serializers of the fleksjob API (bodies are validated here for shape; rules live in services)."""

from __future__ import annotations

from rest_framework import serializers

from cases.api.forloeb_serializers import FristSerializer

from . import selectors, services
from .models import Ansaettelse, Arbejdsevnevurdering, Virksomhed, Visitation

TIMER = {"max_digits": 4, "decimal_places": 1}


class VirksomhedSerializer(serializers.ModelSerializer):
    class Meta:
        model = Virksomhed
        fields = ["id", "cvr", "p_nummer", "navn", "kontaktperson", "telefon", "email", "oprettet"]
        read_only_fields = ["id", "oprettet"]
        extra_kwargs = {"cvr": {"validators": []}, "p_nummer": {"validators": []}}
        validators = []


class VentetidSerializer(serializers.Serializer):
    aktuel_dage = serializers.IntegerField()
    samlet_dage = serializers.IntegerField()
    paa_ledighedsydelse = serializers.BooleanField()
    siden = serializers.DateField(allow_null=True)


class LedighedsperiodeSerializer(serializers.Serializer):
    start = serializers.DateField()
    slut = serializers.DateField(allow_null=True)


class VisitationSerializer(serializers.ModelSerializer):
    ventetid = serializers.SerializerMethodField()
    ledighedsperioder = LedighedsperiodeSerializer(many=True, read_only=True)

    class Meta:
        model = Visitation
        fields = [
            "id", "forloeb", "afgoerelse", "dato", "baseline_timer", "baseline_intensitet", "meget_begraenset",
            "permanent", "ledighedsperioder", "ventetid", "oprettet",
        ]  # fmt: skip

    def get_ventetid(self, obj) -> VentetidSerializer:
        return VentetidSerializer(selectors.ventetid(obj)).data


class VisitationOpretSerializer(serializers.Serializer):
    forloeb = serializers.UUIDField()
    afgoerelse = serializers.UUIDField()
    dato = serializers.DateField(required=False, allow_null=True)
    baseline_timer = serializers.DecimalField(**TIMER)
    baseline_intensitet = serializers.IntegerField()
    meget_begraenset = serializers.BooleanField(default=False)
    permanent = serializers.BooleanField(default=False)
    ledighedsydelse_fra = serializers.DateField(required=False, allow_null=True)


class AnsaettelseSerializer(serializers.ModelSerializer):
    virksomhed = VirksomhedSerializer(read_only=True)

    class Meta:
        model = Ansaettelse
        fields = [
            "id", "forloeb", "visitation", "virksomhed", "start", "slut", "loennede_timer", "intensitet", "opgaver",
            "midlertidig", "timer_begrundelse", "kilde", "aftale", "oprettet",
        ]  # fmt: skip


class AnsaettelseDetailSerializer(AnsaettelseSerializer):
    aabne_frister = serializers.SerializerMethodField()
    vurderinger = serializers.SerializerMethodField()

    class Meta(AnsaettelseSerializer.Meta):
        fields = [*AnsaettelseSerializer.Meta.fields, "aabne_frister", "vurderinger"]

    def get_aabne_frister(self, obj) -> FristSerializer(many=True):
        return FristSerializer(selectors.aabne_frister(obj), many=True).data

    def get_vurderinger(self, obj) -> list[str]:
        return [str(pk) for pk in obj.vurderinger.values_list("pk", flat=True)]


class AnsaettelseOpretSerializer(serializers.Serializer):
    forloeb = serializers.UUIDField()
    virksomhed = serializers.UUIDField()
    start = serializers.DateField()
    slut = serializers.DateField(required=False, allow_null=True)
    loennede_timer = serializers.DecimalField(**TIMER)
    intensitet = serializers.IntegerField(required=False, allow_null=True)
    opgaver = serializers.CharField(required=False, allow_blank=True, default="")
    timer_begrundelse = serializers.CharField(required=False, allow_blank=True, default="")


class SkaanehensynSerializer(serializers.Serializer):
    hensyn = serializers.CharField(allow_blank=True)
    imoedekommet = serializers.CharField(allow_blank=True, required=False, default="")


class MilepaelSerializer(serializers.Serializer):
    dato = serializers.DateField()
    beskrivelse = serializers.CharField()


class VurderingIndholdSerializer(serializers.Serializer):
    """The assessment's content (create and reassessment)."""

    timer = serializers.DecimalField(**TIMER)
    intensitet = serializers.IntegerField()
    job_timer = serializers.DecimalField(**TIMER, required=False, allow_null=True)
    job_intensitet = serializers.IntegerField(required=False, allow_null=True)
    opgaver = serializers.CharField(required=False, allow_blank=True)
    skaanehensyn = SkaanehensynSerializer(many=True, required=False)
    afvigelse_begrundelse = serializers.CharField(required=False, allow_blank=True)
    timer_begrundelse = serializers.CharField(required=False, allow_blank=True)
    hjaelpemidler = serializers.CharField(required=False, allow_blank=True)
    arbejdspladsindretning = serializers.CharField(required=False, allow_blank=True)
    personlig_assistance = serializers.CharField(required=False, allow_blank=True)
    mentor_timer_pr_uge = serializers.DecimalField(**TIMER, required=False, allow_null=True)
    mentor_varighed_uger = serializers.IntegerField(required=False, allow_null=True)
    progression = serializers.CharField(required=False, allow_blank=True)
    milepaele = MilepaelSerializer(many=True, required=False)
    opfoelgningsdatoer = serializers.ListField(child=serializers.DateField(), required=False)
    faelles_anmodning = serializers.BooleanField(default=False)

    def validate(self, attrs):
        attrs = dict(attrs)
        if "milepaele" in attrs:
            attrs["milepaele"] = [
                {"dato": m["dato"].isoformat(), "beskrivelse": m["beskrivelse"]} for m in attrs["milepaele"]
            ]
        if "opfoelgningsdatoer" in attrs:
            attrs["opfoelgningsdatoer"] = [d.isoformat() for d in attrs["opfoelgningsdatoer"]]
        if "skaanehensyn" in attrs:
            attrs["skaanehensyn"] = [dict(h) for h in attrs["skaanehensyn"]]
        return attrs


class VurderingOpretSerializer(VurderingIndholdSerializer):
    ansaettelse = serializers.UUIDField()


class RevurderSerializer(VurderingIndholdSerializer):
    timer = serializers.DecimalField(**TIMER, required=False)
    intensitet = serializers.IntegerField(required=False)
    faelles_anmodning = serializers.BooleanField(
        help_text="Arbejdsgiver og medarbejder har sammen bedt om en ny vurdering (påkrævet)."
    )


class AdvarselSerializer(serializers.Serializer):
    kode = serializers.CharField()
    besked = serializers.CharField()
    felt = serializers.CharField()


class ArbejdsevnevurderingSerializer(serializers.ModelSerializer):
    effektive_timer = serializers.DecimalField(max_digits=6, decimal_places=2, read_only=True)
    afviger = serializers.BooleanField(read_only=True)
    advarsler = serializers.SerializerMethodField()
    mangler = serializers.SerializerMethodField()
    dokument_status = serializers.CharField(source="dokument.status", read_only=True)
    tekst = serializers.CharField(source="dokument.tekst", read_only=True)

    class Meta:
        model = Arbejdsevnevurdering
        fields = [
            "id", "ansaettelse", "version", "forrige", "faelles_anmodning", "dokument", "dokument_status", "tekst",
            "timer", "intensitet", "effektive_timer", "job_timer", "job_intensitet", "afviger", "baseline_timer",
            "baseline_intensitet", "opgaver", "skaanehensyn", "afvigelse_begrundelse", "timer_begrundelse",
            "hjaelpemidler", "arbejdspladsindretning", "personlig_assistance", "mentor_timer_pr_uge",
            "mentor_varighed_uger", "progression", "milepaele", "opfoelgningsdatoer", "advarsler", "mangler",
            "oprettet",
        ]  # fmt: skip

    def get_advarsler(self, obj) -> AdvarselSerializer(many=True):
        return services.advarsler(obj)

    def get_mangler(self, obj) -> AdvarselSerializer(many=True):
        if obj.dokument.status != "kladde":
            return []
        return services.mangler(obj)
