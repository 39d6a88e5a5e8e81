"""Factories for fictitious organisations, employees and citizens. Never real people."""

from __future__ import annotations

import datetime as dt
import random

import factory

from cases import cpr as cprlib
from cases import services
from cases.models import Borger, Jobcenter, Kommune, Rolle, Team, User

_rng = random.Random(4711)
_used_cprs: set[str] = set()


def fiktivt_cpr(foedselsdato: dt.date | None = None) -> str:
    """A syntactically valid CPR for a fictitious person (date + century digit consistent)."""
    while True:
        born = foedselsdato or dt.date(1960, 1, 1) + dt.timedelta(days=_rng.randrange(0, 365 * 40))
        yy = born.year % 100
        seventh = _rng.choice([0, 1, 2, 3]) if born.year < 2000 else 4 if yy <= 36 else 5
        digits = f"{born:%d%m}{yy:02d}{seventh}{_rng.randrange(0, 1000):03d}"
        if digits not in _used_cprs:
            _used_cprs.add(digits)
            return digits


class KommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kommune

    navn = factory.Sequence(lambda n: f"Testkommune {n}")
    kommunekode = factory.Sequence(lambda n: f"{900 - n % 900:03d}")


class JobcenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Jobcenter

    kommune = factory.SubFactory(KommuneFactory)
    navn = factory.Sequence(lambda n: f"Jobcenter {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    jobcenter = factory.SubFactory(JobcenterFactory)
    navn = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"medarbejder{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Medarbejder{n}")
    rolle = Rolle.SAGSBEHANDLER
    password = factory.django.Password("test-kodeord-123")

    @factory.lazy_attribute
    def kommune(self):
        return KommuneFactory()

    @factory.post_generation
    def teams(self, create, extracted, **kwargs):
        if create and extracted:
            self.teams.set(extracted)


def medarbejder(team: Team, rolle: str = Rolle.SAGSBEHANDLER, **kwargs) -> User:
    """An employee of the team's municipality who is a member of the team."""
    return UserFactory(kommune=team.jobcenter.kommune, rolle=rolle, teams=[team], **kwargs)


def borger(team: Team, *, actor: User | None = None, cpr: str | None = None, **kwargs) -> Borger:
    """A fictitious citizen created through the real service (so it is audited like any other)."""
    actor = actor or medarbejder(team)
    defaults = {"fornavn": "Test", "efternavn": "Borgersen", "fiktiv": True}
    return services.borger_opret(actor=actor, team=team, cpr=cpr or fiktivt_cpr(), **(defaults | kwargs))


__all__ = ["cprlib"]


# ---------------------------------------------------------------------------------------------
# Forløb in a given state, reached through the real services (history, events and deadlines
# are exactly what production would have). Dates run from ``start`` in the past.
# ---------------------------------------------------------------------------------------------
START = dt.date(2026, 3, 2)  # a Monday


def overgang(forloeb, navn: str, dag: int, actor=None, start: dt.date = START, **data):
    """Run transition ``navn`` as if today were ``start + dag`` days."""
    from cases.services import forloeb_overgang

    idag = start + dt.timedelta(days=dag)
    data.setdefault("dato", idag.isoformat())
    return forloeb_overgang(actor=actor or forloeb.sagsbehandler, forloeb=forloeb, overgang=navn, data=data, idag=idag)


def haendelse(forloeb, kode: str, dag: int, start: dt.date = START, **data):
    """Register an event (letter sent, reply received...) as the later issues' services will."""
    from cases.services import forloeb_registrer_haendelse

    return forloeb_registrer_haendelse(
        actor=forloeb.sagsbehandler, forloeb=forloeb, kode=kode, dato=start + dt.timedelta(days=dag), data=data
    )


def dag(n: int, start: dt.date = START) -> dt.date:
    return start + dt.timedelta(days=n)


def forberedende_del_komplet(fl, *, lae265: bool = True):
    """A forberedende del with all eight sections, written with the citizen, with an LÆ 265."""
    from rehab import services as rehab
    from rehab.models import SEKTIONER

    fd = rehab.forberedende_del_opret(actor=fl.sagsbehandler, forloeb=fl)
    rehab.forberedende_del_opdater(
        actor=fl.sagsbehandler,
        forberedende_del=fd,
        skrevet_med_borger_dato=fl.forberedende_plan_start,
        **{navn: f"{label}: beskrevet sammen med borgeren." for navn, label in SEKTIONER},
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


def moededag(kommune, dato: dt.date, kapacitet: int = 6):
    """A meeting day (created directly: the service refuses days in the past, and tests live in 2026)."""
    from rehab.models import Moededag, Teammedlem

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


def book(fl, booket_dag: int, moede_dag: int, start: dt.date = START, **kw):
    from rehab.services import moede_book

    md = moededag(fl.borger.kommune, dag(moede_dag, start))
    return moede_book(actor=fl.sagsbehandler, forloeb=fl, moededag=md, idag=dag(booket_dag, start), **kw)


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
    ]
}


