"""Serializers for agreements (API.md "Agreement intake"). The CPR is write-only; responses carry
``cpr_maskeret`` only."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.settings import api_settings

from . import aftaler
from .models import Aftale, AftaleStatus, AftaleType


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


class AftaleAfvisSerializer(serializers.Serializer):
    begrundelse = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5000,
        help_text="Påkrævet: hvorfor aftalen afvises; afsenderen kan læse den",
    )


__all__ = ["AftaleAfvisSerializer", "AftaleOpretSerializer", "AftaleSerializer"]
