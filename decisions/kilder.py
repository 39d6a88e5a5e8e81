"""What a fact in a begrundelse (or a point of a partshøring) may point at: a record of the same
forløb. Each kind of source is registered once with how to list it, title it and put it in an
appeal package; rehab registers its bilag and indstillinger in ``RehabConfig.ready``."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from cases.models import Journalnotat, Tilbud

from . import ankepakke_dele as dele
from .models import Dokument, DokumentStatus


@dataclass(frozen=True)
class Kildetype:
    """One kind of source (``Faktum.kilde_type``).

    - ``valg(forloeb, undtagen)``: ``(id, title)`` of what the caseworker may pick, newest first;
      ``undtagen`` is the document being edited (it may not cite itself).
    - ``titel(forloeb, pk)``: the source's title if it exists in the forløb, else None.
    - ``ankepakke(forloeb_id, pk)``: the files of the source in an appeal package (``ankepakke.Del``).
    """

    type: str
    gruppe: str
    orden: int
    valg: Callable[..., list[tuple[uuid.UUID, str]]]
    titel: Callable[..., str | None]
    ankepakke: Callable[..., list] | None = None


_TYPER: dict[str, Kildetype] = {}


def registrer(kildetype: Kildetype) -> None:
    _TYPER[kildetype.type] = kildetype


def typer() -> list[Kildetype]:
    return sorted(_TYPER.values(), key=lambda k: k.orden)


def hent(kilde_type: str | None) -> Kildetype | None:
    return _TYPER.get(kilde_type or "")


def _uuid(value):
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def kilde_titel(forloeb, kilde_type: str | None, kilde_id) -> str | None:
    """The source's title if it exists in this forløb, else None."""
    pk = _uuid(kilde_id)
    kildetype = hent(kilde_type)
    if pk is None or kildetype is None:
        return None
    return kildetype.titel(forloeb, pk)


#: Facts a new decision draft starts with (issue 15): each ``fn(forloeb) -> list[dict]`` gives
#: ``{tekst, kilde_type, kilde_id}`` rows (rehab: the partshøring's points and the indstilling's
#: structured content), each naming its origin and date in its text.
_FAKTAFORSLAG: list[Callable[..., list[dict]]] = []

#: The most facts a draft holds (the editor's and the API's limit).
MAKS_FAKTA = 50


def registrer_faktaforslag(fn: Callable[..., list[dict]]) -> None:
    if fn not in _FAKTAFORSLAG:
        _FAKTAFORSLAG.append(fn)


def faktaforslag(forloeb) -> list[dict]:
    """The facts already listed for the decision being prepared in this forløb, in the order the
    registered sources give them (at most ``MAKS_FAKTA``)."""
    ud: list[dict] = []
    for fn in _FAKTAFORSLAG:
        ud.extend(fn(forloeb))
    return ud[:MAKS_FAKTA]


def kilde_valg(forloeb, undtagen=None) -> list:
    """The records a fact may point at, grouped for a select (value ``<kilde_type>:<id>``)."""
    grupper = []
    for k in typer():
        valg = [(f"{k.type}:{pk}", titel) for pk, titel in k.valg(forloeb, undtagen)]
        if valg:
            grupper.append((k.gruppe, valg))
    return [("", "Vælg kilde"), *grupper]


# --- the core's and this app's own kinds ----------------------------------------------------------
def _notat_titel(n: Journalnotat) -> str:
    return f"Journalnotat: {n.overskrift} ({n.oprettet:%d.%m.%Y})"


def _dokument_titel(d: Dokument) -> str:
    return f"{d.get_type_display()} ({d.udstedt:%d.%m.%Y})"


def _udstedte(forloeb):
    return Dokument.objects.filter(forloeb=forloeb).exclude(status=DokumentStatus.KLADDE)


def _notat_i_pakke(forloeb_id, pk) -> list:
    n = Journalnotat.objects.filter(pk=pk, forloeb_id=forloeb_id).first()
    if n is None:
        return []
    linjer = [
        f"Journalnotat: {n.overskrift}",
        "",
        f"Type: {n.get_type_display()}",
        f"Skrevet: {dele.d(n.oprettet)} af {n.forfatter_navn}",
        "",
        n.tekst,
    ]
    if n.naeste_skridt:
        linjer += ["", f"Næste skridt: {n.naeste_skridt} ({dele.d(n.naeste_skridt_dato)})"]
    return [dele.Del("journalnotat", f"Journalnotat: {n.overskrift}", dele.dato(n.oprettet), dele.tekst(*linjer))]


def _dokument_i_pakke(forloeb_id, pk) -> list:
    d = Dokument.objects.filter(pk=pk, forloeb_id=forloeb_id).exclude(status=DokumentStatus.KLADDE).first()
    if d is None:
        return []
    return [dele.Del("dokument", d.titel, dele.dato(d.udstedt), dele.pdf(d), "pdf")]


def _tilbud_titel(t: Tilbud) -> str:
    return f"Tilbud: {t.get_type_display()} ({t.dato:%d.%m.%Y}, {t.get_svar_display().lower()})"


def _tilbud_i_pakke(forloeb_id, pk) -> list:
    t = Tilbud.objects.filter(pk=pk, forloeb_id=forloeb_id).first()
    if t is None:
        return []
    linjer = [
        f"Tilbud til borgeren: {t.get_type_display()}",
        "",
        f"Tilbudt: {dele.d(t.dato)}",
        f"Registreret af: {t.registreret_af}",
        "",
        t.beskrivelse,
        "",
        f"Borgerens svar: {t.get_svar_display()}" + (f" ({dele.d(t.svar_dato)})" if t.svar_dato else ""),
    ]
    if t.begrundelse:
        linjer += ["", "Borgerens begrundelse:", t.begrundelse]
    return [dele.Del("tilbud", _tilbud_titel(t), t.dato, dele.tekst(*linjer))]


TILBUD = Kildetype(
    type="tilbud",
    gruppe="Tilbud til borgeren",
    orden=25,
    valg=lambda fl, undtagen: [(t.pk, _tilbud_titel(t)) for t in Tilbud.objects.filter(forloeb=fl)],
    titel=lambda fl, pk: next((_tilbud_titel(t) for t in Tilbud.objects.filter(pk=pk, forloeb=fl)), None),
    ankepakke=_tilbud_i_pakke,
)
JOURNALNOTAT = Kildetype(
    type="journalnotat",
    gruppe="Journalnotater",
    orden=30,
    valg=lambda fl, undtagen: [
        (n.pk, _notat_titel(n)) for n in Journalnotat.objects.filter(forloeb=fl).order_by("-oprettet")[:200]
    ],
    titel=lambda fl, pk: next((_notat_titel(n) for n in Journalnotat.objects.filter(pk=pk, forloeb=fl)), None),
    ankepakke=_notat_i_pakke,
)
DOKUMENT = Kildetype(
    type="dokument",
    gruppe="Udstedte breve og afgørelser",
    orden=40,
    valg=lambda fl, undtagen: [
        (d.pk, _dokument_titel(d)) for d in _udstedte(fl).exclude(pk=getattr(undtagen, "pk", None)).order_by("-udstedt")
    ],
    titel=lambda fl, pk: next((_dokument_titel(d) for d in _udstedte(fl).filter(pk=pk)), None),
    ankepakke=_dokument_i_pakke,
)
registrer(JOURNALNOTAT)
registrer(DOKUMENT)
registrer(TILBUD)
