"""The afgørelser and klager lists' lean read path: rows as dicts, serialised by hand (issue #14).

Like :mod:`cases.api.lister`: the page is read with ``.values()`` (the same filters and keyset
pagination), what each row shows of other tables (legal references, facts, prompts' answers,
deliveries and receipts) is read for the whole page at once: facts and legal references aggregated
as JSON in the page's own query, deliveries and their receipts in one query each (none for receipts
when the page has no delivery). The documented answer is built with plain dicts. The prompts of a
document type are looked up once per type, and what they need to know whether they apply is loaded
for the whole page (:func:`decisions.spoergsmaal.visning_side`).

The answers are exactly ``DokumentSerializer``'s and ``KlageSerializer``'s (which stay the schema's
description of them): ``tests/decisions/test_api_lister_hurtig.py`` compares them for rich pages. A
field added to a serializer must be added here too; that test fails until it is.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, QuerySet
from django.db.models.functions import JSONObject
from django.urls import reverse

from cases.api.raekker import iso, tidspunkt
from decisions import spoergsmaal
from decisions.models import AFGOERELSESTYPER, Dokument, DokumentStatus, Faktum, Forsendelse, KlageStatus, Kvittering

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
def dokument_raekker(qs: QuerySet) -> QuerySet:
    """The document list's rows (``qs`` filtered) as dicts of what :func:`dokument_liste` needs: with
    each document's facts (in their order) and legal references as lists of JSON objects, aggregated
    by PostgreSQL in the same query."""
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
    return (
        qs.select_related(None)
        .prefetch_related(None)
        .annotate(fakta_json=ArraySubquery(fakta), lovhenvisninger_json=ArraySubquery(lovhenvisninger))
        .values(*DOKUMENT_KOLONNER, "fakta_json", "lovhenvisninger_json")
    )


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


def _forsendelser(ids: list) -> tuple[dict, dict]:
    """Each document's deliveries with receipts (``ForsendelseSerializer``), and the one that counts."""
    kolonner = ("id", "dokument_id", "kanal", "status", "afsendt", "modtaget_dato", "beskyttet", "fejl")
    rows = list(Forsendelse.objects.filter(dokument_id__in=ids).values(*kolonner))  # ordering: afsendt
    kvitteringer: dict = defaultdict(list)
    if rows:  # most pages hold drafts and letters not sent through Digital Post: no second query
        for fid, status, tid, aarsag in Kvittering.objects.filter(
            forsendelse_id__in=[r["id"] for r in rows]
        ).values_list("forsendelse_id", "status", "tidspunkt", "aarsag"):
            kvitteringer[fid].append({"status": status, "tidspunkt": tidspunkt(tid), "aarsag": aarsag})
    alle: dict = defaultdict(list)
    gaeldende: dict = {}
    for r in rows:
        f = {
            "kanal": r["kanal"],
            "status": r["status"],
            "afsendt": tidspunkt(r["afsendt"]),
            "modtaget_dato": iso(r["modtaget_dato"]),
            "beskyttet": r["beskyttet"],
            "fejl": r["fejl"],
            "kvitteringer": kvitteringer.get(r["id"], []),
        }
        alle[r["dokument_id"]].append(f)
        if r["status"] != "fejlet":  # Dokument.gaeldende_forsendelse: the latest that has not failed
            forrige = gaeldende.get(r["dokument_id"])
            if forrige is None or r["afsendt"] > forrige[0]:
                gaeldende[r["dokument_id"]] = (r["afsendt"], f)
    return alle, {k: v[1] for k, v in gaeldende.items()}


def _pdf_status(status: str, sha256: str) -> str:
    if status == DokumentStatus.KLADDE:
        return "ikke_udstedt"
    return "klar" if sha256 else "dannes"


def dokument_liste(raekker: list[dict]) -> list[dict]:
    """``DokumentSerializer(many=True)``'s answer for rows from :func:`dokument_raekker`."""
    if not raekker:
        return []
    ids = [r["id"] for r in raekker]
    forsendelser, gaeldende = _forsendelser(ids)
    prompts = spoergsmaal.visning_side(raekker)
    pdf_url = _url("afgoerelse-pdf")
    ud = []
    for r in raekker:
        pk, status = r["id"], r["status"]
        ud.append({
            "id": str(pk), "forloeb": str(r["forloeb_id"]), "type": r["type"], "status": status,
            "er_afgoerelse": r["type"] in AFGOERELSESTYPER, "sagsnummer": r["sagsnummer"],
            "titel": r["titel"], "tekst": r["tekst"], "hovedhensyn": r["hovedhensyn"],
            "fuldt_medhold": r["fuldt_medhold"], "lovhenvisninger": _lovhenvisninger(r),
            "fakta": _fakta(r), "spoergsmaal": prompts[pk], "arbejdsfunktioner": r["arbejdsfunktioner"],
            "fleksjob_afslag": r["fleksjob_afslag"], "fleksjob_afslag_begrundelse": r["fleksjob_afslag_begrundelse"],
            "sundhedsfaglig_raadgivning": r["sundhedsfaglig_raadgivning"],
            "under_40_begrundelse": r["under_40_begrundelse"], "data": r["data"],
            "klagevejledning": r["klagevejledning"], "udstedt": tidspunkt(r["udstedt"]), "udstedt_af": r["udstedt_af"],
            "pdf_status": _pdf_status(status, r["pdf_sha256"]),
            "pdf_sha256": r["pdf_sha256"], "pdf_url": pdf_url(pk) if r["pdf_sha256"] else None,
            "erstatter": _str(r["erstatter_id"]),
            "erstattet_af": (
                str(r["erstattet_af__id"])
                if r["erstattet_af__id"] is not None and r["erstattet_af__status"] != DokumentStatus.KLADDE
                else None
            ),
            "forsendelse": gaeldende.get(pk), "forsendelser": forsendelser.get(pk, []),
            "sagsbehandler": r["sagsbehandler_id"], "version": r["version"], "oprettet": tidspunkt(r["oprettet"]),
            "opdateret": tidspunkt(r["opdateret"]),
        })  # fmt: skip
    return ud


# --- klager ---------------------------------------------------------------------------------------
def klage_raekker(qs: QuerySet) -> QuerySet:
    """The complaint list's rows (``qs`` annotated by ``klager.med_genvurdering_brev``) as dicts."""
    return qs.select_related(None).values(*KLAGE_KOLONNER)


def klage_liste(raekker: list[dict]) -> list[dict]:
    """``KlageSerializer(many=True)``'s answer for rows from :func:`klage_raekker`."""
    ankepakke_url = _url("klage-ankepakke")
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
            "oprettet": tidspunkt(r["oprettet"]),
        }
        for r in raekker
    ]
