"""The team leader's deadline dashboard (Danish UI): panels, drill-down, CSV export, reassignment.

Aggregates come from :mod:`dashboard.selectors` (one SQL statement per panel); these views only pick
the scope from the filters, shape the numbers for the charts and tables, and link every number
to its drill-down. Citizen data is shown only in the drill-down and the export, both read through
the selectors and logged with ``audit.record_read``. CPR numbers appear masked only.
"""

from __future__ import annotations

import csv
import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from cases import services
from cases.forms import add_service_errors
from cases.models import FristDefinition, Rolle, Sagsejerskab, Tilstand, User
from dashboard import selectors as db
from dashboard.forms import DashboardFilterForm, TildelForm, standard_periode
from infra import audit, datoer
from rehab.models import Moededag

SIDE_STOERRELSE = 100
CHUNK = 1000

# Colours (WCAG AA contrast against white for text and ≥ 3:1 for graphics).
GROEN, GUL, ROED, BLAA, GRAA = "#1b6e3a", "#8a5a00", "#b3161d", "#1f4e96", "#595959"
PALET = ["#1f4e96", "#b3161d", "#1b6e3a", "#8a5a00", "#6b2c91", "#00606b", "#595959", "#a3367a"]

FRIST_STATUS = [("i_rute", "I rute", GROEN), ("snart", "Snart", GUL), ("overskredet", "Overskredet", ROED)]
RISIKO_GRUNDE = [
    ("overskredet", "Allerede overskredet", ROED),
    ("inden_n_dage", "Udløber inden for N dage", GUL),
    ("prognose", "Prognose: servicemål nås ikke", BLAA),
]
ANKE_RESULTATER = {"stadfaestet": "Stadfæstet", "aendret": "Ændret", "hjemvist": "Hjemvist", "afvist": "Afvist"}
KLAGE_STATUS = {
    "modtaget": "Modtaget – genvurderes",
    "medhold": "Medhold (ny afgørelse)",
    "fastholdt": "Fastholdt",
    "sendt_til_ankestyrelsen": "Sendt til Ankestyrelsen",
    "afgjort": "Afgjort af Ankestyrelsen",
}
IKKE_FORDELT = "Ikke fordelt"


def _ingen_adgang(request):
    return render(request, "dashboard/ingen_adgang.html", {"aktiv_menu": "dashboard"}, status=403)


