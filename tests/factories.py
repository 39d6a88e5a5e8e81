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
