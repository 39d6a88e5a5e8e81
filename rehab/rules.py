"""Rehab rules: what a complete forberedende del is, what each indstilling must contain, and the
guard rules rehab adds to the forløb's transitions (registered in RehabConfig.ready)."""

from __future__ import annotations

import datetime as dt

from cases import regelkatalog, rules
from infra import datoer

from .models import SEKTIONER, TJEKLISTE, BilagType, Booking, BookingStatus, ForberedendeDel, Indstilling


def aktuel_del(forloeb) -> ForberedendeDel | None:
    return forloeb.forberedende_dele.order_by("-oprettet").first()


def manglende_sektioner(fd: ForberedendeDel) -> list[str]:
    return [label for navn, label in SEKTIONER if not getattr(fd, navn).strip()]


def lae265_opfyldt(fd: ForberedendeDel) -> bool:
    if fd.egen_ansoegning_eksisterende_dokumentation or fd.laegeattest_undladt_begrundelse.strip():
        return True
    return fd.bilag.filter(type=BilagType.LAE265).exists()


def advarsler(fd: ForberedendeDel, idag: dt.date | None = None) -> list[str]:
    """Prompts that do not block: old health documents, unanswered checklist questions."""
    idag = idag or datoer.idag()
    out = []
    maaneder = int(regelkatalog.parameter("helbredsdokument_max_alder_maaneder", fd.forloeb.kommune_id, idag, 6))
    graense = datoer.laeg_til(idag, -maaneder, "maaneder")
    for b in fd.bilag.filter(type__in=[BilagType.LAE265, BilagType.LAEGELIG], dokument_dato__lt=graense):
        out.append(f"Helbredsdokumentet '{b.titel}' er fra {b.dokument_dato:%d.%m.%Y} – ældre end {maaneder} måneder.")
    ubesvarede = [spoergsmaal for navn, spoergsmaal in TJEKLISTE if not getattr(fd, navn)]
    if ubesvarede:
        out.append(f"Helbredstjeklisten har {len(ubesvarede)} ubesvarede spørgsmål.")
    return out


# --- indstilling content by outcome (DOMAIN.md §4) ----------------------------------------------
KRAV: dict[str, list[tuple[str, str]]] = {
    "fleksjob": [
        ("faktorer_beskaeftigelse", "Beskriv de beskæftigelsesmæssige forhold, teamet har lagt vægt på."),
        ("faktorer_sociale", "Beskriv de sociale forhold, teamet har lagt vægt på."),
        ("faktorer_helbred", "Beskriv de helbredsmæssige forhold, teamet har lagt vægt på."),
        ("hvorfor_ikke_ordinaere_vilkaar", "Begrund hvorfor borgeren ikke kan arbejde på ordinære vilkår."),
        ("egnede_jobtyper", "Angiv egnede jobtyper eller arbejdsfunktioner."),
        ("saerlige_hensyn", "Beskriv særlige hensyn og støtte i overgangen til job."),
    ],
    "foertidspension": [
        ("faktorer_beskaeftigelse", "Beskriv de beskæftigelsesmæssige forhold, teamet har lagt vægt på."),
        ("faktorer_sociale", "Beskriv de sociale forhold, teamet har lagt vægt på."),
        ("faktorer_helbred", "Beskriv de helbredsmæssige forhold, teamet har lagt vægt på."),
        ("faglig_begrundelse", "Giv den faglige begrundelse for, at arbejdsevnen er varigt og væsentligt nedsat."),
    ],
    "ressourceforloeb": [
        ("maal", "Angiv målet med ressourceforløbet."),
        ("indsats_beskaeftigelse", "Beskriv den beskæftigelsesrettede indsats."),
        ("opfoelgning", "Beskriv opfølgningen, herunder mentorstøtte."),
        ("raekkefoelge", "Angiv indsatsernes rækkefølge."),
    ],
    "anden_indsats": [("anden_indsats_beskrivelse", "Beskriv den anbefalede indsats.")],
    "jobafklaringsforloeb": [("anden_indsats_beskrivelse", "Beskriv jobafklaringsforløbet.")],
    "udsaettelse": [
        ("udsaettelse_aarsag", "Angiv hvorfor teamet udsætter sagen."),
        ("udsaettelse_mangler", "Angiv hvad der mangler, før sagen kan forelægges igen."),
    ],
}