# ---- scope from the filters ---------------------------------------------------------------------
class Filtre:
    """The filter form, the scope it gives and the query string that carries it to drill-downs."""

    def __init__(self, request):
        user = request.user
        self.idag = datoer.idag()
        self.teams_qs = db.leder_teams(user).select_related(None).order_by("navn")
        self.teams = list(self.teams_qs)
        team_ids = [t.pk for t in self.teams]
        self.medlemmer_qs = (
            User.objects.filter(teams__in=team_ids, kommune_id=user.kommune_id)
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        data = request.GET if any(k in request.GET for k in ("team", "sagsbehandler", "fra", "til", "n")) else None
        fra, til = standard_periode(self.idag)
        self.form = DashboardFilterForm(
            data, teams=self.teams_qs, medarbejdere=self.medlemmer_qs, initial={"fra": fra, "til": til, "n": 14}
        )
        team = sagsbehandler = None
        n = 14
        if data is not None and self.form.is_valid():
            c = self.form.cleaned_data
            team, sagsbehandler = c.get("team"), c.get("sagsbehandler")
            fra, til, n = c.get("fra") or fra, c.get("til") or til, c.get("n") or n
        self.team, self.sagsbehandler = team, sagsbehandler
        self.omfang = db.Omfang(
            kommune_id=user.kommune_id,
            team_ids=tuple([team.pk] if team else team_ids),
            sagsbehandler_id=sagsbehandler.pk if sagsbehandler else None,
            fra=fra,
            til=til,
            idag=self.idag,
            n_dage=n,
        )

    def params(self) -> dict[str, str]:
        o = self.omfang
        p = {"fra": o.fra.isoformat(), "til": o.til.isoformat(), "n": str(o.n_dage)}
        if self.team:
            p["team"] = str(self.team.pk)
        if self.sagsbehandler:
            p["sagsbehandler"] = str(self.sagsbehandler.pk)
        return p

    def link(self, panel: str, **dims) -> str:
        q = self.params() | {"panel": panel}
        for k, v in dims.items():
            q[k] = "ingen" if v is None and k == "ejer" else ("1" if v is True else "0" if v is False else str(v))
        return f"{reverse('dashboard:dashboard_sager')}?{urlencode(q)}"

    def dashboard_link(self) -> str:
        return f"{reverse('dashboard:dashboard')}?{urlencode(self.params())}"


# ---- shaping the numbers ------------------------------------------------------------------------
def _celle(tekst, link=None, ekstra=None) -> dict:
    return {"tekst": tekst, "link": link, "ekstra": ekstra}


def _tal(n) -> str:
    return f"{n:,}".replace(",", ".")


def _navne(filtre: Filtre, resultat: dict) -> tuple[dict, list]:
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


def _ejer_raekkefoelge(standard: list, ejere: set, navne: dict) -> list:
    out = list(standard) + sorted((e for e in ejere if e is not None and e not in standard), key=lambda e: navne[e])
    if None in ejere:
        out.append(None)
    return out


def _status_panel(filtre, rows, navne, standard, *, navn, titel, beskrivelse, kategorier) -> dict:
    antal = {(r["ejer"], r["grund" if navn == "risiko" else "status"]): r["antal"] for r in rows}
    dim = "grund" if navn == "risiko" else "status"
    ejere = _ejer_raekkefoelge(standard, {e for e, _ in antal}, navne)
    labels = [navne.get(e, IKKE_FORDELT) if e is not None else IKKE_FORDELT for e in ejere]
    datasets = [
        {"label": label, "data": [antal.get((e, k), 0) for e in ejere], "farve": farve}
        for k, label, farve in kategorier
    ]
    raekker = []
    for e, label in zip(ejere, labels, strict=True):
        celler = [_celle(label)]
        for k, _, _ in kategorier:
            n = antal.get((e, k), 0)
            celler.append(_celle(_tal(n), filtre.link(navn, ejer=e, **{dim: k}) if n else None))
        total = sum(antal.get((e, k), 0) for k, _, _ in kategorier)
        # Row totals are a cell of their own only where every row of the base is counted.
        celler.append(_celle(_tal(total), filtre.link(navn, ejer=e) if total and navn == "frister" else None))
        raekker.append(celler)
    sum_celler = [_celle("I alt")]
    for k, _, _ in kategorier:
        n = sum(v for (_, kk), v in antal.items() if kk == k)
        sum_celler.append(_celle(_tal(n), filtre.link(navn, **{dim: k}) if n else None))
    i_alt = sum(v for (_, kk), v in antal.items() if kk in {k for k, _, _ in kategorier})
    sum_celler.append(_celle(_tal(i_alt), filtre.link(navn) if i_alt and navn == "frister" else None))
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


def _frister(filtre, rows, navne, standard) -> dict:
    n = filtre.omfang.n_dage
    kategorier = [
        ("i_rute", "I rute", GROEN),
        ("snart", f"Snart (inden for {n} dage)", GUL),
        ("overskredet", "Overskredet", ROED),
    ]
    return _status_panel(
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


def _uger(filtre, rows) -> dict:
    antal = {r["uger"]: r["antal"] for r in rows}
    total = sum(antal.values())
    median = rows[0]["median"] if rows else None
    inden = rows[0]["inden"] if rows else 0
    maks = max([30, *antal.keys()]) if antal else 30
    labels = [f"{u}" if u < 52 else "52+" for u in range(maks + 1)]
    raekker = [
        [_celle(f"{u} uger" if u < 52 else "52 uger eller mere"), _celle(_tal(antal[u]), filtre.link("uger", uger=u))]
        for u in sorted(antal)
    ]
    noegletal = []
    if total:
        noegletal = [
            f"{_tal(total)} afgørelser i perioden",
            f"median {median / 7:.1f} uger".replace(".", ","),
            f"{round(100 * inden / total)} % inden for {db.SERVICEMAAL_UGER} uger",
        ]
    return {
        "navn": "uger",
        "titel": db.UGER.titel,
        "beskrivelse": f"Forløb med afgørelse i perioden, fordelt på antal uger fra start på forberedende plan. "
        f"Den lodrette linje er servicemålet på {db.SERVICEMAAL_UGER} uger.",
        "noegletal": noegletal,
        "chart": {
            "type": "bar",
            "labels": labels,
            "datasets": [{"label": "Antal forløb", "data": [antal.get(u, 0) for u in range(maks + 1)], "farve": BLAA}],
            "lodret_linje": {"index": db.SERVICEMAAL_UGER, "tekst": f"Servicemål {db.SERVICEMAAL_UGER} uger"},
            "x_tekst": "Uger",
        },
        "tabel": {"kolonner": ["Uger til afgørelse", "Antal forløb"], "raekker": raekker},
    }


def _maaneder(fra: dt.date, til: dt.date) -> list[str]:
    out, y, m = [], fra.year, fra.month
    while (y, m) <= (til.year, til.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


MAANED_KORT = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


def _maaned_tekst(m: str) -> str:
    return f"{MAANED_KORT[int(m[5:]) - 1]} {m[:4]}"


def _rettidighed(filtre, rows) -> dict:
    o = filtre.omfang
    maaneder = _maaneder(o.fra, min(o.til, o.idag))
    arter = sorted({r["art"] for r in rows})
    navn = {r["art"]: r["navn"] for r in rows}
    celle = {(r["art"], r["maaned"]): (r["rettidige"], r["antal"]) for r in rows}
    datasets = []
    for i, art in enumerate(arter):
        data = []
        for m in maaneder:
            r, a = celle.get((art, m), (0, 0))
            data.append(round(100 * r / a, 1) if a else None)
        datasets.append({"label": navn[art], "data": data, "farve": PALET[i % len(PALET)]})
    raekker = []
    for art in arter:
        celler = [_celle(navn[art])]
        r_sum = a_sum = 0
        for m in maaneder:
            r, a = celle.get((art, m), (0, 0))
            r_sum, a_sum = r_sum + r, a_sum + a
            if not a:
                celler.append(_celle("–"))
                continue
            ekstra = None
            if a - r:
                ekstra = {
                    "tekst": f"{_tal(a - r)} for sent",
                    "link": filtre.link("rettidighed", art=art, maaned=m, rettidig=False),
                }
            celler.append(
                _celle(
                    f"{round(100 * r / a)} % ({_tal(r)} af {_tal(a)})",
                    filtre.link("rettidighed", art=art, maaned=m),
                    ekstra,
                )
            )
        celler.append(
            _celle(
                f"{round(100 * r_sum / a_sum)} % ({_tal(r_sum)} af {_tal(a_sum)})", filtre.link("rettidighed", art=art)
            )
            if a_sum
            else _celle("–")
        )
        raekker.append(celler)
    return {
        "navn": "rettidighed",
        "titel": db.RETTIDIGHED.titel,
        "beskrivelse": "Andel af kommunens frister med forfald i perioden, der blev overholdt til tiden, "
        "pr. fristart og forfaldsmåned. Åbne frister, hvis forfaldsdato er passeret, tæller som ikke overholdt.",
        "chart": {
            "type": "line",
            "labels": [_maaned_tekst(m) for m in maaneder],
            "datasets": datasets,
            "procent": True,
        },
        "tabel": {"kolonner": ["Fristart", *[_maaned_tekst(m) for m in maaneder], "Hele perioden"], "raekker": raekker},
    }


def _sagsstamme(filtre, rows, navne, standard, normer) -> dict:
    antal = {r["ejer"]: r["antal"] for r in rows}
    norm_data = {r["ejer"]: r["norm"] for r in rows}
    ejere = _ejer_raekkefoelge(standard, set(antal), navne)
    labels = [navne.get(e, IKKE_FORDELT) if e is not None else IKKE_FORDELT for e in ejere]
    norm = [normer.get(e) or norm_data.get(e) if e is not None else None for e in ejere]
    raekker = []
    for e, label, nm in zip(ejere, labels, norm, strict=True):
        n = antal.get(e, 0)
        forskel = "" if nm is None else (f"+{n - nm}" if n > nm else str(n - nm))
        raekker.append(
            [
                _celle(label),
                _celle(_tal(n), filtre.link("sagsstamme", ejer=e) if n else None),
                _celle("–" if nm is None else _tal(nm)),
                _celle(forskel or "–"),
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


def _skift(filtre, rows) -> dict:
    skift = {r["vaerdi"]: r["antal"] for r in rows if r["maal"] == "skift"}
    skrivere = {r["vaerdi"]: r["antal"] for r in rows if r["maal"] == "skrivere"}
    s_labels = ["0", "1", "2", "3+"]
    w_labels = ["0", "1", "2", "3", "4+"]
    raekker = [
        [_celle(f"{lbl} skift"), _celle(_tal(skift.get(i, 0)), filtre.link("skift", skift=i) if skift.get(i) else None)]
        for i, lbl in enumerate(s_labels)
    ] + [
        [
            _celle(f"{lbl} forskellige skrivere"),
            _celle(_tal(skrivere.get(i, 0)), filtre.link("skift", skrivere=i) if skrivere.get(i) else None),
        ]
        for i, lbl in enumerate(w_labels)
    ]
    return {
        "navn": "skift",
        "titel": db.SKIFT.titel,
        "beskrivelse": "Åbne forløb efter antal skift af sagsbehandler (ejerskabshistorikken) og antal forskellige "
        "forfattere af journalnotater i forløbet.",
        "chart": {
            "type": "bar",
            "labels": ["0", "1", "2", "3 / 3+", "4+"],
            "datasets": [
                {
                    "label": "Forløb efter sagsbehandlerskift",
                    "data": [skift.get(i, 0) for i in range(4)],
                    "farve": BLAA,
                },
                {"label": "Forløb efter antal skrivere", "data": [skrivere.get(i, 0) for i in range(5)], "farve": GUL},
            ],
            "x_tekst": "Antal",
        },
        "tabel": {"kolonner": ["Antal", "Forløb"], "raekker": raekker},
    }


def _rehab(filtre, rows, naeste_moede) -> dict:
    dage = [r for r in rows if r["noegle"] != "venter"]
    venter = next((r for r in rows if r["noegle"] == "venter"), None)
    labels = [f"{r['dato']:%d.%m.%Y}" for r in dage]
    raekker = []
    for r in dage:
        ledige = max(r["kapacitet"] - r["booket"], 0)
        raekker.append(
            [
                _celle(f"{r['dato']:%d.%m.%Y}"),
                _celle(_tal(r["kapacitet"])),
                _celle(_tal(r["booket"])),
                _celle(_tal(r["egne"]), filtre.link("rehab", moededag=r["noegle"]) if r["egne"] else None),
                _celle(_tal(ledige)),
            ]
        )
    noegletal = []
    if venter and venter["booket"]:
        median = venter["median"]
        noegletal.append(
            {
                "tekst": f"{_tal(venter['booket'])} forløb i forberedende plan uden booket møde"
                + (f" (median {round(median)} dage siden start)" if median is not None else ""),
                "link": filtre.link("rehab", gruppe="venter"),
            }
        )
    else:
        noegletal.append({"tekst": "Ingen forløb i forberedende plan venter på et møde.", "link": None})
    noegletal.append(
        {
            "tekst": f"Næste ledige møde med mindst {db.MOEDE_VARSEL_DAGE} dages varsel: "
            + (f"{naeste_moede:%d.%m.%Y}" if naeste_moede else "ingen oprettet"),
            "link": None,
        }
    )
    return {
        "navn": "rehab",
        "titel": db.REHAB.titel,
        "beskrivelse": "Kommende mødedage i rehabiliteringsteamet: bookede pladser mod kapacitet (hele kommunen), "
        "heraf forløb fra dine teams.",
        "noegletal_links": noegletal,
        "chart": {
            "type": "bar",
            "stacked": True,
            "labels": labels,
            "datasets": [
                {"label": "Booket fra dine teams", "data": [r["egne"] for r in dage], "farve": BLAA},
                {"label": "Booket fra andre teams", "data": [r["booket"] - r["egne"] for r in dage], "farve": GRAA},
                {"label": "Kapacitet", "data": [r["kapacitet"] for r in dage], "farve": ROED, "type": "line"},
            ],
        },
        "tabel": {
            "kolonner": ["Mødedag", "Kapacitet", "Booket i alt", "Heraf dine teams", "Ledige pladser"],
            "raekker": raekker,
        },
    }


def _ledighed(filtre, rows) -> dict:
    antal = {r["ventetid"]: r["antal"] for r in rows}
    total = sum(antal.values())
    raekker = [
        [_celle(label), _celle(_tal(antal.get(k, 0)), filtre.link("ledighed", ventetid=k) if antal.get(k) else None)]
        for k, label in db.LEDIGHED_GRAENSER
    ]
    noegletal = []
    if total:
        noegletal = [
            f"{_tal(total)} borgere på ledighedsydelse",
            f"median {round(rows[0]['median'])} dage",
            f"længste {_tal(rows[0]['maks'])} dage",
        ]
    return {
        "navn": "ledighed",
        "titel": db.LEDIGHED.titel,
        "beskrivelse": "Borgere, der i dag modtager ledighedsydelse (visiteret til fleksjob, endnu ikke ansat), "
        "efter hvor længe den aktuelle periode har varet.",
        "noegletal": noegletal,
        "chart": {
            "type": "bar",
            "labels": [label for _, label in db.LEDIGHED_GRAENSER],
            "datasets": [
                {"label": "Borgere", "data": [antal.get(k, 0) for k, _ in db.LEDIGHED_GRAENSER], "farve": BLAA}
            ],
        },
        "tabel": {"kolonner": ["Ventetid", "Borgere"], "raekker": raekker},
    }


def _klager(filtre, rows) -> dict:
    pr_status: dict[str, int] = {}
    pr_resultat: dict[str, int] = {}
    for r in rows:
        pr_status[r["klagestatus"]] = pr_status.get(r["klagestatus"], 0) + r["antal"]
        if r["resultat"]:
            pr_resultat[r["resultat"]] = pr_resultat.get(r["resultat"], 0) + r["antal"]
    raekker = [
        [
            _celle(label),
            _celle(_tal(pr_status.get(k, 0)), filtre.link("klager", klagestatus=k) if pr_status.get(k) else None),
        ]
        for k, label in KLAGE_STATUS.items()
    ] + [
        [
            _celle(f"Ankestyrelsen: {label}"),
            _celle(_tal(pr_resultat.get(k, 0)), filtre.link("klager", resultat=k) if pr_resultat.get(k) else None),
        ]
        for k, label in ANKE_RESULTATER.items()
    ]
    afgjort = sum(pr_resultat.values())
    omgjort = pr_resultat.get("aendret", 0) + pr_resultat.get("hjemvist", 0)
    noegletal = [f"{_tal(sum(pr_status.values()))} klager modtaget i perioden"]
    if afgjort:
        noegletal.append(f"omgørelsesprocent {round(100 * omgjort / afgjort)} % ({omgjort} af {afgjort} afgjort)")
    return {
        "navn": "klager",
        "titel": db.KLAGER.titel,
        "beskrivelse": "Klager modtaget i perioden efter status, og Ankestyrelsens resultater "
        "(omgørelsesprocent = ændret + hjemvist af de afgjorte).",
        "noegletal": noegletal,
        "chart": {
            "type": "bar",
            "labels": [*KLAGE_STATUS.values(), *[f"Ankestyrelsen: {v}" for v in ANKE_RESULTATER.values()]],
            "datasets": [
                {
                    "label": "Klager",
                    "data": [pr_status.get(k, 0) for k in KLAGE_STATUS]
                    + [pr_resultat.get(k, 0) for k in ANKE_RESULTATER],
                    "farve": BLAA,
                }
            ],
            "vandret": True,
        },
        "tabel": {"kolonner": ["Status / resultat", "Klager"], "raekker": raekker},
    }


def _risiko(filtre, rows, navne, standard) -> dict:
    n = filtre.omfang.n_dage
    kategorier = [
        (k, f"Udløber inden for {n} dage" if k == "inden_n_dage" else label, f) for k, label, f in RISIKO_GRUNDE
    ]
    synlige = [r for r in rows if r["grund"] != "ingen"]
    panel = _status_panel(
        filtre,
        synlige,
        navne,
        standard,
        navn="risiko",
        titel=db.RISIKO.titel,
        beskrivelse=f"Åbne forløb, hvor en frist allerede er overskredet, udløber inden for {n} dage, "
        f"eller hvor prognosen siger, at servicemålet på {db.SERVICEMAAL_UGER} uger ikke nås: "
        "typiske fasetider (median over det seneste år) "
        "og næste ledige møde i rehabiliteringsteamet (eller det bookede).",
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


def _normer(filtre) -> dict:
    """Each member's norm: the highest sagsnorm of their teams in the scope."""
    team_norm = {t.pk: t.sagsnorm for t in filtre.teams if t.pk in filtre.omfang.team_ids}
    out: dict = {}
    for uid, tid in filtre.medlemmer_qs.values_list("id", "teams"):
        if tid in team_norm:
            out[uid] = max(out.get(uid, 0), team_norm[tid])
    return out


def byg_paneler(filtre: Filtre, resultat: dict) -> list[dict]:
    navne, standard = _navne(filtre, resultat)
    naeste = next((r["naeste_moede"] for r in resultat["risiko"]), None)
    return [
        _frister(filtre, resultat["frister"], navne, standard),
        _risiko(filtre, resultat["risiko"], navne, standard),
        _uger(filtre, resultat["uger"]),
        _rettidighed(filtre, resultat["rettidighed"]),
        _sagsstamme(filtre, resultat["sagsstamme"], navne, standard, _normer(filtre)),
        _skift(filtre, resultat["skift"]),
        _rehab(filtre, resultat["rehab"], naeste),
        _ledighed(filtre, resultat["ledighed"]),
        _klager(filtre, resultat["klager"]),
    ]


# ---- views --------------------------------------------------------------------------------------
@never_cache
@login_required
@require_GET
def dashboard(request):
    if not db.er_leder(request.user):
        return _ingen_adgang(request)
    filtre = Filtre(request)
    paneler = byg_paneler(filtre, db.hent(filtre.omfang))
    charts = {p["navn"]: p["chart"] for p in paneler}
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "filtre": filtre,
            "form": filtre.form,
            "paneler": paneler,
            "charts": charts,
            "ingen_teams": not filtre.teams,
            "aktiv_menu": "dashboard",
        },
    )


DIM_TEKST = {
    "ejer": "Sagsbehandler",
    "status": "Status",
    "uger": "Uger til afgørelse",
    "art": "Fristart",
    "maaned": "Forfaldsmåned",
    "rettidig": "Overholdt til tiden",
    "skift": "Sagsbehandlerskift",
    "skrivere": "Forskellige skrivere",
    "moededag": "Mødedag",
    "gruppe": "Gruppe",
    "ventetid": "Ventetid",
    "klagestatus": "Klagens status",
    "resultat": "Ankestyrelsens resultat",
    "grund": "Risiko",
}
VAERDI_TEKST = {
    "status": {"i_rute": "I rute", "snart": "Snart", "overskredet": "Overskredet"},
    "grund": {k: label for k, label, _ in RISIKO_GRUNDE} | {"ingen": "Ingen"},
    "gruppe": {"booket": "Booket", "venter": "Venter på møde"},
    "klagestatus": KLAGE_STATUS,
    "resultat": ANKE_RESULTATER,
    "ventetid": dict(db.LEDIGHED_GRAENSER),
}


def _beskriv(panel, kriterier: dict) -> list[tuple[str, str]]:
    out = []
    for dim, v in kriterier.items():
        if dim == "ejer":
            tekst = IKKE_FORDELT if v is None else None
            if v is not None:
                u = User.objects.filter(pk=v).first()
                tekst = (u.get_full_name() or u.username) if u else "Ukendt"
        elif dim == "rettidig":
            tekst = "Ja" if v else "Nej"
        elif dim == "art":
            d = FristDefinition.objects.filter(art=v).order_by("-gyldig_fra").first()
            tekst = d.navn if d else v
        elif dim == "maaned":
            tekst = _maaned_tekst(v)
        elif dim == "moededag":
            md = Moededag.objects.filter(pk=v).first()
            tekst = f"{md.dato:%d.%m.%Y}" if md else "Ukendt"
        elif (dim == "skift" and v >= 3) or (dim == "skrivere" and v >= 4):
            tekst = f"{v} eller flere"
        else:
            tekst = VAERDI_TEKST.get(dim, {}).get(v, str(v))
        out.append((DIM_TEKST.get(dim, dim), tekst))
    return out


def _udtraek(request):
    """Scope and cell of a drill-down or export request, or an error response."""
    if not db.er_leder(request.user):
        return None, _ingen_adgang(request)
    filtre = Filtre(request)
    try:
        panel, kriterier = db.kriterier(request.GET.get("panel", ""), request.GET)
    except db.UgyldigtUdtraek as exc:
        resp = render(
            request,
            "dashboard/sager.html",
            {"fejl": str(exc), "filtre": filtre, "aktiv_menu": "dashboard"},
            status=400,
        )
        return None, resp
    return (filtre, panel, kriterier), None


@never_cache
@login_required
@require_GET
def dashboard_sager(request):
    """The forløb behind one number of the dashboard (masked CPR, links to the citizen page)."""
    ctx, fejl = _udtraek(request)
    if fejl:
        return fejl
    filtre, panel, kriterier = ctx
    try:
        side = max(int(request.GET.get("side", "1")), 1)
    except ValueError:
        side = 1
    ids, total = db.udtraek_ids(
        filtre.omfang, panel, kriterier, limit=SIDE_STOERRELSE, offset=(side - 1) * SIDE_STOERRELSE
    )
    forloeb = db.forloeb_raekker(request.user, ids)
    audit.record_read(
        actor=request.user,
        handling="dashboard.udtraek",
        borgere=[f.borger for f in forloeb],
        begrundelse=f"Dashboard: {panel.titel}",
    )
    q = request.GET.copy()
    q.pop("side", None)
    sider = (total + SIDE_STOERRELSE - 1) // SIDE_STOERRELSE
    forrige = f"?{urlencode({**q.dict(), 'side': side - 1})}" if side > 1 else None
    naeste = f"?{urlencode({**q.dict(), 'side': side + 1})}" if side < sider else None
    return render(
        request,
        "dashboard/sager.html",
        {
            "filtre": filtre,
            "panel": panel,
            "kriterier": _beskriv(panel, kriterier),
            "forloeb": forloeb,
            "total": total,
            "side": side,
            "sider": sider,
            "forrige": forrige,
            "naeste": naeste,
            "csv_url": f"{reverse('dashboard:dashboard_csv')}?{urlencode(q.dict())}",
            "her": request.get_full_path(),
            "tilstande": dict(Tilstand.choices),
            "aktiv_menu": "dashboard",
        },
    )


class _Echo:
    def write(self, value):
        return value


def _csv_vaerdi(v) -> str:
    s = "" if v is None else str(v)
    return "'" + s if s[:1] in ("=", "+", "-", "@") else s  # no formulas in a spreadsheet


@never_cache
@login_required
@require_GET
def dashboard_csv(request):
    """The drill-down as CSV, streamed in chunks; each chunk's citizens are logged as exported."""
    ctx, fejl = _udtraek(request)
    if fejl:
        return fejl
    filtre, panel, kriterier = ctx
    user = request.user
    tilstande = dict(Tilstand.choices)
    writer = csv.writer(_Echo(), delimiter=";")

    def rows():
        yield "\ufeff" + writer.writerow(
            [
                "Borger",
                "CPR-nummer (maskeret)",
                "Team",
                "Sagsbehandler",
                "Tilstand",
                "Start forberedende plan",
                "Nærmeste frist",
                "Næste skridt",
            ]
        )
        for chunk in db.udtraek_chunks(user, filtre.omfang, panel, kriterier, size=CHUNK):
            audit.record_read(
                actor=user,
                handling="dashboard.eksport",
                borgere=[f.borger for f in chunk],
                begrundelse=f"CSV-eksport fra dashboard: {panel.titel}",
            )
            for f in chunk:
                yield writer.writerow(
                    [
                        _csv_vaerdi(x)
                        for x in (
                            f.borger.navn,
                            f.borger.cpr_maskeret,
                            f.team.navn,
                            (f.sagsbehandler.get_full_name() or f.sagsbehandler.username) if f.sagsbehandler else "",
                            tilstande.get(f.tilstand, f.tilstand),
                            f.forberedende_plan_start.isoformat() if f.forberedende_plan_start else "",
                            f.naermeste_frist.isoformat() if f.naermeste_frist else "",
                            f.naeste_skridt,
                        )
                    ]
                )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="dashboard-{panel.navn}-{filtre.idag:%Y%m%d}.csv"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def forloeb_tildel(request, forloeb_pk):
    """Reassign a forløb to another caseworker of its team, with a handover note (team leaders)."""
    if not db.er_leder(request.user):
        return _ingen_adgang(request)
    forloeb = get_object_or_404(db.synlige_forloeb(request.user), pk=forloeb_pk)
    naeste = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(naeste, allowed_hosts={request.get_host()}, require_https=False):
        naeste = ""
    form = TildelForm(request.POST or None, team=forloeb.team, initial={"version": forloeb.version})
    if request.method == "POST" and form.is_valid():
        ny = form.cleaned_data["sagsbehandler"]
        try:
            services.forloeb_tildel(
                actor=request.user,
                forloeb=forloeb,
                sagsbehandler=ny,
                overdragelsesnotat=form.cleaned_data["overdragelsesnotat"],
                expected_version=form.cleaned_data.get("version"),
            )
        except services.ForaeldetVersion as exc:
            form.add_error(None, str(exc))
        except PermissionDenied:
            return _ingen_adgang(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Forløbet for {forloeb.borger.navn} er overdraget til {ny}.")
            return redirect(naeste or "dashboard:dashboard")
    audit.record_read(actor=request.user, handling="borger.laes", borgere=[forloeb.borger], subject=forloeb)
    historik = list(Sagsejerskab.objects.filter(forloeb=forloeb).select_related("sagsbehandler").order_by("-fra")[:10])
    return render(
        request,
        "dashboard/tildel.html",
        {
            "form": form,
            "forloeb": forloeb,
            "historik": historik,
            "naeste": naeste,
            "tilbage": naeste or reverse("dashboard:dashboard"),
            "aktiv_menu": "dashboard",
        },
    )
