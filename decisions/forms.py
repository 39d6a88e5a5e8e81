"""Forms of the decisions UI (letters, decisions, complaints). They only parse input; the services
in :mod:`decisions.services` and :mod:`decisions.klager` validate and save.

The document editor's fields depend on the document's type (a decision has a begrundelse, a refusal
of førtidspension work functions, a letter about a meeting its time ...). Facts (``Faktum``) are
rows of the same form (``faktum_<n>_tekst`` / ``faktum_<n>_kilde``), so one error summary covers
everything the user typed.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError

from cases.models import Lovhenvisning, Tilstand
from infra import datoer

from . import forms_typefelter as typefelter
from . import kilder, lint, rules, spoergsmaal
from .models import (
    AFGOERELSESTYPER,
    AnkeResultat,
    Dokument,
    DokumentType,
    Kanal,
    KlageKanal,
    KlageStatus,
)

T = DokumentType

MAKS_FAKTA = 50
NYE_FAKTA_RAEKKER = 2


def _required(message: str) -> dict[str, str]:
    return {"required": message}


def lovhenvisning_valg(paa: dt.date, koder=None) -> list[tuple[str, str]]:
    """The legal references in force on ``paa`` (only ``koder`` when given), by their text."""
    valg, set_ = [], set()
    qs = Lovhenvisning.objects.gyldig_paa(paa)
    if koder is not None:
        qs = qs.filter(kode__in=koder)
    for lh in qs.order_by("kode", "-gyldig_fra"):
        if lh.kode not in set_:
            set_.add(lh.kode)
            valg.append((lh.kode, f"{lh.lov} {lh.paragraf} – {lh.titel}"))
    return sorted(valg, key=lambda v: v[1].lower())


class Afkrydsninger(forms.CheckboxSelectMultiple):
    """Checkboxes whose field id points at the first box (so the error summary can link to it)."""

    def id_for_label(self, id_, index=None):
        return f"{id_}_0" if id_ and index is None else super().id_for_label(id_, index)


Valgknapper = typefelter.Valgknapper


# --- the document list: create a draft ----------------------------------------------------------
class _DokumentTypeField(forms.ChoiceField):
    """Offers the types possible now; any known type passes here, and the domain rule
    (``rules.dokumenttype_fejl``) refuses the others with the same message as the API."""

    def valid_value(self, value) -> bool:
        return value in DokumentType.values


class DokumentOpretForm(forms.Form):
    type = _DokumentTypeField(
        label="Hvilket brev eller hvilken afgørelse?",
        error_messages={
            "required": "Vælg hvilket brev eller hvilken afgørelse, du vil skrive.",
            "invalid_choice": "Ukendt dokumenttype.",
        },
    )
    erstatter = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, forloeb, erstatter: Dokument | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.forloeb, self.erstatter = forloeb, erstatter
        mulige = rules.mulige_dokumenttyper(forloeb, erstatter=erstatter)
        self.fields["type"].choices = [("", "Vælg type"), *((t, DokumentType(t).label) for t in mulige)]
        if erstatter is not None:
            self.fields["type"].initial = erstatter.type
            self.fields["erstatter"].initial = erstatter.pk

    def clean_type(self) -> str:
        type_ = self.cleaned_data["type"]
        fejl = rules.dokumenttype_fejl(self.forloeb, type_, erstatter=self.erstatter)
        if fejl is not None:
            raise fejl
        return type_


# --- the editor ---------------------------------------------------------------------------------
SUNDHED_VALG = [
    ("", "Vælg"),
    ("klinisk_funktion", "Regionens kliniske funktion"),
    ("andet", "Anden sundhedsfaglig rådgivning"),
]
VIDERE_VALG = [
    ("", "Vælg"),
    (Tilstand.AKTIVITETSPARAT, "Aktivitetsparat"),
    (Tilstand.RESSOURCEFORLOEB, "Ressourceforløb"),
    (Tilstand.FLEKSJOB, "Fleksjob"),
]
#: Letter fields stored in ``Dokument.data``.
DATA_FELTER = ["moede_tidspunkt", "aarsag", "ny_forventet_dato", "videre", "status_udfald"]
VISITATION_FELTER = typefelter.VISITATION_FELTER


class DokumentForm(forms.Form):
    """The draft's fields, as its type requires. ``service_kwargs()`` gives dokument_opdater's input."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    fakta_antal = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAKS_FAKTA, required=False)

    def __init__(self, *args, dokument: Dokument, **kwargs):
        self.dokument = d = dokument
        super().__init__(*args, **kwargs)
        f = self.fields
        t = d.type
        f["titel"] = forms.CharField(
            label="Overskrift", max_length=200, error_messages=_required("Dokumentet skal have en overskrift.")
        )
        f["tekst"] = forms.CharField(
            label="Afgørelsens tekst" if d.er_afgoerelse else "Brevets tekst",
            required=False,
            max_length=20000,
            help_text="Skriv afgørelsen, som borgeren skal læse den." if d.er_afgoerelse else "",
            widget=forms.Textarea(attrs={"rows": 8}),
        )
        if t == T.TILBUD_OM_MOEDE:
            f["moede_tidspunkt"] = forms.CharField(
                label="Tid og sted for mødet", max_length=300, required=False,
                help_text="Fx 12. maj 2026 kl. 10.00, Jobcentret, mødelokale 2.",
            )  # fmt: skip
        if t == T.REDEGOERELSE:
            f["aarsag"] = forms.CharField(
                label="Hvorfor kan sagen ikke afgøres inden fristen?",
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            f["ny_forventet_dato"] = forms.DateField(
                label="Hvornår forventes afgørelsen?",
                required=False,
                error_messages={"invalid": "Skriv en gyldig dato."},
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )
        typefelter.tilfoej(f, t)
        if d.er_afgoerelse:
            f["fuldt_medhold"] = forms.BooleanField(
                label="Borgeren får fuldt ud det, der er søgt om",
                required=False,
                help_text="Kun da kan begrundelsen udelades. Klagevejledningen kommer altid med.",
            )
            f["lovhenvisninger"] = forms.MultipleChoiceField(
                label="Retsregler, afgørelsen bygger på",
                required=False,
                # Only those that apply to the type, and any the draft already cites (issue 15).
                choices=lovhenvisning_valg(
                    datoer.idag(), {*rules.retsregler(t), *d.lovhenvisninger.values_list("kode", flat=True)}
                ),
                widget=Afkrydsninger(attrs={"class": "form-checkbox"}),
                error_messages={"invalid_choice": "Vælg lovhenvisninger fra listen."},
            )
            if t in lint.SKOENSMAESSIGE:
                f["hovedhensyn"] = forms.CharField(
                    label="Hovedhensyn i skønnet",
                    required=False,
                    max_length=20000,
                    help_text="De hensyn, der har været bestemmende for vurderingen (forvaltningsloven § 24).",
                    widget=forms.Textarea(attrs={"rows": 4}),
                )
        if t in (T.FOERTIDSPENSION_TILKENDELSE, T.FOERTIDSPENSION_AFSLAG):
            f["sundhedsfaglig_raadgivning"] = forms.ChoiceField(
                label="Sundhedsfaglig rådgivning fra", choices=SUNDHED_VALG, required=False
            )
        if t == T.FOERTIDSPENSION_TILKENDELSE:
            f["under_40_begrundelse"] = forms.CharField(
                label="Særlig begrundelse (borgere under 40 år)",
                required=False,
                max_length=20000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        if t == T.FOERTIDSPENSION_AFSLAG:
            f["arbejdsfunktioner"] = forms.CharField(
                label="Konkrete arbejdsfunktioner, borgeren kan varetage",
                required=False,
                max_length=20000,
                help_text="Én arbejdsfunktion pr. linje (pensionsloven § 19, stk. 1, nr. 5).",
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            f["videre"] = forms.ChoiceField(label="Forløbet fortsætter som", choices=VIDERE_VALG, required=False)
        if t in lint.ANDET_END_FLEKSJOB:
            f["fleksjob_afslag"] = forms.BooleanField(
                label="Afgørelsen giver udtrykkeligt afslag på fleksjob",
                required=False,
                help_text="Påkrævet, når borgeren har søgt fleksjob (Ankestyrelsens principafgørelse 64-11).",
            )
            f["fleksjob_afslag_begrundelse"] = forms.CharField(
                label="Begrundelse for afslag på fleksjob",
                required=False,
                max_length=20000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        # Prompts of the type (good practice the decision takes a position on), answered here.
        self.spoergsmaal = typefelter.spoergsmaal_felter(f, d)
        # Facts: existing rows plus empty rows to add more (a blank row is ignored).
        # A post without the facts' row count (not from the editor) leaves the facts alone.
        self.har_fakta = d.er_afgoerelse and (not self.is_bound or "fakta_antal" in self.data)
        self.fakta_raekker: list[int] = []
        self._fakta_index: dict[int, int] = {}
        if self.har_fakta:
            self.kilder = kilder.kilde_valg(d.forloeb, undtagen=d)
            eksisterende = list(d.fakta.all())
            if self.is_bound:
                try:
                    antal = int(self.data.get("fakta_antal") or 0)
                except (TypeError, ValueError):
                    antal = 0
                antal = max(0, min(antal, MAKS_FAKTA))
            else:
                antal = min(len(eksisterende) + NYE_FAKTA_RAEKKER, MAKS_FAKTA)
                self.initial["fakta_antal"] = antal
                for i, fk in enumerate(eksisterende):
                    self.initial[f"faktum_{i}_tekst"] = fk.tekst
                    self.initial[f"faktum_{i}_kilde"] = f"{fk.kilde_type}:{fk.kilde_id}"
            for i in range(antal):
                f[f"faktum_{i}_tekst"] = forms.CharField(
                    label=f"Oplysning {i + 1}", required=False, max_length=20000,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )  # fmt: skip
                f[f"faktum_{i}_kilde"] = forms.ChoiceField(
                    label=f"Kilde til oplysning {i + 1}", required=False, choices=self.kilder,
                    error_messages={"invalid_choice": "Kilden skal være et dokument i denne sag."},
                )  # fmt: skip
            self.fakta_antal = antal
        if not self.is_bound:
            self.initial.update(self._initial_fra(d))

    @staticmethod
    def _initial_fra(d: Dokument) -> dict:
        data = d.data or {}
        initial = {
            "version": d.version,
            "titel": d.titel,
            "tekst": d.tekst,
            "hovedhensyn": d.hovedhensyn,
            "fuldt_medhold": d.fuldt_medhold,
            "sundhedsfaglig_raadgivning": d.sundhedsfaglig_raadgivning,
            "under_40_begrundelse": d.under_40_begrundelse,
            "arbejdsfunktioner": "\n".join(str(a) for a in d.arbejdsfunktioner or []),
            "fleksjob_afslag": d.fleksjob_afslag,
            "fleksjob_afslag_begrundelse": d.fleksjob_afslag_begrundelse,
            **{k: data.get(k, "") for k in DATA_FELTER},
            **{k: data.get(k, "") for k in VISITATION_FELTER},
        }
        if isinstance(initial["baseline_timer"], str):
            initial["baseline_timer"] = initial["baseline_timer"].replace(".", ",")
        for kode, a in spoergsmaal.svar(d).items():
            initial[f"svar_{kode}"] = a.get("svar", "")
            initial[f"svar_{kode}_begrundelse"] = a.get("begrundelse", "")
        if d.pk:
            initial["lovhenvisninger"] = list(d.lovhenvisninger.values_list("kode", flat=True))
        return initial

    def spoergsmaal_felter(self) -> list[dict]:
        """Per prompt: its answer (radio) and reason fields, with who answered when."""
        return [
            p | {"svar_felt": self[f"svar_{p['kode']}"], "begrundelse_felt": self[f"svar_{p['kode']}_begrundelse"]}
            for p in self.spoergsmaal
        ]

    def visitation_felter(self) -> list[forms.BoundField]:
        return [self[n] for n in VISITATION_FELTER if n in self.fields]

    def fakta_felter(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        if not self.har_fakta:
            return []
        return [(self[f"faktum_{i}_tekst"], self[f"faktum_{i}_kilde"]) for i in range(self.fakta_antal)]

    def clean(self):
        cleaned = super().clean()
        if self.har_fakta:
            for i in range(self.fakta_antal):
                tekst = (cleaned.get(f"faktum_{i}_tekst") or "").strip()
                kilde = cleaned.get(f"faktum_{i}_kilde") or ""
                if tekst and not kilde:
                    self.add_error(f"faktum_{i}_kilde", "Vælg det dokument i sagen, oplysningen stammer fra.")
                elif kilde and not tekst:
                    self.add_error(f"faktum_{i}_tekst", "Beskriv oplysningen.")
        for p in self.spoergsmaal:
            navn = f"svar_{p['kode']}"
            if not cleaned.get(navn) and (cleaned.get(f"{navn}_begrundelse") or "").strip():
                self.add_error(navn, "Svar ja, nej eller ikke relevant.")
        return cleaned

    def service_kwargs(self) -> dict:
        """The input of services.dokument_opdater (without ``expected_version``)."""
        c = self.cleaned_data
        d = self.dokument
        out: dict = {"titel": c["titel"].strip(), "tekst": c.get("tekst", "")}
        for navn in (
            "hovedhensyn",
            "fuldt_medhold",
            "sundhedsfaglig_raadgivning",
            "under_40_begrundelse",
            "fleksjob_afslag",
            "fleksjob_afslag_begrundelse",
        ):
            if navn in self.fields:
                out[navn] = c.get(navn)
        if "arbejdsfunktioner" in self.fields:
            out["arbejdsfunktioner"] = [a.strip() for a in (c.get("arbejdsfunktioner") or "").splitlines() if a.strip()]
        if any(k in self.fields for k in (*DATA_FELTER, *VISITATION_FELTER)):
            data = dict(d.data or {})
            for k in VISITATION_FELTER:
                if k in self.fields:
                    v = c.get(k)
                    if isinstance(v, dt.date):
                        v = v.isoformat()
                    elif isinstance(v, str):
                        v = v.strip().replace(" ", "").replace("%", "")
                        v = v.replace(",", ".") if k == "baseline_timer" else v
                    if v in ("", None, False):
                        data.pop(k, None)
                    else:
                        data[k] = v
            for k in DATA_FELTER:
                if k in self.fields:
                    v = c.get(k)
                    if isinstance(v, dt.date):
                        v = v.isoformat()
                    if v:
                        data[k] = v.strip() if isinstance(v, str) else v
                    else:
                        data.pop(k, None)
            out["data"] = data
        if "lovhenvisninger" in self.fields:
            out["lovhenvisninger"] = list(c.get("lovhenvisninger") or [])
        if self.spoergsmaal:
            out["svar"] = [
                {
                    "kode": p["kode"],
                    "svar": c[f"svar_{p['kode']}"],
                    "begrundelse": (c.get(f"svar_{p['kode']}_begrundelse") or "").strip(),
                }
                for p in self.spoergsmaal
                if c.get(f"svar_{p['kode']}")
            ]
        if self.har_fakta:
            fakta = []
            self._fakta_index = {}
            for i in range(self.fakta_antal):
                tekst = (c.get(f"faktum_{i}_tekst") or "").strip()
                kilde = c.get(f"faktum_{i}_kilde") or ""
                if not tekst and not kilde:
                    continue
                kilde_type, _, kilde_id = kilde.partition(":")
                self._fakta_index[len(fakta)] = i
                fakta.append({"tekst": tekst, "kilde_type": kilde_type, "kilde_id": kilde_id})
            out["fakta"] = fakta
        return out

    def felt_for(self, service_felt: str) -> str | None:
        """The form field a service or lint field name belongs to (``fakta.0.kilde_id`` → ``faktum_0_kilde``)."""
        if service_felt.startswith("fakta."):
            dele = service_felt.split(".")
            try:
                raekke = self._fakta_index.get(int(dele[1]), int(dele[1]))
            except (IndexError, ValueError):
                return None
            navn = f"faktum_{raekke}_{'kilde' if dele[-1] == 'kilde_id' else 'tekst'}"
            return navn if navn in self.fields else None
        if service_felt == "fakta":
            return "faktum_0_tekst" if "faktum_0_tekst" in self.fields else None
        if service_felt.startswith("svar."):
            dele = service_felt.split(".")
            navn = f"svar_{dele[1]}" + ("_begrundelse" if dele[-1] == "begrundelse" and len(dele) > 2 else "")
            return navn if navn in self.fields else None
        navn = service_felt.removeprefix("data.")
        return navn if navn in self.fields else None

    def tilfoej_servicefejl(self, exc: ValidationError) -> None:
        """Put a service's ValidationError on the fields it concerns (the rest at the top)."""
        if hasattr(exc, "error_dict"):
            for felt, fejl in exc.error_dict.items():
                navn = self.felt_for(felt)
                for e in fejl:
                    self.add_error(navn, e)
        else:
            self.add_error(None, exc)


# --- sending ------------------------------------------------------------------------------------
class AfsendForm(forms.Form):
    kanal = forms.ChoiceField(
        label="Hvordan sendes dokumentet?",
        choices=Kanal.choices,
        widget=Valgknapper,
        error_messages=_required("Vælg hvordan dokumentet sendes til borgeren."),
    )


# --- complaints ---------------------------------------------------------------------------------
class KlageOpretForm(forms.Form):
    modtaget_dato = forms.DateField(
        label="Dato, klagen blev modtaget",
        error_messages={"required": "Angiv datoen, klagen blev modtaget.", "invalid": "Skriv en gyldig dato."},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    kanal = forms.ChoiceField(
        label="Hvordan kom klagen ind?",
        choices=[("", "Vælg kanal"), *KlageKanal.choices],
        error_messages=_required("Vælg hvordan klagen kom ind."),
    )
    indhold = forms.CharField(
        label="Klagens indhold",
        required=False,
        max_length=100_000,
        help_text="Gengiv klagen eller det væsentlige af en mundtlig klage. Borgeren behøver ikke begrunde klagen.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class GenvurderForm(forms.Form):
    resultat = forms.ChoiceField(
        label="Resultat af genvurderingen",
        choices=[(s.value, s.label) for s in (KlageStatus.MEDHOLD, KlageStatus.FASTHOLDT)],
        widget=Valgknapper,
        error_messages=_required("Vælg om borgeren får medhold, eller afgørelsen fastholdes."),
    )
    begrundelse = forms.CharField(
        label="Begrundelse for genvurderingen",
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=_required("Begrund genvurderingen."),
    )
    ny_afgoerelse = forms.ChoiceField(
        label="Ny afgørelse (ved medhold)",
        required=False,
        help_text="Den udstedte afgørelse, der erstatter den påklagede.",
    )

    def __init__(self, *args, nye_afgoerelser=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ny_afgoerelse"].choices = [("", "Ingen")] + [
            (str(d.pk), f"{d.titel} (udstedt {d.udstedt:%d.%m.%Y})") for d in nye_afgoerelser
        ]


class AnkeResultatForm(forms.Form):
    resultat = forms.ChoiceField(
        label="Ankestyrelsens afgørelse",
        choices=[("", "Vælg resultat"), *AnkeResultat.choices],
        error_messages=_required("Vælg Ankestyrelsens resultat."),
    )
    dato = forms.DateField(
        label="Dato for Ankestyrelsens afgørelse",
        error_messages={"required": "Angiv datoen for Ankestyrelsens afgørelse.", "invalid": "Skriv en gyldig dato."},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


__all__ = ["AFGOERELSESTYPER"]
