"""The appeal package (ankepakke): the case files Ankestyrelsen gets with an upheld complaint.

A ZIP whose entries come in this order, numbered so any unzip tool lists them in that order:

1. ``00_indeks.txt``: what the package is (municipality, case number, complaint), then every file
   with its date, title and SHA-256, and which file documents each fact of the begrundelse;
2. the complained decision's PDF, exactly as sent;
3. the complaint (date, channel, text);
4. each partshøring before the decision: the letter's PDF and the reply (or the exception, or
   that no reply came);
5. the rehabiliteringsteam's indstilling(er) before the decision, as text;
6. the source of each fact the decision gave weight to (``Faktum.kilde_type``/``kilde_id``):
   an attachment's metadata and file, a journal note as text, an earlier document's PDF;
7. the genvurdering and its begrundelse.

File names are a number and a kind (``03_klage.txt``), never a name or a CPR number. Text we
write masks anything that looks like a CPR number (``DDMMYY-****``); PDFs are included exactly as
sent (they carry the masked CPR only). Uploaded attachment files are included byte for byte as
evidence. Entries carry a fixed timestamp, so the same content gives the same SHA-256.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass

from django.utils import timezone

from cases.models import Journalnotat

from .models import Dokument, DokumentStatus, Klage

_CPR = re.compile(r"(?<!\d)(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])(\d{2})[- ]?\d{4}(?!\d)")
_ZIP_TID = (1980, 1, 1, 0, 0, 0)


def masker_cpr(tekst: str) -> str:
    """Replace anything that looks like a CPR number (with or without hyphen) by ``DDMMYY-****``."""
    return _CPR.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(3)}-****", tekst)


@dataclass
class Del:
    art: str  # the file name's kind: afgoerelse, klage, partshoering_brev, ...
    titel: str
    dato: dt.date | None
    data: bytes
    filtype: str = "txt"
    navn: str = ""  # set when numbered

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _dato(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localdate(value)
    return value


def _d(value) -> str:
    value = _dato(value)
    return value.strftime("%d.%m.%Y") if value else "(uden dato)"


def _tekst(*linjer: str) -> bytes:
    return masker_cpr("\n".join(linjer).rstrip() + "\n").encode("utf-8")


def _pdf(dokument: Dokument) -> bytes:
    """An issued document's stored PDF (rendered now if the background rendering has not run yet)."""
    if not dokument.pdf_sha256:
        from .services import dokument_render_pdf

        dokument = dokument_render_pdf(dokument.pk)
    with dokument.pdf.open("rb") as f:
        return f.read()


def _filtype(navn: str) -> str:
    ext = navn.rsplit(".", 1)[-1].lower() if "." in navn else ""
    return ext if ext.isalnum() and len(ext) <= 5 else "bin"


# --- the parts -------------------------------------------------------------------------------------
def _afgoerelse(a: Dokument) -> Del:
    return Del("afgoerelse", f"Den påklagede afgørelse: {a.titel}", _dato(a.udstedt), _pdf(a), "pdf")


def _klage(k: Klage) -> Del:
    return Del(
        "klage",
        "Klagen",
        k.modtaget_dato,
        _tekst(
            "Klage over afgørelse",
            "",
            f"Modtaget: {_d(k.modtaget_dato)}",
            f"Kanal: {k.get_kanal_display()}",
            f"Modtaget efter klagefristens udløb: {'ja' if k.for_sent else 'nej'}",
            "",
            "Klagens indhold:",
            k.klagens_indhold or "(Klagen er modtaget uden begrundelse; en klage kræver ingen begrundelse.)",
        ),
    )


