"""Forms for the caseworker UI. They only parse input; the services validate and save.

Messages are Danish and match the services' messages, so a field shows the same text whether the
form or the service caught the problem. :func:`add_service_errors` puts a service's
``ValidationError`` onto the form, so the user sees field messages and the error summary.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from infra import cpr as cprlib

from .models import DigitalPostStatus, Kontaktkanal, Relation
from .selectors import teams_for

#: Contact fields posted to the services as they are (besides team, CPR and names).
KONTAKT_FELTER = [
    "adresse", "postnummer", "by", "telefon", "email", "kontaktkanal",
    "digital_post", "tolk", "tolkesprog", "hjemmebesoeg",
]  # fmt: skip
#: Everything the edit form changes through the borger_opdater service.
REDIGER_FELTER = ["team", "fornavn", "efternavn", *KONTAKT_FELTER]
#: Not shown, not editable on the page when the citizen has name and address protection.
BESKYTTEDE_FELTER = ("adresse", "postnummer", "by")


def _required(message: str) -> dict[str, str]:
    return {"required": message}


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Attach a service's ValidationError to the form: field messages where a field exists."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.navn


class _BorgerKontaktForm(forms.Form):
    """Fields shared by create and edit: team and contact data (services.BORGER_FELTER)."""

    team = TeamChoiceField(
        label="Ansvarligt team",
        queryset=None,
        empty_label="Vælg team",
        error_messages={
            "required": "Vælg det team, der er ansvarligt for borgeren.",
            "invalid_choice": "Du kan kun oprette og flytte borgere i dine egne teams.",
        },
    )
    fornavn = forms.CharField(label="Fornavn", max_length=100, error_messages=_required("Fornavn skal udfyldes."))
    efternavn = forms.CharField(label="Efternavn", max_length=100, error_messages=_required("Efternavn skal udfyldes."))
    adresse = forms.CharField(label="Adresse", max_length=200, required=False)
    postnummer = forms.CharField(
        label="Postnummer",
        max_length=4,
        required=False,
        error_messages={"max_length": "Postnummeret skal være 4 cifre."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    by = forms.CharField(label="By", max_length=100, required=False)
    telefon = forms.CharField(label="Telefon", max_length=20, required=False)
    email = forms.EmailField(
        label="E-mail",
        required=False,
        error_messages={"invalid": "Skriv en gyldig e-mailadresse, fx navn@eksempel.dk."},
    )
    kontaktkanal = forms.ChoiceField(
        label="Foretrukken kontaktkanal", choices=Kontaktkanal.choices, initial=Kontaktkanal.DIGITAL_POST
    )
    digital_post = forms.ChoiceField(
        label="Digital Post", choices=DigitalPostStatus.choices, initial=DigitalPostStatus.UKENDT
    )
    tolk = forms.BooleanField(label="Borgeren har behov for tolk", required=False)
    tolkesprog = forms.CharField(
        label="Tolkesprog", max_length=50, required=False, help_text="Udfyldes, hvis borgeren har behov for tolk."
    )
    hjemmebesoeg = forms.BooleanField(label="Borgeren ønsker hjemmebesøg", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams = teams_for(user).order_by("navn")
        egne = list(teams[:2])
        if len(egne) == 1 and not self.is_bound:
            self.fields["team"].initial = egne[0].pk  # the caseworker's only team

    def kontakt_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in KONTAKT_FELTER}


class BorgerOpretForm(_BorgerKontaktForm):
    field_order = ["cpr", "fornavn", "efternavn", "team"]

    # No assumed Digital Post status for a new citizen: "Ukendt" would only be refused at the first send.
    digital_post = forms.ChoiceField(
        label="Digital Post",
        choices=[("", "Vælg"), *DigitalPostStatus.choices],
        error_messages=_required("Angiv om borgeren er tilmeldt Digital Post (vælg »Ukendt«, hvis du ikke ved det)."),
    )

    cpr = forms.CharField(
        label="CPR-nummer",
        max_length=11,
        help_text="10 cifre, eventuelt med bindestreg: DDMMÅÅ-XXXX.",
        error_messages=_required("CPR-nummeret skal udfyldes."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}),
    )

    fra_register = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_cpr(self) -> str:
        value = self.cleaned_data["cpr"]
        return cprlib.parse(value).digits  # raises the Danish ValidationError


class BorgerRedigerForm(_BorgerKontaktForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, skjul: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if skjul:  # name and address protection: the address is not part of the page
            for f in BESKYTTEDE_FELTER:
                self.fields.pop(f)


class PaaroerendeForm(forms.Form):
    navn = forms.CharField(label="Navn", max_length=200, error_messages=_required("Navn skal udfyldes."))
    relation = forms.ChoiceField(
        label="Relation til borgeren",
        choices=[("", "Vælg relation"), *Relation.choices],
        error_messages=_required("Vælg personens relation til borgeren."),
    )
    telefon = forms.CharField(label="Telefon", max_length=20, required=False)
    email = forms.EmailField(
        label="E-mail",
        required=False,
        error_messages={"invalid": "Skriv en gyldig e-mailadresse, fx navn@eksempel.dk."},
    )
    samtykke_dato = forms.DateField(
        label="Dato for borgerens samtykke",
        error_messages={
            "required": "Pårørende og bisiddere kan kun registreres med borgerens samtykke.",
            "invalid": "Skriv en gyldig dato.",
        },
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    samtykke_omfang = forms.CharField(
        label="Samtykkets omfang",
        help_text="Hvad personen må få oplyst og deltage i, fx møder i rehabiliteringsteamet.",
        error_messages=_required("Beskriv hvad borgeren har givet samtykke til."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CprVisForm(forms.Form):
    begrundelse = forms.CharField(
        label="Begrundelse",
        max_length=500,
        help_text="Hvorfor skal du se det fulde CPR-nummer? Begrundelsen gemmes i borgerens adgangslog.",
        error_messages=_required("Angiv hvorfor du skal se det fulde CPR-nummer."),
    )


class BorgerSoegForm(forms.Form):
    q = forms.CharField(
        label="Søg på navn eller CPR-nummer",
        max_length=100,
        required=False,
        help_text="Skriv et eller flere navne, eller et helt CPR-nummer.",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
    )


__all__ = [
    "KONTAKT_FELTER",
    "REDIGER_FELTER",
    "BorgerOpretForm",
    "BorgerRedigerForm",
    "BorgerSoegForm",
    "CprVisForm",
    "PaaroerendeForm",
    "add_service_errors",
]
