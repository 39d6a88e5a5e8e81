"""Decisions and letters over the API (``/api/v1/afgoerelser/``).

Text fields are returned exactly as typed (JSON strings); they are escaped where they are
rendered (the PDF template, the HTML pages), never interpreted.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import Dokument, DokumentStatus, DokumentType, Faktum, Kanal

KILDE_TYPER = [
    ("bilag", "Bilag i forberedende del"),
    ("dokument", "Udstedt dokument i forløbet"),
    ("journalnotat", "Journalnotat"),
    ("indstilling", "Rehabiliteringsteamets indstilling"),
]
TEKST_MAX = 20000


class FaktumSerializer(serializers.ModelSerializer):
    kilde_type = serializers.ChoiceField(choices=KILDE_TYPER)
    tekst = serializers.CharField(max_length=TEKST_MAX)

    class Meta:
        model = Faktum
        fields = ["tekst", "kilde_type", "kilde_id", "kilde_titel"]
        read_only_fields = ["kilde_titel"]


class LovhenvisningSerializer(serializers.Serializer):
    kode = serializers.CharField()
    lov = serializers.CharField()
    paragraf = serializers.CharField()
    titel = serializers.CharField()


class ForsendelseSerializer(serializers.Serializer):
    kanal = serializers.ChoiceField(choices=Kanal.choices)
    afsendt = serializers.DateTimeField()
    modtaget_dato = serializers.DateField(help_text="Dagen borgeren anses for at have modtaget dokumentet")


class DokumentSerializer(serializers.ModelSerializer):
    er_afgoerelse = serializers.BooleanField(read_only=True)
    lovhenvisninger = serializers.SerializerMethodField()
    fakta = FaktumSerializer(many=True, read_only=True)
    pdf_status = serializers.SerializerMethodField(
        help_text="`ikke_udstedt` (kladde), `dannes` (udstedt, PDF under dannelse) eller `klar`"
    )
    pdf_url = serializers.SerializerMethodField()
    erstattet_af = serializers.SerializerMethodField(help_text="Det udstedte dokument, der erstatter dette")
    forsendelse = serializers.SerializerMethodField()

    class Meta:
        model = Dokument
        fields = [
            "id", "forloeb", "type", "status", "er_afgoerelse", "sagsnummer", "titel", "tekst", "hovedhensyn",
            "fuldt_medhold", "lovhenvisninger", "fakta", "arbejdsfunktioner", "fleksjob_afslag",
            "fleksjob_afslag_begrundelse", "sundhedsfaglig_raadgivning", "under_40_begrundelse", "data",
            "klagevejledning", "udstedt", "udstedt_af", "pdf_status", "pdf_sha256", "pdf_url", "erstatter",
            "erstattet_af", "forsendelse", "sagsbehandler", "version", "oprettet", "opdateret",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(LovhenvisningSerializer(many=True))
    def get_lovhenvisninger(self, obj) -> list[dict]:
        return [
            {"kode": lh.kode, "lov": lh.lov, "paragraf": lh.paragraf, "titel": lh.titel}
            for lh in obj.lovhenvisninger.order_by("kode")
        ]

    def get_pdf_status(self, obj) -> str:
        if obj.status == DokumentStatus.KLADDE:
            return "ikke_udstedt"
        return "klar" if obj.pdf_sha256 else "dannes"

    def get_pdf_url(self, obj) -> str | None:
        return f"/api/v1/afgoerelser/{obj.pk}/pdf/" if obj.pdf_sha256 else None

    def get_erstattet_af(self, obj) -> str | None:
        ny = getattr(obj, "erstattet_af", None)
        return str(ny.pk) if ny is not None and ny.status != DokumentStatus.KLADDE else None

    @extend_schema_field(ForsendelseSerializer(allow_null=True))
    def get_forsendelse(self, obj) -> dict | None:
        f = obj.forsendelser.first()
        return ForsendelseSerializer(f).data if f else None


class DokumentSkrivSerializer(serializers.Serializer):
    """The fields a caseworker writes in a draft. ``lovhenvisninger`` are codes from the catalogue."""

    titel = serializers.CharField(max_length=200, required=False)
    tekst = serializers.CharField(max_length=TEKST_MAX, required=False, allow_blank=True)
    hovedhensyn = serializers.CharField(max_length=TEKST_MAX, required=False, allow_blank=True)
    fuldt_medhold = serializers.BooleanField(required=False)
    lovhenvisninger = serializers.ListField(
        child=serializers.CharField(max_length=60), max_length=50, required=False,
        help_text="Koder fra lovhenvisningskataloget, fx `lab_116`",
    )  # fmt: skip
    fakta = FaktumSerializer(many=True, required=False)
    arbejdsfunktioner = serializers.ListField(
        child=serializers.CharField(max_length=500), max_length=50, required=False
    )
    fleksjob_afslag = serializers.BooleanField(required=False)
    fleksjob_afslag_begrundelse = serializers.CharField(max_length=TEKST_MAX, required=False, allow_blank=True)
    sundhedsfaglig_raadgivning = serializers.CharField(max_length=30, required=False, allow_blank=True)
    under_40_begrundelse = serializers.CharField(max_length=TEKST_MAX, required=False, allow_blank=True)
    data = serializers.DictField(required=False, help_text="Brevets felter, fx `moede_tidspunkt`, `aarsag`")

    def validate_fakta(self, value):
        if len(value) > 50:
            raise serializers.ValidationError("Højst 50 oplysninger.")
        return [{"tekst": f["tekst"], "kilde_type": f["kilde_type"], "kilde_id": str(f["kilde_id"])} for f in value]


class DokumentOpretSerializer(DokumentSkrivSerializer):
    forloeb = serializers.UUIDField()
    type = serializers.ChoiceField(choices=DokumentType.choices)
    erstatter = serializers.UUIDField(
        required=False, help_text="Et udstedt dokument i samme forløb, som dette retter (erstatter)"
    )


class MangelSerializer(serializers.Serializer):
    kode = serializers.CharField()
    besked = serializers.CharField()
    felt = serializers.CharField()


class LintSvarSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=DokumentStatus.choices)
    kan_udstedes = serializers.BooleanField()
    mangler = MangelSerializer(many=True)


class AfsendSerializer(serializers.Serializer):
    kanal = serializers.ChoiceField(choices=Kanal.choices)
