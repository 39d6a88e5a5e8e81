"""Rules of decisions in the forløb.

- A transition performed by issuing a decision ("deciding is issuing", the spec's ``afgoerelse``)
  needs its issued decision: a guard rule added to those transitions at start-up (:func:`registrer`).
- Which document types may be drafted in which state (:func:`mulige_dokumenttyper`,
  :func:`dokumenttype_fejl`): the one rule the decisions page's form offers and
  ``services.dokument_opret`` enforces, whatever the door (UI, API, other apps' flows).
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured, ValidationError

from cases import overgange, regelkatalog, rules
from cases.models import Forloeb, Tilstand
from cases.services import mulige_overgange
from infra import datoer

from .lint import OVERGANG_FOR_TYPE
from .models import AFGOERELSESTYPER, Dokument, DokumentStatus, DokumentType

T = DokumentType

#: Letters drafted by their own flow (partshøring, booking, genvurdering, arbejdsevnevurdering), which
#: starts what the letter sets going (e.g. the reply deadline): never created as stand-alone
#: documents. The value says where they are made.
EGNE_FLOWS: dict[str, str] = {
    T.PARTSHOERING: "Partshøringen oprettes på forløbets side »Partshøring« (i API'et: POST /api/v1/partshoeringer/), "
    "så svarfristen løber, når brevet er sendt.",
    T.INDKALDELSE_REHABILITERINGSMOEDE: "Indkaldelsen dannes, når mødet bookes på siden »Møde i "
    "rehabiliteringsteamet« (i API'et: POST /api/v1/bookinger/).",
    T.GENVURDERING_RESULTAT: "Brevet dannes, når klagen genvurderes (i API'et: POST /api/v1/klager/{id}/genvurder/).",
    T.ARBEJDSEVNEVURDERING_FLEKSJOB: "Arbejdsevnevurderingen oprettes på ansættelsen i fleksjob "
    "(i API'et: POST /api/v1/arbejdsevnevurderinger/).",
}
#: Decisions without a transition of their own, and the redegørelse: possible while the forløb is open.
UDEN_OVERGANG = frozenset({T.FLEKSJOB_AFSLAG, T.RESSOURCEFORLOEB_AFSLAG, T.REDEGOERELSE})
#: The legal basis a decision type rests on (rule catalogue codes): a new draft in the editor starts
#: with them selected; the caseworker may add or remove (the lint still asks for a basis).
LOVGRUNDLAG: dict[str, tuple[str, ...]] = {
    T.FLEKSJOB_VISITATION: ("lab_116", "fvl_22_24"),
    T.FLEKSJOB_AFSLAG: ("lab_116", "ast_64_11", "fvl_22_24"),
    T.RESSOURCEFORLOEB_BEVILLING: ("lab_113", "fvl_22_24"),
    T.RESSOURCEFORLOEB_AFSLAG: ("lab_113", "fvl_22_24"),
    T.OVERGANG_PENSION: ("ast_39_17", "fvl_22_24"),
    T.FOERTIDSPENSION_TILKENDELSE: ("pl_16", "fvl_22_24"),
    T.FOERTIDSPENSION_AFSLAG: ("pl_16", "pl_19", "fvl_22_24"),
    T.ANDEN_INDSATS: ("fvl_22_24",),
    T.ARBEJDSEVNEVURDERING_FLEKSJOB: ("lab_122", "fvl_22_24"),
}


def lovgrundlag(type_: str) -> list[str]:
    """The type's legal basis as far as the rule catalogue has it in force today."""
    idag = datoer.idag()
    return [k for k in LOVGRUNDLAG.get(type_, ()) if regelkatalog.lovhenvisning(k, idag) is not None]


#: The legal references every decision may rest on: partshøring, begrundelse, klagevejledning and
#: the case-handling deadlines.
FAELLES_RETSREGLER = ("fvl_19", "fvl_19_2", "fvl_22_24", "fvl_25", "rsl_3_2")
_PENSION = ("pl_16", "pl_17_2", "pl_18_2", "pl_21")
#: The legal references that apply to a decision type besides the common ones and its legal basis:
#: the editor offers these, not the whole catalogue (issue 15). Citing another is not refused (a
#: jurist may need an unusual provision through the API), but it is not offered.
RETSREGLER_FOR_TYPE: dict[str, tuple[str, ...]] = {
    T.FLEKSJOB_VISITATION: ("lab_116", "lab_122"),
    T.FLEKSJOB_AFSLAG: ("lab_116", "ast_64_11"),
    T.RESSOURCEFORLOEB_BEVILLING: ("lab_113", "rsl_7a", "ast_64_11"),
    T.RESSOURCEFORLOEB_AFSLAG: ("lab_113", "lab_116", "ast_64_11"),
    T.OVERGANG_PENSION: ("ast_39_17", *_PENSION),
    T.FOERTIDSPENSION_TILKENDELSE: _PENSION,
    T.FOERTIDSPENSION_AFSLAG: (*_PENSION, "pl_19", "pl_20", "ast_64_11"),
    T.ANDEN_INDSATS: ("lab_113", "lab_116", "rsl_7a", "ast_64_11"),
    T.ARBEJDSEVNEVURDERING_FLEKSJOB: ("lab_116", "lab_122"),
    T.FLEKSJOB_STATUS: ("lab_116", "lab_122"),
}


