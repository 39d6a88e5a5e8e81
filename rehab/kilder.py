"""What rehab adds to decisions: its bilag and indstillinger as sources a fact may cite, and the
partshøringer and indstillinger every appeal package holds (registered in ``RehabConfig.ready``)."""

from __future__ import annotations

from decisions import ankepakke, kilder
from decisions import ankepakke_dele as ap
from decisions.models import DokumentStatus

from .models import Bilag, Indstilling, Partshoering, PartshoeringStatus


def _bilag_titel(b: Bilag) -> str:
    return f"{b.get_type_display()}: {b.titel} ({b.dokument_dato:%d.%m.%Y})"


def _indstilling_titel(i: Indstilling) -> str:
    return f"Rehabiliteringsteamets indstilling {i.dato:%d.%m.%Y}"


def _bilag_i_pakke(forloeb_id, pk) -> list[ap.Del]:
    b = Bilag.objects.filter(pk=pk, forberedende_del__forloeb_id=forloeb_id).first()
    if b is None:
        return []
    dele = [
        ap.Del(
            "bilag",
            f"{b.get_type_display()}: {b.titel}",
            b.dokument_dato,
            ap.tekst(
                "Bilag (oplysninger)",
                "",
                f"Type: {b.get_type_display()}",
                f"Titel: {b.titel}",
                f"Dokumentets dato: {ap.d(b.dokument_dato)}",
                f"Udsteder: {b.get_kilde_display() or '(ikke angivet)'}",
                f"Registreret: {ap.d(b.oprettet)} af {b.oprettet_af}",
                "",
                "Resumé:",
                b.resume or "(intet resumé)",
                "",
                "Filen følger som næste bilag." if b.fil else "Der er ikke vedhæftet en fil.",
            ),
        )
    ]
    if b.fil:
        with b.fil.open("rb") as f:
            dele.append(ap.Del("bilag_fil", f"Fil: {b.titel}", b.dokument_dato, f.read(), ap.filtype(b.fil.name or "")))
    return dele


def _partshoeringer(a) -> list[ap.Del]:
    dele: list[ap.Del] = []
    qs = Partshoering.objects.filter(forloeb_id=a.forloeb_id).exclude(status=PartshoeringStatus.KLADDE)
    if a.udstedt:
        qs = qs.filter(oprettet__lte=a.udstedt)
    for ph in qs.select_related("brev").order_by("oprettet"):
        if ph.status == PartshoeringStatus.UNDTAGET:
            dele.append(
                ap.Del(
                    "partshoering_undtagelse",
                    "Partshøring undladt",
                    ap.dato(ph.oprettet),
                    ap.tekst(
                        "Partshøring undladt",
                        "",
                        f"Hjemmel: {ph.get_undtagelse_display()}",
                        "",
                        "Begrundelse:",
                        ph.undtagelse_begrundelse,
                    ),
                )
            )
            continue
        if ph.brev and ph.brev.status != DokumentStatus.KLADDE:
            dele.append(ap.Del("partshoering_brev", "Partshøringsbrev", ph.sendt_dato, ap.pdf(ph.brev), "pdf"))
        if ph.status == PartshoeringStatus.BESVARET:
            dele.append(
                ap.Del(
                    "partshoering_svar",
                    "Borgerens svar på partshøringen",
                    ph.svar_dato,
                    ap.tekst("Svar på partshøring", "", f"Modtaget: {ap.d(ph.svar_dato)}", "", ph.svar_tekst),
                )
            )
        else:
            dele.append(
                ap.Del(
                    "partshoering_svar",
                    "Intet svar på partshøringen",
                    ph.svarfrist,
                    ap.tekst(
                        "Svar på partshøring",
                        "",
                        f"Der er ikke registreret svar. Svarfristen udløb {ap.d(ph.svarfrist)}.",
                    ),
                )
            )
    return dele


def _indstilling_tekst(ind) -> bytes:
    linjer = [
        "Rehabiliteringsteamets indstilling",
        "",
        f"Dato: {ap.d(ind.dato)}",
        f"Udfald: {ind.udfald}",
        f"Skrevet af (mødeleder): {ind.skrevet_af}",
    ]
    spring = {"id", "forloeb", "booking", "udfald", "dato", "skrevet_af", "oprettet"}
    for field in ind._meta.concrete_fields:
        if field.name in spring:
            continue
        value = getattr(ind, field.attname)
        if value in ("", None, False):
            continue
        label = str(field.verbose_name)
        linjer += ["", f"{label[:1].upper()}{label[1:]}:", "ja" if value is True else str(value)]
    return ap.tekst(*linjer)


def _indstillinger(a) -> tuple[list[ap.Del], dict[str, ap.Del]]:
    qs = Indstilling.objects.filter(forloeb_id=a.forloeb_id)
    if a.udstedt:
        qs = qs.filter(oprettet__lte=a.udstedt)
    dele = {}
    for ind in qs.order_by("dato", "oprettet"):
        dele[str(ind.pk)] = ap.Del(
            "indstilling", f"Rehabiliteringsteamets indstilling ({ind.udfald})", ind.dato, _indstilling_tekst(ind)
        )
    return list(dele.values()), dele


def _faste_dele(a) -> tuple[list[ap.Del], dict[tuple[str, str], list[ap.Del]]]:
    indstillinger, efter_id = _indstillinger(a)
    return [*_partshoeringer(a), *indstillinger], {("indstilling", i): [d] for i, d in efter_id.items()}


BILAG = kilder.Kildetype(
    type="bilag",
    gruppe="Bilag i forberedende del",
    orden=20,
    valg=lambda fl, undtagen: [
        (b.pk, _bilag_titel(b))
        for b in Bilag.objects.filter(forberedende_del__forloeb=fl).order_by("-dokument_dato", "titel")
    ],
    titel=lambda fl, pk: next(
        (_bilag_titel(b) for b in Bilag.objects.filter(pk=pk, forberedende_del__forloeb=fl)), None
    ),
    ankepakke=_bilag_i_pakke,
)
INDSTILLING = kilder.Kildetype(
    type="indstilling",
    gruppe="Rehabiliteringsteamet",
    orden=10,
    valg=lambda fl, undtagen: [
        (i.pk, _indstilling_titel(i)) for i in Indstilling.objects.filter(forloeb=fl).order_by("-dato", "-oprettet")
    ],
    titel=lambda fl, pk: next((_indstilling_titel(i) for i in Indstilling.objects.filter(pk=pk, forloeb=fl)), None),
)


def registrer() -> None:
    kilder.registrer(BILAG)
    kilder.registrer(INDSTILLING)
    ankepakke.registrer_faste_dele(_faste_dele)
