"""Forms of the team leader's dashboard: the filters (GET) and reassignment with a handover note."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Count, Q

from cases.forms import TeamChoiceField
from cases.models import Tilstand, User

MAKS_PERIODE_DAGE = 3 * 366


class MedarbejderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class DashboardFilterForm(forms.Form):
    team = TeamChoiceField(
        label="Team",
        queryset=None,
        required=False,
        empty_label="Alle mine teams",
        error_messages={"invalid_choice": "Vælg et af dine egne teams."},
    )
    sagsbehandler = MedarbejderChoiceField(
        label="Sagsbehandler",
        queryset=None,
        required=False,
        empty_label="Alle sagsbehandlere",
        error_messages={"invalid_choice": "Vælg en sagsbehandler fra dine teams."},
    )
    fra = forms.DateField(
        label="Periode fra",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Skriv en gyldig dato, fx 2026-01-31."},
    )
    til = forms.DateField(
        label="Periode til",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Skriv en gyldig dato, fx 2026-12-31."},
    )
    n = forms.IntegerField(
        label="Risiko: frister inden for antal dage",
        required=False,
        min_value=1,
        max_value=365,
        help_text="Frister, der udløber inden for så mange dage, tælles som »snart« og »i risiko«.",
        error_messages={
            "invalid": "Skriv et helt antal dage.",
            "min_value": "Antal dage skal være mindst 1.",
            "max_value": "Antal dage kan højst være 365.",
        },
    )

    def __init__(self, *args, teams, medarbejdere, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["sagsbehandler"].queryset = medarbejdere

    def clean(self):
        data = super().clean()
        fra, til = data.get("fra"), data.get("til")
        if fra and til:
            if fra > til:
                self.add_error("til", "Periodens slutdato skal ligge efter startdatoen.")
            elif (til - fra).days > MAKS_PERIODE_DAGE:
                self.add_error("fra", "Perioden kan højst være 3 år.")
        return data


def standard_periode(idag: dt.date) -> tuple[dt.date, dt.date]:
    """The last twelve months: from the first day of the month eleven months ago until today."""
    index = idag.year * 12 + idag.month - 1 - 11
    return dt.date(index // 12, index % 12 + 1, 1), idag


class MedarbejderMedSagsmaengdeField(MedarbejderChoiceField):
    """A colleague with her caseload (open forløb she owns), so the leader can even out the load."""

    def label_from_instance(self, obj) -> str:
        antal = getattr(obj, "aabne_forloeb", 0)
        return f"{super().label_from_instance(obj)} ({antal} åbne forløb)"


class TildelForm(forms.Form):
    sagsbehandler = MedarbejderMedSagsmaengdeField(
        label="Ny sagsbehandler",
        queryset=None,
        empty_label="Vælg sagsbehandler",
        error_messages={
            "required": "Vælg den sagsbehandler, der skal overtage forløbet.",
            "invalid_choice": "Den nye sagsbehandler skal være medlem af forløbets team.",
        },
    )
    overdragelsesnotat = forms.CharField(
        label="Overdragelsesnotat",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text="Hvad skal den nye sagsbehandler vide: status, aftaler med borgeren, næste skridt og frister.",
        error_messages={"required": "Skriv et overdragelsesnotat til den nye sagsbehandler."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sagsbehandler"].queryset = (
            User.objects.filter(teams=team, is_active=True)
            .annotate(aabne_forloeb=Count("forloeb", filter=~Q(forloeb__tilstand=Tilstand.AFSLUTTET), distinct=True))
            .order_by("first_name", "last_name", "username")
        )

    def clean_overdragelsesnotat(self):
        tekst = (self.cleaned_data.get("overdragelsesnotat") or "").strip()
        if not tekst:
            raise forms.ValidationError("Skriv et overdragelsesnotat til den nye sagsbehandler.")
        return tekst