def retsregler(type_: str) -> list[str]:
    """The codes of the legal references that apply to a decision of this type (empty for a letter)."""
    if type_ not in AFGOERELSESTYPER:
        return []
    return sorted({*FAELLES_RETSREGLER, *LOVGRUNDLAG.get(type_, ()), *RETSREGLER_FOR_TYPE.get(type_, ())})


#: Letters and decisions that belong to one phase of the forløb (the 4½-year status of a temporary
#: fleksjob is decided while the citizen is in fleksjob).
I_FASE = {T.TILBUD_OM_MOEDE: Tilstand.FOERTIDSPENSION_BEHANDLING, T.FLEKSJOB_STATUS: Tilstand.FLEKSJOB}


def mulige_dokumenttyper(forloeb: Forloeb, *, erstatter: Dokument | None = None) -> list[str]:
    """Document types that may be drafted now, in ``DokumentType`` order: a decision whose transition
    starts in the forløb's state (e.g. visitation to fleksjob after the indstilling), refusals and
    the redegørelse while the forløb is open, the offer of a meeting during pension treatment. A
    correction may also have the type of the document it replaces. Never the own-flow letters."""
    if not forloeb.er_aabent and erstatter is None:
        return []
    afgoerelser = {s.afgoerelse for s in mulige_overgange(forloeb, None) if s.afgoerelse}
    mulige = []
    for t in T:
        if t in EGNE_FLOWS:
            continue
        if t in OVERGANG_FOR_TYPE:
            ok = t in afgoerelser
        elif t in UDEN_OVERGANG:
            ok = forloeb.er_aabent
        else:
            ok = I_FASE.get(t) == forloeb.tilstand
        if ok or (erstatter is not None and erstatter.type == t):
            mulige.append(t.value)
    return mulige


def dokumenttype_fejl(forloeb: Forloeb, type: str, *, erstatter: Dokument | None = None) -> ValidationError | None:
    """Why a document type cannot be drafted now (None: it can). The message says which types are
    possible now and, for an own-flow letter, where it is made; the code is ``egen_flow`` or
    ``type_ikke_mulig``. The form puts it on its ``type`` field, ``dokument_opret`` raises it there."""
    mulige = mulige_dokumenttyper(forloeb, erstatter=erstatter)
    if type in mulige:
        return None
    label = T(type).label
    if type in EGNE_FLOWS:
        besked, kode = f"»{label}« oprettes ikke som et løst dokument. {EGNE_FLOWS[type]}", "egen_flow"
    else:
        fase = forloeb.get_tilstand_display().lower()
        besked, kode = f"»{label}« passer ikke til forløbets tilstand (fasen »{fase}«).", "type_ikke_mulig"
    if mulige:
        besked += " Mulige typer nu: " + ", ".join(T(t).label for t in mulige) + "."
    else:
        besked += " Der kan ikke oprettes breve eller afgørelser i forløbet nu."
    return ValidationError(besked, code=kode)


# --- guard rules on the transitions decisions perform -------------------------------------------
def _udstedt(dokument_type: str):
    def check(forloeb, ktx) -> bool:
        qs = Dokument.objects.filter(forloeb=forloeb, type=dokument_type).exclude(status=DokumentStatus.KLADDE)
        efter = forloeb.overgang_dato if dokument_type.startswith("foertidspension") else forloeb.indstilling_dato
        if efter is not None:
            qs = qs.filter(udstedt__date__gte=efter)
        return qs.exists()

    return check


def kontroller() -> None:
    """Refuse to start when a transition's spec names a decision type that does not exist, or two
    transitions name the same one (issuing it would not know which to perform)."""
    problemer = []
    typer = [s.afgoerelse for s in overgange.OVERGANGE if s.afgoerelse]
    for s in overgange.OVERGANGE:
        if s.afgoerelse and s.afgoerelse not in DokumentType.values:
            problemer.append(f"'{s.navn}': afgoerelse='{s.afgoerelse}' is no decisions.DokumentType.")
        elif s.afgoerelse and s.afgoerelse not in AFGOERELSESTYPER:
            problemer.append(f"'{s.navn}': '{s.afgoerelse}' is a letter, not a decision.")
        elif s.afgoerelse and typer.count(s.afgoerelse) > 1:
            problemer.append(f"'{s.navn}': decision type '{s.afgoerelse}' performs more than one transition.")
        elif s.afgoerelse and s.afgoerelse in EGNE_FLOWS:
            problemer.append(f"'{s.navn}': decision type '{s.afgoerelse}' is drafted by its own flow only.")
    if problemer:
        raise ImproperlyConfigured("Decision types of cases.overgange: " + " ".join(problemer))


def registrer() -> None:
    """Add the guard rule "its decision is issued" to every transition a decision performs."""
    for dokument_type, overgang in OVERGANG_FOR_TYPE.items():
        rules.register(
            overgang,
            rules.Regel(
                "afgoerelse.ikke_udstedt",
                "Afgørelsen skal udstedes; overgangen sker, når afgørelsen udstedes.",
                _udstedt(dokument_type),
                link="afgoerelse",
            ),
        )
