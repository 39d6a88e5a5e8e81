"""The forløb detail's lean read path: one query, serialised by hand.

``GET /api/v1/forloeb/{id}/`` is the integrators' hottest read. Through DRF it built a serializer, a
field object per column and a model object per deadline and history row (5.7 ms of 13.4 ms). Here
the forløb row comes with its deadlines and history aggregated as JSON by PostgreSQL in the same
query (:func:`med_frister_og_historik`), and :func:`forloeb_detalje` turns them into the documented
answer with plain dict building.

The answer is exactly ``ForloebDetailSerializer``'s (which stays the schema's description of it):
``tests/cases/test_api_detalje_hurtig.py`` compares the two for a rich forløb, as an API client and
as a caseworker. A field added to the serializer must be added here too; that test fails until it is.
"""

from __future__ import annotations

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import F, OuterRef, QuerySet
from django.db.models.functions import JSONObject

from cases.models import Forloeb, Frist, OvergangLog
from cases.services import tilladte_overgange

from .raekker import frist, iso, json_tidspunkt, tidspunkter

FRIST_KOLONNER = (
    "art", "reference", "start_haendelse", "start_dato", "forfald", "gaeldende_forfald", "status", "type",
    "ansvar", "lovgrundlag", "forklaring", "lukket_dato", "lukket_af",
)  # fmt: skip
HISTORIK_KOLONNER = ("overgang", "fra_tilstand", "til_tilstand", "dato", "tidspunkt", "actor_navn", "data", "regler")


def med_frister_og_historik(qs: QuerySet[Forloeb]) -> QuerySet[Forloeb]:
    """``qs`` with each forløb's deadlines and history as lists of JSON objects (one query in all),
    in the serializer's order: deadlines open before closed, by due date; history oldest first."""
    frister = (
        Frist.objects.filter(forloeb=OuterRef("pk"))
        .order_by("lukket_dato", "gaeldende_forfald", "id")
        .values(
            j=JSONObject(
                id="id",
                navn="definition__navn",
                def_id="definition_id",
                def_gyldig_fra="definition__gyldig_fra",
                def_kommunal=F("definition__kommune_id"),
                **{k: k for k in FRIST_KOLONNER},
            )
        )
    )
    historik = (
        OvergangLog.objects.filter(forloeb=OuterRef("pk"))
        .order_by(*OvergangLog._meta.ordering)
        .values(j=JSONObject(**{k: k for k in HISTORIK_KOLONNER}))
    )
    return qs.annotate(frister_json=ArraySubquery(frister), historik_json=ArraySubquery(historik))


def _historik(r: dict, ts) -> dict:
    return {
        "overgang": r["overgang"], "fra_tilstand": r["fra_tilstand"], "til_tilstand": r["til_tilstand"],
        "dato": r["dato"], "tidspunkt": json_tidspunkt(r["tidspunkt"], ts), "actor_navn": r["actor_navn"],
        "data": r["data"], "regler": r["regler"],
    }  # fmt: skip


def _tilladt(t) -> dict:
    d = t.as_dict()
    felter = []
    for f in d["felter"]:
        felt = {
            "navn": str(f["navn"]),
            "type": str(f["type"]),
            "label": str(f["label"]),
            "paakraevet": bool(f["paakraevet"]),
        }
        if "valg" in f:
            felt["valg"] = [str(v) for v in f["valg"]]
        felter.append(felt)
    return {
        "overgang": str(d["overgang"]),
        "titel": str(d["titel"]),
        "mulig": bool(d["mulig"]),
        "mangler": [{"kode": str(m["kode"]), "besked": str(m["besked"]), "link": str(m["link"])} for m in d["mangler"]],
        "felter": felter,
    }


def forloeb_detalje(fl: Forloeb, user) -> dict:
    """The documented detail of ``fl`` (fetched through :func:`med_frister_og_historik`, with its
    citizen and caseworker selected) as ``user`` sees it."""
    forloeb_id, borger_id = str(fl.pk), str(fl.borger_id)
    ts = tidspunkter()
    return {
        "id": forloeb_id,
        "borger": borger_id,
        "borger_navn": str(fl.borger.navn),
        "cpr_maskeret": str(fl.borger.cpr_maskeret),
        "tilstand": fl.tilstand,
        "team": str(fl.team_id),
        "sagsbehandler": fl.sagsbehandler_id,
        "sagsbehandler_navn": str(fl.sagsbehandler) if fl.sagsbehandler_id else "",
        "naeste_skridt": str(fl.naeste_skridt),
        "naeste_skridt_dato": iso(fl.naeste_skridt_dato),
        "version": fl.version,
        "oprettet": ts(fl.oprettet),
        "opdateret": ts(fl.opdateret),
        "forberedende_plan_start": iso(fl.forberedende_plan_start),
        "rehab_moede_dato": iso(fl.rehab_moede_dato),
        "indstilling_dato": iso(fl.indstilling_dato),
        "indstilling_udfald": fl.indstilling_udfald or None,
        "genforelagt_dato": iso(fl.genforelagt_dato),
        "overgang_dato": iso(fl.overgang_dato),
        "afgoerelse_dato": iso(fl.afgoerelse_dato),
        "egen_ansoegning_foertidspension": iso(fl.egen_ansoegning_foertidspension),
        "ansoegt_fleksjob": iso(fl.ansoegt_fleksjob),
        "afslutning_aarsag": fl.afslutning_aarsag or None,
        "afsluttet_dato": iso(fl.afsluttet_dato),
        "tilladte_overgange": [_tilladt(t) for t in tilladte_overgange(fl, user)],
        "frister": [frist(r, forloeb_id, borger_id) for r in fl.frister_json],
        "historik": [_historik(r, ts) for r in fl.historik_json],
    }
