"""Forms of the rehab editors. They only parse input; ``rehab.services`` validates and saves.

Labels and messages are Danish. :func:`add_service_errors` (cases.forms) puts a service's
ValidationError on the form; :func:`map_service_errors` first renames the services' nested keys
(``grundlag.0.tekst``) to this module's field names.
"""

from __future__ import annotations

import os

from django import forms
from django.core.exceptions import ValidationError

from cases.forms import add_service_errors
from decisions import forms_typefelter as typefelter
from decisions.models import Kanal
from infra import filindhold

from .forms_indstilling import (  # noqa: F401  (the indstilling form lives in its own module)
    GRUPPER,
    INDSTILLING_HJAELP,
    INDSTILLING_LABELS,
    UDFALD_VALG,
    VALGFELTER,
    IndstillingForm,
)
from .models import (
    SEKTIONER,
    TJEKLISTE,
    BilagType,
    Omraade,
    SundhedsKilde,
    TjekSvar,
    Undtagelse,
)
from .services import DEL_FELTER

UGYLDIG_DATO = "Skriv en gyldig dato, fx 31-12-2026."


def _dato(label: str, *, required: bool = False, help_text: str = "", required_msg: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        error_messages={"invalid": UGYLDIG_DATO, "required": required_msg or f"{label} skal udfyldes."},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _tekst(label: str, *, rows: int = 4, help_text: str = "", required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=10000,
        strip=True,
        error_messages={
            "max_length": "Teksten er for lang (højst 10.000 tegn).",
            "required": f"{label}: skal udfyldes.",
        },
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def map_service_errors(form: forms.BaseForm, exc: ValidationError, navne: dict[str, str] | None = None) -> None:
    """``add_service_errors`` after renaming service field keys to form field names."""
    if navne and hasattr(exc, "error_dict"):
        exc = ValidationError({navne.get(k, k): v for k, v in exc.error_dict.items()})
    add_service_errors(form, exc)


# --- forberedende del ------------------------------------------------------------------------
SEKTION_HJAELP = {
    "job_uddannelse": "Uddannelse, kurser og tidligere job – beskrevet sammen med borgeren.",
    "ressourcer": "Hvad borgeren er god til, interesser og netværk.",
    "sociale_forhold": "Bolig, familie, økonomi og andre sociale forhold.",
    "helbred": "Borgerens egen beskrivelse af helbredet og behandlingen.",
    "tidligere_indsats": "Hvilke indsatser kommunen tidligere har givet, og hvad de viste.",
    "forsoergelseshistorik": "Hvilke ydelser borgeren har modtaget, og hvor længe.",
    "beskaeftigelsesindsats": "Den hidtidige og igangværende beskæftigelsesindsats.",
    "social_indsats": "Sociale indsatser, fx bostøtte, misbrugsbehandling eller mentor.",
}
TJEK_VALG = [("", "Ikke besvaret"), *TjekSvar.choices]


class ForberedendeDelForm(forms.Form):
    """The eight sections, the health checklist and the LÆ 265 fields. Everything may be left empty
    (a draft); ``version`` is the version the user saw (0: no forberedende del existed yet)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    del_id = forms.UUIDField(widget=forms.HiddenInput, required=False)
    skrevet_med_borger_dato = _dato(
        "Dato for samtalen med borgeren",
        help_text="Den forberedende del skrives sammen med borgeren. Angiv datoen for samtalen.",
    )
    borgerens_bemaerkninger = _tekst("Borgerens egne bemærkninger", rows=3)
    egen_ansoegning_eksisterende_dokumentation = forms.BooleanField(
        label="Borgeren søger førtidspension på det foreliggende grundlag (pensionsloven § 17, stk. 2)",
        required=False,
    )
    laegeattest_undladt_begrundelse = _tekst(
        "Begrundelse for at undlade lægeattest LÆ 265",
        rows=3,
        help_text="Udfyldes kun, hvor reglerne tillader at undlade attesten.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for navn, label in SEKTIONER:
            self.fields[navn] = _tekst(label, rows=5, help_text=SEKTION_HJAELP.get(navn, ""))
        for navn, label in SEKTIONER:
            self.fields[f"udeladt_{navn}"] = _tekst(f"{label}: hvorfor er afsnittet ikke relevant?", rows=2)
        for navn, spoergsmaal in TJEKLISTE:
            self.fields[navn] = forms.ChoiceField(
                label=spoergsmaal,
                choices=TJEK_VALG,
                required=False,
                error_messages={"invalid_choice": "Svar ja, nej eller uafklaret."},
            )

    @property
    def sektioner(self):
        return [self[navn] for navn, _ in SEKTIONER]

    @property
    def tjekliste(self):
        return [self[navn] for navn, _ in TJEKLISTE]

    @property
    def udeladte(self):
        return [self[f"udeladt_{navn}"] for navn, _ in SEKTIONER]

    def felter(self) -> dict:
        felter = {navn: self.cleaned_data[navn] for navn in DEL_FELTER if navn != "udeladte_sektioner"}
        felter["udeladte_sektioner"] = {
            navn: self.cleaned_data[f"udeladt_{navn}"].strip()
            for navn, _ in SEKTIONER
            if (self.cleaned_data.get(f"udeladt_{navn}") or "").strip()
        }
        return felter


# The service checks the content (infra/filindhold.py); the form refuses the obvious early.
TILLADTE_FILTYPER = tuple(filindhold.ENDELSER)
MAKS_FILSTOERRELSE = filindhold.MAKS_BYTES


class BilagForm(forms.Form):
    type = forms.ChoiceField(
        label="Bilagstype",
        choices=[("", "Vælg bilagstype"), *BilagType.choices],
        error_messages={"required": "Vælg bilagstype.", "invalid_choice": "Vælg bilagstype."},
    )
    titel = forms.CharField(
        label="Bilagets titel",
        max_length=200,
        error_messages={"required": "Giv bilaget en titel.", "max_length": "Titlen må højst være 200 tegn."},
    )
    dokument_dato = _dato("Dokumentets dato", required=True, required_msg="Angiv dokumentets dato.")
    kilde = forms.ChoiceField(
        label="Udsteder",
        choices=[("", "Ikke angivet"), *SundhedsKilde.choices],
        required=False,
        error_messages={"invalid_choice": "Ukendt udsteder."},
    )
    resume = _tekst("Resumé", rows=3, help_text="Kort om hvad dokumentet siger, til teamets forberedelse.")
    fil = forms.FileField(
        label="Fil",
        required=False,
        help_text="PDF, JPEG eller PNG, højst 20 MB. Kan udelades, hvis dokumentet findes på papir.",
        error_messages={"invalid": "Filen kunne ikke læses.", "empty": "Filen er tom."},
    )

    def clean_fil(self):
        fil = self.cleaned_data.get("fil")
        if fil:
            if os.path.splitext(fil.name or "")[1].lower() not in TILLADTE_FILTYPER:
                raise ValidationError("Filtypen kan ikke bruges. Vælg en PDF-, JPEG- eller PNG-fil.")
            if fil.size > MAKS_FILSTOERRELSE:
                raise ValidationError("Filen er for stor (højst 20 MB).")
        return fil


# --- booking ---------------------------------------------------------------------------------
class BookingForm(forms.Form):
    moededag = forms.ChoiceField(
        label="Mødedag",
        choices=[],
        error_messages={"required": "Vælg en mødedag.", "invalid_choice": "Vælg en af de viste mødedage."},
    )
    tidspunkt = forms.TimeField(
        label="Tidspunkt",
        required=False,
        help_text="Fx 10:30. Kan udelades.",
        error_messages={"invalid": "Skriv et gyldigt tidspunkt, fx 10:30."},
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    genforelaeg_begrundelse = _tekst(
        "Kommunens begrundelse for at genforelægge sagen",
        rows=4,
        help_text="Hvorfor kommunen er uenig i teamets indstilling.",
    )

    def __init__(self, *args, dage=(), genforelaeg: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.dage = list(dage)
        # Every listed day is a valid choice: a full day or one too close is refused by the service with
        # the rule's own message and code (as over the API); the page only greys them out.
        self.fields["moededag"].choices = [(str(d.pk), str(d)) for d in self.dage]
        if not genforelaeg:
            del self.fields["genforelaeg_begrundelse"]

    def valgt_dag(self):
        pk = self.cleaned_data["moededag"]
        return next(d for d in self.dage if str(d.pk) == pk)


class FlytForm(BookingForm):
    """Move the booked meeting to another day (the current day is not among the choices)."""

    aarsag = _tekst(
        "Hvorfor flyttes mødet?",
        rows=3,
        help_text="Fx at borgeren er syg. Står i sagens historik.",
    )

    def __init__(self, *args, dage=(), nuvaerende=None, **kwargs):
        super().__init__(*args, dage=[d for d in dage if d.pk != nuvaerende], genforelaeg=False, **kwargs)
        self.fields["aarsag"].required = True
        self.fields["aarsag"].error_messages["required"] = "Angiv hvorfor mødet flyttes."


# --- partshøring -----------------------------------------------------------------------------
ANTAL_PUNKTER = 4


class PartshoeringStartForm(forms.Form):
    """What the decision will rest on: up to four points, each with its source in the case."""

    tekst = _tekst(
        "Indledning til brevet",
        rows=3,
        help_text="Kan udelades; så bruges standardteksten om, at borgeren kan kommentere oplysningerne.",
    )

    def __init__(self, *args, kilder=(), **kwargs):
        super().__init__(*args, **kwargs)
        valg = [("", "Vælg kilde"), *kilder]
        for i in range(1, ANTAL_PUNKTER + 1):
            self.fields[f"punkt_{i}"] = _tekst(
                f"Punkt {i}: oplysning",
                rows=2,
                help_text="Fx: Lægen vurderer, at du kan arbejde 12 timer om ugen." if i == 1 else "",
            )
            self.fields[f"kilde_{i}"] = forms.ChoiceField(
                label=f"Punkt {i}: kilde",
                choices=valg,
                required=False,
                error_messages={"invalid_choice": "Kilden skal være et dokument i denne sag."},
            )

    def punkter(self):
        return [(self[f"punkt_{i}"], self[f"kilde_{i}"]) for i in range(1, ANTAL_PUNKTER + 1)]

    def clean(self):
        data = super().clean()
        for i in range(1, ANTAL_PUNKTER + 1):
            tekst, kilde = data.get(f"punkt_{i}"), data.get(f"kilde_{i}")
            if tekst and not kilde and f"kilde_{i}" not in self.errors:
                self.add_error(f"kilde_{i}", "Vælg det dokument, oplysningen stammer fra.")
            if kilde and not tekst and f"punkt_{i}" not in self.errors:
                self.add_error(f"punkt_{i}", "Beskriv oplysningen.")
        return data

    def grundlag(self) -> tuple[list[dict], dict[str, str]]:
        """The points for the service, and how its error keys map back to this form's fields."""
        out, navne = [], {"grundlag": "punkt_1"}
        for i in range(1, ANTAL_PUNKTER + 1):
            tekst, kilde = self.cleaned_data.get(f"punkt_{i}"), self.cleaned_data.get(f"kilde_{i}")
            if not tekst and not kilde:
                continue
            kilde_type, _, kilde_id = kilde.partition(":")
            navne[f"grundlag.{len(out)}.tekst"] = f"punkt_{i}"
            navne[f"grundlag.{len(out)}.kilde_id"] = f"kilde_{i}"
            out.append({"tekst": tekst, "kilde_type": kilde_type, "kilde_id": kilde_id})
        return out, navne


class PartshoeringSendForm(forms.Form):
    kanal = forms.ChoiceField(
        label="Send brevet med",
        choices=Kanal.choices,
        widget=typefelter.Valgknapper,
        error_messages={"required": "Vælg hvordan brevet sendes.", "invalid_choice": "Ukendt forsendelseskanal."},
    )


class PartshoeringSvarForm(forms.Form):
    dato = _dato("Dato for borgerens svar", required=True, required_msg="Angiv datoen for borgerens svar.")
    tekst = _tekst(
        "Borgerens bemærkninger",
        rows=5,
        required=True,
        help_text="Gengiv borgerens skriftlige eller mundtlige svar.",
    )
    tekst.error_messages["required"] = "Gengiv borgerens bemærkninger."


class PartshoeringUndtagForm(forms.Form):
    undtagelse = forms.ChoiceField(
        label="Hjemmel for at undlade partshøring",
        choices=[("", "Vælg hjemmel"), *Undtagelse.choices],
        error_messages={"required": "Vælg hjemlen for undtagelsen.", "invalid_choice": "Vælg hjemlen for undtagelsen."},
    )
    begrundelse = _tekst("Konkret begrundelse", rows=4, required=True)
    begrundelse.error_messages["required"] = "Begrund konkret, hvorfor partshøring undlades."


# --- mødedage --------------------------------------------------------------------------------
ANTAL_MEDLEMMER = 5


class MoededagForm(forms.Form):
    dato = _dato("Dato for mødedagen", required=True, required_msg="Angiv mødedagens dato.")
    sted = forms.CharField(label="Sted", max_length=200, required=False)
    kapacitet = forms.IntegerField(
        label="Kapacitet (antal sager)",
        initial=6,
        min_value=1,
        max_value=30,
        error_messages={
            "required": "Angiv hvor mange sager mødedagen kan behandle.",
            "invalid": "Skriv et helt tal.",
            "min_value": "Kapaciteten skal være mellem 1 og 30 sager.",
            "max_value": "Kapaciteten skal være mellem 1 og 30 sager.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, ANTAL_MEDLEMMER + 1):
            self.fields[f"medlem_navn_{i}"] = forms.CharField(label=f"Medlem {i}: navn", max_length=200, required=False)
            self.fields[f"medlem_omraade_{i}"] = forms.ChoiceField(
                label=f"Medlem {i}: område",
                choices=[("", "Vælg område"), *Omraade.choices],
                required=False,
                error_messages={"invalid_choice": "Ukendt område."},
            )

    def medlemsrader(self):
        return [(self[f"medlem_navn_{i}"], self[f"medlem_omraade_{i}"]) for i in range(1, ANTAL_MEDLEMMER + 1)]

    def clean(self):
        data = super().clean()
        for i in range(1, ANTAL_MEDLEMMER + 1):
            navn, omraade = data.get(f"medlem_navn_{i}"), data.get(f"medlem_omraade_{i}")
            if navn and not omraade and f"medlem_omraade_{i}" not in self.errors:
                self.add_error(f"medlem_omraade_{i}", "Vælg medlemmets område.")
            if omraade and not navn:
                self.add_error(f"medlem_navn_{i}", "Angiv medlemmets navn.")
        return data

    def medlemmer(self) -> tuple[list[tuple[str, str]], dict[str, str]]:
        out, navne = [], {}
        for i in range(1, ANTAL_MEDLEMMER + 1):
            navn, omraade = self.cleaned_data.get(f"medlem_navn_{i}"), self.cleaned_data.get(f"medlem_omraade_{i}")
            if navn or omraade:
                navne[f"medlemmer.{len(out)}"] = f"medlem_navn_{i}"
                out.append((navn, omraade))
        return out, navne
