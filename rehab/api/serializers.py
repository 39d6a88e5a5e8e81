"""Rehab over the API: representations and request bodies. No business rules here — the bodies only
type-check input; ``rehab.services`` decides (and answers with Danish field errors)."""

from __future__ import annotations

import os
from collections.abc import Mapping

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.models import Udfald
from decisions.models import Dokument, DokumentType
from rehab import rules, services
from rehab.models import (
    SEKTIONER,
    TJEKLISTE,
    Bilag,
    BilagType,
    Booking,
    ForberedendeDel,
    Indstilling,
    Moededag,
    Omraade,
    Partshoering,
    SundhedsKilde,
    Teammedlem,
    TjekSvar,
    Undtagelse,
)

TEKST_MAX = 20000
BILAG_MAX_BYTES = 20 * 1024 * 1024
BILAG_ENDELSER = {".pdf", ".jpg", ".jpeg", ".png"}
KILDE_TYPER = ["bilag", "indstilling", "journalnotat", "dokument", "tilbud", "bevilling"]


class StriktSerializer(serializers.Serializer):
    """A request body that answers unknown fields with 400 instead of silently dropping them."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            ukendte = set(data) - set(self.fields)
            if ukendte:
                raise serializers.ValidationError({f: ["Ukendt felt."] for f in sorted(ukendte)})
        return super().to_internal_value(data)


def _tekst(**kw):
    return serializers.CharField(required=False, allow_blank=True, max_length=TEKST_MAX, trim_whitespace=False, **kw)


# --- forberedende del -----------------------------------------------------------------------------
class BilagSerializer(serializers.ModelSerializer):
    har_fil = serializers.SerializerMethodField()
    helbredsdokument = serializers.BooleanField(source="er_helbredsdokument", read_only=True)

    class Meta:
        model = Bilag
        fields = [
            "id", "type", "titel", "dokument_dato", "kilde", "resume", "har_fil", "helbredsdokument", "oprettet",
            "oprettet_af",
        ]  # fmt: skip
        read_only_fields = fields

    def get_har_fil(self, obj) -> bool:
        return bool(obj.fil)


class BilagOpretSerializer(StriktSerializer):
    type = serializers.ChoiceField(choices=BilagType.choices)
    titel = serializers.CharField(max_length=200)
    dokument_dato = serializers.DateField()
    kilde = serializers.ChoiceField(choices=SundhedsKilde.choices, required=False, allow_blank=True, default="")
    resume = _tekst(default="")
    fil = serializers.FileField(required=False, allow_null=True, help_text="PDF, JPEG eller PNG, højst 20 MB")

    def validate_fil(self, fil):
        if fil is None:
            return fil
        if os.path.splitext(fil.name or "")[1].lower() not in BILAG_ENDELSER:
            raise serializers.ValidationError("Vedhæft en PDF-, JPEG- eller PNG-fil.")
        if fil.size > BILAG_MAX_BYTES:
            raise serializers.ValidationError("Filen er for stor (højst 20 MB).")
        return fil


class ForberedendeDelSerializer(serializers.ModelSerializer):
    manglende_sektioner = serializers.SerializerMethodField(help_text="Afsnit, der ikke er udfyldt (blokerer)")
    advarsler = serializers.SerializerMethodField(help_text="Opmærksomhedspunkter, der ikke blokerer")
    lae265_opfyldt = serializers.SerializerMethodField()
    bilag = BilagSerializer(many=True, read_only=True)

    class Meta:
        model = ForberedendeDel
        fields = [
            "id", "forloeb", *[n for n, _ in SEKTIONER], "skrevet_med_borger_dato", "borgerens_bemaerkninger",
            "egen_ansoegning_eksisterende_dokumentation", "laegeattest_undladt_begrundelse",
            *[n for n, _ in TJEKLISTE], "udeladte_sektioner", "manglende_sektioner", "advarsler", "lae265_opfyldt",
            "bilag", "version", "oprettet", "opdateret",
        ]  # fmt: skip
        read_only_fields = fields

    def get_manglende_sektioner(self, obj) -> list[str]:
        return rules.manglende_sektioner(obj)

    def get_advarsler(self, obj) -> list[str]:
        return rules.advarsler(obj)

    def get_lae265_opfyldt(self, obj) -> bool:
        return rules.lae265_opfyldt(obj)


class ForberedendeDelListeSerializer(ForberedendeDelSerializer):
    class Meta(ForberedendeDelSerializer.Meta):
        fields = ["id", "forloeb", "skrevet_med_borger_dato", "manglende_sektioner", "version", "oprettet", "opdateret"]
        read_only_fields = fields


class ForberedendeDelOpretSerializer(StriktSerializer):
    forloeb = serializers.UUIDField()


class ForberedendeDelOpdaterSerializer(StriktSerializer):
    skrevet_med_borger_dato = serializers.DateField(required=False, allow_null=True)
    borgerens_bemaerkninger = _tekst()
    egen_ansoegning_eksisterende_dokumentation = serializers.BooleanField(required=False)
    laegeattest_undladt_begrundelse = _tekst()
    udeladte_sektioner = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=TEKST_MAX),
        required=False,
        help_text="Når sagen ikke forelægges teamet: {afsnit: begrundelse} for hvert afsnit, der ikke er relevant",
    )

    def get_fields(self):
        fields = super().get_fields()
        for navn, label in SEKTIONER:
            fields[navn] = _tekst(help_text=label)
        for navn, spoergsmaal in TJEKLISTE:
            fields[navn] = serializers.ChoiceField(
                choices=TjekSvar.choices, required=False, allow_blank=True, help_text=spoergsmaal
            )
        return fields


# --- meetings -------------------------------------------------------------------------------------
class TeammedlemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Teammedlem
        fields = ["id", "navn", "omraade"]
        read_only_fields = ["id"]


class MoededagSerializer(serializers.ModelSerializer):
    ledige_pladser = serializers.SerializerMethodField()
    moedeleder_navn = serializers.SerializerMethodField()
    medlemmer = TeammedlemSerializer(many=True, read_only=True)

    class Meta:
        model = Moededag
        fields = [
            "id", "dato", "sted", "kapacitet", "ledige_pladser", "moedeleder", "moedeleder_navn", "medlemmer",
            "oprettet",
        ]  # fmt: skip
        read_only_fields = fields

    def get_ledige_pladser(self, obj) -> int:
        optaget = getattr(obj, "optaget", None)
        return obj.kapacitet - optaget if optaget is not None else services.ledige_pladser(obj)

    def get_moedeleder_navn(self, obj) -> str:
        return obj.moedeleder.get_full_name() if obj.moedeleder_id else ""


class MedlemInputSerializer(StriktSerializer):
    navn = serializers.CharField(max_length=200)
    omraade = serializers.ChoiceField(choices=Omraade.choices)


class MoededagOpretSerializer(StriktSerializer):
    dato = serializers.DateField()
    kapacitet = serializers.IntegerField(required=False, default=6)
    sted = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    moedeleder = serializers.IntegerField(required=False, allow_null=True, help_text="Medarbejder-id")
    medlemmer = MedlemInputSerializer(many=True, required=False, default=list)


class BookingSerializer(serializers.ModelSerializer):
    moede_dato = serializers.DateField(source="moededag.dato", read_only=True)
    indkaldelse = serializers.SerializerMethodField(help_text="Kladden til indkaldelsesbrevet (dokument-id)")

    class Meta:
        model = Booking
        fields = [
            "id", "forloeb", "moededag", "moede_dato", "tidspunkt", "status", "borger_til_stede", "bisidder_navn",
            "deltagere", "referat", "indkaldelse", "oprettet",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.UUID)
    def get_indkaldelse(self, obj):

        return (
            Dokument.objects.filter(
                forloeb_id=obj.forloeb_id, type=DokumentType.INDKALDELSE_REHABILITERINGSMOEDE, data__booking=str(obj.pk)
            )
            .values_list("pk", flat=True)
            .first()
        )


class BookingOpretSerializer(StriktSerializer):
    forloeb = serializers.UUIDField()
    moededag = serializers.UUIDField()
    tidspunkt = serializers.TimeField(required=False, allow_null=True)
    genforelaeg_begrundelse = _tekst(default="", help_text="Påkrævet når sagen genforelægges efter en indstilling")


class FlytSerializer(StriktSerializer):
    moededag = serializers.UUIDField(help_text="Den nye mødedag")
    aarsag = _tekst(default="", help_text="Hvorfor mødet flyttes (står i sagens historik)")
    tidspunkt = serializers.TimeField(required=False, allow_null=True)


class AfholdtSerializer(StriktSerializer):
    borger_til_stede = serializers.BooleanField()
    deltagere = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    bisidder_navn = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    referat = _tekst(default="")


# --- indstilling ----------------------------------------------------------------------------------
UDFALD_VALG = [*Udfald.choices, ("udsaettelse", "Udsættelse")]


class AnbefalingSerializer(serializers.Serializer):
    kode = serializers.CharField()
    besked = serializers.CharField()
    felt = serializers.CharField()


class IndstillingSerializer(serializers.ModelSerializer):
    anbefalinger = serializers.SerializerMethodField(
        help_text="Det, praksisundersøgelsen anbefaler, at indstillingen tager stilling til, og som mangler "
        "(blokerer ikke)"
    )

    class Meta:
        model = Indstilling
        fields = [
            "id", "forloeb", "booking", "udfald", "dato", "skrevet_af", *services.INDSTILLING_FELTER, "anbefalinger",
            "oprettet",
        ]  # fmt: skip
        read_only_fields = fields

    def get_anbefalinger(self, obj) -> AnbefalingSerializer(many=True):
        return services.indstilling_anbefalinger(obj)


class IndstillingOpretSerializer(StriktSerializer):
    forloeb = serializers.UUIDField()
    udfald = serializers.ChoiceField(choices=UDFALD_VALG)
    dato = serializers.DateField(required=False, allow_null=True)

    def get_fields(self):
        fields = super().get_fields()
        for f in Indstilling._meta.fields:
            if f.name in services.INDSTILLING_FELTER:
                hjaelp = str(f.verbose_name)
                if f.get_internal_type() == "BooleanField":
                    fields[f.name] = serializers.BooleanField(required=False, help_text=hjaelp)
                elif f.choices:
                    fields[f.name] = serializers.ChoiceField(
                        choices=f.choices, required=False, allow_blank=True, help_text=hjaelp
                    )
                elif f.get_internal_type() == "DecimalField":
                    fields[f.name] = serializers.DecimalField(
                        max_digits=4, decimal_places=1, required=False, allow_null=True, help_text=hjaelp
                    )
                elif f.get_internal_type() == "PositiveSmallIntegerField":
                    fields[f.name] = serializers.IntegerField(required=False, allow_null=True, help_text=hjaelp)
                else:
                    fields[f.name] = _tekst(help_text=hjaelp)
        return fields


# --- partshøring ----------------------------------------------------------------------------------
class GrundlagSerializer(StriktSerializer):
    tekst = serializers.CharField(max_length=TEKST_MAX, allow_blank=True)
    kilde_type = serializers.ChoiceField(choices=KILDE_TYPER)
    kilde_id = serializers.UUIDField()


class PartshoeringSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partshoering
        fields = [
            "id", "forloeb", "indstilling", "status", "grundlag", "brev", "sendt_dato", "svarfrist", "svar_dato",
            "svar_tekst", "undtagelse", "undtagelse_begrundelse", "oprettet",
        ]  # fmt: skip
        read_only_fields = fields


class PartshoeringOpretSerializer(StriktSerializer):
    forloeb = serializers.UUIDField()
    grundlag = GrundlagSerializer(many=True, allow_empty=True)
    tekst = _tekst(default="", help_text="Brevets indledning (standardtekst hvis tom)")


class PartshoeringSvarSerializer(StriktSerializer):
    dato = serializers.DateField()
    tekst = serializers.CharField(max_length=TEKST_MAX, allow_blank=True)


class PartshoeringUndtagSerializer(StriktSerializer):
    forloeb = serializers.UUIDField()
    undtagelse = serializers.ChoiceField(choices=Undtagelse.choices)
    begrundelse = serializers.CharField(max_length=TEKST_MAX, allow_blank=True)
