"""Rehab rules: what a complete forberedende del is, what each indstilling must contain, and the
guard rules rehab adds to the forløb's transitions (registered in RehabConfig.ready)."""

from __future__ import annotations

import datetime as dt

from cases import regelkatalog, rules
from infra import datoer

from .models import (
    KOMPENSERENDE,
    SEKTIONER,
    TJEKLISTE,
    BilagType,
    Booking,
    BookingStatus,
    ForberedendeDel,
    Indstilling,
    KompVurdering,
    ProgressionMulig,
)


def aktuel_del(forloeb) -> ForberedendeDel | None:
    return forloeb.forberedende_dele.order_by("-oprettet").first()


def manglende_sektioner(fd: ForberedendeDel) -> list[str]:
    return [label for navn, label in SEKTIONER if not getattr(fd, navn).strip()]


def lae265_opfyldt(fd: ForberedendeDel) -> bool:
    if fd.egen_ansoegning_eksisterende_dokumentation or fd.laegeattest_undladt_begrundelse.strip():
        return True
    return fd.bilag.filter(type=BilagType.LAE265).exists()


def advarsler(fd: ForberedendeDel, idag: dt.date | None = None) -> list[str]:
    """Prompts that do not block: health documents that will be older than the configured age when
    the rehabiliteringsteam meets (counted to the booked meeting date; today while none is booked),
    unanswered checklist questions."""
    idag = idag or datoer.idag()
    out = []
    moede = moededato(fd.forloeb, idag)
    paa = moede or idag
    maaneder = int(regelkatalog.parameter("helbredsdokument_max_alder_maaneder", fd.forloeb.kommune_id, idag, 6))
    graense = datoer.laeg_til(paa, -maaneder, "maaneder")
    naar = f"på mødedagen {paa:%d.%m.%Y}" if moede else "i dag"
    for b in fd.bilag.filter(type__in=[BilagType.LAE265, BilagType.LAEGELIG], dokument_dato__lt=graense):
        out.append(
            f"Helbredsdokumentet '{b.titel}' er fra {b.dokument_dato:%d.%m.%Y} – ældre end {maaneder} måneder {naar}."
        )
    ubesvarede = [spoergsmaal for navn, spoergsmaal in TJEKLISTE if not getattr(fd, navn)]
    if ubesvarede:
        out.append(f"Helbredstjeklisten har {len(ubesvarede)} ubesvarede spørgsmål.")
    return out


def moededato(forloeb, idag: dt.date) -> dt.date | None:
    """The date the team will see the case: the booked meeting (or the one recorded on the forløb),
    if it lies ahead."""
    booket = (
        Booking.objects.filter(forloeb=forloeb, status=BookingStatus.BOOKET, moededag__dato__gte=idag)
        .order_by("moededag__dato")
        .values_list("moededag__dato", flat=True)
        .first()
    )
    if booket:
        return booket
    if forloeb.rehab_moede_dato and forloeb.rehab_moede_dato >= idag:
        return forloeb.rehab_moede_dato
    return None


# --- the forberedende del "in relevant extent" (team bypass, DOMAIN.md §2, §12) -------------------
def relevant_omfang_mangler(fd: ForberedendeDel | None) -> list[str]:
    """Sections of the forberedende del neither written nor left out with a reason (when the case
    skips the team, the del is still written in the extent relevant to the case)."""
    if fd is None:
        return [label for _, label in SEKTIONER]
    udeladt = fd.udeladte_sektioner if isinstance(fd.udeladte_sektioner, dict) else {}
    return [
        label for navn, label in SEKTIONER if not getattr(fd, navn).strip() and not str(udeladt.get(navn) or "").strip()
    ]


def _relevant_omfang(forloeb, ktx) -> bool:
    fd = ktx.husk("aktuel_del", lambda: aktuel_del(forloeb))
    if fd is None or relevant_omfang_mangler(fd):
        return False
    return any(getattr(fd, navn).strip() for navn, _ in SEKTIONER)


RELEVANT_OMFANG = rules.Regel(
    "rehab.forberedende_del_relevant_omfang",
    "Den forberedende del skal også skrives, når sagen ikke forelægges rehabiliteringsteamet: udfyld de afsnit, "
    "der er relevante for sagen, og begrund hvert afsnit, der udelades.",
    _relevant_omfang,
    link="forberedende",
)


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


