"""What every rehab use case checks first: the caller may see the forløb; dates are not in the future."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied

from cases.models import Forloeb
from cases.selectors import forloeb_for
from infra import datoer


def adgang(actor, forloeb: Forloeb) -> None:
    if not forloeb_for(actor).filter(pk=forloeb.pk).exists():
        raise PermissionDenied


def ikke_fremtid(navn: str, dato: dt.date | None, fejl: dict) -> None:
    if dato is not None and dato > datoer.idag():
        fejl[navn] = "Datoen kan ikke ligge i fremtiden."


def laas_forloeb(forloeb_id) -> None:
    """Lock the forløb's row for the rest of the transaction (serialises the forløb's rehab changes)."""
    list(Forloeb.objects.select_for_update().filter(pk=forloeb_id).values_list("pk", flat=True))
