"""The prompts of the arbejdsevnevurdering in fleksjob: every "Recommended" and "Good practice" row of
Ankestyrelsen's practice study (seed-001-digest §3) that is not a hard rule becomes a question the
caseworker answers (yes / no / not relevant, with a reason) before the decision is issued. The
answers are printed in the decision. Registered with ``decisions.spoergsmaal`` in ``flexjob.apps``.

A "yes" must agree with the assessment's content (``kontrol``): "yes, progression is possible" needs
the plan, "yes, there are follow-up dates" needs the dates, and so on.
"""

from __future__ import annotations

from decisions.models import DokumentType, SvarValg
from decisions.spoergsmaal import Spoergsmaal, registrer, registrer_forberedelse

from . import rules
from .models import Arbejdsevnevurdering

ANBEFALET = "Anbefalet"
GOD_PRAKSIS = "God praksis"


def _vurdering(dokument) -> Arbejdsevnevurdering | None:
    """The document's structured assessment, read once per document version (the prompts of one lint
    share it; a saved change of the draft bumps the version and is read anew)."""
    noegle = (dokument.pk, dokument.version)
    gemt = dokument.__dict__.get("_flexjob_vurdering")
    if gemt is None or gemt[0] != noegle:
        v = (
            Arbejdsevnevurdering.objects.select_related("ansaettelse__visitation", "ansaettelse__virksomhed")
            .filter(dokument_id=dokument.pk)
            .first()
            if dokument.pk
            else None
        )
        gemt = dokument.__dict__["_flexjob_vurdering"] = (noegle, v)
    return gemt[1]


def _forbered(dokumenter: list) -> None:
    """:func:`_vurdering` for a list page's documents, read in one query."""
    vurderinger = {
        v.dokument_id: v
        for v in Arbejdsevnevurdering.objects.select_related(
            "ansaettelse__visitation", "ansaettelse__virksomhed"
        ).filter(dokument_id__in=[d.pk for d in dokumenter])
    }
    for d in dokumenter:
        d.__dict__["_flexjob_vurdering"] = ((d.pk, d.version), vurderinger.get(d.pk))


def _naar(betingelse):
    def gaelder(dokument) -> bool:
        v = _vurdering(dokument)
        return v is not None and betingelse(v)

    return gaelder


#: A prompt applies to an assessment decision with its structured content (a bare document of the type,
#: drafted through the decisions API, has only the decisions' own rules).
_ALTID = _naar(lambda v: True)


def _ja_kraever(kode: str, besked: str, felt: str, opfyldt):
    def kontrol(dokument, svar: str) -> list[tuple[str, str, str]]:
        v = _vurdering(dokument)
        if svar != SvarValg.JA or v is None or opfyldt(v):
            return []
        return [(kode, besked, felt)]

    return kontrol


def _tom(v) -> bool:
    return not (v or "").strip()


def _progression(dokument, svar: str) -> list[tuple[str, str, str]]:
    v = _vurdering(dokument)
    if v is None:
        return []
    if svar == SvarValg.JA and _tom(v.progression):
        return [
            (
                "arbejdsevne.progressionsplan_mangler",
                "Du har svaret, at progression er mulig: beskriv planen i progressionsvurderingen.",
                "progression",
            )
        ]
    if svar != SvarValg.JA and v.ansaettelse.visitation.meget_begraenset:
        return [
            (
                "arbejdsevne.progression_116_stk_2",
                "Borgeren har en aktuelt meget begrænset arbejdsevne: arbejdsevnen skal kunne udvikles inden for en "
                "rimelig periode (LAB § 116, stk. 2). Svar ja, og beskriv planen.",
                "svar.progression",
            )
        ]
    return []


def _kompenserende_beskrevet(v: Arbejdsevnevurdering) -> bool:
    tekster = (v.hjaelpemidler, v.arbejdspladsindretning, v.personlig_assistance, v.oplaering)
    return any(not _tom(t) for t in tekster) or bool(v.mentor_timer_pr_uge) or v.tidligere_bevillinger.exists()


