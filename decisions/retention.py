"""What the decisions app adds to the core's retention job (registered in ``DecisionsConfig.ready``):
documents and complaints count as activity, a complaint still being handled keeps the citizen, and
the local Digital Post outbox's copies of a deleted citizen's documents go with them."""

from __future__ import annotations

from django.core.files.storage import Storage, default_storage

from cases import retention

from .digitalpost import outbox_navne
from .models import Dokument, Klage, KlageStatus

AABNE_KLAGER = [KlageStatus.MODTAGET, KlageStatus.FASTHOLDT, KlageStatus.SENDT_TIL_ANKESTYRELSEN]


def _aktivitet(borger):
    return [
        retention.seneste(Dokument.objects.filter(forloeb__borger=borger), "oprettet", "udstedt"),
        retention.seneste(
            Klage.objects.filter(forloeb__borger=borger),
            "oprettet",
            "modtaget_dato",
            "genvurderet_dato",
            "sendt_til_ankestyrelsen",
            "resultat_dato",
        ),
    ]


def _aabent(borger):
    return [Klage.objects.filter(forloeb__borger=borger, status__in=AABNE_KLAGER)]


def _outbox_filer(rows) -> list[tuple[Storage, str]]:
    """The local Digital Post outbox's copies (in the shared storage, not in a FileField)."""
    return [(default_storage, navn) for pk in rows.get(Dokument, ()) for navn in outbox_navne(pk)]


BIDRAG = retention.Bidrag(navn="decisions", aktivitet=_aktivitet, aabent=_aabent, andre_filer=_outbox_filer)
