"""Decisions, letters and complaints over the API (``/api/v1/afgoerelser/``, ``/api/v1/klager/``).

Text fields are returned exactly as typed (JSON strings); they are escaped where they are
rendered (the PDF template, the HTML pages), never interpreted. Validation of shape only: the
rules live in :mod:`decisions.services` and :mod:`decisions.klager`.
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from decisions import spoergsmaal
from decisions.klager import genvurdering_brev
from decisions.models import (
    AnkeResultat,
    Dokument,
    DokumentStatus,
    DokumentType,
    Faktum,
    ForsendelseStatus,
    Kanal,
    Klage,
    KlageKanal,
    KlageStatus,
    KvitteringStatus,
    SvarValg,
)

KILDE_TYPER = [
    ("bilag", "Bilag i forberedende del"),
    ("dokument", "Udstedt dokument i forløbet"),
    ("journalnotat", "Journalnotat"),
    ("indstilling", "Rehabiliteringsteamets indstilling"),
    ("tilbud", "Tilbud til borgeren og borgerens svar"),
    ("bevilling", "Tidligere bevilling (fx hjælpemiddel, personlig assistance)"),
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


class KvitteringSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=KvitteringStatus.choices)
    tidspunkt = serializers.DateTimeField(help_text="Hvornår Digital Post leverede brevet (eller opgav)")
    aarsag = serializers.CharField()


class ForsendelseSerializer(serializers.Serializer):
    kanal = serializers.ChoiceField(choices=Kanal.choices)
    status = serializers.ChoiceField(
        choices=ForsendelseStatus.choices,
        help_text="`bestilt` (sendes til Digital Post), `afsendt` (afventer kvittering), `leveret`, `fejlet` "
        "(erstattet af fysisk post)",
    )
    afsendt = serializers.DateTimeField()
    modtaget_dato = serializers.DateField(
        help_text="Dagen borgeren anses for at have modtaget dokumentet (klagefristen løber herfra); "
        "for Digital Post foreløbig, indtil kvitteringen er modtaget"
    )
    beskyttet = serializers.BooleanField(help_text="Sendt gennem beskyttet kanal (navne- og adressebeskyttelse)")
    fejl = serializers.CharField()
    kvitteringer = KvitteringSerializer(many=True, source="kvitteringer.all")


class SpoergsmaalSerializer(serializers.Serializer):
    kode = serializers.CharField()
    tekst = serializers.CharField(help_text="Spørgsmålet, afgørelsen skal tage stilling til")
    hjaelp = serializers.CharField()
    kilde = serializers.CharField(help_text="Kildens vægtning, fx »Anbefalet« eller »God praksis«")
    gaelder = serializers.BooleanField(help_text="Spørgsmålet gælder dokumentet nu (ellers kræves intet svar)")
    svar = serializers.CharField(help_text="`ja`, `nej`, `ikke_relevant` eller tom (ubesvaret)")
    begrundelse = serializers.CharField()
    besvaret_af = serializers.CharField()
    besvaret = serializers.DateTimeField(allow_null=True)


class SvarSkrivSerializer(serializers.Serializer):
    kode = serializers.CharField(max_length=60)
    svar = serializers.ChoiceField(choices=SvarValg.choices)
    begrundelse = serializers.CharField(
        max_length=TEKST_MAX,
        allow_blank=True,
        required=False,
        default="",
        help_text="Påkrævet, før dokumentet udstedes",
    )


class DokumentSerializer(serializers.ModelSerializer):
    er_afgoerelse = serializers.BooleanField(read_only=True)
    lovhenvisninger = serializers.SerializerMethodField()
    fakta = FaktumSerializer(many=True, read_only=True)
    pdf_status = serializers.SerializerMethodField(
        help_text="`ikke_udstedt` (kladde), `dannes` (udstedt, PDF under dannelse) eller `klar`"
    )
    pdf_url = serializers.SerializerMethodField()
    erstattet_af = serializers.SerializerMethodField(help_text="Det udstedte dokument, der erstatter dette")
    forsendelse = serializers.SerializerMethodField(help_text="Den gældende forsendelse")
    forsendelser = serializers.SerializerMethodField(
        help_text="Alle forsendelser med kvitteringer, også et Digital Post-brev der ikke kunne leveres"
    )
    spoergsmaal = serializers.SerializerMethodField(
        help_text="Spørgsmål, dokumenttypen skal tage stilling til (god praksis), med svar; besvares med `svar`"
    )

    class Meta:
        model = Dokument
        fields = [
            "id", "forloeb", "type", "status", "er_afgoerelse", "sagsnummer", "titel", "tekst", "hovedhensyn",
            "fuldt_medhold", "lovhenvisninger", "fakta", "spoergsmaal", "arbejdsfunktioner", "fleksjob_afslag",
            "fleksjob_afslag_begrundelse", "sundhedsfaglig_raadgivning", "under_40_begrundelse", "data",
            "klagevejledning", "udstedt", "udstedt_af", "pdf_status", "pdf_sha256", "pdf_url", "erstatter",
            "erstattet_af", "forsendelse", "forsendelser", "sagsbehandler", "version", "oprettet", "opdateret",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(LovhenvisningSerializer(many=True))
    def get_lovhenvisninger(self, obj) -> list[dict]:
        return [
            {"kode": lh.kode, "lov": lh.lov, "paragraf": lh.paragraf, "titel": lh.titel}
            for lh in sorted(obj.lovhenvisninger.all(), key=lambda lh: lh.kode)  # prefetched: no query per row
        ]

    def get_pdf_status(self, obj) -> str:
        if obj.status == DokumentStatus.KLADDE:
            return "ikke_udstedt"
        return "klar" if obj.pdf_sha256 else "dannes"

    def get_pdf_url(self, obj) -> str | None:
        return reverse("afgoerelse-pdf", args=[obj.pk]) if obj.pdf_sha256 else None

    def get_erstattet_af(self, obj) -> str | None:
        ny = getattr(obj, "erstattet_af", None)
        return str(ny.pk) if ny is not None and ny.status != DokumentStatus.KLADDE else None

    @extend_schema_field(SpoergsmaalSerializer(many=True))
    def get_spoergsmaal(self, obj) -> list[dict]:
        return spoergsmaal.visning(obj, kun_gaeldende=False)

    @extend_schema_field(ForsendelseSerializer(allow_null=True))
    def get_forsendelse(self, obj) -> dict | None:
        f = obj.gaeldende_forsendelse
        return ForsendelseSerializer(f).data if f else None

    @extend_schema_field(ForsendelseSerializer(many=True))
    def get_forsendelser(self, obj) -> list[dict]:
        return ForsendelseSerializer(list(obj.forsendelser.all()), many=True).data


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
    data = serializers.DictField(
        required=False,
        help_text="Typens egne felter, fx `moede_tidspunkt`, `aarsag`; visitation til fleksjob: `baseline_timer`, "
        "`baseline_intensitet`, `meget_begraenset`, `permanent`, `ledighedsydelse_fra`; status: `status_udfald`",
    )
    svar = SvarSkrivSerializer(
        many=True,
        required=False,
        help_text="Svar på dokumenttypens spørgsmål; spørgsmål, der ikke nævnes, beholder svaret",
    )

    def validate_svar(self, value):
        return [dict(a) for a in value]

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


# --- klager ---------------------------------------------------------------------------------------
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
        if hasattr(obj, "genvurdering_brev_id"):  # annotated by the list (klager.med_genvurdering_brev)
            return str(obj.genvurdering_brev_id) if obj.genvurdering_brev_id else None
        brev = genvurdering_brev(obj)
        return str(brev.pk) if brev else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_ankepakke(self, obj) -> str | None:
        return reverse("klage-ankepakke", args=[obj.pk]) if obj.ankepakke_sha256 else None


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
