"""Forms of the fleksjob pages. They only parse input; ``flexjob.services`` validate and save.

Hours are typed the Danish way ("12,5"); every message is Danish and, where a rule exists, taken
from ``flexjob.rules`` / ``flexjob.services`` so the form and the service say the same thing.
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from django import forms
from django.core.exceptions import ValidationError

from decisions.models import Dokument

from . import rules, services
from .models import BevillingType, Vaerktoej

#: Rows of skånehensyn offered by the editor (each: the hensyn and how the job meets it).
ANTAL_SKAANEHENSYN = 3

#: Assessment fields posted to the services as they are.
VURDERING_TEKSTFELTER = [
    "opgaver", "afvigelse_begrundelse", "timer_begrundelse", "hjaelpemidler", "arbejdspladsindretning",
    "personlig_assistance", "progression", "oplaering", "forebyggelse", "inddragelse_deltagere", "vaerktoej",
    "vaerktoej_beskrivelse",
]  # fmt: skip
#: Rows of milestones and follow-up dates offered by the editor.
ANTAL_MILEPAELE = 3
ANTAL_OPFOELGNINGER = 3

AFVIGELSE_KODE = "arbejdsevne.afvigelse_uden_begrundelse"


def _required(message: str) -> dict[str, str]:
    return {"required": message}


def tal_dansk(value, decimaler: int | None = None) -> str:
    """A number as a Danish user types and reads it: 12,5 (or with fixed decimals: 7,50)."""
    if value is None or value == "":
        return ""
    d = Decimal(str(value))
    if decimaler is not None:
        return f"{d:.{decimaler}f}".replace(".", ",")
    s = f"{d:f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s.replace(".", ",")


def parse_timer(value) -> Decimal | None:
    """'12,5' / '12.5' → Decimal('12.5'); None when it is not a number."""
    if value is None:
        return None
    return rules.som_decimal(str(value).strip().replace(" ", "").replace(",", "."))


class TimerField(forms.CharField):
    """Hours per week as a decimal number, typed with a comma or a point."""

    default_error_messages = {"invalid": "Angiv timer som et tal, fx 12,5."}

    def __init__(self, **kwargs):
        attrs = {"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false", "maxlength": "10"}
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        d = parse_timer(value)
        if d is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return d


class ProcentField(forms.CharField):
    """A work intensity in per cent: a whole number 1–100 (the rule's own message)."""

    def __init__(self, **kwargs):
        attrs = {"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false", "maxlength": "5"}
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        value = value.replace("%", "").strip()
        if fejl := rules.intensitet_fejl(value):
            raise ValidationError(fejl, code="invalid")
        return int(value)


def _dato(label: str, *, required: bool, besked: str = "Angiv datoen.", help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        error_messages={"required": besked, "invalid": "Skriv en gyldig dato (dd.mm.åååå)."},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _tekst(label: str, *, rows: int = 3, help_text: str = "", required: bool = False, **kw) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows}), **kw
    )


# ---------------------------------------------------------------------------------------------
# Visitation
# ---------------------------------------------------------------------------------------------
class AfgoerelseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Dokument) -> str:
        dato = obj.udstedt.strftime("%d.%m.%Y") if obj.udstedt else "ikke udstedt"
        return f"{obj.get_type_display()} ({obj.sagsnummer or 'uden sagsnummer'}, udstedt {dato})"


