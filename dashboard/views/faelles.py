"""What the dashboard's modules share: colours, labels, number cells, and the page shown to
someone who is not a team leader."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render

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
MAANED_KORT = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


def ingen_adgang(request):
    return render(request, "dashboard/ingen_adgang.html", {"aktiv_menu": "dashboard"}, status=403)


def celle(tekst, link=None, ekstra=None) -> dict:
    return {"tekst": tekst, "link": link, "ekstra": ekstra}


def tal(n) -> str:
    return f"{n:,}".replace(",", ".")


def maaneder_mellem(fra: dt.date, til: dt.date) -> list[str]:
    out, y, m = [], fra.year, fra.month
    while (y, m) <= (til.year, til.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def maaned_tekst(m: str) -> str:
    return f"{MAANED_KORT[int(m[5:]) - 1]} {m[:4]}"


def responsiv(tabel: dict) -> dict:
    """A table in the DKFDS responsive-headers pattern: every cell carries its column's name
    (``data-title``), shown beside the figure when the rows become cards on a narrow screen."""
    for raekke in tabel["raekker"]:
        for kolonne, c in zip(tabel["kolonner"], raekke, strict=True):
            c["titel"] = kolonne
    return tabel | {"responsiv": True}
