"""Guard rules of the forløb: small named functions with a stable code and a Danish message.

The same rules drive the API (409 with every unmet rule), the UI (what is missing before a
button works) and the tests. Each transition's list in ``GUARDS`` is handed to django-fsm as its
``conditions``; other apps (rehab, decisions) append their rules at start-up with
:func:`register`, so the forløb never imports them.

A rule receives the forløb and the transition context (actor, data, date, today) and returns
True when it is satisfied. Rules must not change anything.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from cases import regelkatalog
from cases.betingelser import (  # noqa: F401  (re-exported: the rules' vocabulary)
    GUARDS,
    Kontekst,
    Regel,
    UopfyldtBetingelse,
    fsm_conditions,
    register,
    uopfyldte,
)
from cases.models import Frist, FristStatus
from infra import datoer
from infra.datoer import laeg_til


# ---------------------------------------------------------------------------------------------
# Helpers the rules share
# ---------------------------------------------------------------------------------------------
def _idag(ktx: Kontekst) -> dt.date:
    return ktx.idag or datoer.idag()


def _param(forloeb, kode: str, paa: dt.date | None = None):

    return regelkatalog.parameter(kode, forloeb.kommune_id, paa or datoer.idag())


def folkepensionsalder(foedselsdato: dt.date) -> tuple[int, int]:
    """Folkepensionsalder (years, months) by birth date, per DOMAIN.md §8 (versioned in law)."""
    if foedselsdato < dt.date(1954, 1, 1):
        return 65, 0
    if foedselsdato < dt.date(1954, 7, 1):
        return 65, 6
    if foedselsdato < dt.date(1955, 1, 1):
        return 66, 0
    if foedselsdato < dt.date(1955, 7, 1):
        return 66, 6
    if foedselsdato < dt.date(1963, 1, 1):
        return 67, 0
    if foedselsdato < dt.date(1967, 1, 1):
        return 68, 0
    if foedselsdato < dt.date(1971, 1, 1):
        return 69, 0
    return 70, 0


def folkepensionsdato(foedselsdato: dt.date) -> dt.date:

    years, months = folkepensionsalder(foedselsdato)
    return laeg_til(foedselsdato, years * 12 + months, "maaneder")


def _under_folkepensionsalder(forloeb, ktx: Kontekst) -> bool:
    return (ktx.dato or _idag(ktx)) < folkepensionsdato(forloeb.borger.foedselsdato)


def _har_haendelse_efter(forloeb, kode: str, efter: dt.date | None) -> bool:
    qs = forloeb.haendelser.filter(kode=kode)
    if efter is not None:
        qs = qs.filter(dato__gte=efter)
    return qs.exists()


def _partshoering_gennemfoert(forloeb, ktx: Kontekst) -> bool:
    """Partshøring after the latest indstilling: answered, reply deadline passed, or a § 19 stk. 2 exception."""

    efter = forloeb.indstilling_dato or forloeb.overgang_dato
    if _har_haendelse_efter(forloeb, "partshoering_undtagelse", efter):
        return True
    frister = Frist.objects.filter(forloeb=forloeb, art="partshoering_svar")
    if efter is not None:
        frister = frister.filter(start_dato__gte=efter)
    idag = _idag(ktx)
    return frister.filter(Q(status=FristStatus.OVERHOLDT) | Q(gaeldende_forfald__lt=idag)).exists()


def _indstilling_foelges_eller_genforelagt(udfald: str):
    def check(forloeb, ktx: Kontekst) -> bool:
        if forloeb.indstilling_udfald == udfald:
            return True
        # Deciding against the team's indstilling requires presenting the case again first.
        return forloeb.genforelagt_dato is not None and (
            forloeb.indstilling_dato is not None and forloeb.genforelagt_dato <= forloeb.indstilling_dato
        )

    return check


def _ressourceforloeb_aabent(forloeb, ktx: Kontekst) -> bool:
    # 'New citizens' = forløb whose forberedende plan started on or after the switch's date:
    # a running forløb keeps the rules it started under.
    reference = forloeb.forberedende_plan_start or forloeb.oprettet.date()
    return not _param(forloeb, "ressourceforloeb_lukket_for_nye", paa=reference)


def moede_varsel_dage(kommune_id, idag: dt.date) -> int:
    """Days of notice a rehabiliteringsteam meeting needs (the municipality's rule, default 14)."""

    definition = regelkatalog.frist_definition("rehab_moede_varsel", kommune_id, idag)
    return definition.laengde if definition else 14


def _moede_med_varsel(forloeb, ktx: Kontekst) -> bool:
    moede = ktx.data.get("moede_dato")
    if not isinstance(moede, dt.date):
        return False
    return (moede - _idag(ktx)).days >= moede_varsel_dage(forloeb.kommune_id, _idag(ktx))


def _tilbudt_moede(forloeb, ktx: Kontekst) -> bool:
    if not _param(forloeb, "moede_foer_afgoerelse_foertidspension"):
        return True
    return _har_haendelse_efter(forloeb, "tilbud_om_moede_sendt", forloeb.overgang_dato)


def _under_40_begrundet(forloeb, ktx: Kontekst) -> bool:
    if forloeb.borger.alder(ktx.dato or _idag(ktx)) >= 40:
        return True
    return bool((ktx.data.get("under_40_begrundelse") or "").strip())


# ---------------------------------------------------------------------------------------------
# The rules, by transition (DOMAIN.md §2)
# ---------------------------------------------------------------------------------------------
UNDER_FOLKEPENSIONSALDER = Regel(
    "borger.folkepensionsalder",
    "Borgeren har nået folkepensionsalderen; der kan ikke startes et forløb mod fleksjob eller førtidspension.",
    _under_folkepensionsalder,
)
PARTSHOERING = Regel(
    "partshoering.mangler",
    "Partshøring om indstillingen skal være sendt og besvaret, eller svarfristen udløbet "
    "(eller en undtagelse efter forvaltningslovens § 19, stk. 2, registreret).",
    _partshoering_gennemfoert,
    link="partshoering",
)

register("start_forberedende_plan", UNDER_FOLKEPENSIONSALDER)
MOEDE_VARSEL = Regel(
    "rehab.moede_varsel",
    "Mødet i rehabiliteringsteamet skal ligge mindst det fastsatte antal dage fremme "
    "(sundhedskoordinatoren skal have tid til at forberede sig).",
    _moede_med_varsel,
    link="rehabmoede",
    kraever_input=True,
)
register("forelaeg_rehabiliteringsteam", MOEDE_VARSEL)
register("genforelaeg", MOEDE_VARSEL)
register(
    "registrer_indstilling",
    Regel(
        "rehab.moede_ikke_afholdt",
        "Indstillingen kan først registreres, når mødet i rehabiliteringsteamet er holdt.",
        lambda f, k: f.rehab_moede_dato is not None and (k.dato or _idag(k)) >= f.rehab_moede_dato,
        link="rehabmoede",
        kraever_input=True,
    ),
)
register(
    "overgaa_til_pensionsbehandling",
    Regel(
        "indstilling.ikke_foertidspension",
        "Overgang til behandling efter pensionsreglerne kræver en indstilling om førtidspension.",
        lambda f, k: f.indstilling_udfald == "foertidspension",
        link="indstilling",
    ),
)
register(
    "bevilg_ressourceforloeb",
    Regel(
        "indstilling.afvigelse_uden_genforelaeggelse",
        "Rehabiliteringsteamet har ikke indstillet til ressourceforløb. Kommunen kan ikke afgøre sagen "
        "imod indstillingen uden først at genforelægge den for teamet.",
        _indstilling_foelges_eller_genforelagt("ressourceforloeb"),
        link="indstilling",
    ),
    Regel(
        "ressourceforloeb.lukket_for_nye",
        "Der kan ikke bevilges nye ressourceforløb efter den gældende regel for nye borgere.",
        _ressourceforloeb_aabent,
    ),
    PARTSHOERING,
)
register(
    "visiter_fleksjob",
    Regel(
        "indstilling.afvigelse_uden_genforelaeggelse",
        "Rehabiliteringsteamet har ikke indstillet til fleksjob. Kommunen kan ikke afgøre sagen "
        "imod indstillingen uden først at genforelægge den for teamet.",
        _indstilling_foelges_eller_genforelagt("fleksjob"),
        link="indstilling",
    ),
    Regel(
        "borger.folkepensionsalder",
        "Borgeren har nået folkepensionsalderen; der kan ikke visiteres til fleksjob.",
        _under_folkepensionsalder,
    ),
    PARTSHOERING,
)
register(
    "anden_indsats",
    Regel(
        "indstilling.afvigelse_uden_genforelaeggelse",
        "Rehabiliteringsteamet har ikke indstillet til anden indsats. Kommunen kan ikke afgøre sagen "
        "imod indstillingen uden først at genforelægge den for teamet.",
        lambda f, k: (
            f.indstilling_udfald in ("anden_indsats", "jobafklaringsforloeb")
            or _indstilling_foelges_eller_genforelagt("anden_indsats")(f, k)
        ),
        link="indstilling",
    ),
    PARTSHOERING,
)
TILBUDT_MOEDE = Regel(
    "foertidspension.moede_ikke_tilbudt",
    "Borgeren skal have tilbudt et møde med dem, der træffer afgørelsen, før der træffes afgørelse om førtidspension.",
    _tilbudt_moede,
    link="breve",
)
KLINISK_FUNKTION = Regel(
    "foertidspension.helbred_ikke_klinisk_funktion",
    "Sundhedsfaglig rådgivning i sager om førtidspension skal komme fra regionens kliniske funktion.",
    lambda f, k: k.data.get("sundhedsfaglig_raadgivning") == "klinisk_funktion",
    kraever_input=True,
)
register(
    "tilkend_foertidspension",
    TILBUDT_MOEDE,
    PARTSHOERING,
    KLINISK_FUNKTION,
    Regel(
        "foertidspension.under_40_uden_begrundelse",
        "Borgeren er under 40 år: det skal begrundes og dokumenteres særskilt, hvorfor arbejdsevnen "
        "ikke kan forbedres.",
        _under_40_begrundet,
        kraever_input=True,
    ),
)
register(
    "afslaa_foertidspension",
    TILBUDT_MOEDE,
    PARTSHOERING,
    KLINISK_FUNKTION,
    Regel(
        "foertidspension.afslag_uden_arbejdsfunktion",
        "Et afslag på førtidspension skal angive mindst én konkret arbejdsfunktion, borgeren kan varetage "
        "(pensionsloven § 19, stk. 1, nr. 5).",
        lambda f, k: any(str(a).strip() for a in (k.data.get("arbejdsfunktioner") or [])),
        link="afgoerelse",
        kraever_input=True,
    ),
    Regel(
        "ressourceforloeb.lukket_for_nye",
        "Der kan ikke bevilges nye ressourceforløb efter den gældende regel for nye borgere.",
        lambda f, k: k.data.get("videre") != "ressourceforloeb" or _ressourceforloeb_aabent(f, k),
    ),
)
register(
    "spring_team_over_aabenbar",
    Regel(
        "aabenbar.grundlag_mangler",
        "Det skal være åbenbart, at arbejdsevnen ikke kan forbedres, og sundhedskoordinatoren skal have "
        "udtalt sig, eller borgeren skal være uafvendeligt syg (pensionsloven § 18, stk. 2).",
        lambda f, k: (
            bool((k.data.get("begrundelse") or "").strip())
            and (bool(k.data.get("sundhedskoordinator_udtalelse_dato")) or bool(k.data.get("terminalt_syg")))
        ),
        kraever_input=True,
    ),
)
register(
    "spring_team_over_utvivlsom",
    Regel(
        "utvivlsom.ingen_egen_ansoegning",
        "Springet over rehabiliteringsteamet på et utvivlsomt afslag kræver borgerens egen ansøgning om "
        "førtidspension (pensionsloven § 17, stk. 2).",
        lambda f, k: f.egen_ansoegning_foertidspension is not None,
    ),
)
