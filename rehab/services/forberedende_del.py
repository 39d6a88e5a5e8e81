"""Use cases of the forberedende del and its bilag.

There is one way to save the del, for the UI and the API alike: :func:`forberedende_del_opdater`
(the UI's first save creates the del in the same transaction). Only the forløb's current del
changes; an older one is what the rehabiliteringsteam saw at an earlier presentation.
"""

from __future__ import annotations

import datetime as dt
import os

from django.core.exceptions import ValidationError
from django.db import transaction

from cases.models import Forloeb
from infra import audit, filindhold
from infra.fejl import ForaeldetVersion

from .. import rules
from ..models import SEKTIONER, TJEKLISTE, Bilag, BilagType, ForberedendeDel, SundhedsKilde, TjekSvar
from .faelles import adgang, ikke_fremtid, laas_forloeb

DEL_FELTER = [
    *[n for n, _ in SEKTIONER],
    *[n for n, _ in TJEKLISTE],
    "skrevet_med_borger_dato",
    "borgerens_bemaerkninger",
    "egen_ansoegning_eksisterende_dokumentation",
    "laegeattest_undladt_begrundelse",
    "udeladte_sektioner",
]

STALE = "Den forberedende del er ændret af en anden. Genindlæs og prøv igen."
AFLOEST = (
    "Der er startet en ny forberedende del til en ny forelæggelse; den tidligere er den, teamet så. "
    "Genindlæs og ret i den nyeste."
)


def _ny(actor, forloeb: Forloeb) -> ForberedendeDel:
    """Create the forløb's next del (inside the caller's transaction, with the forløb locked)."""
    forrige = rules.aktuel_del(forloeb)
    fd = ForberedendeDel(forloeb=forloeb)
    if forrige is not None:
        for navn, _ in SEKTIONER:
            setattr(fd, navn, getattr(forrige, navn))
    fd.save()
    audit.record(
        actor=actor,
        handling="forberedende_del.opret",
        subject=fd,
        borger_id=forloeb.borger_id,
        kommune_id=forloeb.kommune_id,
    )
    return fd


def forberedende_del_opret(*, actor, forloeb: Forloeb) -> ForberedendeDel:
    """Start a forberedende del; a new presentation starts from the previous one's text."""
    adgang(actor, forloeb)
    with transaction.atomic():
        laas_forloeb(forloeb.pk)
        return _ny(actor, forloeb)


def _felt_fejl(felter: dict) -> dict[str, str]:
    fejl = {f: "Ukendt felt." for f in sorted(set(felter) - set(DEL_FELTER))}
    ikke_fremtid("skrevet_med_borger_dato", felter.get("skrevet_med_borger_dato"), fejl)
    for navn, _ in TJEKLISTE:
        if navn in felter and felter[navn] not in ("", *TjekSvar.values):
            fejl[navn] = "Svar ja, nej eller uafklaret."
    if "udeladte_sektioner" in felter:
        udeladt = felter["udeladte_sektioner"]
        sektioner = {n for n, _ in SEKTIONER}
        if not isinstance(udeladt, dict) or not all(isinstance(v, str) for v in udeladt.values()):
            fejl["udeladte_sektioner"] = "Angiv udeladte afsnit som {afsnit: begrundelse}."
        elif ukendte := sorted(set(udeladt) - sektioner):
            fejl["udeladte_sektioner"] = f"Ukendte afsnit: {', '.join(ukendte)}."
        else:
            felter["udeladte_sektioner"] = {k: v.strip() for k, v in udeladt.items() if v.strip()}
    return fejl


