"""Demo forløb for ``make run``: fictitious citizens taken through the real services.

Every forløb is built exactly as a caseworker would build it (transitions, forberedende del,
LÆ 265, meeting booking, indstilling, partshøring, issued decisions), with dates in the past
relative to today, so the history, the deadlines and the audit trail are what production would
hold. The spread of stages and ages gives the work queue, the citizen page and the team leader's
dashboard something to show: deadlines on track, due soon and overdue, cases waiting for a meeting,
decisions with PDFs.

Timeline of one forløb, in days from ``start``: forberedende plan starts day 0; booked on day 7
for the meeting on day 28; indstilling day 28; partshøring sent day 29 and answered day 35;
decision or pension overgang day 35-40.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

# (stage to reach, days since the forberedende plan started); cycled per caseworker.
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

INDHOLD = {
    "faktorer_beskaeftigelse": "Borgeren har arbejdet som lagermedarbejder i 12 år og har været sygemeldt i 2 år.",
    "faktorer_sociale": "Borgeren bor med sin ægtefælle og har et godt netværk.",
    "faktorer_helbred": "Kroniske rygsmerter; lægen vurderer tilstanden stationær.",
    "hvorfor_ikke_ordinaere_vilkaar": "Kan arbejde 10-15 timer om ugen med pauser og uden tunge løft.",
    "egnede_jobtyper": "Lettere kontor- og lagerfunktioner, kvalitetskontrol.",
    "saerlige_hensyn": "Hæve-sænke-bord, mulighed for pauser.",
    "faglig_begrundelse": "Arbejdsevnen kan udvikles gennem en tværfaglig indsats.",
    "maal": "Borgeren kommer i job eller uddannelse.",
    "indsats_beskaeftigelse": "Virksomhedspraktik med mentor.",
    "opfoelgning": "Opfølgning hver 4. uge.",
    "raekkefoelge": "Først helbred, derefter praktik.",
}


@dataclass
class Bygger:
    """Builds one forløb for ``borger`` owned by ``ejer``, with today as ``idag``."""

    ejer: object
    idag: dt.date

    def _dag(self, start: dt.date, n: int) -> dt.date:
        return start + dt.timedelta(days=n)

    def _overgang(self, fl, navn: str, dag: dt.date, **data):
        from cases.services import forloeb_overgang

        data.setdefault("dato", dag.isoformat())
        return forloeb_overgang(actor=self.ejer, forloeb=fl, overgang=navn, data=data, idag=dag)

    def _haendelse(self, fl, kode: str, dag: dt.date):
        from cases.services import forloeb_registrer_haendelse

        return forloeb_registrer_haendelse(actor=self.ejer, forloeb=fl, kode=kode, dato=dag, data={})

    def _moededag(self, kommune, dato: dt.date):
        from rehab.models import Moededag, Teammedlem

        md, oprettet = Moededag.objects.get_or_create(
            kommune=kommune, dato=dato, sted="Rådhuset, mødelokale 2", defaults={"kapacitet": 6}
        )
        if oprettet:
            Teammedlem.objects.bulk_create(
                [
                    Teammedlem(moededag=md, navn="Sundhedskoordinator (fiktiv)", omraade="sundhedskoordinator"),
                    Teammedlem(moededag=md, navn="Jobkonsulent (fiktiv)", omraade="beskaeftigelse"),
                    Teammedlem(moededag=md, navn="Socialrådgiver (fiktiv)", omraade="social"),
                ]
            )
        return md

    def _forberedende_del(self, fl, start: dt.date) -> None:
        from rehab import services as rehab
        from rehab.models import SEKTIONER

        fd = rehab.forberedende_del_opret(actor=self.ejer, forloeb=fl)
        rehab.forberedende_del_opdater(
            actor=self.ejer,
            forberedende_del=fd,
            skrevet_med_borger_dato=start,
            **{navn: f"{label}: beskrevet sammen med borgeren." for navn, label in SEKTIONER},
        )
        rehab.bilag_tilfoej(
            actor=self.ejer,
            forberedende_del=fd,
            type="lae265",
            titel="LÆ 265 fra egen læge",
            dokument_dato=start,
            kilde="egen_laege",
        )

    def _afgoer(self, fl, type: str, dag: dt.date, **felter):
        from decisions import services as decisions

        indstilling = fl.indstillinger.order_by("-dato", "-oprettet").first()
        fakta = []
        if indstilling is not None:
            fakta = [
                {
                    "tekst": "Rehabiliteringsteamets vurdering af arbejdsevnen.",
                    "kilde_type": "indstilling",
                    "kilde_id": str(indstilling.pk),
                }
            ]
        felter = {
            "tekst": "Du får hermed afgørelse i din sag.",
            "hovedhensyn": "Vi har lagt vægt på teamets tværfaglige vurdering og dine egne oplysninger.",
            "lovhenvisninger": ["lab_116", "fvl_22_24"],
        } | felter
        d = decisions.dokument_opret(actor=self.ejer, forloeb=fl, type=type, fakta=fakta, **felter)
        return decisions.dokument_udsted(actor=self.ejer, dokument=d, idag=dag)

    def byg(self, borger, tilstand: str, dage_siden_start: int):
        from cases.services import forloeb_opret
        from rehab.rules import KRAV
        from rehab.services import indstilling_registrer, moede_book

        start = self.idag - dt.timedelta(days=dage_siden_start)
        with transaction.atomic():
            fl = forloeb_opret(actor=self.ejer, borger=borger, sagsbehandler=self.ejer)
            if tilstand == "aktivitetsparat":
                return fl
            self._overgang(fl, "start_forberedende_plan", start)
            if tilstand == "forberedende_plan":
                return fl
            self._forberedende_del(fl, start)
            md = self._moededag(borger.kommune, self._dag(start, 28))
            moede_book(actor=self.ejer, forloeb=fl, moededag=md, idag=self._dag(start, 7))
            if tilstand == "rehabiliteringsteam":
                return fl
            udfald = {"foertidspension_behandling": "foertidspension", "ressourceforloeb": "ressourceforloeb"}.get(
                tilstand, "fleksjob"
            )
            dag28 = self._dag(start, 28)
            indhold = {f: INDHOLD[f] for f, _ in KRAV.get(udfald, []) if f in INDHOLD}
            indstilling_registrer(actor=self.ejer, forloeb=fl, udfald=udfald, dato=dag28, idag=dag28, **indhold)
            if tilstand == "indstilling":
                return fl
            if tilstand == "foertidspension_behandling":
                self._afgoer(
                    fl,
                    "overgang_pension",
                    self._dag(start, 35),
                    hovedhensyn="",
                    tekst="Din sag behandles nu efter reglerne om førtidspension.",
                    lovhenvisninger=["ast_39_17"],
                )
                return fl
            self._haendelse(fl, "partshoering_sendt", self._dag(start, 29))
            self._haendelse(fl, "partshoering_besvaret", self._dag(start, 35))
            if tilstand == "ressourceforloeb":
                self._afgoer(fl, "ressourceforloeb_bevilling", self._dag(start, 40))
            elif tilstand == "fleksjob":
                self._afgoer(fl, "fleksjob_visitation", self._dag(start, 40))
            else:
                raise ValueError(tilstand)
            return fl


def opret(*, sagsbehandlere, borgere_for, pr_sagsbehandler: int, idag: dt.date) -> int:
    """Build ``pr_sagsbehandler`` forløb for each caseworker from their team's citizens.

    ``borgere_for(team)`` yields citizens of the team without a forløb. Returns the number built.
    """
    antal = 0
    for i, ejer in enumerate(sagsbehandlere):
        team = ejer.teams.first()
        if team is None:
            continue
        bygger = Bygger(ejer=ejer, idag=idag)
        for j, borger in enumerate(borgere_for(team, pr_sagsbehandler)):
            tilstand, dage = SCENARIER[(i + j) % len(SCENARIER)]
            bygger.byg(borger, tilstand, dage + (i % 3))
            antal += 1
    return antal
