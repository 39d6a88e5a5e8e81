"""What the fleksjob use cases share: access to the forløb, and the deadline reference of an employment."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from cases.models import Forloeb
from cases.selectors import forloeb_for

from ..models import Ansaettelse


def adgang(actor, forloeb: Forloeb) -> None:
    if not forloeb_for(actor).filter(pk=forloeb.pk).exists():
        raise PermissionDenied


def reference(ansaettelse: Ansaettelse) -> str:
    """The deadline reference of an employment (decisions.services closes by the same format)."""
    return f"ansaettelse:{ansaettelse.pk}"
