"""Serializers of the core's API: borgere, forløb, frister, journalnotater."""

from rest_framework import serializers

from cases.models import (
    AfslutningAarsag,
    Borger,
    Forloeb,
    Frist,
    Journalnotat,
    NotatType,
    OvergangLog,
    RegisterAendring,
    Team,
    Tilbud,
    TilbudSvar,
    TilbudType,
    Udfald,
)
from cases.selectors import forloeb_for, teams_for
from cases.services import tilladte_overgange


class TeamField(serializers.PrimaryKeyRelatedField):
    """A team the caller may use; any other id is 'does not exist' (no leak)."""

    def get_queryset(self):
        return teams_for(self.context["request"].user)


class BorgerSerializer(serializers.ModelSerializer):
    cpr_maskeret = serializers.CharField(read_only=True)
    alder = serializers.SerializerMethodField()
    team = TeamField(queryset=Team.objects.none())

    class Meta:
        model = Borger
        fields = [
            "id",
            "cpr_maskeret",
            "foedselsdato",
            "alder",
            "fornavn",
            "efternavn",
            "team",
            "adresse",
            "postnummer",
            "by",
            "telefon",
            "email",
            "kontaktkanal",
            "digital_post",
            "tolk",
            "tolkesprog",
            "hjemmebesoeg",
            "civilstand",
            "adressebeskyttelse",
            "doed_dato",
            "udrejst_dato",
            "kilder",
            "register_opdateret",
            "register_fejl",
            "verificeret",
            "oprettet",
            "opdateret",
            "version",
        ]
        read_only_fields = [
            "id",
            "foedselsdato",
            "civilstand",
            "adressebeskyttelse",
            "doed_dato",
            "udrejst_dato",
            "kilder",
            "register_opdateret",
            "register_fejl",
            "oprettet",
            "opdateret",
            "version",
        ]
        extra_kwargs = {
            "kilder": {"help_text": "Hvor hver registeroplysning kommer fra: register eller indtastet"},
            "adresse": {"help_text": "Tom for en borger med navne- og adressebeskyttelse (se vis-adresse)"},
        }

    verificeret = serializers.BooleanField(read_only=True, help_text="Navn m.m. som CPR-registeret senest gav dem")

    def get_alder(self, obj) -> int:
        return obj.alder()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.adressebeskyttelse:  # never returned: the audited vis-adresse action shows it
            data.update(adresse="", postnummer="", by="")
        return data