def indstilling_mangler(udfald: str, felter: dict) -> dict[str, str]:
    """Field → Danish message for every required element the outcome lacks."""
    fejl = {f: besked for f, besked in KRAV.get(udfald, []) if not str(felter.get(f) or "").strip()}
    meget_begraenset = udfald == "fleksjob" and felter.get("meget_begraenset_arbejdsevne")
    if meget_begraenset and not str(felter.get("udvikling_begrundelse") or "").strip():
        fejl["udvikling_begrundelse"] = (
            "Ved en aktuelt meget begrænset arbejdsevne skal det begrundes, hvorfor den kan udvikles "
            "inden for en rimelig periode."
        )
    return fejl


# --- guard rules on the forløb ---------------------------------------------------------------
def _del_komplet(forloeb, ktx) -> bool:
    fd = ktx.husk("aktuel_del", lambda: aktuel_del(forloeb))
    return fd is not None and not manglende_sektioner(fd)


def _skrevet_med_borger(forloeb, ktx) -> bool:
    fd = ktx.husk("aktuel_del", lambda: aktuel_del(forloeb))
    return fd is not None and fd.skrevet_med_borger_dato is not None


def _lae265(forloeb, ktx) -> bool:
    fd = ktx.husk("aktuel_del", lambda: aktuel_del(forloeb))
    return fd is not None and lae265_opfyldt(fd)


def _booket(forloeb, ktx) -> bool:
    """The meeting date given must be a booked slot on a meeting day of the municipality."""

    moede = ktx.data.get("moede_dato")
    return Booking.objects.filter(
        forloeb=forloeb, status=BookingStatus.BOOKET, moededag__dato=moede, moededag__kommune_id=forloeb.kommune_id
    ).exists()


def _indstilling_registreret(forloeb, ktx) -> bool:

    udfald = ktx.data.get("udfald")
    return Indstilling.objects.filter(forloeb=forloeb, udfald=udfald, dato=ktx.dato).exists()


def register() -> None:
    rules.register(
        "forelaeg_rehabiliteringsteam",
        rules.Regel(
            "rehab.forberedende_del_ufuldstaendig",
            "Alle otte afsnit i den forberedende del skal være udfyldt.",
            _del_komplet,
            link="forberedende",
        ),
        rules.Regel(
            "rehab.ikke_skrevet_med_borger",
            "Den forberedende del skal være skrevet sammen med borgeren (angiv dato).",
            _skrevet_med_borger,
            link="forberedende",
        ),
        rules.Regel(
            "rehab.lae265_mangler",
            "Lægeattest LÆ 265 mangler (undtagen ved ansøgning på det foreliggende grundlag, eller hvor "
            "reglerne tillader at undlade den – angiv i så fald begrundelsen).",
            _lae265,
            link="bilag",
        ),
        rules.Regel(
            "rehab.moede_ikke_booket",
            "Book en plads på en mødedag i rehabiliteringsteamet.",
            _booket,
            link="rehabmoede",
            kraever_input=True,
        ),
    )
    rules.register(
        "registrer_indstilling",
        rules.Regel(
            "rehab.indstilling_mangler",
            "Registrér teamets indstilling med det indhold, udfaldet kræver.",
            _indstilling_registreret,
            link="indstilling",
            kraever_input=True,
        ),
    )
    rules.register(
        "genforelaeg",
        rules.Regel(
            "rehab.moede_ikke_booket",
            "Book en plads på en mødedag i rehabiliteringsteamet.",
            _booket,
            link="rehabmoede",
            kraever_input=True,
        ),
    )
