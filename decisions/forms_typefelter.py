"""Fields of the document editor that only some types have: the visitation decision's assessed
capacity (``Dokument.data``, which becomes the visitation's baseline when issued), the 4½-year status
outcome, and the prompts of the type (``decisions.spoergsmaal``) with their answer and reason."""

from __future__ import annotations

from django import forms

from . import lint, spoergsmaal
from .models import DokumentType, SvarValg

T = DokumentType

#: The visitation decision's content (``Dokument.data``): the assessed capacity that becomes the
#: visitation's baseline when the decision is issued (flexjob checks and registers it).
VISITATION_FELTER = ["baseline_timer", "baseline_intensitet", "meget_begraenset", "permanent", "ledighedsydelse_fra"]


class Valgknapper(forms.RadioSelect):
    """Radio buttons whose field id points at the first button (for the error summary's link)."""

    def id_for_label(self, id_, index=None):
        return f"{id_}_0" if id_ and index is None else super().id_for_label(id_, index)


def tilfoej(f: dict, t: str) -> None:
    """Add the type's own content fields to the editor's fields ``f``."""
    if t == T.FLEKSJOB_VISITATION:
        tal = {"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false", "maxlength": "10"}
        f["baseline_timer"] = forms.CharField(
            label="Vurderet arbejdsevne, timer pr. uge", required=False, max_length=10,
            help_text="Fx 12,5. Bliver udgangspunktet for arbejdsevnevurderingen i det konkrete job.",
            widget=forms.TextInput(attrs=tal),
        )  # fmt: skip
        f["baseline_intensitet"] = forms.CharField(
            label="Vurderet arbejdsintensitet (%)", required=False, max_length=5,
            help_text="Et helt tal mellem 1 og 100.", widget=forms.TextInput(attrs=tal),
        )  # fmt: skip
        f["meget_begraenset"] = forms.BooleanField(
            label="Borgeren har en aktuelt meget begrænset arbejdsevne (LAB § 116, stk. 2)", required=False
        )
        f["permanent"] = forms.BooleanField(
            label="Permanent fleksjob",
            required=False,
            help_text="Kun efter et midlertidigt fleksjob og når borgeren er fyldt 40 år.",
        )
        f["ledighedsydelse_fra"] = forms.DateField(
            label="Ledighedsydelse fra",
            required=False,
            help_text="Tom: fra afgørelsens dato.",
            error_messages={"invalid": "Skriv en gyldig dato."},
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        )
    if t == T.FLEKSJOB_STATUS:
        f["status_udfald"] = forms.ChoiceField(
            label="Resultat af statussen efter 4½ år",
            required=False,
            choices=[("", "Vælg"), *lint.STATUS_UDFALD.items()],
        )


def spoergsmaal_felter(f: dict, d) -> list[dict]:
    """Add a radio (yes / no / not relevant) and a reason per prompt that applies to the draft; returns
    the prompts (``spoergsmaal.visning``)."""
    prompts = spoergsmaal.visning(d)
    for p in prompts:
        f[f"svar_{p['kode']}"] = forms.ChoiceField(
            label=p["tekst"], required=False, choices=SvarValg.choices, widget=Valgknapper, help_text=p["hjaelp"],
            error_messages={"invalid_choice": "Svar ja, nej eller ikke relevant."},
        )  # fmt: skip
        f[f"svar_{p['kode']}_begrundelse"] = forms.CharField(
            label="Begrundelse for svaret", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 2})
        )
    return prompts
