"""The afgørelser and klager lists' lean read path: rows as dicts, serialised by hand (issue #14).

Like :mod:`cases.api.lister`: the page is read with ``.values()`` (the same filters and keyset
pagination), what each row shows of other tables is read for the whole page at once: facts, legal
references and deliveries with their receipts aggregated as JSON in the page's own query (those
sub-selects compiled once per process, :mod:`infra.api.forberedt`), the prompts' answers in one
query. The documented answer is built with plain dicts. The prompts of a
document type are looked up once per type, and what they need to know whether they apply is loaded
for the whole page (:func:`decisions.spoergsmaal.visning_side`).

The answers are exactly ``DokumentSerializer``'s and ``KlageSerializer``'s (which stay the schema's
description of them): ``tests/decisions/test_api_lister_hurtig.py`` compares them for rich pages. A
field added to a serializer must be added here too; that test fails until it is.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, QuerySet
from django.db.models.functions import JSONObject
from django.urls import reverse

from cases.api.raekker import iso, json_tidspunkt, tidspunkter
from decisions import spoergsmaal
from decisions.models import AFGOERELSESTYPER, Dokument, DokumentStatus, Faktum, Forsendelse, KlageStatus, Kvittering
from infra.api.forberedt import forberedt

DOKUMENT_KOLONNER = (
    "id", "forloeb_id", "forloeb__borger_id", "type", "status", "sagsnummer", "titel", "tekst", "hovedhensyn",
    "fuldt_medhold", "arbejdsfunktioner", "fleksjob_afslag", "fleksjob_afslag_begrundelse",
    "sundhedsfaglig_raadgivning", "under_40_begrundelse", "data", "klagevejledning", "udstedt", "udstedt_af",
    "pdf_sha256", "erstatter_id", "erstattet_af__id", "erstattet_af__status", "sagsbehandler_id", "version",
    "oprettet", "opdateret",
)  # fmt: skip
KLAGE_KOLONNER = (
    "id", "afgoerelse_id", "afgoerelse__titel", "forloeb_id", "forloeb__borger_id", "modtaget_dato", "kanal",
    "for_sent", "klagens_indhold", "status", "genvurderet_dato", "genvurdering_begrundelse", "ny_afgoerelse_id",
    "genvurdering_brev_id", "sendt_til_ankestyrelsen", "ankepakke_sha256", "ankestyrelsens_resultat",
    "resultat_dato", "oprettet",
)  # fmt: skip
_NUL = "00000000-0000-0000-0000-000000000000"


def _url(navn: str):
    """``reverse(navn, args=[pk])`` as a function of the pk, reversed once per page."""
    skabelon = reverse(navn, args=[_NUL])
    return lambda pk: skabelon.replace(_NUL, str(pk))


def _str(v) -> str | None:
    return None if v is None else str(v)


# --- afgørelser og breve --------------------------------------------------------------------------
def _med_undervalg(qs: QuerySet) -> QuerySet:
    """``qs`` with each document's facts (in their order), legal references and deliveries (oldest
    first, each with its receipts) as lists of JSON objects, aggregated by PostgreSQL in the same query."""
    fakta = (
        Faktum.objects.filter(dokument_id=OuterRef("pk"))
        .order_by(*Faktum._meta.ordering)
        .values(j=JSONObject(tekst="tekst", kilde_type="kilde_type", kilde_id="kilde_id", kilde_titel="kilde_titel"))
    )
    lovhenvisninger = Dokument.lovhenvisninger.through.objects.filter(dokument_id=OuterRef("pk")).values(
        j=JSONObject(
            kode="lovhenvisning__kode",
            lov="lovhenvisning__lov",
            paragraf="lovhenvisning__paragraf",
            titel="lovhenvisning__titel",
        )
    )
    kvitteringer = (
        Kvittering.objects.filter(forsendelse_id=OuterRef("pk"))
        .order_by(*Kvittering._meta.ordering)
        .values(j=JSONObject(status="status", tidspunkt="tidspunkt", aarsag="aarsag"))
    )
    forsendelser = (
        Forsendelse.objects.filter(dokument_id=OuterRef("pk"))
        .order_by(*Forsendelse._meta.ordering, "id")
        .values(
            j=JSONObject(
                kanal="kanal", status="status", afsendt="afsendt", modtaget_dato="modtaget_dato",
                beskyttet="beskyttet", fejl="fejl", kvitteringer=ArraySubquery(kvitteringer),
            )
        )
    )  # fmt: skip
    return qs.annotate(
        fakta_json=ArraySubquery(fakta),
        lovhenvisninger_json=ArraySubquery(lovhenvisninger),
        forsendelser_json=ArraySubquery(forsendelser),
    )


UNDERVALG = ("fakta_json", "lovhenvisninger_json", "forsendelser_json")
#: :func:`_med_undervalg` with the sub-selects' SQL compiled once per process.
med_undervalg = forberedt(_med_undervalg, Dokument, UNDERVALG)


def dokument_raekker(qs: QuerySet) -> QuerySet:
    """The document list's rows (``qs`` filtered) as dicts of what :func:`dokument_liste` needs: the
    columns, and the facts, legal references and deliveries of :func:`_med_undervalg`."""
    return med_undervalg(qs.select_related(None).prefetch_related(None)).values(*DOKUMENT_KOLONNER, *UNDERVALG)


def _lovhenvisninger(r: dict) -> list[dict]:
    """The serializer's order (by code; Python's, not the database's collation) and keys."""
    return [
        {"kode": lh["kode"], "lov": lh["lov"], "paragraf": lh["paragraf"], "titel": lh["titel"]}
        for lh in sorted(r["lovhenvisninger_json"], key=lambda lh: lh["kode"])
    ]


