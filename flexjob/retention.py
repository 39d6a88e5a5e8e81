"""What the fleksjob app adds to the core's retention job: agreements count as activity, and an
agreement awaiting processing or without an end date keeps the citizen."""

from __future__ import annotations

from django.db.models import Q

from cases import retention

from .models import Aftale, AftaleStatus


def _aktivitet(borger):
    return [retention.seneste(Aftale.objects.filter(borger=borger), "oprettet", "behandlet", "slut")]


def _aabent(borger):
    return [
        Aftale.objects.filter(borger=borger).filter(
            Q(status=AftaleStatus.MODTAGET) | Q(status=AftaleStatus.GODKENDT, slut__isnull=True)
        )
    ]


BIDRAG = retention.Bidrag(navn="flexjob", aktivitet=_aktivitet, aabent=_aabent)
