"""Factories for fictitious organisations, employees and citizens. Never real people."""

from __future__ import annotations

import datetime as dt
import random

import factory

from cases import services
from cases.models import Borger, Jobcenter, Kommune, Rolle, Team, User
from demo import demoforloeb
from infra import cpr as cprlib

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
    return demoforloeb.overgang(forloeb, navn, start + dt.timedelta(days=dag), actor, **data)


def haendelse(forloeb, kode: str, dag: int, start: dt.date = START, **data):
    """Register an event (letter sent, reply received...) as the later issues' services will."""
    return demoforloeb.haendelse(forloeb, kode, start + dt.timedelta(days=dag), **data)


def dag(n: int, start: dt.date = START) -> dt.date:
    return start + dt.timedelta(days=n)


forberedende_del_komplet = demoforloeb.forberedende_del_komplet
forberedende_del_relevant = demoforloeb.forberedende_del_relevant
moededag = demoforloeb.moededag
INDHOLD = demoforloeb.INDHOLD


def book(fl, booket_dag: int, moede_dag: int, start: dt.date = START, **kw):
    return demoforloeb.book(fl, dag(booket_dag, start), dag(moede_dag, start), **kw)


def indstil(fl, udfald: str, paa_dag: int, start: dt.date = START, **felter):
    """Register the team's indstilling with the content its outcome requires."""
    return demoforloeb.indstil(fl, udfald, dag(paa_dag, start), **felter)


def afgoer(fl, type: str, paa_dag: int | None = None, start: dt.date = START, **felter):
    """Draft and issue a decision with a complete begrundelse (what a careful caseworker writes)."""
    return demoforloeb.afgoer(fl, type, dag(paa_dag, start) if paa_dag is not None else None, **felter)


def _forloeb_i(tilstand: str, *, team: Team | None = None, udfald: str | None = None, start: dt.date = START, **kw):
    """A forløb in ``tilstand`` (STYLE §10: a trait per lifecycle state), reached through the real
    services along the timeline of :func:`demo.demoforloeb.forloeb_i` (the demo data's too)."""
    team = team or TeamFactory()
    ejer = kw.pop("sagsbehandler", None) or medarbejder(team)
    b = kw.pop("borger", None) or borger(team, actor=ejer)
    return demoforloeb.forloeb_i(ejer, b, tilstand, start=start, udfald=udfald, **kw)


def forloeb_i(tilstand: str, **kw):
    """A forløb in ``tilstand``; see ``_forloeb_i`` for the timeline. Returned fresh from the database."""
    from cases.models import Forloeb

    fl = _forloeb_i(tilstand, **kw)
    return Forloeb.objects.select_related("borger", "sagsbehandler", "team").get(pk=fl.pk)