def _fakta(r: dict) -> list[dict]:
    return [
        {"tekst": f["tekst"], "kilde_type": f["kilde_type"], "kilde_id": f["kilde_id"], "kilde_titel": f["kilde_titel"]}
        for f in r["fakta_json"]
    ]


def _forsendelser(r: dict, ts) -> tuple[list[dict], dict | None]:
    """The document's deliveries with receipts (``ForsendelseSerializer``), and the one that counts
    (``Dokument.gaeldende_forsendelse``: the latest that has not failed)."""
    alle, gaeldende, seneste = [], None, None
    for f in r["forsendelser_json"]:
        afsendt = dt.datetime.fromisoformat(f["afsendt"])
        ud = {
            "kanal": f["kanal"], "status": f["status"], "afsendt": ts(afsendt), "modtaget_dato": f["modtaget_dato"],
            "beskyttet": f["beskyttet"], "fejl": f["fejl"],
            "kvitteringer": [
                {"status": k["status"], "tidspunkt": json_tidspunkt(k["tidspunkt"], ts), "aarsag": k["aarsag"]}
                for k in f["kvitteringer"]
            ],
        }  # fmt: skip
        alle.append(ud)
        if f["status"] != "fejlet" and (seneste is None or afsendt > seneste):
            gaeldende, seneste = ud, afsendt
    return alle, gaeldende


def _pdf_status(status: str, sha256: str) -> str:
    if status == DokumentStatus.KLADDE:
        return "ikke_udstedt"
    return "klar" if sha256 else "dannes"


def dokument_liste(raekker: list[dict]) -> list[dict]:
    """``DokumentSerializer(many=True)``'s answer for rows from :func:`dokument_raekker`."""
    if not raekker:
        return []
    prompts = spoergsmaal.visning_side(raekker)
    pdf_url = _url("afgoerelse-pdf")
    ts = tidspunkter()
    ud = []
    for r in raekker:
        pk, status = r["id"], r["status"]
        forsendelser, gaeldende = _forsendelser(r, ts)
        ud.append({
            "id": str(pk), "forloeb": str(r["forloeb_id"]), "type": r["type"], "status": status,
            "er_afgoerelse": r["type"] in AFGOERELSESTYPER, "sagsnummer": r["sagsnummer"],
            "titel": r["titel"], "tekst": r["tekst"], "hovedhensyn": r["hovedhensyn"],
            "fuldt_medhold": r["fuldt_medhold"], "lovhenvisninger": _lovhenvisninger(r),
            "fakta": _fakta(r), "spoergsmaal": prompts[pk], "arbejdsfunktioner": r["arbejdsfunktioner"],
            "fleksjob_afslag": r["fleksjob_afslag"], "fleksjob_afslag_begrundelse": r["fleksjob_afslag_begrundelse"],
            "sundhedsfaglig_raadgivning": r["sundhedsfaglig_raadgivning"],
            "under_40_begrundelse": r["under_40_begrundelse"], "data": r["data"],
            "klagevejledning": r["klagevejledning"], "udstedt": ts(r["udstedt"]), "udstedt_af": r["udstedt_af"],
            "pdf_status": _pdf_status(status, r["pdf_sha256"]),
            "pdf_sha256": r["pdf_sha256"], "pdf_url": pdf_url(pk) if r["pdf_sha256"] else None,
            "erstatter": _str(r["erstatter_id"]),
            "erstattet_af": (
                str(r["erstattet_af__id"])
                if r["erstattet_af__id"] is not None and r["erstattet_af__status"] != DokumentStatus.KLADDE
                else None
            ),
            "forsendelse": gaeldende, "forsendelser": forsendelser,
            "sagsbehandler": r["sagsbehandler_id"], "version": r["version"], "oprettet": ts(r["oprettet"]),
            "opdateret": ts(r["opdateret"]),
        })  # fmt: skip
    return ud


# --- klager ---------------------------------------------------------------------------------------
def klage_raekker(qs: QuerySet) -> QuerySet:
    """The complaint list's rows (``qs`` annotated by ``klager.med_genvurdering_brev``) as dicts."""
    return qs.select_related(None).values(*KLAGE_KOLONNER)


def klage_liste(raekker: list[dict]) -> list[dict]:
    """``KlageSerializer(many=True)``'s answer for rows from :func:`klage_raekker`."""
    ankepakke_url = _url("klage-ankepakke")
    ts = tidspunkter()
    return [
        {
            "id": str(r["id"]),
            "afgoerelse": str(r["afgoerelse_id"]),
            "afgoerelse_titel": r["afgoerelse__titel"],
            "forloeb": str(r["forloeb_id"]),
            "borger": str(r["forloeb__borger_id"]),
            "modtaget_dato": iso(r["modtaget_dato"]),
            "kanal": r["kanal"],
            "for_sent": r["for_sent"],
            "indhold": r["klagens_indhold"],
            "status": r["status"],
            "genvurderet_dato": iso(r["genvurderet_dato"]),
            "genvurdering_begrundelse": r["genvurdering_begrundelse"],
            "ny_afgoerelse": _str(r["ny_afgoerelse_id"]),
            "genvurdering_brev": (None if r["status"] == KlageStatus.MODTAGET else _str(r["genvurdering_brev_id"])),
            "sendt_til_ankestyrelsen": iso(r["sendt_til_ankestyrelsen"]),
            "ankepakke": ankepakke_url(r["id"]) if r["ankepakke_sha256"] else None,
            "ankepakke_sha256": r["ankepakke_sha256"],
            "ankestyrelsens_resultat": r["ankestyrelsens_resultat"],
            "resultat_dato": iso(r["resultat_dato"]),
            "oprettet": ts(r["oprettet"]),
        }
        for r in raekker
    ]
