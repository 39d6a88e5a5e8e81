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

import io
import zipfile

from . import kilder
from .ankepakke_dele import Del, masker_cpr
from .ankepakke_dele import d as _d
from .ankepakke_dele import dato as _dato
from .ankepakke_dele import pdf as _pdf
from .ankepakke_dele import tekst as _tekst
from .models import Dokument, Klage

_ZIP_TID = (1980, 1, 1, 0, 0, 0)


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


# --- parts other apps add ------------------------------------------------------------------------
#: Functions ``(decision) -> (parts, {(kilde_type, id): parts})`` an app registers for parts every
#: package holds (rehab: partshøringer, indstillinger), in registration order after the complaint.
#: The keyed parts are not repeated when a fact of the decision cites the same record.
_FASTE_DELE: list = []


def registrer_faste_dele(fn) -> None:
    if fn not in _FASTE_DELE:
        _FASTE_DELE.append(fn)


def _kilde(a: Dokument, kilde_type: str, kilde_id: str) -> list[Del]:
    """The source record of a fact, looked up within the decision's forløb only."""
    kildetype = kilder.hent(kilde_type)
    pk = kilder._uuid(kilde_id)
    if kildetype is None or kildetype.ankepakke is None or pk is None:
        return []
    return kildetype.ankepakke(a.forloeb_id, pk)


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
    ud: list[Del] = [_afgoerelse(a), _klage(k)]
    set_kilder: dict[tuple[str, str], list[Del]] = {}
    for faste in _FASTE_DELE:
        dele_, efter_kilde = faste(a)
        ud += dele_
        set_kilder.update(efter_kilde)
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