class BorgerOpretSerializer(BorgerSerializer):
    cpr = serializers.CharField(write_only=True, help_text="10 cifre, evt. DDMMÅÅ-XXXX. Returneres kun maskeret.")
    fra_register = serializers.BooleanField(
        write_only=True,
        default=False,
        help_text="Hent navn, adresse m.m. fra CPR-registeret (de indtastede erstattes). Svarer registeret "
        "ikke, oprettes borgeren med de indtastede oplysninger, markeret som ikke verificerede.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        data = kwargs.get("data")
        fra_register = isinstance(data, dict) and str(data.get("fra_register")).lower() in ("true", "1")
        for navn in ("fornavn", "efternavn"):  # the register gives the name; typed by hand it is required
            self.fields[navn].required = not fra_register

    class Meta(BorgerSerializer.Meta):
        fields = ["cpr", "fra_register", *BorgerSerializer.Meta.fields]
        extra_kwargs = {
            **BorgerSerializer.Meta.extra_kwargs,
            "fornavn": {"required": False},
            "efternavn": {"required": False},
        }


class CprOpslagSerializer(serializers.Serializer):
    cpr = serializers.CharField(write_only=True, help_text="Sendes i body, aldrig i URL")


class RegisterPersonSerializer(serializers.Serializer):
    """What the CPR register says; a protected person's address is left out."""

    fornavn = serializers.CharField()
    efternavn = serializers.CharField()
    adresse = serializers.CharField()
    postnummer = serializers.CharField()
    by = serializers.CharField()
    civilstand = serializers.CharField()
    status = serializers.ChoiceField(choices=["aktiv", "doed", "udrejst"])
    statusdato = serializers.DateField(allow_null=True)
    adressebeskyttelse = serializers.BooleanField()


class RegisterAendringSerializer(serializers.ModelSerializer):
    class Meta:
        model = RegisterAendring
        fields = ["type", "foer", "efter", "dato", "registreret"]
        read_only_fields = fields


class AdresseVisSerializer(serializers.Serializer):
    begrundelse = serializers.CharField(help_text="Hvorfor den beskyttede adresse skal ses (logges)")


class AdresseSerializer(serializers.Serializer):
    adresse = serializers.CharField()
    postnummer = serializers.CharField()
    by = serializers.CharField()


class BorgerSoegSerializer(serializers.Serializer):
    cpr = serializers.CharField(
        required=False, allow_blank=True, help_text="Eksakt CPR-nummer (sendes i body, aldrig i URL)"
    )
    navn = serializers.CharField(required=False, allow_blank=True)


class CprVisSerializer(serializers.Serializer):
    begrundelse = serializers.CharField(help_text="Hvorfor det fulde CPR-nummer skal ses (logges)")


class CprSerializer(serializers.Serializer):
    cpr = serializers.CharField()


class FristSerializer(serializers.ModelSerializer):
    navn = serializers.CharField(source="definition.navn", read_only=True)
    regelversion = serializers.SerializerMethodField()
    borger = serializers.UUIDField(source="forloeb.borger_id", read_only=True)

    class Meta:
        model = Frist
        fields = [
            "id", "forloeb", "borger", "art", "navn", "reference", "start_haendelse", "start_dato", "forfald",
            "gaeldende_forfald", "status", "type", "ansvar", "lovgrundlag", "forklaring", "lukket_dato",
            "lukket_af", "regelversion",
        ]  # fmt: skip
        read_only_fields = fields

    def get_regelversion(self, obj) -> dict:
        d = obj.definition
        return {"id": str(d.id), "gyldig_fra": d.gyldig_fra.isoformat(), "kommunal": d.kommune_id is not None}


class OvergangLogSerializer(serializers.ModelSerializer):
    class Meta:
        model = OvergangLog
        fields = ["overgang", "fra_tilstand", "til_tilstand", "dato", "tidspunkt", "actor_navn", "data", "regler"]
        read_only_fields = fields


class BetingelseSerializer(serializers.Serializer):
    kode = serializers.CharField()
    besked = serializers.CharField()
    link = serializers.CharField()


class FeltSerializer(serializers.Serializer):
    navn = serializers.CharField()
    type = serializers.CharField()
    label = serializers.CharField()
    paakraevet = serializers.BooleanField()
    valg = serializers.ListField(child=serializers.CharField(), required=False)


class TilladtOvergangSerializer(serializers.Serializer):
    overgang = serializers.CharField()
    titel = serializers.CharField()
    mulig = serializers.BooleanField(help_text="Alle betingelser, der ikke afhænger af input, er opfyldt")
    mangler = BetingelseSerializer(many=True)
    felter = FeltSerializer(many=True)


class ForloebSerializer(serializers.ModelSerializer):
    borger_navn = serializers.CharField(source="borger.navn", read_only=True)
    cpr_maskeret = serializers.CharField(source="borger.cpr_maskeret", read_only=True)
    sagsbehandler_navn = serializers.SerializerMethodField()

    class Meta:
        model = Forloeb
        fields = [
            "id", "borger", "borger_navn", "cpr_maskeret", "tilstand", "team", "sagsbehandler",
            "sagsbehandler_navn", "naeste_skridt", "naeste_skridt_dato", "version", "oprettet", "opdateret",
        ]  # fmt: skip
        read_only_fields = fields

    def get_sagsbehandler_navn(self, obj) -> str:
        return str(obj.sagsbehandler) if obj.sagsbehandler_id else ""


class ValgEllerNull(serializers.ChoiceField):
    """A choice the model stores as ``""`` while unset: ``null`` in the answer, never an undocumented ``""``."""

    def __init__(self, choices, **kwargs):
        super().__init__(choices, allow_null=True, read_only=True, **kwargs)

    def to_representation(self, value):
        return None if value in ("", None) else super().to_representation(value)


class ForloebDetailSerializer(ForloebSerializer):
    indstilling_udfald = ValgEllerNull(Udfald.choices, help_text="Tom (null) indtil der er en indstilling")
    afslutning_aarsag = ValgEllerNull(AfslutningAarsag.choices, help_text="Tom (null) indtil forløbet er afsluttet")
    tilladte_overgange = serializers.SerializerMethodField()
    frister = serializers.SerializerMethodField()
    historik = OvergangLogSerializer(many=True, read_only=True)

    class Meta(ForloebSerializer.Meta):
        fields = [
            *ForloebSerializer.Meta.fields, "forberedende_plan_start", "rehab_moede_dato", "indstilling_dato",
            "indstilling_udfald", "genforelagt_dato", "overgang_dato", "afgoerelse_dato",
            "egen_ansoegning_foertidspension", "ansoegt_fleksjob", "afslutning_aarsag", "afsluttet_dato",
            "tilladte_overgange", "frister", "historik",
        ]  # fmt: skip
        read_only_fields = fields

    def get_tilladte_overgange(self, obj) -> list[dict]:
        tilladte = [t.as_dict() for t in tilladte_overgange(obj, self.context["request"].user)]
        return TilladtOvergangSerializer(tilladte, many=True).data

    def get_frister(self, obj) -> list[dict]:
        qs = obj.frister.select_related("definition", "forloeb").order_by("lukket_dato", "gaeldende_forfald", "id")
        return FristSerializer(qs, many=True).data


class ForloebOpretSerializer(serializers.Serializer):
    borger = serializers.UUIDField()
    sagsbehandler = serializers.IntegerField(required=False, allow_null=True)


class TildelSerializer(serializers.Serializer):
    sagsbehandler = serializers.IntegerField()
    overdragelsesnotat = serializers.CharField(required=False, allow_blank=True, default="")


class JournalnotatSerializer(serializers.ModelSerializer):
    type = serializers.ChoiceField(choices=NotatType.choices)

    class Meta:
        model = Journalnotat
        fields = [
            "id", "forloeb", "type", "overskrift", "tekst", "naeste_skridt", "naeste_skridt_dato",
            "forfatter_navn", "oprettet",
        ]  # fmt: skip
        read_only_fields = ["id", "forfatter_navn", "oprettet"]
        extra_kwargs = {"forloeb": {"queryset": Forloeb.objects.none()}}

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and "forloeb" in fields:
            fields["forloeb"].queryset = forloeb_for(request.user)
        return fields


# --- tilbud ---------------------------------------------------------------------------------------
class TilbudSerializer(serializers.ModelSerializer):
    type = serializers.ChoiceField(choices=TilbudType.choices)
    svar = serializers.ChoiceField(choices=TilbudSvar.choices, required=False)

    class Meta:
        model = Tilbud
        fields = [
            "id", "forloeb", "type", "dato", "beskrivelse", "svar", "svar_dato", "begrundelse", "registreret_af",
            "version", "oprettet",
        ]  # fmt: skip
        read_only_fields = ["id", "registreret_af", "version", "oprettet"]
        extra_kwargs = {
            "forloeb": {"queryset": Forloeb.objects.none()},
            "svar_dato": {"required": False},
            "begrundelse": {"required": False, "help_text": "Borgerens begrundelse; påkrævet når svaret er nej"},
        }

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and "forloeb" in fields:
            fields["forloeb"].queryset = forloeb_for(request.user)
        return fields


class TilbudSvarSerializer(serializers.Serializer):
    svar = serializers.ChoiceField(choices=TilbudSvar.choices)
    svar_dato = serializers.DateField(required=False, allow_null=True)
    begrundelse = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)
