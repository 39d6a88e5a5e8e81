"""The demo municipality's standard phrases (issue 15): a handful per decision type, written by its
jurist through the service (so they are audited like a real jurist's). Fictitious wording; no people."""

from __future__ import annotations

from decisions.models import DokumentType
from decisions.standardtekster import afsnit_for, standardtekst_opret

T = DokumentType

_AFSLAG_FLEKSJOB = (
    "Afslag på fleksjob",
    "fleksjob_afslag_begrundelse",
    "Du har søgt om fleksjob. Vi giver dig afslag, fordi din arbejdsevne efter vores vurdering kan udvikles, "
    "så du kan arbejde på ordinære vilkår. Vi har lagt vægt på rehabiliteringsteamets indstilling.",
)

#: type → [(title, section, text)]
TEKSTER: dict[str, list[tuple[str, str, str]]] = {
    T.FLEKSJOB_VISITATION: [
        ("Indledning: visitation", "tekst", "Du er visiteret til fleksjob. Det betyder, at du kan ansættes i et job "
         "på særlige vilkår, der tager hensyn til dine begrænsninger."),
        ("Hovedhensyn: varig og væsentlig nedsat arbejdsevne", "hovedhensyn", "Vi har lagt vægt på, at din "
         "arbejdsevne er varigt og væsentligt nedsat, og at du ikke kan arbejde på ordinære vilkår, heller ikke "
         "med støtte efter anden lovgivning."),
        ("Skånehensyn", "tekst", "Ved ansættelsen skal der tages hensyn til de skånebehov, der er beskrevet i "
         "rehabiliteringsteamets indstilling."),
    ],
    T.FLEKSJOB_AFSLAG: [
        ("Indledning: afslag", "tekst", "Du har søgt om fleksjob. Vi kan ikke imødekomme din ansøgning."),
        ("Hovedhensyn: arbejdsevnen kan udvikles", "hovedhensyn", "Vi har lagt vægt på, at din arbejdsevne "
         "efter de foreliggende oplysninger kan udvikles inden for rimelig tid."),
        _AFSLAG_FLEKSJOB,
    ],
    T.RESSOURCEFORLOEB_BEVILLING: [
        ("Indledning: bevilling", "tekst", "Du får et ressourceforløb. Forløbet tilrettelægges efter din "
         "helhedsorienterede plan, og du får en fast koordinerende sagsbehandler."),
        ("Hovedhensyn: komplekse problemer", "hovedhensyn", "Vi har lagt vægt på, at du har komplekse problemer "
         "ud over ledighed, og at en tværfaglig indsats kan udvikle din arbejdsevne."),
        _AFSLAG_FLEKSJOB,
    ],
    T.RESSOURCEFORLOEB_AFSLAG: [
        ("Indledning: afslag", "tekst", "Du har søgt om ressourceforløb. Vi kan ikke imødekomme din ansøgning."),
        ("Hovedhensyn: andre tilbud er ikke udtømt", "hovedhensyn", "Vi har lagt vægt på, at du kan få hjælp "
         "gennem de almindelige beskæftigelsesrettede tilbud."),
        _AFSLAG_FLEKSJOB,
    ],
    T.OVERGANG_PENSION: [
        ("Indledning: overgang", "tekst", "Din sag behandles fremover efter reglerne om førtidspension. Vi "
         "indhenter de oplysninger, der mangler, og træffer afgørelse så hurtigt som muligt."),
    ],
    T.FOERTIDSPENSION_TILKENDELSE: [
        ("Indledning: tilkendelse", "tekst", "Du får tilkendt førtidspension. Du får særskilt besked fra "
         "Udbetaling Danmark om beløb og udbetaling."),
        ("Hovedhensyn: arbejdsevnen kan ikke forbedres", "hovedhensyn", "Vi har lagt vægt på, at din arbejdsevne "
         "er varigt nedsat i et sådant omfang, at du ikke kan forsørge dig selv, heller ikke i et fleksjob."),
    ],
    T.FOERTIDSPENSION_AFSLAG: [
        ("Indledning: afslag", "tekst", "Du har søgt om førtidspension. Vi kan ikke imødekomme din ansøgning."),
        ("Hovedhensyn: arbejdsevne i fleksjob", "hovedhensyn", "Vi har lagt vægt på, at du efter vores "
         "vurdering kan varetage konkrete arbejdsfunktioner i et job på særlige vilkår."),
        _AFSLAG_FLEKSJOB,
    ],
    T.ANDEN_INDSATS: [
        ("Indledning: anden indsats", "tekst", "Vi vurderer, at du skal have en anden indsats end fleksjob, "
         "ressourceforløb eller førtidspension. Indsatsen er beskrevet nedenfor."),
        ("Hovedhensyn: ordinære tilbud", "hovedhensyn", "Vi har lagt vægt på rehabiliteringsteamets vurdering af, "
         "at du kan komme nærmere arbejdsmarkedet med den beskrevne indsats."),
        _AFSLAG_FLEKSJOB,
    ],
    T.ARBEJDSEVNEVURDERING_FLEKSJOB: [
        ("Hovedhensyn: konkret vurdering", "hovedhensyn", "Vi har vurderet din arbejdsevne konkret i det job, du "
         "er ansat i, med udgangspunkt i arbejdsgiverens og din egen beskrivelse af arbejdet."),
    ],
    T.FLEKSJOB_STATUS: [
        ("Indledning: status", "tekst", "Du har været ansat i et midlertidigt fleksjob i 4½ år. Vi har derfor "
         "vurderet, om du fortsat opfylder betingelserne for fleksjob."),
        ("Hovedhensyn: status", "hovedhensyn", "Vi har lagt vægt på den seneste opfølgning og "
         "arbejdsgiverens beskrivelse af dine arbejdsopgaver."),
    ],
}  # fmt: skip


def opret(jurist) -> int:
    """The demo phrases of the jurist's municipality; returns how many."""
    antal = 0
    for type_, tekster in TEKSTER.items():
        for titel, afsnit, tekst in tekster:
            if afsnit in afsnit_for(type_):
                standardtekst_opret(actor=jurist, dokument_type=type_, afsnit=afsnit, titel=titel, tekst=tekst)
                antal += 1
    return antal
