"""Use cases of the partshøring (forvaltningsloven § 19): the letter listing what the decision will
rest on, sending it (which starts the reply deadline), the citizen's reply, or a recorded exception.

The letter is a ``decisions`` document. Its PDF is rendered by the decisions app's Celery task after
the letter is issued, never in a request; :func:`partshoering_send` therefore issues the letter and
orders it sent with the chosen channel, and the letter goes out when its PDF is stored. The reply
deadline starts from the day it actually goes out (``_partshoering_sendt``, run by the send itself).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from cases import frister
from cases.models import Forloeb, Journalnotat, NotatType
from decisions.bestilling import dokument_afsend_bestil
from decisions.kilder import kilde_titel
from decisions.models import Dokument, DokumentType
from decisions.services import dokument_opret, dokument_udsted, efter_afsendelse
from infra import audit, datoer

from ..models import Partshoering, PartshoeringStatus, Undtagelse
from .faelles import adgang, ikke_fremtid


def partshoering_opret(*, actor, forloeb: Forloeb, grundlag: list[dict], tekst: str = "") -> Partshoering:
    """Draft a partshøring letter listing what the decision will rest on. Sending it (through the
    decisions app) starts the reply deadline."""

    adgang(actor, forloeb)
    fejl: dict[str, str] = {}
    if not grundlag:
        fejl["grundlag"] = "Angiv de oplysninger og vurderinger, afgørelsen vil bygge på."
    rens = []
    for i, g in enumerate(grundlag):
        titel = kilde_titel(forloeb, g.get("kilde_type"), g.get("kilde_id"))
        if not str(g.get("tekst") or "").strip():
            fejl[f"grundlag.{i}.tekst"] = "Beskriv oplysningen."
        if titel is None:
            fejl[f"grundlag.{i}.kilde_id"] = "Kilden skal være et dokument i denne sag."
        rens.append(
            {
                "tekst": str(g.get("tekst") or "").strip(),
                "kilde_type": g.get("kilde_type"),
                "kilde_id": str(g.get("kilde_id")),
                "kilde_titel": titel,
            }
        )
    if fejl:
        raise ValidationError(fejl)
    indstilling = forloeb.indstillinger.order_by("-dato", "-oprettet").first()
    punkter = "\n".join(f"- {g['tekst']} (kilde: {g['kilde_titel']})" for g in rens)
    with transaction.atomic():
        brev = dokument_opret(
            actor=actor,
            forloeb=forloeb,
            type=DokumentType.PARTSHOERING,
            egen_flow=True,
            titel="Partshøring",
            tekst=(
                tekst.strip()
                or "Inden vi træffer afgørelse i din sag, vil vi give dig mulighed for at "
                "kommentere de oplysninger, vi vil lægge vægt på:"
            )
            + "\n\n"
            + punkter
            + "\n\nSvarfristen fremgår nedenfor. Du kan svare skriftligt eller ringe til din sagsbehandler.",
        )
        ph = Partshoering.objects.create(
            forloeb=forloeb, indstilling=indstilling, status=PartshoeringStatus.KLADDE, grundlag=rens, brev=brev
        )
        audit.record(
            actor=actor,
            handling="partshoering.opret",
            subject=ph,
            borger_id=forloeb.borger_id,
            kommune_id=forloeb.kommune_id,
            efter={"antal_punkter": len(rens)},
        )
    return ph


@efter_afsendelse(DokumentType.PARTSHOERING)
def _partshoering_sendt(dokument, forsendelse) -> None:
    ph = Partshoering.objects.select_for_update().filter(brev=dokument).first()
    if ph is None:
        return
    effekter = frister.registrer_haendelse(
        forloeb=dokument.forloeb,
        kode="partshoering_sendt",
        dato=forsendelse.afsendt_dato,
        actor_navn=forsendelse.afsendt_af,
    )
    svarfrist = next((f.gaeldende_forfald for f in effekter.oprettet if f.art == "partshoering_svar"), None)
    ph.status, ph.sendt_dato, ph.svarfrist = PartshoeringStatus.SENDT, forsendelse.afsendt_dato, svarfrist
    ph.save(update_fields=["status", "sendt_dato", "svarfrist"])


def partshoering_send(*, actor, partshoering: Partshoering, kanal: str) -> Partshoering:
    """Issue the partshøring letter and send it with ``kanal``: at once when its PDF is stored,
    otherwise the order is recorded and the letter goes out as soon as the rendering task has
    stored the PDF (``decisions.services.dokument_afsend_bestil``). All or nothing: a letter the
    lint refuses, or a channel the citizen cannot receive on, issues and orders nothing.

    The reply deadline starts when the letter is sent, not when it is issued or ordered."""
    adgang(actor, partshoering.forloeb)
    if not kanal:
        raise ValidationError({"kanal": "Vælg hvordan brevet sendes."})
    with transaction.atomic():
        # The letter first, then the partshøring: the order in which sending the letter locks them.
        if partshoering.brev_id:
            list(Dokument.objects.select_for_update().filter(pk=partshoering.brev_id).values_list("pk", flat=True))
        ph = (
            Partshoering.objects.select_for_update(of=("self",))
            .select_related("brev", "forloeb")
            .get(pk=partshoering.pk)
        )
        if ph.status != PartshoeringStatus.KLADDE or ph.brev is None:
            raise ValidationError({"status": "Partshøringsbrevet er allerede sendt, eller partshøringen er undladt."})
        brev = dokument_udsted(actor=actor, dokument=ph.brev)
        forsendelse = dokument_afsend_bestil(actor=actor, dokument=brev, kanal=kanal)
        audit.record(
            actor=actor,
            handling="partshoering.send",
            subject=ph,
            borger_id=ph.forloeb.borger_id,
            kommune_id=ph.forloeb.kommune_id,
            efter={"kanal": kanal, "sendt_nu": forsendelse is not None},
        )
        ph.refresh_from_db()
    return ph


def partshoering_svar(*, actor, partshoering: Partshoering, dato: dt.date, tekst: str) -> Partshoering:
    """Register the citizen's reply (written or oral)."""
    adgang(actor, partshoering.forloeb)
    fejl: dict[str, str] = {}
    if not (tekst or "").strip():
        fejl["tekst"] = "Gengiv borgerens bemærkninger."
    ikke_fremtid("dato", dato, fejl)
    if fejl:
        raise ValidationError(fejl)
    with transaction.atomic():
        ph = Partshoering.objects.select_for_update().get(pk=partshoering.pk)
        if ph.status != PartshoeringStatus.SENDT:
            raise ValidationError({"status": "Der kan kun registreres svar på en sendt partshøring."})
        if ph.sendt_dato is not None and dato < ph.sendt_dato:
            raise ValidationError({"dato": "Svaret kan ikke være modtaget før partshøringen blev sendt."})
        ph.status, ph.svar_dato, ph.svar_tekst = PartshoeringStatus.BESVARET, dato, tekst.strip()
        ph.save(update_fields=["status", "svar_dato", "svar_tekst"])
        frister.registrer_haendelse(
            forloeb=ph.forloeb, kode="partshoering_besvaret", dato=dato, actor_navn=audit.actor_navn(actor)
        )
        audit.record(
            actor=actor,
            handling="partshoering.svar",
            subject=ph,
            borger_id=ph.forloeb.borger_id,
            kommune_id=ph.forloeb.kommune_id,
            efter={"dato": dato},
        )
    return ph


