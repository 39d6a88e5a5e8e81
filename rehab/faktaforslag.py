"""The facts a new decision draft starts with (issue 15): what the partshøring sent for the decision
listed, and the indstilling's structured content, each naming where it comes from and its date.
Registered with ``decisions.kilder.registrer_faktaforslag`` in ``RehabConfig.ready``.

Only what belongs to the decision being prepared counts: a partshøring or indstilling from before
the forløb's last issued decision was the basis of that decision, not of the next one.
"""

from __future__ import annotations

from django.db.models import Max

from decisions.models import AFGOERELSESTYPER, Dokument, DokumentStatus
from infra import datoer

from .models import KOMPENSERENDE, Indstilling, Partshoering, PartshoeringStatus


def _dato(d) -> str:
    """``3. marts 2027``: how the caseworker reads a date in a sentence."""
    return f"{d.day}. {datoer.MAANEDER[d.month - 1]} {d.year}"


def _siden_sidste_afgoerelse(forloeb):
    """When the forløb's last decision was issued (None: none yet)."""
    return (
        Dokument.objects.filter(forloeb=forloeb, type__in=AFGOERELSESTYPER)
        .exclude(status=DokumentStatus.KLADDE)
        .aggregate(m=Max("udstedt"))["m"]
    )


def _indstilling_punkter(ind: Indstilling) -> list[str]:
    """The indstilling's structured content as readable Danish sentences (empty fields left out)."""
    punkter = []
    if ind.jobmaal.strip():
        punkter.append(f"Beskæftigelsesmål: {ind.jobmaal.strip()}")
    if ind.arbejdsevne_omfang.strip():
        punkter.append(f"Omfanget af den nedsatte arbejdsevne: {ind.arbejdsevne_omfang.strip()}")
    timer = []
    if ind.vurderet_timer is not None:
        timer.append(f"{str(ind.vurderet_timer.normalize()).replace('.', ',')} timer pr. uge")
    if ind.vurderet_intensitet is not None:
        timer.append(f"arbejdsintensitet {ind.vurderet_intensitet} %")
    if timer:
        punkter.append(f"Teamets vurdering af arbejdsevnen: {' og '.join(timer)}")
    komp = [
        f"{navn.lower()} ({getattr(ind, f'get_{felt}_display')().lower()})"
        for felt, navn in KOMPENSERENDE
        if getattr(ind, felt)
    ]
    if komp or ind.kompenserende_bemaerkninger.strip():
        tekst = "; ".join(komp)
        if ind.kompenserende_bemaerkninger.strip():
            tekst = f"{tekst}. {ind.kompenserende_bemaerkninger.strip()}" if tekst else ind.kompenserende_bemaerkninger
        punkter.append(f"Kompenserende ordninger: {tekst.strip()}")
    if ind.progression_mulig or ind.udviklingsperspektiv.strip():
        dele = [ind.get_progression_mulig_display()] if ind.progression_mulig else []
        if ind.udviklingsperspektiv.strip():
            dele.append(ind.udviklingsperspektiv.strip())
        punkter.append(f"Progression: {'. '.join(dele)}")
    if ind.faglig_begrundelse.strip():
        punkter.append(f"Faglig begrundelse: {ind.faglig_begrundelse.strip()}")
    if ind.maal.strip():
        punkter.append(f"Mål: {ind.maal.strip()}")
    return punkter


def forslag(forloeb) -> list[dict]:
    """The partshøring's points and the indstilling's content for the decision being prepared."""
    siden = _siden_sidste_afgoerelse(forloeb)
    ph_qs = Partshoering.objects.filter(
        forloeb=forloeb, status__in=[PartshoeringStatus.SENDT, PartshoeringStatus.BESVARET]
    )
    ind_qs = Indstilling.objects.filter(forloeb=forloeb).exclude(udfald="udsaettelse")
    if siden is not None:
        ph_qs, ind_qs = ph_qs.filter(oprettet__gt=siden), ind_qs.filter(oprettet__gt=siden)
    ud: list[dict] = []
    ph = ph_qs.select_related("indstilling").order_by("-sendt_dato", "-oprettet").first()
    if ph is not None:
        fra = f"Fra partshøringen sendt {_dato(ph.sendt_dato)}" if ph.sendt_dato else "Fra partshøringen"
        for g in ph.grundlag:
            if str(g.get("tekst") or "").strip() and g.get("kilde_type") and g.get("kilde_id"):
                ud.append(
                    {"tekst": f"{fra}: {g['tekst'].strip()}", "kilde_type": g["kilde_type"], "kilde_id": g["kilde_id"]}
                )
    ind = ph.indstilling if ph is not None and ph.indstilling_id else ind_qs.order_by("-dato", "-oprettet").first()
    if ind is not None:
        fra = f"Fra rehabiliteringsteamets indstilling {_dato(ind.dato)}"
        ud.extend(
            {"tekst": f"{fra}: {p}", "kilde_type": "indstilling", "kilde_id": str(ind.pk)}
            for p in _indstilling_punkter(ind)
        )
    return ud
