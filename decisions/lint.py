"""Decision linting: everything a document of its type lacks, all at once, each with a rule code.

Content rules (forvaltningsloven §§ 22-25, pensionsloven § 19, Ankestyrelsen 64-11) are checked
here; for a decision that carries a forløb transition, the transition's own guard rules (partshøring,
indstilling followed or genforelagt, ...) are evaluated too, with the data the document provides.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass

from cases import overgange, rules
from infra import datoer

from . import spoergsmaal
from .models import AFGOERELSESTYPER, DokumentType

T = DokumentType

#: The forløb transition a decision of this type performs when it is issued (from the transitions'
#: specs, ``cases.overgange``; checked at start-up by ``decisions.rules.kontroller``).
OVERGANG_FOR_TYPE: dict[str, str] = overgange.overgang_for_afgoerelse()

#: Decisions that involve discretion: the main considerations are required (FVL § 24, stk. 1, 2. pkt.).
SKOENSMAESSIGE = AFGOERELSESTYPER - {T.OVERGANG_PENSION}

#: A decision that gives something other than fleksjob after a fleksjob application must refuse it explicitly.
ANDET_END_FLEKSJOB = {
    T.RESSOURCEFORLOEB_BEVILLING,
    T.ANDEN_INDSATS,
    T.FOERTIDSPENSION_AFSLAG,
    T.RESSOURCEFORLOEB_AFSLAG,
}


#: Content rules other apps add for a document type (e.g. flexjob: the arbejdsevnevurdering).
#: Each is ``fn(dokument) -> list[Mangel]``.
INDHOLDSREGLER: dict[str, list] = {}


def registrer_indholdsregel(dokument_type: str, fn) -> None:
    liste = INDHOLDSREGLER.setdefault(dokument_type, [])
    if fn not in liste:
        liste.append(fn)


@dataclass(frozen=True)
class Mangel:
    kode: str
    besked: str
    felt: str = ""

    def as_dict(self) -> dict:
        return {"kode": self.kode, "besked": self.besked, "felt": self.felt}


def overgang_for(dokument) -> str | None:
    """The transition issuing this document performs. A correction of an issued decision of the same
    type performs none: the forløb already made that transition when the original was issued."""
    overgang = OVERGANG_FOR_TYPE.get(dokument.type)
    if overgang and dokument.erstatter_id and dokument.erstatter.type == dokument.type:
        return None
    return overgang


def overgang_data(dokument, idag: dt.date) -> dict:
    """The transition input a decision provides (validated like any other transition input)."""
    data: dict = {"dato": idag.isoformat()}
    er_foertidspension = dokument.type in (T.FOERTIDSPENSION_TILKENDELSE, T.FOERTIDSPENSION_AFSLAG)
    if er_foertidspension and dokument.sundhedsfaglig_raadgivning:
        data["sundhedsfaglig_raadgivning"] = dokument.sundhedsfaglig_raadgivning
    if dokument.type == T.FOERTIDSPENSION_TILKENDELSE and dokument.under_40_begrundelse:
        data["under_40_begrundelse"] = dokument.under_40_begrundelse
    if dokument.type == T.FOERTIDSPENSION_AFSLAG:
        data["arbejdsfunktioner"] = list(dokument.arbejdsfunktioner or [])
        if dokument.data.get("videre"):
            data["videre"] = dokument.data["videre"]
    if dokument.type == T.ANDEN_INDSATS and dokument.tekst:
        data["begrundelse"] = dokument.tekst[:10000]
    return data


#: Attribute of an unsaved draft copy holding its typed facts and legal references (see lint_udkast).
UDKAST_ATTR = "_udkast_relationer"


def _har(dokument, relation: str) -> bool:
    """Whether the document has facts / legal references: the typed ones of an unsaved draft
    (:func:`lint_udkast`), else the saved rows."""
    udkast = getattr(dokument, UDKAST_ATTR, {})
    if relation in udkast:
        return bool(udkast[relation])
    return bool(dokument.pk) and getattr(dokument, relation).exists()


def lovhenvisningskoder(dokument) -> set[str]:
    """The codes of the legal references the document cites (the editor's typed ones for an unsaved
    draft copy, else the saved ones)."""
    udkast = getattr(dokument, UDKAST_ATTR, {})
    if "lovhenvisninger" in udkast:
        return {str(k) for k in udkast["lovhenvisninger"]}
    return set(dokument.lovhenvisninger.values_list("kode", flat=True)) if dokument.pk else set()


def _tom(value) -> bool:
    return not (value or "").strip() if isinstance(value, str) else not value


def indhold(dokument) -> list[Mangel]:
    """Content rules of the document's type."""
    m: list[Mangel] = []
    t = dokument.type
    if _tom(dokument.titel):
        m.append(Mangel("dokument.titel_mangler", "Dokumentet skal have en overskrift.", "titel"))
    if _tom(dokument.tekst):
        m.append(Mangel("dokument.tekst_mangler", "Skriv afgørelsen/brevets tekst.", "tekst"))
    if dokument.sagsbehandler_id is None:
        m.append(Mangel("dokument.kontakt_mangler", "Angiv sagsbehandleren, borgeren kan kontakte.", "sagsbehandler"))
    if t in AFGOERELSESTYPER and not dokument.fuldt_medhold:
        if not _har(dokument, "lovhenvisninger"):
            m.append(
                Mangel(
                    "begrundelse.lovhenvisning_mangler",
                    "Begrundelsen skal henvise til de retsregler, afgørelsen bygger på (forvaltningsloven § 24).",
                    "lovhenvisninger",
                )
            )
        if t in SKOENSMAESSIGE and _tom(dokument.hovedhensyn):
            m.append(
                Mangel(
                    "begrundelse.hovedhensyn_mangler",
                    "Beskriv de hovedhensyn, der har været bestemmende for skønnet (forvaltningsloven § 24).",
                    "hovedhensyn",
                )
            )
        if not _har(dokument, "fakta"):
            m.append(
                Mangel(
                    "begrundelse.fakta_mangler",
                    "Angiv de faktiske oplysninger, der er lagt vægt på, hver med henvisning til sagens dokument.",
                    "fakta",
                )
            )
    if t == T.FOERTIDSPENSION_AFSLAG and not any(str(a).strip() for a in dokument.arbejdsfunktioner or []):
        m.append(
            Mangel(
                "foertidspension.afslag_uden_arbejdsfunktion",
                "Et afslag på førtidspension skal angive mindst én konkret arbejdsfunktion, borgeren kan varetage "
                "(pensionsloven § 19, stk. 1, nr. 5).",
                "arbejdsfunktioner",
            )
        )
    if (
        t in ANDET_END_FLEKSJOB
        and dokument.forloeb.ansoegt_fleksjob
        and not (dokument.fleksjob_afslag and dokument.fleksjob_afslag_begrundelse.strip())
    ):
        m.append(
            Mangel(
                "afgoerelse.fleksjob_afslag_mangler",
                "Borgeren har søgt fleksjob. Afgørelsen skal også udtrykkeligt give afslag på fleksjob med begrundelse "
                "(Ankestyrelsens principafgørelse 64-11).",
                "fleksjob_afslag",
            )
        )
    for regel in INDHOLDSREGLER.get(t, []):
        m.extend(regel(dokument))
    m.extend(Mangel(k, b, f) for k, b, f in spoergsmaal.mangler(dokument))
    if t == T.FLEKSJOB_STATUS:
        m.extend(_status_mangler(dokument))
    if t == T.TILBUD_OM_MOEDE and _tom(dokument.data.get("moede_tidspunkt")):
        m.append(Mangel("brev.moede_tidspunkt_mangler", "Angiv tid og sted for mødet.", "data.moede_tidspunkt"))
    if t == T.REDEGOERELSE:
        if _tom(dokument.data.get("aarsag")):
            m.append(
                Mangel(
                    "redegoerelse.aarsag_mangler", "Angiv hvorfor sagen ikke kan afgøres inden fristen.", "data.aarsag"
                )
            )
        ny = dokument.data.get("ny_forventet_dato")
        try:
            ny_dato = dt.date.fromisoformat(ny) if ny else None
        except (TypeError, ValueError):
            ny_dato = None
        if ny_dato is None or ny_dato <= datoer.idag():
            m.append(
                Mangel(
                    "redegoerelse.dato_mangler",
                    "Angiv hvornår afgørelsen forventes (en dato efter i dag).",
                    "data.ny_forventet_dato",
                )
            )
    return m


