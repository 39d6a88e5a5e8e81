"""The jurist's form for a standard phrase: it parses; ``decisions.standardtekster`` validates and saves."""

from __future__ import annotations

from django import forms

from .models import AFGOERELSESTYPER, Afsnit, DokumentType, Standardtekst


class StandardtekstForm(forms.Form):
    dokument_type = forms.ChoiceField(
        label="Afgørelsestype",
        choices=[("", "Vælg type"), *((t.value, t.label) for t in DokumentType if t in AFGOERELSESTYPER)],
        error_messages={"required": "Vælg en afgørelsestype.", "invalid_choice": "Vælg en afgørelsestype."},
    )
    afsnit = forms.ChoiceField(
        label="Afsnit",
        choices=[("", "Vælg afsnit"), *Afsnit.choices],
        help_text="Hvor i afgørelsen teksten indsættes.",
        error_messages={"required": "Vælg hvilket afsnit teksten hører til.", "invalid_choice": "Ukendt afsnit."},
    )
    titel = forms.CharField(label="Titel", max_length=200, error_messages={"required": "Giv standardteksten en titel."})
    tekst = forms.CharField(
        label="Tekst",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Skriv standardteksten."},
    )
    aktiv = forms.BooleanField(label="Aktiv (tilbydes i editoren)", required=False, initial=True)

    @classmethod
    def for_standardtekst(cls, s: Standardtekst, data=None) -> StandardtekstForm:
        initial = {f: getattr(s, f) for f in ("dokument_type", "afsnit", "titel", "tekst", "aktiv")}
        return cls(data, initial=initial)
