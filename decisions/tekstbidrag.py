"""What the editor adds to a draft at the caseworker's request, never replacing what is written
(issue 15): the facts listed in the partshøring and the indstilling (appended, each once), and the
jurist's standard phrases (``decisions.standardtekster``) appended to a section."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from infra import audit

from . import standardtekster
from .kilder import MAKS_FAKTA, faktaforslag
from .models import Dokument, Faktum, Standardtekst
from .services import DOKUMENT_AENDRET, ForaeldetVersion, _adgang, _fakta_raekker, sikr_kladde


def _noegle(tekst: str, kilde_type: str, kilde_id) -> tuple[str, str, str]:
    return (tekst.strip(), kilde_type or "", str(kilde_id or ""))


def dokument_hent_fakta(*, actor, dokument: Dokument, expected_version: int | None = None) -> int:
    """Append to the draft's facts those listed in the partshøring and the indstilling that it does
    not already hold (same text and source). Returns how many were added; what is there stays."""
    _adgang(actor, dokument.forloeb)
    with transaction.atomic():
        d = Dokument.objects.select_for_update().select_related("forloeb").get(pk=dokument.pk)
        sikr_kladde(d)
        if expected_version is not None and d.version != expected_version:
            raise ForaeldetVersion(DOKUMENT_AENDRET)
        eksisterende = list(d.fakta.all())
        kendte = {_noegle(f.tekst, f.kilde_type, f.kilde_id) for f in eksisterende}
        nye = [f for f in faktaforslag(d.forloeb) if _noegle(f["tekst"], f["kilde_type"], f["kilde_id"]) not in kendte][
            : max(0, MAKS_FAKTA - len(eksisterende))
        ]
        if not nye:
            return 0
        rows, fejl = _fakta_raekker(d, nye)
        if fejl:  # a source that no longer exists is left out, never half-written
            rows = [r for i, r in enumerate(rows) if not any(k.startswith(f"fakta.{i}.") for k in fejl)]
        start = max((f.raekkefoelge for f in eksisterende), default=-1) + 1
        for i, r in enumerate(rows):
            r.raekkefoelge = start + i
        Faktum.objects.bulk_create(rows)
        d.version += 1
        d.save(update_fields=["version", "opdateret"])
        audit.record(
            actor=actor,
            handling="dokument.hent_fakta",
            subject=d,
            borger_id=d.forloeb.borger_id,
            kommune_id=d.kommune_id,
            efter={"antal": len(rows)},
        )
    return len(rows)


def dokument_indsaet_standardtekst(
    *, actor, dokument: Dokument, standardtekst_id, expected_version: int | None = None
) -> Standardtekst:
    """Append the chosen standard phrase to its section of the draft (after what is written, with a
    blank line between). Only an active phrase of the draft's municipality and type is offered."""
    _adgang(actor, dokument.forloeb)
    try:
        pk = int(standardtekst_id)
    except (TypeError, ValueError):
        pk = None
    s = next((s for s in standardtekster.tilbudte(dokument) if s.pk == pk), None)
    if s is None:
        raise ValidationError({"standardtekst": "Vælg en af standardteksterne til denne type."})
    with transaction.atomic():
        d = Dokument.objects.select_for_update().select_related("forloeb").get(pk=dokument.pk)
        sikr_kladde(d)
        if expected_version is not None and d.version != expected_version:
            raise ForaeldetVersion(DOKUMENT_AENDRET)
        skrevet = (getattr(d, s.afsnit) or "").rstrip()
        setattr(d, s.afsnit, f"{skrevet}\n\n{s.tekst}" if skrevet else s.tekst)
        d.version += 1
        d.save(update_fields=[s.afsnit, "version", "opdateret"])
        audit.record(
            actor=actor,
            handling="dokument.indsaet_standardtekst",
            subject=d,
            borger_id=d.forloeb.borger_id,
            kommune_id=d.kommune_id,
            efter={"standardtekst": s.pk, "titel": s.titel, "afsnit": s.afsnit},
        )
    return s
