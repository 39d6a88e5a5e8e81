"""Panels per caseworker: open deadlines by status, forløb at risk, and caseload against the norm."""

from __future__ import annotations

from cases.models import Rolle, User
from dashboard import selectors as db

from .faelles import BLAA, GROEN, GUL, IKKE_FORDELT, RISIKO_GRUNDE, ROED, celle, tal
from .filtre import Filtre


def sagsbehandler_navne(filtre: Filtre, resultat: dict) -> tuple[dict, list]:
    """Names of every caseworker in the numbers, and the caseworkers (not leaders) listed by default."""
    medlemmer = list(filtre.medlemmer_qs.values("id", "first_name", "last_name", "username", "rolle"))
    navne = {m["id"]: (f"{m['first_name']} {m['last_name']}".strip() or m["username"]) for m in medlemmer}
    sb_id = filtre.omfang.sagsbehandler_id
    standard = [m["id"] for m in medlemmer if m["rolle"] == Rolle.SAGSBEHANDLER and sb_id in (None, m["id"])]
    ejere = {r["ejer"] for navn in ("frister", "sagsstamme", "risiko") for r in resultat[navn]}
    ukendte = [e for e in ejere if e is not None and e not in navne]
    if ukendte:  # former members who still own cases (one query, whatever their number)
        for u in User.objects.filter(pk__in=ukendte):
            navne[u.pk] = u.get_full_name() or u.username
    return navne, standard


def ejer_raekkefoelge(standard: list, ejere: set, navne: dict) -> list:
    out = list(standard) + sorted((e for e in ejere if e is not None and e not in standard), key=lambda e: navne[e])
    if None in ejere:
        out.append(None)
    return out


def status_panel(filtre, rows, navne, standard, *, navn, titel, beskrivelse, kategorier) -> dict:
    antal = {(r["ejer"], r["grund" if navn == "risiko" else "status"]): r["antal"] for r in rows}
    dim = "grund" if navn == "risiko" else "status"
    ejere = ejer_raekkefoelge(standard, {e for e, _ in antal}, navne)
    labels = [navne.get(e, IKKE_FORDELT) if e is not None else IKKE_FORDELT for e in ejere]
    datasets = [
        {"label": label, "data": [antal.get((e, k), 0) for e in ejere], "farve": farve}
        for k, label, farve in kategorier
    ]
    raekker = []
    for e, label in zip(ejere, labels, strict=True):
        celler = [celle(label)]
        for k, _, _ in kategorier:
            n = antal.get((e, k), 0)
            celler.append(celle(tal(n), filtre.link(navn, ejer=e, **{dim: k}) if n else None))
        total = sum(antal.get((e, k), 0) for k, _, _ in kategorier)
        # Row totals are a cell of their own only where every row of the base is counted.
        celler.append(celle(tal(total), filtre.link(navn, ejer=e) if total and navn == "frister" else None))
        raekker.append(celler)
    sum_celler = [celle("I alt")]
    for k, _, _ in kategorier:
        n = sum(v for (_, kk), v in antal.items() if kk == k)
        sum_celler.append(celle(tal(n), filtre.link(navn, **{dim: k}) if n else None))
    i_alt = sum(v for (_, kk), v in antal.items() if kk in {k for k, _, _ in kategorier})
    sum_celler.append(celle(tal(i_alt), filtre.link(navn) if i_alt and navn == "frister" else None))
    return {
        "navn": navn,
        "titel": titel,
        "beskrivelse": beskrivelse,
        "chart": {"type": "bar", "stacked": True, "vandret": True, "labels": labels, "datasets": datasets},
        "tabel": {
            "kolonner": ["Sagsbehandler", *[label for _, label, _ in kategorier], "I alt"],
            "raekker": raekker,
            "sum": sum_celler,
        },
    }