#: What the practice study asks the team to address beyond the legal content (not required by BEK § 9:
#: prompted, shown and counted on the dashboard when left out): outcome → [(kode, message, field)].
ANBEFALET: dict[str, list[tuple[str, str, str]]] = {
    "fleksjob": [
        ("indstilling.jobmaal", "Angiv beskæftigelsesmålet.", "jobmaal"),
        ("indstilling.omfang", "Beskriv omfanget af den nedsatte arbejdsevne.", "arbejdsevne_omfang"),
        ("indstilling.tidligere_forloeb", "Beskriv borgerens tidligere forløb og indsatser.", "tidligere_forloeb"),
        ("indstilling.progression", "Tag stilling til, om progression er mulig.", "progression_mulig"),
        (
            "indstilling.kompenserende",
            "Tag stilling til kompenserende ordninger: hjælpemidler, arbejdspladsindretning, personlig assistance, "
            "mentor og oplæring (overvejet, ikke relevant eller anbefalet).",
            KOMPENSERENDE[0][0],
        ),
    ],
    "foertidspension": [
        ("indstilling.omfang", "Beskriv omfanget af den nedsatte arbejdsevne.", "arbejdsevne_omfang"),
        ("indstilling.tidligere_forloeb", "Beskriv borgerens tidligere forløb og indsatser.", "tidligere_forloeb"),
    ],
    "ressourceforloeb": [
        ("indstilling.jobmaal", "Angiv beskæftigelsesmålet.", "jobmaal"),
        ("indstilling.tidligere_forloeb", "Beskriv borgerens tidligere forløb og indsatser.", "tidligere_forloeb"),
        ("indstilling.progression", "Tag stilling til borgerens udviklingsmuligheder.", "progression_mulig"),
    ],
}


def _tom(v) -> bool:
    return not str(v or "").strip()


def indstilling_anbefalinger(udfald: str, felter: dict) -> list[tuple[str, str, str]]:
    """(kode, besked, felt) for what the practice study recommends the indstilling addresses and this
    one leaves out. Does not block registration (the team recommends; BEK § 9 sets the minimum)."""
    ud = []
    for kode, besked, felt in ANBEFALET.get(udfald, []):
        if kode == "indstilling.kompenserende":
            mangler = any(felter.get(f) not in KompVurdering.values for f, _ in KOMPENSERENDE)
        elif kode == "indstilling.progression":
            mangler = felter.get("progression_mulig") not in ProgressionMulig.values
        else:
            mangler = _tom(felter.get(felt))
        if mangler:
            ud.append((kode, besked, felt))
    return ud


def indstilling_mangler(udfald: str, felter: dict) -> dict[str, str]:
    """Field → Danish message for every required element the outcome lacks (BEK §§ 8-10), and for
    every structured value that is not one of its choices."""
    fejl = {f: besked for f, besked in KRAV.get(udfald, []) if not str(felter.get(f) or "").strip()}
    meget_begraenset = udfald == "fleksjob" and felter.get("meget_begraenset_arbejdsevne")
    if meget_begraenset and not str(felter.get("udvikling_begrundelse") or "").strip():
        fejl["udvikling_begrundelse"] = (
            "Ved en aktuelt meget begrænset arbejdsevne skal det begrundes, hvorfor den kan udvikles "
            "inden for en rimelig periode."
        )
    if meget_begraenset and felter.get("progression_mulig") == ProgressionMulig.NEJ:
        fejl["progression_mulig"] = (
            "Ved en aktuelt meget begrænset arbejdsevne skal arbejdsevnen kunne udvikles (LAB § 116, stk. 2)."
        )
    for f, label in KOMPENSERENDE:
        if felter.get(f) not in (None, "", *KompVurdering.values):
            fejl[f] = f"{label}: vælg overvejet, ikke relevant eller anbefalet."
    if felter.get("progression_mulig") not in (None, "", *ProgressionMulig.values):
        fejl["progression_mulig"] = "Vælg ja, nej eller uafklaret."
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
    # The team bypass still needs the forberedende del in relevant extent (DOMAIN.md §2, §12).
    rules.register("spring_team_over_aabenbar", RELEVANT_OMFANG)
    rules.register("spring_team_over_utvivlsom", RELEVANT_OMFANG)
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
