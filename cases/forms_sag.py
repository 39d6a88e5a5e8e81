"""Forms of the forløb pages: transitions (fields from their spec in ``overgange``), journal notes, queue filters.

They only parse input; ``services.forloeb_overgang`` / ``journalnotat_opret`` validate and save, and
their ValidationErrors are put on the form with ``forms.add_service_errors``.
"""

from __future__ import annotations

import uuid

from django import forms

from cases import overgange
from infra import datoer

from .models import AfslutningAarsag, NotatType, TilbudSvar, TilbudType, Tilstand, Udfald
from .selectors_ui import SUNDHED_LABELS, Badge

#: Danish labels of the choice values transitions take.
VALG_LABELS: dict[str, str] = {
    **dict(Udfald.choices),
    **dict(AfslutningAarsag.choices),
    **dict(Tilstand.choices),
    **SUNDHED_LABELS,
}

_DATO_FEJL = {"invalid": "Skriv en gyldig dato, fx 24.03.2026."}


class _DatoInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class OvergangForm(forms.Form):
    """Exactly the fields the transition's spec lists, plus the forløb's version."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": "Formularen mangler sagens version. Hent siden igen, og prøv på ny.",
            "invalid": "Formularen mangler sagens version. Hent siden igen, og prøv på ny.",
            "min_value": "Formularen mangler sagens version. Hent siden igen, og prøv på ny.",
        },
    )

    def __init__(self, *args, overgang: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.overgang = overgang
        for felt in overgange.SPECS[overgang].felter:
            self.fields[felt.navn] = self._field(felt)
        # The version goes last so the visible fields lead.
        self.fields["version"] = self.fields.pop("version")

    @staticmethod
    def _field(felt: overgange.Felt) -> forms.Field:
        kraevet = {"required": "Feltet skal udfyldes."}
        if felt.type == "dato":
            hint = "Mødedatoen skal ligge i fremtiden." if felt.fremtid_tilladt else ""
            if felt.navn == "dato":
                hint = "Tom: i dag. Datoen kan ikke ligge i fremtiden."
            return forms.DateField(
                label=felt.label.replace(" (virkningsdato, højst i dag)", ""),
                required=felt.paakraevet,
                help_text=hint,
                widget=_DatoInput(),
                error_messages=kraevet | _DATO_FEJL,
            )
        if felt.type == "tekst":
            return forms.CharField(
                label=felt.label,
                required=felt.paakraevet,
                max_length=10000,
                widget=forms.Textarea(attrs={"rows": 4}),
                error_messages=kraevet | {"max_length": "Teksten er for lang (højst 10.000 tegn)."},
            )
        if felt.type == "valg":
            choices = [("", "Vælg")] + [(v, VALG_LABELS.get(v, v)) for v in felt.valg]
            return forms.ChoiceField(
                label=felt.label,
                required=felt.paakraevet,
                choices=choices,
                error_messages=kraevet | {"invalid_choice": "Vælg en af mulighederne på listen."},
            )
        if felt.type == "bool":
            return forms.BooleanField(label=felt.label, required=False)
        if felt.type == "liste":
            return forms.CharField(
                label=felt.label,
                required=felt.paakraevet,
                help_text="Én pr. linje.",
                widget=forms.Textarea(attrs={"rows": 4}),
                error_messages=kraevet,
            )
        raise ValueError(felt.type)

    def synlige_felter(self):
        return [bf for bf in self if not bf.is_hidden]

    def service_data(self) -> dict:
        """The cleaned input in the shape ``overgange.valider`` takes (dates ISO, lists split)."""
        data: dict = {}
        for felt in overgange.SPECS[self.overgang].felter:
            value = self.cleaned_data.get(felt.navn)
            if felt.type == "dato":
                if value:
                    data[felt.navn] = value.isoformat()
            elif felt.type == "liste":
                linjer = [linje.strip() for linje in (value or "").splitlines() if linje.strip()]
                if linjer:
                    data[felt.navn] = linjer
            elif felt.type == "bool":
                if value:
                    data[felt.navn] = True
            elif value not in (None, ""):
                data[felt.navn] = value
        return data


class JournalnotatForm(forms.Form):
    type = forms.ChoiceField(
        label="Type",
        choices=[("", "Vælg type"), *NotatType.choices],
        error_messages={"required": "Vælg notattypen.", "invalid_choice": "Ukendt notattype."},
    )
    overskrift = forms.CharField(
        label="Overskrift", max_length=200, error_messages={"required": "Overskrift skal udfyldes."}
    )
    tekst = forms.CharField(
        label="Notat",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Notatet skal have en tekst."},
    )
    naeste_skridt = forms.CharField(
        label="Næste skridt",
        max_length=300,
        required=False,
        help_text="Bliver forløbets næste skridt.",
    )
    naeste_skridt_dato = forms.DateField(
        label="Dato for næste skridt",
        required=False,
        widget=_DatoInput(),
        error_messages=_DATO_FEJL,
    )

    # A fresh id per rendered form: submitting the same form twice writes one note.
    notat_id = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "notat_%s")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["notat_id"].initial = uuid.uuid4()


class MineSagerFilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Alle"), *Badge.CHOICES])
    fase = forms.ChoiceField(
        label="Fase",
        required=False,
        choices=[("", "Alle"), *[(t, lbl) for t, lbl in Tilstand.choices if t != Tilstand.AFSLUTTET]],
    )
    visning = forms.ChoiceField(
        label="Vis",
        required=False,
        choices=[("mine", "Mine sager"), ("team", "Mit teams sager")],
    )


class NotifikationFilterForm(forms.Form):
    vis = forms.ChoiceField(label="Vis", required=False, choices=[("", "Alle"), ("ulaeste", "Kun ulæste")])


def idag_iso() -> str:
    return datoer.idag().isoformat()


# --- offers to the citizen -------------------------------------------------------------------------
def _svar_felter(form: forms.Form) -> None:
    form.fields["svar"] = forms.ChoiceField(
        label="Borgerens svar",
        choices=TilbudSvar.choices,
        error_messages={"required": "Vælg borgerens svar.", "invalid_choice": "Vælg borgerens svar."},
    )
    form.fields["svar_dato"] = forms.DateField(
        label="Dato for svaret", required=False, widget=_DatoInput(), error_messages=_DATO_FEJL
    )
    form.fields["begrundelse"] = forms.CharField(
        label="Borgerens begrundelse",
        required=False,
        max_length=10000,
        help_text="Skal udfyldes, når borgeren siger nej: hvad borgeren selv begrundede det med.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TilbudForm(forms.Form):
    """A new offer (and the answer, if already given). Only parses: what is missing is reported by
    ``services.tilbud_registrer``, all at once."""

    type = forms.ChoiceField(
        label="Tilbud",
        required=False,
        choices=[("", "Vælg tilbud"), *TilbudType.choices],
        error_messages={"invalid_choice": "Ukendt tilbud."},
    )
    dato = forms.DateField(label="Dato for tilbuddet", required=False, widget=_DatoInput(), error_messages=_DATO_FEJL)
    beskrivelse = forms.CharField(
        label="Hvad blev tilbudt", required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "tilbud_%s")
        super().__init__(*args, **kwargs)
        _svar_felter(self)
        self.fields["svar"].initial = TilbudSvar.AFVENTER


class TilbudSvarForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, tilbud=None, **kwargs):
        if tilbud is not None:
            kwargs.setdefault("prefix", f"svar-{tilbud.pk}")
            kwargs.setdefault("initial", {"version": tilbud.version, "svar": tilbud.svar})
        super().__init__(*args, **kwargs)
        _svar_felter(self)
