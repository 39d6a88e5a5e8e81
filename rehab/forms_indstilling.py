"""The indstilling form: the content its outcome requires (BEK §§ 8-10) and the structured content the
practice study recommends (job goal, extent, progression, compensatory options), grouped by outcome.
It only parses; ``rehab.services.indstilling_registrer`` decides."""

from __future__ import annotations

from django import forms

from cases.models import Udfald

from .models import KOMPENSERENDE, KompVurdering, ProgressionMulig


def _tekst(label: str, *, rows: int = 4, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        max_length=10000,
        strip=True,
        error_messages={"max_length": "Teksten er for lang (højst 10.000 tegn)."},
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _dato(label: str, *, help_text: str, required_msg: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        error_messages={"required": required_msg, "invalid": "Skriv en gyldig dato, fx 31-12-2026."},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


# --- indstilling -----------------------------------------------------------------------------
UDFALD_VALG = [*Udfald.choices, ("udsaettelse", "Udsættelse – sagen skal forelægges teamet igen")]

#: Which content fields belong to which outcome (DOMAIN.md §4); the UI shows and sends only these.
GRUPPER: list[tuple[str, str, tuple[str, ...], tuple[str, ...]]] = [
    (
        "faktorer",
        "Forhold teamet har lagt vægt på",
        ("fleksjob", "foertidspension"),
        ("faktorer_beskaeftigelse", "faktorer_sociale", "faktorer_helbred"),
    ),
    (
        "fleksjob",
        "Fleksjob",
        ("fleksjob",),
        (
            "hvorfor_ikke_ordinaere_vilkaar",
            "egnede_jobtyper",
            "saerlige_hensyn",
            "meget_begraenset_arbejdsevne",
            "udvikling_begrundelse",
        ),
    ),
    (
        "arbejdsevne",
        "Arbejdsevne, mål og tidligere forløb",
        ("fleksjob", "foertidspension", "ressourceforloeb"),
        ("jobmaal", "arbejdsevne_omfang", "vurderet_timer", "vurderet_intensitet", "tidligere_forloeb"),
    ),
    (
        "progression",
        "Progression og udviklingsmuligheder",
        ("fleksjob", "ressourceforloeb"),
        ("progression_mulig", "udviklingsperspektiv"),
    ),
    (
        "kompenserende",
        "Kompenserende ordninger",
        ("fleksjob",),
        (*[f for f, _ in KOMPENSERENDE], "kompenserende_bemaerkninger"),
    ),
    ("foertidspension", "Førtidspension", ("foertidspension",), ("faglig_begrundelse",)),
    (
        "ressourceforloeb",
        "Ressourceforløb",
        ("ressourceforloeb",),
        (
            "maal",
            "indsats_beskaeftigelse",
            "indsats_uddannelse",
            "indsats_social",
            "indsats_helbred",
            "opfoelgning",
            "raekkefoelge",
            "team_oensker_sagen_retur",
        ),
    ),
    (
        "anden",
        "Anden indsats eller jobafklaringsforløb",
        ("anden_indsats", "jobafklaringsforloeb"),
        ("anden_indsats_beskrivelse",),
    ),
    ("udsaettelse", "Udsættelse", ("udsaettelse",), ("udsaettelse_aarsag", "udsaettelse_mangler")),
]

INDSTILLING_LABELS = {
    "faktorer_beskaeftigelse": "Beskæftigelsesmæssige forhold",
    "faktorer_sociale": "Sociale forhold",
    "faktorer_helbred": "Helbredsmæssige forhold",
    "hvorfor_ikke_ordinaere_vilkaar": "Hvorfor arbejde på ordinære vilkår ikke er muligt",
    "egnede_jobtyper": "Egnede jobtyper og arbejdsfunktioner",
    "saerlige_hensyn": "Særlige hensyn og støtte i overgangen til job",
    "meget_begraenset_arbejdsevne": "Borgeren har aktuelt en meget begrænset arbejdsevne",
    "udvikling_begrundelse": "Hvorfor arbejdsevnen kan udvikles inden for en rimelig periode",
    "faglig_begrundelse": "Faglig begrundelse for varigt og væsentligt nedsat arbejdsevne",
    "maal": "Mål med ressourceforløbet",
    "indsats_beskaeftigelse": "Beskæftigelsesrettet indsats",
    "indsats_uddannelse": "Uddannelsesrettet indsats",
    "indsats_social": "Social indsats",
    "indsats_helbred": "Helbredsmæssig indsats",
    "opfoelgning": "Opfølgning, herunder mentor",
    "raekkefoelge": "Indsatsernes rækkefølge",
    "team_oensker_sagen_retur": "Teamet ønsker sagen forelagt igen",
    "anden_indsats_beskrivelse": "Beskrivelse af den anbefalede indsats",
    "udsaettelse_aarsag": "Årsag til udsættelsen",
    "udsaettelse_mangler": "Hvad mangler, før sagen kan forelægges igen",
    "jobmaal": "Beskæftigelsesmål",
    "arbejdsevne_omfang": "Omfanget af den nedsatte arbejdsevne",
    "vurderet_timer": "Teamets vurdering af arbejdsevnen: timer pr. uge",
    "vurderet_intensitet": "Teamets vurdering af arbejdsintensiteten (%)",
    "tidligere_forloeb": "Tidligere forløb og indsatser",
    "progression_mulig": "Er progression mulig?",
    "udviklingsperspektiv": "Progression og udviklingsmuligheder",
    **{f: label for f, label in KOMPENSERENDE},
    "kompenserende_bemaerkninger": "Bemærkninger til de kompenserende ordninger",
}
VALGFELTER = {
    **{f: KompVurdering.choices for f, _ in KOMPENSERENDE},
    "progression_mulig": ProgressionMulig.choices,
}
INDSTILLING_HJAELP = {
    "vurderet_timer": "Fx 12,5. Bliver forslag til visitationens udgangspunkt.",
    "kompenserende_bemaerkninger": "Anbefales: tag stilling til hver ordning (Ankestyrelsens praksisundersøgelse).",
    "udvikling_begrundelse": "Skal udfyldes, når arbejdsevnen aktuelt er meget begrænset.",
    "team_oensker_sagen_retur": "Fx ved ressourceforløbets afslutning.",
}


class IndstillingForm(forms.Form):
    udfald = forms.ChoiceField(
        label="Teamets indstilling",
        choices=[("", "Vælg indstilling"), *UDFALD_VALG],
        error_messages={"required": "Vælg teamets indstilling.", "invalid_choice": "Vælg teamets indstilling."},
    )
    dato = _dato(
        "Dato for indstillingen",
        help_text="Datoen for mødet i rehabiliteringsteamet.",
        required_msg="Angiv datoen for indstillingen.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for _, _, _, navne in GRUPPER:
            for navn in navne:
                label = INDSTILLING_LABELS[navn]
                if navn in ("meget_begraenset_arbejdsevne", "team_oensker_sagen_retur"):
                    self.fields[navn] = forms.BooleanField(
                        label=label, required=False, help_text=INDSTILLING_HJAELP.get(navn, "")
                    )
                elif navn in VALGFELTER:
                    self.fields[navn] = forms.ChoiceField(
                        label=label, required=False, choices=[("", "Ikke taget stilling"), *VALGFELTER[navn]],
                        help_text=INDSTILLING_HJAELP.get(navn, ""),
                    )  # fmt: skip
                elif navn in ("vurderet_timer", "vurderet_intensitet"):
                    self.fields[navn] = forms.CharField(
                        label=label, required=False, max_length=10, help_text=INDSTILLING_HJAELP.get(navn, ""),
                        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
                    )  # fmt: skip
                else:
                    self.fields[navn] = _tekst(label, rows=4, help_text=INDSTILLING_HJAELP.get(navn, ""))

    def grupper(self):
        valgt = self.data.get("udfald") if self.is_bound else self.initial.get("udfald")
        return [
            {
                "noegle": noegle,
                "titel": titel,
                "udfald": " ".join(udfald),
                "felter": [self[n] for n in navne],
                "aktiv": not valgt or valgt in udfald,
            }
            for noegle, titel, udfald, navne in GRUPPER
        ]

    def felter(self) -> dict:
        """The content fields that belong to the chosen outcome (others are not sent)."""
        udfald = self.cleaned_data["udfald"]
        out = {}
        for _, _, gruppe_udfald, navne in GRUPPER:
            if udfald in gruppe_udfald:
                out |= {n: self.cleaned_data[n] for n in navne}
        return out