class VisitationForm(forms.Form):
    afgoerelse = AfgoerelseChoiceField(
        label="Afgørelse om visitation",
        queryset=Dokument.objects.none(),
        empty_label="Vælg afgørelse",
        error_messages={
            "required": "Vælg den udstedte afgørelse om visitation til fleksjob.",
            "invalid_choice": "Vælg den udstedte afgørelse om visitation til fleksjob i dette forløb.",
        },
    )
    baseline_timer = TimerField(
        label="Vurderet arbejdsevne, timer pr. uge",
        help_text="Fx 12,5.",
        error_messages=_required("Angiv den vurderede arbejdsevne i timer pr. uge."),
    )
    baseline_intensitet = ProcentField(
        label="Vurderet arbejdsintensitet (%)",
        help_text="Et helt tal mellem 1 og 100.",
        error_messages=_required("Angiv den vurderede arbejdsintensitet (%)."),
    )
    meget_begraenset = forms.BooleanField(label="Borgeren har en aktuelt meget begrænset arbejdsevne", required=False)
    permanent = forms.BooleanField(
        label="Permanent fleksjob",
        required=False,
        help_text="Kun efter et midlertidigt fleksjob og når borgeren er fyldt 40 år.",
    )
    dato = _dato("Visitationsdato", required=False, help_text="Udelades: afgørelsens udstedelsesdato.")
    ledighedsydelse_fra = _dato("Ledighedsydelse fra", required=False, help_text="Udelades: fra visitationsdatoen.")

    def __init__(self, *args, forloeb, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["afgoerelse"].queryset = (
            Dokument.objects.filter(forloeb=forloeb, type="fleksjob_visitation")
            .exclude(status="kladde")
            .filter(visitation__isnull=True)
            .order_by("-udstedt")
        )


# ---------------------------------------------------------------------------------------------
# Employment
# ---------------------------------------------------------------------------------------------
class AnsaettelseForm(forms.Form):
    cvr = forms.CharField(
        label="CVR-nummer",
        max_length=11,
        help_text="8 cifre. Kendte virksomheder findes ud fra CVR-nummeret.",
        error_messages=_required("Angiv virksomhedens CVR-nummer."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}),
    )
    p_nummer = forms.CharField(
        label="P-nummer",
        max_length=12,
        required=False,
        help_text="Produktionsenhedens P-nummer: 10 cifre.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}),
    )
    navn = forms.CharField(
        label="Virksomhedens navn",
        max_length=200,
        required=False,
        help_text="Skal udfyldes for en ny virksomhed. For en kendt virksomhed bruges det registrerede navn.",
    )
    kontaktperson = forms.CharField(label="Kontaktperson", max_length=200, required=False)
    telefon = forms.CharField(label="Telefon", max_length=20, required=False)
    email = forms.CharField(label="E-mail", max_length=254, required=False)
    start = _dato("Startdato", required=True, besked="Angiv startdato.")
    slut = _dato("Slutdato", required=False)
    loennede_timer = TimerField(
        label="Lønnede timer pr. uge",
        help_text="Fx 12,5. Over 37 timer kræver en begrundelse.",
        error_messages=_required("Angiv lønnede timer pr. uge."),
    )
    intensitet = ProcentField(label="Jobbets arbejdsintensitet (%)", required=False, help_text="Et helt tal 1–100.")
    timer_begrundelse = _tekst("Begrundelse for mere end 37 timer pr. uge", rows=2)
    opgaver = _tekst("Jobbets konkrete opgaver", rows=4)

    def __init__(self, *args, opslag_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if opslag_url:  # htmx: tell the user whether the CVR is a known employer while they type
            htmx = {
                "hx-get": opslag_url,
                "hx-trigger": "input changed delay:400ms, change",
                "hx-target": "#virksomhed-opslag",
                "hx-include": "[name=cvr], [name=p_nummer]",
                "hx-sync": "closest form:abort",
            }
            self.fields["cvr"].widget.attrs.update(htmx)
            self.fields["p_nummer"].widget.attrs.update(htmx)

    def clean(self):
        data = super().clean()
        cvr = (self.data.get("cvr") or "").strip().replace(" ", "")
        p_nummer = (self.data.get("p_nummer") or "").strip().replace(" ", "")
        email = (self.data.get("email") or "").strip()
        # The service's own messages for identifiers (pure check, no database).
        fejl = services.virksomhed_fejl(cvr=cvr, navn="-", p_nummer=p_nummer, email=email)
        for felt in ("cvr", "p_nummer", "email"):
            if felt in fejl and felt not in self.errors:
                self.add_error(felt, fejl[felt])
        if "cvr" in data:
            data["cvr"] = cvr
        if "p_nummer" in data:
            data["p_nummer"] = p_nummer
        return data


class OpfoelgningForm(forms.Form):
    dato = _dato("Dato for opfølgningen", required=True, besked="Angiv datoen for opfølgningen.")
    referat = _tekst(
        "Referat",
        rows=4,
        required=True,
        help_text="Hvad blev drøftet, og hvad er aftalt?",
        error_messages=_required("Skriv et referat af opfølgningen."),
    )


# ---------------------------------------------------------------------------------------------
# Arbejdsevnevurdering
# ---------------------------------------------------------------------------------------------
class VurderingForm(forms.Form):
    timer = TimerField(
        label="Arbejdsevne: timer pr. uge",
        help_text="Det antal timer, borgeren kan arbejde om ugen. Fx 12,5.",
        error_messages=_required("Angiv arbejdsevnen i timer pr. uge."),
    )
    intensitet = ProcentField(
        label="Arbejdsintensitet (%)",
        help_text="Borgerens effektivitet i de timer: et helt tal 1–100.",
        error_messages=_required("Angiv arbejdsintensiteten (%)."),
    )
    job_timer = TimerField(
        label="Jobbets timer pr. uge",
        help_text="De faktiske timer i jobbet.",
        error_messages=_required("Angiv jobbets timer pr. uge."),
    )
    job_intensitet = ProcentField(
        label="Jobbets arbejdsintensitet (%)",
        error_messages=_required("Angiv jobbets arbejdsintensitet (%)."),
    )
    afvigelse_begrundelse = _tekst(
        "Begrundelse for afvigelsen",
        rows=3,
        help_text="Skal udfyldes, når jobbets timer eller arbejdsintensitet afviger fra den vurderede arbejdsevne.",
    )
    timer_begrundelse = _tekst("Begrundelse for mere end 37 timer pr. uge", rows=2)
    opgaver = _tekst("Jobbets konkrete arbejdsopgaver", rows=4)
    hjaelpemidler = _tekst("Hjælpemidler", rows=2)
    arbejdspladsindretning = _tekst("Arbejdspladsindretning", rows=2)
    personlig_assistance = _tekst("Personlig assistance", rows=2)
    mentor_timer_pr_uge = TimerField(label="Mentor, timer pr. uge", required=False)
    mentor_varighed_uger = forms.IntegerField(
        label="Mentor, antal uger",
        required=False,
        min_value=1,
        max_value=999,
        error_messages={
            "invalid": "Angiv antal uger som et helt tal.",
            "min_value": "Angiv antal uger som et helt tal.",
            "max_value": "Angiv antal uger som et helt tal.",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    oplaering = _tekst("Oplæring", rows=2)
    tidligere_bevillinger = forms.MultipleChoiceField(
        label="Tidligere bevillinger, vurderingen henviser til",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Borgerens registrerede bevillinger (hjælpemidler, personlig assistance ...).",
        error_messages={"invalid_choice": "Vælg bevillinger fra listen."},
    )
    progression = _tekst(
        "Vurdering af progression",
        rows=3,
        help_text="Skal udfyldes ved en aktuelt meget begrænset arbejdsevne (LAB § 116, stk. 2), og når du svarer, "
        "at progression er mulig.",
    )
    forebyggelse = _tekst(
        "Tiltag, der skal forebygge, at arbejdsevnen nedsættes yderligere",
        rows=2,
    )
    loen_bekraeftet = forms.BooleanField(
        label="Jobbet er lønnet af arbejdsgiveren",
        required=False,
        help_text="En reel arbejdsgiver og et lønnet job, der tilgodeser skånehensynene, er betingelserne for "
        "godkendelsen.",
    )
    inddragelse_moede_dato = _dato("Møde med borgeren og arbejdsgiveren (dato)", required=False)
    inddragelse_deltagere = _tekst("Deltagere i mødet", rows=2, help_text="Fx borgeren, arbejdsgiveren og dig.")
    vaerktoej = forms.ChoiceField(
        label="Værktøj eller skabelon",
        required=False,
        choices=[("", "Vælg"), *Vaerktoej.choices],
        help_text="Til indberetning: hvilket værktøj vurderingen er lavet med.",
    )
    vaerktoej_beskrivelse = forms.CharField(label="Andet værktøj", max_length=200, required=False)
    faelles_anmodning = forms.BooleanField(
        label="Arbejdsgiver og medarbejder har sammen bedt om en ny vurdering", required=False
    )

    def __init__(self, *args, revurdering: bool = False, bevillinger=(), **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, ANTAL_SKAANEHENSYN + 1):
            self.fields[f"hensyn_{i}"] = forms.CharField(label=f"Skånehensyn {i}", max_length=500, required=False)
            self.fields[f"imoedekommet_{i}"] = _tekst(f"Sådan imødekommer jobbet skånehensyn {i}", rows=2)
        for i in range(1, ANTAL_MILEPAELE + 1):
            self.fields[f"milepael_dato_{i}"] = _dato(f"Milepæl {i}: dato", required=False)
            self.fields[f"milepael_{i}"] = forms.CharField(label=f"Milepæl {i}", max_length=500, required=False)
        for i in range(1, ANTAL_OPFOELGNINGER + 1):
            self.fields[f"opfoelgning_{i}"] = _dato(f"Opfølgning {i}", required=False)
        self.fields["tidligere_bevillinger"].choices = [
            (str(b.pk), f"{BevillingType(b.type).label}: {b.beskrivelse} ({b.dato:%d.%m.%Y}, {b.bevilget_af})")
            for b in bevillinger
        ]
        if not revurdering:
            del self.fields["faelles_anmodning"]

    def milepael_felter(self):
        return [(self[f"milepael_dato_{i}"], self[f"milepael_{i}"]) for i in range(1, ANTAL_MILEPAELE + 1)]

    def opfoelgning_felter(self):
        return [self[f"opfoelgning_{i}"] for i in range(1, ANTAL_OPFOELGNINGER + 1)]

    def skaanehensyn_felter(self):
        """(hensyn, imødekommet) bound fields per row, for the template."""
        return [(self[f"hensyn_{i}"], self[f"imoedekommet_{i}"]) for i in range(1, ANTAL_SKAANEHENSYN + 1)]

    def clean(self):
        data = super().clean()
        skaanehensyn = []
        for i in range(1, ANTAL_SKAANEHENSYN + 1):
            hensyn = (data.get(f"hensyn_{i}") or "").strip()
            imoedekommet = (data.get(f"imoedekommet_{i}") or "").strip()
            if hensyn and not imoedekommet:
                self.add_error(f"imoedekommet_{i}", "Beskriv hvordan jobbet imødekommer skånehensynet.")
            elif imoedekommet and not hensyn:
                self.add_error(f"hensyn_{i}", "Beskriv skånehensynet.")
            elif hensyn:
                skaanehensyn.append({"hensyn": hensyn, "imoedekommet": imoedekommet})
        data["skaanehensyn"] = skaanehensyn
        milepaele = []
        for i in range(1, ANTAL_MILEPAELE + 1):
            dato, tekst = data.get(f"milepael_dato_{i}"), (data.get(f"milepael_{i}") or "").strip()
            if tekst and not dato:
                self.add_error(f"milepael_dato_{i}", "Angiv datoen for milepælen.")
            elif dato and not tekst:
                self.add_error(f"milepael_{i}", "Beskriv milepælen.")
            elif tekst:
                milepaele.append({"dato": dato.isoformat(), "beskrivelse": tekst})
        data["milepaele"] = milepaele
        data["opfoelgningsdatoer"] = sorted(
            d.isoformat() for i in range(1, ANTAL_OPFOELGNINGER + 1) if (d := data.get(f"opfoelgning_{i}"))
        )
        tal = [data.get(f) for f in ("timer", "intensitet", "job_timer", "job_intensitet")]
        if all(v is not None for v in tal) and (besked := afvigelse_mangler(*tal, data.get("afvigelse_begrundelse"))):
            self.add_error("afvigelse_begrundelse", besked)
        return data

    def service_felter(self) -> dict:
        """The cleaned data as the arbejdsevnevurdering services take it."""
        d = self.cleaned_data
        felter = {f: d[f] for f in ("timer", "intensitet", "job_timer", "job_intensitet", "skaanehensyn")}
        felter |= {f: d.get(f) or "" for f in VURDERING_TEKSTFELTER}
        felter |= {
            "mentor_timer_pr_uge": d.get("mentor_timer_pr_uge"),
            "mentor_varighed_uger": d.get("mentor_varighed_uger"),
            "milepaele": d["milepaele"],
            "opfoelgningsdatoer": d["opfoelgningsdatoer"],
            "loen_bekraeftet": bool(d.get("loen_bekraeftet")),
            "inddragelse_moede_dato": d.get("inddragelse_moede_dato"),
            "tidligere_bevillinger": list(d.get("tidligere_bevillinger") or []),
        }
        return felter


def afvigelse_mangler(timer, intensitet, job_timer, job_intensitet, begrundelse) -> str | None:
    """The content rule's message when the job deviates from the assessed capacity without a reason.

    Asks ``rules.vurdering_mangler`` (the same rule the decision lint uses) about these four numbers."""
    v = SimpleNamespace(
        timer=timer, intensitet=intensitet, job_timer=job_timer, job_intensitet=job_intensitet,
        afvigelse_begrundelse=begrundelse or "", opgaver="-", skaanehensyn=[{"hensyn": "-", "imoedekommet": "-"}],
        progression="-", timer_begrundelse="-", loen_bekraeftet=True, vaerktoej="kl_ab325",
    )  # fmt: skip
    for kode, besked, _felt in rules.vurdering_mangler(v, meget_begraenset=False):
        if kode == AFVIGELSE_KODE:
            return besked
    return None


# ---------------------------------------------------------------------------------------------
# Earlier grants
# ---------------------------------------------------------------------------------------------
class BevillingForm(forms.Form):
    type = forms.ChoiceField(
        label="Hvad er bevilget",
        choices=[("", "Vælg"), *BevillingType.choices],
        error_messages={"required": "Vælg hvilken slags bevilling.", "invalid_choice": "Vælg hvilken slags bevilling."},
    )
    beskrivelse = _tekst(
        "Beskrivelse", rows=2, required=True, help_text="Fx hæve-sænkebord, 10 timers personlig assistance om ugen.",
        error_messages=_required("Beskriv hvad der er bevilget."),
    )  # fmt: skip
    dato = _dato("Bevilget (dato)", required=True, besked="Angiv datoen for bevillingen.")
    bevilget_af = forms.CharField(
        label="Bevilget af",
        max_length=200,
        help_text="Myndighed eller enhed, fx Jobcentrets virksomhedsservice.",
        error_messages=_required("Angiv hvem der har bevilget det."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "bevilling")
        super().__init__(*args, **kwargs)


# ---------------------------------------------------------------------------------------------
# Agreements
# ---------------------------------------------------------------------------------------------
class AftaleBehandlForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AftaleAfvisForm(AftaleBehandlForm):
    begrundelse = _tekst(
        "Begrundelse for afvisningen",
        rows=3,
        required=True,
        help_text="Afsenderen kan læse begrundelsen.",
        error_messages=_required("Skriv en begrundelse for afvisningen."),
    )

    def __init__(self, *args, aftale=None, **kwargs):
        prefix = kwargs.pop("prefix", None) or (f"afvis-{aftale.pk}" if aftale is not None else None)
        super().__init__(*args, prefix=prefix, **kwargs)


class AftaleBekraeftForm(AftaleBehandlForm):
    part = forms.ChoiceField(
        label="Hvem har bekræftet",
        choices=[("", "Vælg"), ("borger", "Borgeren"), ("arbejdsgiver", "Arbejdsgiveren")],
        error_messages={"required": "Vælg hvem der har bekræftet.", "invalid_choice": "Vælg hvem der har bekræftet."},
    )
    af = forms.CharField(
        label="Bekræftet af",
        max_length=200,
        help_text="Navn og hvordan, fx »Ole Hansen, underskrift på AB 325«.",
        error_messages=_required("Angiv hvem der bekræftede aftalen."),
    )

    def __init__(self, *args, aftale=None, **kwargs):
        prefix = kwargs.pop("prefix", None) or (f"bekraeft-{aftale.pk}" if aftale is not None else None)
        super().__init__(*args, prefix=prefix, **kwargs)
