"""Serializers of the fleksjob API: employers, visitations, employments, arbejdsevnevurderinger and the
agreements sent by external systems (API.md "Agreement intake"). Bodies are validated here for shape;
the rules live in the services. An agreement's CPR is write-only; responses carry ``cpr_maskeret`` only."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.settings import api_settings

from cases.api.serializers import FristSerializer
from cases.models import Borger, Forloeb
from cases.selectors import borgere_for, forloeb_for
from flexjob import aftaler, selectors, services
from flexjob.models import (
    Aftale,
    AftaleStatus,
    AftaleType,
    Ansaettelse,
    Arbejdsevnevurdering,
    Bevilling,
    BevillingType,
    Vaerktoej,
    Virksomhed,
    Visitation,
)

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
    oplaering = serializers.CharField(required=False, allow_blank=True)
    tidligere_bevillinger = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        help_text="Borgerens tidligere bevillinger, vurderingen henviser til",
    )
    progression = serializers.CharField(required=False, allow_blank=True)
    milepaele = MilepaelSerializer(many=True, required=False)
    opfoelgningsdatoer = serializers.ListField(child=serializers.DateField(), required=False)
    loen_bekraeftet = serializers.BooleanField(
        required=False, help_text="Jobbet er lønnet af den navngivne arbejdsgiver (påkrævet før udstedelse)"
    )
    forebyggelse = serializers.CharField(
        required=False, allow_blank=True, help_text="Tiltag mod yderligere nedsættelse af arbejdsevnen"
    )
    inddragelse_moede_dato = serializers.DateField(required=False, allow_null=True)
    inddragelse_deltagere = serializers.CharField(required=False, allow_blank=True)
    vaerktoej = serializers.ChoiceField(choices=Vaerktoej.choices, required=False, allow_blank=True)
    vaerktoej_beskrivelse = serializers.CharField(required=False, allow_blank=True, max_length=200)
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
        if "tidligere_bevillinger" in attrs:
            attrs["tidligere_bevillinger"] = [str(pk) for pk in attrs["tidligere_bevillinger"]]
        return attrs


class VurderingOpretSerializer(VurderingIndholdSerializer):
    ansaettelse = serializers.UUIDField()


class VurderingRetSerializer(VurderingIndholdSerializer):
    """A change of a draft assessment: only the fields sent change."""


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
            "mentor_varighed_uger", "oplaering", "tidligere_bevillinger", "progression", "milepaele",
            "opfoelgningsdatoer", "loen_bekraeftet", "forebyggelse", "inddragelse_moede_dato",
            "inddragelse_deltagere", "vaerktoej", "vaerktoej_beskrivelse", "advarsler", "mangler", "oprettet",
        ]  # fmt: skip

    def get_advarsler(self, obj) -> AdvarselSerializer(many=True):
        return services.advarsler(obj)

    def get_mangler(self, obj) -> AdvarselSerializer(many=True):
        if obj.dokument.status != "kladde":
            return []
        return services.mangler(obj, actor=self.context.get("actor"))


class BevillingSerializer(serializers.ModelSerializer):
    type = serializers.ChoiceField(choices=BevillingType.choices)

    class Meta:
        model = Bevilling
        fields = ["id", "borger", "forloeb", "type", "dato", "beskrivelse", "bevilget_af", "oprettet_af", "oprettet"]
        read_only_fields = ["id", "oprettet_af", "oprettet"]
        extra_kwargs = {
            "borger": {"queryset": Borger.objects.none()},
            "forloeb": {"queryset": Forloeb.objects.none(), "required": False},
        }

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["borger"].queryset = borgere_for(request.user)
            fields["forloeb"].queryset = forloeb_for(request.user)
        return fields


# --- aftaler ---------------------------------------------------------------------------------------
class AftaleOpretSerializer(serializers.Serializer):
    """Intake. Every problem is reported at once: fields that cannot be read and the rules
    (CVR, P-number, period, hours, intensity, the citizen) in one ``errors`` object."""

    type = serializers.ChoiceField(choices=AftaleType.choices)
    borger_cpr = serializers.CharField(
        write_only=True,
        max_length=20,
        help_text="Borgerens CPR-nummer (eksakt, 10 cifre, evt. DDMMÅÅ-XXXX). Gemmes ikke på aftalen og "
        "returneres kun maskeret. Borgeren skal høre til kaldets kommune.",
    )
    virksomhed_cvr = serializers.CharField(max_length=8, help_text="8 cifre, modulus 11")
    virksomhed_p_nummer = serializers.CharField(
        max_length=10, required=False, allow_blank=True, default="", help_text="Produktionsenhedens P-nummer, 10 cifre"
    )
    virksomhed_navn = serializers.CharField(max_length=200)
    virksomhed_kontakt = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    start = serializers.DateField()
    slut = serializers.DateField(required=False, allow_null=True, default=None, help_text="Ikke før start")
    timer_pr_uge = serializers.DecimalField(
        max_digits=4, decimal_places=1, help_text="Større end 0 og højst 37 medmindre timer_begrundelse er udfyldt"
    )
    timer_begrundelse = serializers.CharField(required=False, allow_blank=True, default="")
    opgaver = serializers.CharField(help_text="Jobbets konkrete arbejdsopgaver")
    formaal = serializers.CharField(help_text="Formålet med aftalen")
    fleksjob_timer = serializers.DecimalField(
        max_digits=4, decimal_places=1, required=False, allow_null=True, default=None,
        help_text="Påkrævet for fleksjob: aftalte timer pr. uge",
    )  # fmt: skip
    fleksjob_intensitet = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="Påkrævet for fleksjob: arbejdsintensitet 1-100 (%)"
    )
    ekstern_reference = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="", help_text="Afsendersystemets id, fx VITAS-id"
    )
    blanket = serializers.CharField(max_length=40, required=False, allow_blank=True, default="", help_text="Fx AB 325")
    borger_bekraeftet = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="Hvornår borgeren bekræftede aftalen (fx med MitID)"
    )
    borger_bekraeftet_af = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    arbejdsgiver_bekraeftet = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="Hvornår arbejdsgiveren bekræftede aftalen"
    )
    arbejdsgiver_bekraeftet_af = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def to_internal_value(self, data):
        if not isinstance(data, Mapping):
            raise serializers.ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: ["Send aftalen som et JSON-objekt."]}, code="invalid"
            )
        parsed: dict = {}
        fejl: dict[str, list[str]] = {}
        for field in self._writable_fields:
            primitive = field.get_value(data)
            try:
                value = field.run_validation(primitive)
            except serializers.ValidationError as exc:
                fejl[field.field_name] = (
                    [str(m) for m in exc.detail] if isinstance(exc.detail, list) else [str(exc.detail)]
                )
            except DjangoValidationError as exc:
                fejl[field.field_name] = list(exc.messages)
            except SkipField:
                pass
            else:
                parsed[field.source] = value
        # The domain rules on everything that could be read, plus unknown fields.
        ukendte = {k: None for k in data if k not in self.fields}
        regel_fejl, _ = aftaler.aftale_fejl(
            actor=self.context["request"].user, data={**parsed, **ukendte}, ugyldige=set(fejl)
        )
        for felt, beskeder in regel_fejl.items():
            fejl.setdefault(felt, []).extend(b for b in beskeder if b not in fejl.get(felt, []))
        if fejl:
            raise serializers.ValidationError(fejl)
        return parsed


class AftaleSerializer(serializers.ModelSerializer):
    type = serializers.ChoiceField(choices=AftaleType.choices, read_only=True)
    status = serializers.ChoiceField(choices=AftaleStatus.choices, read_only=True)
    cpr_maskeret = serializers.CharField(source="borger.cpr_maskeret", read_only=True)
    ansaettelse = serializers.SerializerMethodField(help_text="Ansættelsen oprettet ved godkendelse (fleksjob)")
    bekraeftet = serializers.SerializerMethodField(
        help_text="Både borger og arbejdsgiver har bekræftet aftalen (kræves, før et fleksjob kan godkendes)"
    )

    def get_bekraeftet(self, obj) -> bool:
        return not aftaler.bekraeftelser_mangler(obj)

    class Meta:
        model = Aftale
        fields = [
            "id",
            "type",
            "status",
            "borger",
            "cpr_maskeret",
            "virksomhed_cvr",
            "virksomhed_p_nummer",
            "virksomhed_navn",
            "virksomhed_kontakt",
            "start",
            "slut",
            "timer_pr_uge",
            "timer_begrundelse",
            "opgaver",
            "formaal",
            "fleksjob_timer",
            "fleksjob_intensitet",
            "ekstern_reference",
            "blanket",
            "borger_bekraeftet",
            "borger_bekraeftet_af",
            "arbejdsgiver_bekraeftet",
            "arbejdsgiver_bekraeftet_af",
            "bekraeftet",
            "afvist_begrundelse",
            "behandlet",
            "ansaettelse",
            "oprettet",
            "version",
        ]
        read_only_fields = fields

    def get_ansaettelse(self, obj) -> str | None:
        try:
            return str(obj.ansaettelse.pk)
        except Aftale.ansaettelse.RelatedObjectDoesNotExist:
            return None


class AftaleBekraeftSerializer(serializers.Serializer):
    part = serializers.ChoiceField(choices=[("borger", "Borgeren"), ("arbejdsgiver", "Arbejdsgiveren")])
    af = serializers.CharField(max_length=200, help_text="Hvem der bekræftede (navn, evt. hvordan)")
    tidspunkt = serializers.DateTimeField(required=False, allow_null=True, help_text="Tom: nu")


class AftaleAfvisSerializer(serializers.Serializer):
    begrundelse = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5000,
        help_text="Påkrævet: hvorfor aftalen afvises; afsenderen kan læse den",
    )
