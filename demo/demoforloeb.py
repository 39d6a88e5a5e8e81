"""Forløb taken through the real services: the demo data of ``make run`` and the test factories.

Every forløb is built exactly as a caseworker would build it (transitions, forberedende del,
LÆ 265, meeting booking, indstilling, partshøring, issued decisions), with dates in the past, so
the history, the deadlines and the audit trail are what production would hold. ``tests/factories``
calls the same functions (with its fixed start date), so the demo and the tests cannot drift apart.

Timeline of one forløb, in days from ``start``: forberedende plan starts day 0; booked on day 7
for the meeting on day 28; indstilling day 28; partshøring sent day 29 and answered day 35;
decision or pension overgang day 35-40 (pension granted day 50).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from cases.services import forloeb_opret, forloeb_overgang, forloeb_registrer_haendelse, tilbud_registrer
from decisions import services as decisions
from flexjob import services as fleksjob
from rehab import services as rehab
from rehab.models import SEKTIONER, Moededag, Teammedlem
from rehab.rules import KRAV
from rehab.services import indstilling_registrer, moede_book

# (stage to reach, days since the forberedende plan started); cycled per caseworker in the demo.
SCENARIER: list[tuple[str, int]] = [
    ("forberedende_plan", 200),  # the 23-week servicemål is overdue
    ("forberedende_plan", 150),  # due within two weeks
    ("forberedende_plan", 30),  # on track
    ("rehabiliteringsteam", 20),  # booked, the meeting is next week
    ("indstilling", 40),  # the 3-week overgang runs
    ("fleksjob", 70),
    ("aktivitetsparat", 0),
    ("ressourceforloeb", 100),
    ("foertidspension_behandling", 50),
    ("indstilling", 55),  # the 3-week overgang is overdue
]

# The content an indstilling needs per outcome (rehab.rules.KRAV names the fields).
INDHOLD = {
    navn: f"{navn.replace('_', ' ').capitalize()}: teamets vurdering."
    for navn in [
        "faktorer_beskaeftigelse",
        "faktorer_sociale",
        "faktorer_helbred",
        "hvorfor_ikke_ordinaere_vilkaar",
        "egnede_jobtyper",
        "saerlige_hensyn",
        "faglig_begrundelse",
        "maal",
        "indsats_beskaeftigelse",
        "opfoelgning",
        "raekkefoelge",
        "anden_indsats_beskrivelse",
        "udsaettelse_aarsag",
        "udsaettelse_mangler",
        "jobmaal",
        "arbejdsevne_omfang",
        "tidligere_forloeb",
        "udviklingsperspektiv",
    ]
}
#: What a careful team also says in a fleksjob indstilling (the practice study's recommendations).
STRUKTURERET: dict[str, dict[str, Any]] = {
    "fleksjob": {
        "jobmaal": INDHOLD["jobmaal"],
        "arbejdsevne_omfang": INDHOLD["arbejdsevne_omfang"],
        "tidligere_forloeb": INDHOLD["tidligere_forloeb"],
        "vurderet_timer": "12.5",
        "vurderet_intensitet": 60,
        "progression_mulig": "ja",
        "udviklingsperspektiv": INDHOLD["udviklingsperspektiv"],
        "komp_hjaelpemidler": "anbefalet",
        "komp_arbejdspladsindretning": "overvejet",
        "komp_personlig_assistance": "ikke_relevant",
        "komp_mentor": "anbefalet",
        "komp_oplaering": "overvejet",
    },
    "foertidspension": {
        "arbejdsevne_omfang": INDHOLD["arbejdsevne_omfang"],
        "tidligere_forloeb": INDHOLD["tidligere_forloeb"],
    },
    "ressourceforloeb": {
        "jobmaal": INDHOLD["jobmaal"],
        "tidligere_forloeb": INDHOLD["tidligere_forloeb"],
        "progression_mulig": "ja",
        "udviklingsperspektiv": INDHOLD["udviklingsperspektiv"],
    },
}
#: The assessed capacity a visitation decision states (it becomes the visitation's baseline).
VISITATION = {"baseline_timer": "12.5", "baseline_intensitet": 60}


def overgang(fl, navn: str, paa: dt.date, actor=None, **data):
    """Run transition ``navn`` as if today were ``paa`` (``data["dato"]`` defaults to that day)."""

    data.setdefault("dato", paa.isoformat())
    return forloeb_overgang(actor=actor or fl.sagsbehandler, forloeb=fl, overgang=navn, data=data, idag=paa)


def haendelse(fl, kode: str, paa: dt.date, **data):
    """Register an event (letter sent, reply received ...) on ``paa``."""

    return forloeb_registrer_haendelse(actor=fl.sagsbehandler, forloeb=fl, kode=kode, dato=paa, data=data)


def moededag(kommune, dato: dt.date, kapacitet: int = 6):
    """A meeting day with its members (created directly: the service refuses days in the past)."""

    md, _ = Moededag.objects.get_or_create(
        kommune=kommune, dato=dato, sted="Rådhuset", defaults={"kapacitet": kapacitet}
    )
    if not md.medlemmer.exists():
        Teammedlem.objects.bulk_create(
            [
                Teammedlem(moededag=md, navn="Sundhedskoordinator Fiktiv", omraade="sundhedskoordinator"),
                Teammedlem(moededag=md, navn="Jobkonsulent Fiktiv", omraade="beskaeftigelse"),
            ]
        )
    return md


def forberedende_del_komplet(fl, *, lae265: bool = True):
    """A forberedende del with all eight sections, written with the citizen, with an LÆ 265."""

    fd = rehab.forberedende_del_opret(actor=fl.sagsbehandler, forloeb=fl)
    sektioner: dict[str, Any] = {navn: f"{label}: beskrevet sammen med borgeren." for navn, label in SEKTIONER}
    rehab.forberedende_del_opdater(
        actor=fl.sagsbehandler,
        forberedende_del=fd,
        skrevet_med_borger_dato=fl.forberedende_plan_start,
        **sektioner,
    )
    if lae265:
        rehab.bilag_tilfoej(
            actor=fl.sagsbehandler,
            forberedende_del=fd,
            type="lae265",
            titel="LÆ 265 fra egen læge",
            dokument_dato=fl.forberedende_plan_start,
            kilde="egen_laege",
        )
    return fd


def forberedende_del_relevant(fl, *, udelad: dict[str, str] | None = None):
    """A forberedende del in the extent relevant to a case that skips the team (pensionsloven § 18,
    stk. 2 / § 17, stk. 2): the relevant sections written, the others left out with a reason."""

    udelad = (
        {"forsoergelseshistorik": "Uden betydning for sagen.", "social_indsats": "Ingen sociale indsatser."}
        if udelad is None
        else udelad
    )
    sektioner: dict[str, Any] = {
        navn: f"{label}: beskrevet sammen med borgeren." for navn, label in SEKTIONER if navn not in udelad
    }
    return rehab.forberedende_del_opdater(
        actor=fl.sagsbehandler,
        forloeb=fl,
        skrevet_med_borger_dato=fl.forberedende_plan_start,
        udeladte_sektioner=udelad,
        **sektioner,
    )


def kommende_moededage(kommune, idag: dt.date) -> list:
    """A meeting day each Tuesday three to eight weeks ahead: the notice is 14 days, so the demo's
    cases in forberedende plan can be booked in the browser."""
    foerste = idag + dt.timedelta(weeks=3)
    foerste += dt.timedelta(days=(1 - foerste.weekday()) % 7)
    return [moededag(kommune, foerste + dt.timedelta(weeks=u)) for u in range(5)]


def book(fl, booket: dt.date, moede: dt.date, **kw):

    return moede_book(
        actor=fl.sagsbehandler, forloeb=fl, moededag=moededag(fl.borger.kommune, moede), idag=booket, **kw
    )


def indstil(fl, udfald: str, dato: dt.date, *, struktureret: bool = True, **felter):
    """Register the team's indstilling with the content its outcome requires (and, unless
    ``struktureret`` is false, what the practice study recommends it addresses)."""

    indhold: dict[str, Any] = {f: INDHOLD[f] for f, _ in KRAV.get(udfald, [])}
    if struktureret:
        indhold |= STRUKTURERET.get(udfald, {})
    indhold |= felter
    return indstilling_registrer(actor=fl.sagsbehandler, forloeb=fl, udfald=udfald, dato=dato, idag=dato, **indhold)


def afgoer(fl, type: str, dato: dt.date | None = None, **felter):
    """Draft and issue a decision with a complete begrundelse (what a careful caseworker writes)."""

    indstilling = fl.indstillinger.order_by("-dato", "-oprettet").first()
    fakta = felter.pop("fakta", None)
    if fakta is None and indstilling is not None:
        fakta = [
            {
                "tekst": "Rehabiliteringsteamets vurdering af arbejdsevnen.",
                "kilde_type": "indstilling",
                "kilde_id": str(indstilling.pk),
            }
        ]
    defaults = {
        "tekst": f"Afgørelse: {type.replace('_', ' ')}.",
        "hovedhensyn": "Vi har lagt vægt på teamets tværfaglige vurdering og borgerens egne oplysninger.",
        "lovhenvisninger": ["lab_116", "fvl_22_24"],
    }
    if type.startswith("foertidspension"):
        defaults |= {"sundhedsfaglig_raadgivning": "klinisk_funktion", "lovhenvisninger": ["pl_16", "pl_21"]}
    if type == "fleksjob_visitation":
        # The decision states the assessed capacity: issuing it registers the visitation.
        defaults["data"] = dict(VISITATION) | felter.pop("visitation", {})
    d = decisions.dokument_opret(
        actor=fl.sagsbehandler, forloeb=fl, type=type, fakta=fakta or [], **(defaults | felter)
    )
    return decisions.dokument_udsted(actor=fl.sagsbehandler, dokument=d, idag=dato)


def forloeb_i(
    ejer, borger, tilstand: str, *, start: dt.date, udfald: str | None = None, visitation: dict | None = None,
    **start_data,
):  # fmt: skip
    """A new forløb for ``borger`` owned by ``ejer``, taken to ``tilstand`` along the timeline above.

    ``start_data`` goes to the start of the forberedende plan (e.g. ``ansoegt_fleksjob``);
    ``visitation`` overrides what the visitation decision states (``VISITATION``)."""

    def dag(n: int) -> dt.date:
        return start + dt.timedelta(days=n)

    fl = forloeb_opret(actor=ejer, borger=borger, sagsbehandler=ejer)
    if tilstand == "aktivitetsparat":
        return fl
    overgang(fl, "start_forberedende_plan", dag(0), **start_data)
    if tilstand == "forberedende_plan":
        return fl
    forberedende_del_komplet(fl)
    book(fl, dag(7), dag(28))
    if tilstand == "rehabiliteringsteam":
        return fl
    wanted = udfald or {
        "foertidspension_behandling": "foertidspension",
        "foertidspension": "foertidspension",
        "ressourceforloeb": "ressourceforloeb",
    }.get(tilstand, "fleksjob")
    indstil(fl, wanted, dag(28))
    if tilstand == "indstilling":
        return fl
    if tilstand in ("foertidspension_behandling", "foertidspension"):
        afgoer(
            fl,
            "overgang_pension",
            dag(35),
            hovedhensyn="",
            tekst="Din sag behandles nu efter reglerne om førtidspension.",
            lovhenvisninger=["ast_39_17"],
        )
        if tilstand == "foertidspension_behandling":
            return fl
        haendelse(fl, "tilbud_om_moede_sendt", dag(36))
        haendelse(fl, "partshoering_sendt", dag(37))
        haendelse(fl, "partshoering_besvaret", dag(45))
        afgoer(
            fl,
            "foertidspension_tilkendelse",
            dag(50),
            under_40_begrundelse="Varig og betydelig nedsat arbejdsevne, dokumenteret",
        )
        return fl
    haendelse(fl, "partshoering_sendt", dag(29))
    haendelse(fl, "partshoering_besvaret", dag(35))
    if tilstand == "ressourceforloeb":
        afgoer(fl, "ressourceforloeb_bevilling", dag(40))
    elif tilstand == "fleksjob":
        afgoer(fl, "fleksjob_visitation", dag(40), visitation=visitation or {})
    elif tilstand == "afsluttet":
        overgang(fl, "afslut", dag(40), aarsag="ordinaert_arbejde")
    else:
        raise ValueError(tilstand)
    return fl


def opret(*, sagsbehandlere, borgere_for, pr_sagsbehandler: int, idag: dt.date) -> int:
    """Build ``pr_sagsbehandler`` forløb for each caseworker from their team's citizens (demo data).

    ``borgere_for(team, n)`` gives citizens of the team without a forløb. Returns the number built.
    """
    for kommune in {ejer.kommune for ejer in sagsbehandlere}:
        kommende_moededage(kommune, idag)
    antal = 0
    for i, ejer in enumerate(sagsbehandlere):
        team = ejer.teams.first()
        if team is None:
            continue
        for j, borger in enumerate(borgere_for(team, pr_sagsbehandler)):
            tilstand, dage = SCENARIER[(i + j) % len(SCENARIER)]
            start = idag - dt.timedelta(days=dage + i % 3)
            with transaction.atomic():
                fl = forloeb_i(ejer, borger, tilstand, start=start)
                if tilstand == "fleksjob":
                    _fleksjob_fakta(fl, start)
            antal += 1
    return antal


def _fleksjob_fakta(fl, start: dt.date) -> None:
    """What the demo's fleksjob cases also hold: an earlier grant and an offer the citizen turned down."""
    fleksjob.bevilling_registrer(
        actor=fl.sagsbehandler, borger=fl.borger, forloeb=fl, type="hjaelpemiddel", dato=start,
        beskrivelse="Hæve-sænkebord og ergonomisk stol", bevilget_af="Jobcentrets virksomhedsservice",
    )  # fmt: skip
    tilbud_registrer(
        actor=fl.sagsbehandler, forloeb=fl, type="virksomhedspraktik", dato=start + dt.timedelta(days=45),
        beskrivelse="Praktik på lageret hos en fiktiv grossist, 10 timer om ugen.", svar="afslaaet",
        svar_dato=start + dt.timedelta(days=48), begrundelse="Borgeren oplyser, at løft på lageret giver smerter.",
    )  # fmt: skip