def forberedende_del_opdater(
    *,
    actor,
    forberedende_del: ForberedendeDel | None = None,
    forloeb: Forloeb | None = None,
    expected_version: int | None = None,
    **felter,
) -> ForberedendeDel:
    """Save the forberedende del (the one way, for the UI and the API).

    ``forberedende_del`` is the del the caller edited; it must still be the forløb's current one.
    Without it, ``forloeb`` names the forløb whose first del this save creates (both in one
    transaction; refused if a del was started meanwhile). ``expected_version`` (the version the
    caller saw) is checked under the lock. A stale save raises ``ForaeldetVersion``.
    """
    fl = forberedende_del.forloeb if forberedende_del is not None else forloeb
    if fl is None:
        raise TypeError("forberedende_del_opdater needs forberedende_del or forloeb")
    adgang(actor, fl)
    fejl = _felt_fejl(felter)
    if fejl:
        raise ValidationError(fejl)
    with transaction.atomic():
        # The forløb's lock serialises a first save against another first save or a new del.
        laas_forloeb(fl.pk)
        aktuel = rules.aktuel_del(fl)
        if forberedende_del is None:
            if aktuel is not None:
                raise ForaeldetVersion(STALE)
            fd = _ny(actor, fl)
        else:
            if aktuel is None or aktuel.pk != forberedende_del.pk:
                raise ForaeldetVersion(AFLOEST)
            fd = ForberedendeDel.objects.select_for_update().get(pk=forberedende_del.pk)
            if expected_version is not None and fd.version != expected_version:
                raise ForaeldetVersion(STALE)
        foer = audit.snapshot(fd, list(felter))
        for k, v in felter.items():
            setattr(fd, k, v.strip() if isinstance(v, str) else v)
        fd.version += 1
        fd.save()
        # Health information is special-category data: the audit row names the fields, not their text.
        audit.record(
            actor=actor,
            handling="forberedende_del.opdater",
            subject=fd,
            borger_id=fl.borger_id,
            kommune_id=fl.kommune_id,
            efter={"felter": sorted(k for k in felter if foer.get(k) != getattr(fd, k))},
        )
    return fd


def bilag_tilfoej(
    *,
    actor,
    forberedende_del: ForberedendeDel | None = None,
    forloeb: Forloeb | None = None,
    type: str,
    titel: str,
    dokument_dato: dt.date,
    kilde: str = "",
    resume: str = "",
    fil=None,
) -> Bilag:
    """Add a bilag to ``forberedende_del``, or (``forloeb`` given) to the forløb's current del,
    which is started in the same transaction when there is none yet."""
    fl = forberedende_del.forloeb if forberedende_del is not None else forloeb
    if fl is None:
        raise TypeError("bilag_tilfoej needs forberedende_del or forloeb")
    adgang(actor, fl)
    fejl: dict[str, str] = {}
    if type not in BilagType.values:
        fejl["type"] = "Vælg bilagstype."
    if not (titel or "").strip():
        fejl["titel"] = "Giv bilaget en titel."
    if dokument_dato is None:
        fejl["dokument_dato"] = "Angiv dokumentets dato."
    ikke_fremtid("dokument_dato", dokument_dato, fejl)
    if kilde and kilde not in SundhedsKilde.values:
        fejl["kilde"] = "Ukendt udsteder."
    if fil and (fil_fejl := filindhold.fil_fejl(fil)):
        fejl["fil"] = fil_fejl
    if fejl:
        raise ValidationError(fejl)
    with transaction.atomic():
        if forberedende_del is None:
            laas_forloeb(fl.pk)
            forberedende_del = rules.aktuel_del(fl) or _ny(actor, fl)
        b = Bilag(
            forberedende_del=forberedende_del,
            type=type,
            titel=titel.strip(),
            dokument_dato=dokument_dato,
            kilde=kilde,
            resume=resume.strip(),
            oprettet_af=audit.actor_navn(actor),
        )
        if fil:
            # Stored under the attachment's id: an uploaded file name may hold a name or a CPR.
            fil.name = f"{b.pk}{os.path.splitext(fil.name or '')[1].lower()}"
            b.fil = fil
        b.save(force_insert=True)
        audit.record(
            actor=actor,
            handling="bilag.tilfoej",
            subject=b,
            borger_id=fl.borger_id,
            kommune_id=fl.kommune_id,
            efter={"type": type, "titel": b.titel},
        )
    return b
