"""Where apps above decisions hook into a document's life (filled in their ``AppConfig.ready``):
what issuing a document of a type sets going, and what discarding a draft of a type takes with it.
Sending has its own registry beside the send (``services.efter_afsendelse``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from cases import frister

from .models import DokumentType

#: The event issuing a decision records when the decision performs no transition (which emits its own):
#: the servicemål is met by a refusal too, and the 4½-year status closes its deadline.
HAENDELSE_VED_UDSTEDELSE: dict[str, str] = {
    DokumentType.FLEKSJOB_AFSLAG: "afgoerelse_fleksjob_afslag",
    DokumentType.RESSOURCEFORLOEB_AFSLAG: "afgoerelse_ressourceforloeb_afslag",
    DokumentType.FLEKSJOB_STATUS: "fleksjob_status_afgoerelse",
}

#: Apps act when a document of a type is issued, in the issuing transaction (flexjob: the visitation
#: decision becomes the visitation record). Each hook is ``fn(dokument, actor, idag)``.
EFTER_UDSTEDELSE: dict[str, list[Callable]] = {}

#: Apps whose own flow drafts a type remove their record of a discarded draft first (flexjob: the
#: draft arbejdsevnevurdering). Each hook is ``fn(dokument, actor)``, run in the transaction.
FOER_KASSERING: dict[str, list[Callable]] = {}


def _registrer(register: dict[str, list[Callable]], dokument_type: str):
    def tilfoej(fn):
        liste = register.setdefault(dokument_type, [])
        if fn not in liste:
            liste.append(fn)
        return fn

    return tilfoej


def efter_udstedelse(dokument_type: str):
    return _registrer(EFTER_UDSTEDELSE, dokument_type)


def foer_kassering(dokument_type: str):
    return _registrer(FOER_KASSERING, dokument_type)


def udstedt(dokument, actor, idag: dt.date) -> None:
    """In the issuing transaction: the event of a decision without a transition of its own, then the
    apps' hooks for the type."""
    if kode := HAENDELSE_VED_UDSTEDELSE.get(dokument.type):
        frister.registrer_haendelse(
            forloeb=dokument.forloeb, kode=kode, dato=idag, data={"dokument": str(dokument.pk)},
            actor_navn=dokument.udstedt_af,
        )  # fmt: skip
    for hook in EFTER_UDSTEDELSE.get(dokument.type, []):
        hook(dokument, actor, idag)