def partshoering_undtag(*, actor, forloeb: Forloeb, undtagelse: str, begrundelse: str) -> Partshoering:
    """Record that partshøring is omitted under forvaltningsloven § 19, stk. 2 (or § 20), with the reason."""
    adgang(actor, forloeb)
    fejl = {}
    if undtagelse not in Undtagelse.values:
        fejl["undtagelse"] = "Vælg hjemlen for undtagelsen."
    if not (begrundelse or "").strip():
        fejl["begrundelse"] = "Begrund konkret, hvorfor partshøring undlades."
    if fejl:
        raise ValidationError(fejl)
    idag = datoer.idag()
    with transaction.atomic():
        ph = Partshoering.objects.create(
            forloeb=forloeb,
            indstilling=forloeb.indstillinger.order_by("-dato").first(),
            status=PartshoeringStatus.UNDTAGET,
            undtagelse=undtagelse,
            undtagelse_begrundelse=begrundelse.strip(),
        )
        Journalnotat.objects.create(
            forloeb=forloeb,
            type=NotatType.NOTAT,
            overskrift="Partshøring undladt",
            tekst=f"{Undtagelse(undtagelse).label}\n\n{begrundelse.strip()}",
            forfatter=actor if hasattr(actor, "rolle") and not getattr(actor, "er_api_klient", False) else None,
            forfatter_navn=audit.actor_navn(actor),
        )
        frister.registrer_haendelse(
            forloeb=forloeb,
            kode="partshoering_undtagelse",
            dato=idag,
            data={"undtagelse": undtagelse},
            actor_navn=audit.actor_navn(actor),
        )
        audit.record(
            actor=actor,
            handling="partshoering.undtag",
            subject=ph,
            borger_id=forloeb.borger_id,
            kommune_id=forloeb.kommune_id,
            efter={"undtagelse": undtagelse},
            begrundelse=begrundelse.strip(),
        )
    return ph