def _partshoeringer(a: Dokument) -> list[Del]:
    from rehab.models import Partshoering, PartshoeringStatus

    dele: list[Del] = []
    qs = Partshoering.objects.filter(forloeb_id=a.forloeb_id).exclude(status=PartshoeringStatus.KLADDE)
    if a.udstedt:
        qs = qs.filter(oprettet__lte=a.udstedt)
    for ph in qs.select_related("brev").order_by("oprettet"):
        if ph.status == PartshoeringStatus.UNDTAGET:
            dele.append(
                Del(
                    "partshoering_undtagelse",
                    "Partshøring undladt",
                    _dato(ph.oprettet),
                    _tekst(
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
            dele.append(Del("partshoering_brev", "Partshøringsbrev", ph.sendt_dato, _pdf(ph.brev), "pdf"))
        if ph.status == PartshoeringStatus.BESVARET:
            dele.append(
                Del(
                    "partshoering_svar",
                    "Borgerens svar på partshøringen",
                    ph.svar_dato,
                    _tekst("Svar på partshøring", "", f"Modtaget: {_d(ph.svar_dato)}", "", ph.svar_tekst),
                )
            )
        else:
            dele.append(
                Del(
                    "partshoering_svar",
                    "Intet svar på partshøringen",
                    ph.svarfrist,
                    _tekst(
                        "Svar på partshøring",
                        "",
                        f"Der er ikke registreret svar. Svarfristen udløb {_d(ph.svarfrist)}.",
                    ),
                )
            )
    return dele


def _indstilling_tekst(ind) -> bytes:
    linjer = [
        "Rehabiliteringsteamets indstilling",
        "",
        f"Dato: {_d(ind.dato)}",
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
    return _tekst(*linjer)


def _indstillinger(a: Dokument) -> tuple[list[Del], dict[str, Del]]:
    from rehab.models import Indstilling

    qs = Indstilling.objects.filter(forloeb_id=a.forloeb_id)
    if a.udstedt:
        qs = qs.filter(oprettet__lte=a.udstedt)
    dele = {}
    for ind in qs.order_by("dato", "oprettet"):
        dele[str(ind.pk)] = Del(
            "indstilling", f"Rehabiliteringsteamets indstilling ({ind.udfald})", ind.dato, _indstilling_tekst(ind)
        )
    return list(dele.values()), dele


def _kilde(a: Dokument, kilde_type: str, kilde_id: str) -> list[Del]:
    """The source document of a fact, looked up within the decision's forløb only."""
    if kilde_type == "bilag":
        from rehab.models import Bilag

        b = Bilag.objects.filter(pk=kilde_id, forberedende_del__forloeb_id=a.forloeb_id).first()
        if b is None:
            return []
        dele = [
            Del(
                "bilag",
                f"{b.get_type_display()}: {b.titel}",
                b.dokument_dato,
                _tekst(
                    "Bilag (oplysninger)",
                    "",
                    f"Type: {b.get_type_display()}",
                    f"Titel: {b.titel}",
                    f"Dokumentets dato: {_d(b.dokument_dato)}",
                    f"Udsteder: {b.get_kilde_display() or '(ikke angivet)'}",
                    f"Registreret: {_d(b.oprettet)} af {b.oprettet_af}",
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
                dele.append(Del("bilag_fil", f"Fil: {b.titel}", b.dokument_dato, f.read(), _filtype(b.fil.name)))
        return dele
    if kilde_type == "journalnotat":
        n = Journalnotat.objects.filter(pk=kilde_id, forloeb_id=a.forloeb_id).first()
        if n is None:
            return []
        linjer = [
            f"Journalnotat: {n.overskrift}",
            "",
            f"Type: {n.get_type_display()}",
            f"Skrevet: {_d(n.oprettet)} af {n.forfatter_navn}",
            "",
            n.tekst,
        ]
        if n.naeste_skridt:
            linjer += ["", f"Næste skridt: {n.naeste_skridt} ({_d(n.naeste_skridt_dato)})"]
        return [Del("journalnotat", f"Journalnotat: {n.overskrift}", _dato(n.oprettet), _tekst(*linjer))]
    if kilde_type == "dokument":
        d = Dokument.objects.filter(pk=kilde_id, forloeb_id=a.forloeb_id).exclude(status=DokumentStatus.KLADDE).first()
        if d is None:
            return []
        return [Del("dokument", d.titel, _dato(d.udstedt), _pdf(d), "pdf")]
    return []


def _genvurdering(k: Klage) -> Del:
    return Del(
        "genvurdering",
        "Kommunens genvurdering",
        k.genvurderet_dato,
        _tekst(
            "Kommunens genvurdering af afgørelsen",
            "",
            f"Genvurderet: {_d(k.genvurderet_dato)}",
            "Resultat: Afgørelsen er fastholdt",
            "",
            "Begrundelse:",
            k.genvurdering_begrundelse,
        ),
    )


# --- the package -----------------------------------------------------------------------------------
def _indeks(k: Klage, dele: list[Del], fakta_linjer: list[str]) -> bytes:
    a = k.afgoerelse
    fl = a.forloeb
    jobcenter = fl.team.jobcenter
    linjer = [
        "Klagesag til Ankestyrelsen",
        "",
        f"Kommune: {a.kommune.navn}",
        f"Jobcenter: {jobcenter.navn}",
        f"Sagsnummer: {a.sagsnummer}",
        f"Borger: {fl.borger.navn}, CPR-nr. {fl.borger.cpr_maskeret}",
        f"Påklaget afgørelse: {a.titel} ({a.get_type_display()}), udstedt {_d(a.udstedt)}",
        f"Klage modtaget: {_d(k.modtaget_dato)} ({k.get_kanal_display().lower()})"
        + (" – modtaget efter klagefristens udløb" if k.for_sent else ""),
        f"Genvurderet: {_d(k.genvurderet_dato)}, afgørelsen er fastholdt",
        f"Sendt til Ankestyrelsen: {_d(k.sendt_til_ankestyrelsen)}",
        "",
        "Indhold (i denne rækkefølge):",
        f"  {'00_indeks.txt':<32} {'':<12} Denne oversigt",
    ]
    for d in dele:
        linjer.append(f"  {d.navn:<32} {_d(d.dato):<12} {d.titel}")
    if fakta_linjer:
        linjer += ["", "Oplysninger, afgørelsen har lagt vægt på, og hvor de er dokumenteret:", *fakta_linjer]
    # The checksums are added after masking: a hex digest can hold ten digits that look like a CPR
    # number (``...a0604183784f...``), and masking them would make the index lie about its files.
    kontrolsummer = ["", "SHA-256 for hver fil:"] + [f"  {d.navn}  {d.sha256}" for d in dele]
    return _tekst(*linjer) + "".join(f"{linje}\n" for linje in kontrolsummer).encode("ascii")


def dele(k: Klage) -> tuple[list[Del], list[str]]:
    """The package's files after the index, in order, and the index's lines on the facts."""
    a = Dokument.objects.select_related("forloeb__borger", "forloeb__team__jobcenter", "kommune").get(
        pk=k.afgoerelse_id
    )
    k.afgoerelse = a
    ud: list[Del] = [_afgoerelse(a), _klage(k), *_partshoeringer(a)]
    indstillinger, efter_id = _indstillinger(a)
    ud += indstillinger
    set_kilder: dict[tuple[str, str], list[Del]] = {("indstilling", i): [d] for i, d in efter_id.items()}
    fakta = list(a.fakta.all())
    for f in fakta:
        key = (f.kilde_type, str(f.kilde_id))
        if key not in set_kilder:
            set_kilder[key] = _kilde(a, f.kilde_type, str(f.kilde_id))
            ud += set_kilder[key]
    ud.append(_genvurdering(k))
    for i, d in enumerate(ud, start=1):
        d.navn = f"{i:02d}_{d.art}.{d.filtype}"
    fakta_linjer = []
    for f in fakta:
        filer = set_kilder.get((f.kilde_type, str(f.kilde_id))) or []
        hvor = ", ".join(d.navn for d in filer) or "kilden findes ikke længere i sagen"
        fakta_linjer.append(f"  - {f.tekst} (kilde: {f.kilde_titel}) → {hvor}")
    return ud, fakta_linjer


def byg(k: Klage) -> bytes:
    """The ZIP bytes of the package for the complaint ``k`` (upheld; ``sendt_til_ankestyrelsen`` set)."""
    filer, fakta_linjer = dele(k)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for navn, data in [("00_indeks.txt", _indeks(k, filer, fakta_linjer))] + [(d.navn, d.data) for d in filer]:
            info = zipfile.ZipInfo(navn, date_time=_ZIP_TID)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buf.getvalue()


__all__ = ["Del", "byg", "dele", "masker_cpr"]