def frister(filtre, rows, navne, standard) -> dict:
    n = filtre.omfang.n_dage
    kategorier = [
        ("i_rute", "I rute", GROEN),
        ("snart", f"Snart (inden for {n} dage)", GUL),
        ("overskredet", "Overskredet", ROED),
    ]
    return status_panel(
        filtre,
        rows,
        navne,
        standard,
        navn="frister",
        titel=db.FRISTER.titel,
        beskrivelse="Kommunens åbne frister i dag pr. sagsbehandler: i rute, udløber snart, eller overskredet "
        "(forfaldsdatoen er passeret).",
        kategorier=kategorier,
    )


def risiko(filtre, rows, navne, standard) -> dict:
    n = filtre.omfang.n_dage
    regler = filtre.omfang.regler
    servicemaal = f" på {regler.servicemaal_tekst}" if regler.servicemaal_tekst else ""
    kategorier = [
        (k, f"Udløber inden for {n} dage" if k == "inden_n_dage" else label, f) for k, label, f in RISIKO_GRUNDE
    ]
    synlige = [r for r in rows if r["grund"] != "ingen"]
    panel = status_panel(
        filtre,
        synlige,
        navne,
        standard,
        navn="risiko",
        titel=db.RISIKO.titel,
        beskrivelse=f"Åbne forløb, hvor en frist allerede er overskredet, udløber inden for {n} dage, "
        f"eller hvor prognosen siger, at servicemålet{servicemaal} ikke nås: "
        "typiske fasetider (median over det seneste år) "
        f"og næste ledige møde i rehabiliteringsteamet med mindst {regler.moede_varsel_dage} dages varsel "
        "(eller det bookede).",
        kategorier=kategorier,
    )
    if rows:
        r = rows[0]
        panel["noegletal"] = [
            f"typisk tid i forberedende plan {r['fp']} dage",
            f"fra forelæggelse til indstilling {r['rt']} dage",
            f"fra indstilling til afgørelse {r['ind']} dage",
        ]
    return panel


def sagsstamme(filtre, rows, navne, standard, normer) -> dict:
    antal = {r["ejer"]: r["antal"] for r in rows}
    norm_data = {r["ejer"]: r["norm"] for r in rows}
    ejere = ejer_raekkefoelge(standard, set(antal), navne)
    labels = [navne.get(e, IKKE_FORDELT) if e is not None else IKKE_FORDELT for e in ejere]
    norm = [normer.get(e) or norm_data.get(e) if e is not None else None for e in ejere]
    raekker = []
    for e, label, nm in zip(ejere, labels, norm, strict=True):
        n = antal.get(e, 0)
        forskel = "" if nm is None else (f"+{n - nm}" if n > nm else str(n - nm))
        raekker.append(
            [
                celle(label),
                celle(tal(n), filtre.link("sagsstamme", ejer=e) if n else None),
                celle("–" if nm is None else tal(nm)),
                celle(forskel or "–"),
            ]
        )
    return {
        "navn": "sagsstamme",
        "titel": db.SAGSSTAMME.titel,
        "beskrivelse": "Åbne forløb pr. sagsbehandler sammenholdt med teamets sagsnorm (kan ændres pr. team).",
        "chart": {
            "type": "bar",
            "vandret": True,
            "labels": labels,
            "datasets": [
                {"label": "Åbne forløb", "data": [antal.get(e, 0) for e in ejere], "farve": BLAA},
                {"label": "Sagsnorm", "data": norm, "farve": ROED, "type": "line"},
            ],
        },
        "tabel": {"kolonner": ["Sagsbehandler", "Åbne forløb", "Sagsnorm", "Over/under norm"], "raekker": raekker},
    }


def sagsnormer(filtre) -> dict:
    """Each member's norm: the highest sagsnorm of their teams in the scope."""
    team_norm = {t.pk: t.sagsnorm for t in filtre.teams if t.pk in filtre.omfang.team_ids}
    out: dict = {}
    for uid, tid in filtre.medlemmer_qs.values_list("id", "teams"):
        if tid in team_norm:
            out[uid] = max(out.get(uid, 0), team_norm[tid])
    return out