SPOERGSMAAL = (
    Spoergsmaal(
        "udgangspunkt",
        "Er vurderingen sammenholdt med udgangspunktet fra visitationen og rehabiliteringsteamets indstilling "
        "(timer, arbejdsintensitet og beskæftigelsesmål)?",
        hjaelp="Udgangspunktet fra visitationen står i afgørelsen. Nævn beskæftigelsesmålet og en eventuel forskel.",
        gaelder=_ALTID,
        kilde=ANBEFALET,
    ),
    Spoergsmaal(
        "progression",
        "Er progression mulig?",
        hjaelp="Ja: beskriv planen (progressionsvurdering og milepæle). Nej: begrund hvorfor. Ved en aktuelt meget "
        "begrænset arbejdsevne (LAB § 116, stk. 2) skal progression være mulig.",
        kontrol=_progression,
        gaelder=_ALTID,
        kilde=ANBEFALET,
    ),
    Spoergsmaal(
        "progressionsmaal_aftale",
        "Jobbet er under 10 effektive timer om ugen: er der skrevet progressionsmål ind i aftalen med arbejdsgiveren?",
        hjaelp="Fx flere timer efter en indkøringsperiode, nye opgaver eller hjælpemidler. Ja kræver dateret milepæl.",
        gaelder=_naar(rules.under_10_effektive_timer),
        kontrol=_ja_kraever(
            "arbejdsevne.progressionsmaal_mangler",
            "Du har svaret, at der er progressionsmål i aftalen: angiv dem som milepæle med dato.",
            "milepaele",
            lambda v: bool(v.milepaele),
        ),
        kilde=GOD_PRAKSIS,
    ),
    Spoergsmaal(
        "forebyggelse",
        "Er der tiltag, der skal forebygge, at arbejdsevnen nedsættes yderligere?",
        hjaelp="Ja: beskriv tiltagene i vurderingen. Nej eller ikke relevant: begrund.",
        kontrol=_ja_kraever(
            "arbejdsevne.forebyggelse_mangler",
            "Du har svaret, at der er forebyggende tiltag: beskriv dem i vurderingen.",
            "forebyggelse",
            lambda v: not _tom(v.forebyggelse),
        ),
        gaelder=_ALTID,
        kilde=ANBEFALET,
    ),
    Spoergsmaal(
        "kompenserende",
        "Er kompenserende ordninger overvejet (hjælpemidler, arbejdspladsindretning, personlig assistance, mentor, "
        "oplæring)?",
        hjaelp="Ja: beskriv ordningerne, eller henvis til tidligere bevillinger. Nej: begrund.",
        kontrol=_ja_kraever(
            "arbejdsevne.kompenserende_mangler",
            "Du har svaret, at kompenserende ordninger er overvejet: beskriv dem, eller henvis til en tidligere "
            "bevilling.",
            "hjaelpemidler",
            _kompenserende_beskrevet,
        ),
        gaelder=_ALTID,
        kilde=ANBEFALET,
    ),
    Spoergsmaal(
        "opfoelgning",
        "Er der fastsat datoer for opfølgning?",
        hjaelp="Fx efter 4 uger, når der ikke har været praktik, og efter 3 måneder. Når jobbet afviger fra "
        "arbejdsevnen, anbefales en tidlig opfølgning.",
        kontrol=_ja_kraever(
            "arbejdsevne.opfoelgningsdatoer_mangler",
            "Du har svaret, at der er fastsat opfølgning: angiv datoerne.",
            "opfoelgningsdatoer",
            lambda v: bool(v.opfoelgningsdatoer),
        ),
        gaelder=_ALTID,
        kilde=GOD_PRAKSIS,
    ),
    Spoergsmaal(
        "inddragelse",
        "Er vurderingen drøftet på et møde med borgeren og arbejdsgiveren?",
        hjaelp="Ja: angiv mødets dato og deltagere i vurderingen. Nej: beskriv hvordan borgeren ellers er inddraget.",
        kontrol=_ja_kraever(
            "arbejdsevne.inddragelse_mangler",
            "Du har svaret, at der har været et møde: angiv mødets dato og deltagere.",
            "inddragelse_moede_dato",
            lambda v: v.inddragelse_moede_dato is not None and not _tom(v.inddragelse_deltagere),
        ),
        gaelder=_ALTID,
        kilde=GOD_PRAKSIS,
    ),
    Spoergsmaal(
        "supplerende_fleksjob",
        "Borgeren er ansat under den vurderede arbejdsevne: er borgeren vejledt om muligheden for et supplerende "
        "fleksjob?",
        hjaelp="Afgørelsen oplyser altid om muligheden, når jobbet udnytter færre effektive timer end arbejdsevnen.",
        gaelder=_naar(rules.under_arbejdsevnen),
        kilde=GOD_PRAKSIS,
    ),
)


def registrer_spoergsmaal() -> None:
    registrer(DokumentType.ARBEJDSEVNEVURDERING_FLEKSJOB, *SPOERGSMAAL)
    registrer_forberedelse(DokumentType.ARBEJDSEVNEVURDERING_FLEKSJOB, _forbered)