#: The outcomes of the status after 4½ years in a temporary fleksjob (LAB chapter 20).
STATUS_UDFALD = {
    "midlertidigt": "Fortsat midlertidigt fleksjob",
    "permanent": "Permanent fleksjob (borgeren er fyldt 40 år)",
    "ophoer": "Borgeren opfylder ikke længere betingelserne for fleksjob",
}
PERMANENT_FRA_ALDER = 40


def _status_mangler(dokument) -> list[Mangel]:
    udfald = (dokument.data or {}).get("status_udfald")
    if udfald not in STATUS_UDFALD:
        return [
            Mangel(
                "fleksjob.status_udfald_mangler",
                "Angiv resultatet af statussen: fortsat midlertidigt fleksjob, permanent fleksjob, "
                "eller at betingelserne ikke længere er opfyldt.",
                "data.status_udfald",
            )
        ]
    alder = dokument.forloeb.borger.alder(datoer.idag())
    if udfald == "permanent" and alder < PERMANENT_FRA_ALDER:
        return [
            Mangel(
                "fleksjob.permanent_under_40",
                f"Et permanent fleksjob kræver, at borgeren er fyldt 40 år (borgeren er {alder} år).",
                "data.status_udfald",
            )
        ]
    return []


def lint(dokument, *, actor=None, idag: dt.date | None = None) -> list[Mangel]:
    """Every missing element: content rules plus the guard rules of the transition it performs."""

    idag = idag or datoer.idag()
    mangler = indhold(dokument)
    overgang = overgang_for(dokument)
    if overgang:
        fl = dokument.forloeb
        if not overgange.SPECS[overgang].fra_tilstand(fl.tilstand):
            mangler.append(
                Mangel(
                    "forloeb.forkert_tilstand",
                    f"Forløbet er i tilstanden '{fl.get_tilstand_display().lower()}'; "
                    "denne afgørelse kan ikke træffes nu.",
                )
            )
            return mangler
        try:
            ren = overgange.valider(overgang, overgang_data(dokument, idag), idag=idag, seneste=None)
        except Exception:  # noqa: BLE001 - input problems are reported by the content rules above
            ren = {"dato": idag}
        ktx = rules.Kontekst(actor=actor, data=ren, dato=ren["dato"], idag=idag)
        kendte = {m.kode for m in mangler}
        for u in rules.uopfyldte(overgang, fl, ktx):
            if u.kode not in kendte and u.kode != "afgoerelse.ikke_udstedt":
                mangler.append(Mangel(u.kode, u.besked))
    return mangler


def lint_udkast(dokument, data: dict, *, actor=None, idag: dt.date | None = None) -> list[Mangel]:
    """Lint the draft as it would read with the editor's unsaved input ``data`` (the fields of
    ``decisions.services.dokument_opdater``), writing nothing: an unsaved copy of the document
    carries the typed fields, and the typed facts and legal references stand in for the saved ones.
    Validate the input first (``services.dokument_udkast_fejl``); this only finds what is missing."""
    udkast = copy.copy(dokument)  # a model copy: own field values and relation cache, never saved
    relationer = {}
    for navn, vaerdi in data.items():
        if navn in ("fakta", "lovhenvisninger"):
            relationer[navn] = [v for v in vaerdi or [] if v]
        elif navn == "svar":
            typede = {a["kode"]: a for a in vaerdi or [] if isinstance(a, dict) and a.get("kode")}
            setattr(udkast, spoergsmaal.UDKAST_ATTR, spoergsmaal.svar(dokument) | typede)
        else:
            setattr(udkast, navn, vaerdi)
    setattr(udkast, UDKAST_ATTR, relationer)
    return lint(udkast, actor=actor, idag=idag)
