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
    return forloeb_overgang(
        actor=actor or forloeb.sagsbehandler, forloeb=forloeb, overgang=navn, data=data, idag=idag
    )


def haendelse(forloeb, kode: str, dag: int, start: dt.date = START, **data):
    """Register an event (letter sent, reply received...) as the later issues' services will."""
    from cases.services import forloeb_registrer_haendelse

    return forloeb_registrer_haendelse(
        actor=forloeb.sagsbehandler, forloeb=forloeb, kode=kode, dato=start + dt.timedelta(days=dag), data=data
    )


def forloeb_i(tilstand: str, *, team: Team | None = None, udfald: str | None = None, start: dt.date = START, **kw):
    """A forløb in ``tilstand`` (STYLE §10: a trait per lifecycle state).

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
    overgang(fl, "forelaeg_rehabiliteringsteam", 7, start=start, moede_dato=(start + dt.timedelta(days=28)).isoformat())
    if tilstand == "rehabiliteringsteam":
        return fl
    wanted = udfald or {
        "foertidspension_behandling": "foertidspension",
        "foertidspension": "foertidspension",
        "ressourceforloeb": "ressourceforloeb",
    }.get(tilstand, "fleksjob")
    overgang(fl, "registrer_indstilling", 28, start=start, udfald=wanted)
    if tilstand == "indstilling":
        return fl
    if tilstand in ("foertidspension_behandling", "foertidspension"):
        overgang(fl, "overgaa_til_pensionsbehandling", 35, start=start)
        if tilstand == "foertidspension_behandling":
            return fl
        haendelse(fl, "tilbud_om_moede_sendt", 36, start=start)
        haendelse(fl, "partshoering_sendt", 37, start=start)
        haendelse(fl, "partshoering_besvaret", 45, start=start)
        overgang(fl, "tilkend_foertidspension", 50, start=start, sundhedsfaglig_raadgivning="klinisk_funktion",
                 under_40_begrundelse="Varig og betydelig nedsat arbejdsevne, dokumenteret")  # fmt: skip
        return fl
    haendelse(fl, "partshoering_sendt", 29, start=start)
    haendelse(fl, "partshoering_besvaret", 35, start=start)
    if tilstand == "ressourceforloeb":
        overgang(fl, "bevilg_ressourceforloeb", 40, start=start)
    elif tilstand == "fleksjob":
        overgang(fl, "visiter_fleksjob", 40, start=start)
    elif tilstand == "afsluttet":
        overgang(fl, "afslut", 40, start=start, aarsag="ordinaert_arbejde")
    else:
        raise ValueError(tilstand)
    return fl