def indstil(fl, udfald: str, paa_dag: int, start: dt.date = START, **felter):
    """Register the team's indstilling with the content its outcome requires."""
    from rehab.rules import KRAV
    from rehab.services import indstilling_registrer

    indhold = {f: INDHOLD[f] for f, _ in KRAV.get(udfald, [])} | felter
    return indstilling_registrer(
        actor=fl.sagsbehandler, forloeb=fl, udfald=udfald, dato=dag(paa_dag, start), idag=dag(paa_dag, start), **indhold
    )


def afgoer(fl, type: str, paa_dag: int | None = None, start: dt.date = START, **felter):
    """Draft and issue a decision with a complete begrundelse (what a careful caseworker writes)."""
    from decisions import services as decisions

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
    d = decisions.dokument_opret(
        actor=fl.sagsbehandler, forloeb=fl, type=type, fakta=fakta or [], **(defaults | felter)
    )
    idag = dag(paa_dag, start) if paa_dag is not None else None
    return decisions.dokument_udsted(actor=fl.sagsbehandler, dokument=d, idag=idag)


def _forloeb_i(tilstand: str, *, team: Team | None = None, udfald: str | None = None, start: dt.date = START, **kw):
    """A forløb in ``tilstand`` (STYLE §10: a trait per lifecycle state), reached through the real
    services: forberedende del, meeting booking, indstilling, partshøring, issued decisions.

    Timeline: plan starts day 0; presented day 7 with the meeting on day 28; indstilling day 28;
    partshøring sent day 29 and answered day 35; decision or overgang day 40.
    """
    from cases.services import forloeb_opret

    team = team or TeamFactory()
    ejer = kw.pop("sagsbehandler", None) or medarbejder(team)
    b = kw.pop("borger", None) or borger(team, actor=ejer)
    fl = forloeb_opret(actor=ejer, borger=b, sagsbehandler=ejer)
    if tilstand == "aktivitetsparat":
        return fl
    overgang(fl, "start_forberedende_plan", 0, start=start, **kw)
    if tilstand == "forberedende_plan":
        return fl
    forberedende_del_komplet(fl)
    book(fl, 7, 28, start=start)
    if tilstand == "rehabiliteringsteam":
        return fl
    wanted = udfald or {
        "foertidspension_behandling": "foertidspension",
        "foertidspension": "foertidspension",
        "ressourceforloeb": "ressourceforloeb",
    }.get(tilstand, "fleksjob")
    indstil(fl, wanted, 28, start=start)
    if tilstand == "indstilling":
        return fl
    if tilstand in ("foertidspension_behandling", "foertidspension"):
        afgoer(
            fl,
            "overgang_pension",
            35,
            start=start,
            hovedhensyn="",
            tekst="Din sag behandles nu efter reglerne om førtidspension.",
            lovhenvisninger=["ast_39_17"],
        )
        if tilstand == "foertidspension_behandling":
            return fl
        haendelse(fl, "tilbud_om_moede_sendt", 36, start=start)
        haendelse(fl, "partshoering_sendt", 37, start=start)
        haendelse(fl, "partshoering_besvaret", 45, start=start)
        afgoer(
            fl,
            "foertidspension_tilkendelse",
            50,
            start=start,
            under_40_begrundelse="Varig og betydelig nedsat arbejdsevne, dokumenteret",
        )
        return fl
    haendelse(fl, "partshoering_sendt", 29, start=start)
    haendelse(fl, "partshoering_besvaret", 35, start=start)
    if tilstand == "ressourceforloeb":
        afgoer(fl, "ressourceforloeb_bevilling", 40, start=start)
    elif tilstand == "fleksjob":
        afgoer(fl, "fleksjob_visitation", 40, start=start)
    elif tilstand == "afsluttet":
        overgang(fl, "afslut", 40, start=start, aarsag="ordinaert_arbejde")
    else:
        raise ValueError(tilstand)
    return fl


def forloeb_i(tilstand: str, **kw):
    """A forløb in ``tilstand``; see ``_forloeb_i`` for the timeline. Returned fresh from the database."""
    from cases.models import Forloeb

    fl = _forloeb_i(tilstand, **kw)
    return Forloeb.objects.select_related("borger", "sagsbehandler", "team").get(pk=fl.pk)
