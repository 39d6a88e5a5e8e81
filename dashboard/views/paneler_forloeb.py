"""Panels of the forløb themselves: weeks to decision against the servicemål, rettidighed per
kind of deadline, caseworker changes, the rehab meeting queue, ledighedsydelse and complaints.
The servicemål and the meeting notice are the municipality's own (``Omfang.regler``)."""

from __future__ import annotations

from dashboard import selectors as db

from .faelles import (
    ANKE_RESULTATER,
    BLAA,
    GRAA,
    GUL,
    KLAGE_STATUS,
    PALET,
    ROED,
    celle,
    maaned_tekst,
    maaneder_mellem,
    responsiv,
    tal,
)


def uger(filtre, rows) -> dict:
    regler = filtre.omfang.regler
    antal = {r["uger"]: r["antal"] for r in rows}
    total = sum(antal.values())
    median = rows[0]["median"] if rows else None
    inden = rows[0]["inden"] if rows else 0
    maks = max([30, *antal.keys()]) if antal else 30
    labels = [f"{u}" if u < 52 else "52+" for u in range(maks + 1)]
    raekker = [
        [celle(f"{u} uger" if u < 52 else "52 uger eller mere"), celle(tal(antal[u]), filtre.link("uger", uger=u))]
        for u in sorted(antal)
    ]
    noegletal = []
    if total:
        noegletal = [f"{tal(total)} afgørelser i perioden", f"median {median / 7:.1f} uger".replace(".", ",")]
        if regler.servicemaal_dage is not None:
            noegletal.append(f"{round(100 * inden / total)} % inden for {regler.servicemaal_tekst}")
    chart = {
        "type": "bar",
        "labels": labels,
        "datasets": [{"label": "Antal forløb", "data": [antal.get(u, 0) for u in range(maks + 1)], "farve": BLAA}],
        "x_tekst": "Uger",
    }
    beskrivelse = "Forløb med afgørelse i perioden, fordelt på antal uger fra start på forberedende plan."
    if regler.servicemaal_uger is not None:
        # The municipality's servicemål from its rule catalogue (national default or its own).
        chart["lodret_linje"] = {"index": regler.servicemaal_uger, "tekst": f"Servicemål {regler.servicemaal_tekst}"}
        beskrivelse += f" Den lodrette linje er servicemålet på {regler.servicemaal_tekst}."
    return {
        "navn": "uger",
        "titel": db.UGER.titel,
        "beskrivelse": beskrivelse,
        "noegletal": noegletal,
        "chart": chart,
        "tabel": {"kolonner": ["Uger til afgørelse", "Antal forløb"], "raekker": raekker},
    }


def rettidighed(filtre, rows) -> dict:
    o = filtre.omfang
    maaneder = maaneder_mellem(o.fra, min(o.til, o.idag))
    arter = sorted({r["art"] for r in rows})
    navn = {r["art"]: r["navn"] for r in rows}
    pr_celle = {(r["art"], r["maaned"]): (r["rettidige"], r["antal"]) for r in rows}
    datasets = []
    for i, art in enumerate(arter):
        data = []
        for m in maaneder:
            r, a = pr_celle.get((art, m), (0, 0))
            data.append(round(100 * r / a, 1) if a else None)
        datasets.append({"label": navn[art], "data": data, "farve": PALET[i % len(PALET)]})
    raekker = []
    for art in arter:
        celler = [celle(navn[art])]
        r_sum = a_sum = 0
        for m in maaneder:
            r, a = pr_celle.get((art, m), (0, 0))
            r_sum, a_sum = r_sum + r, a_sum + a
            if not a:
                celler.append(celle("–"))
                continue
            ekstra = None
            if a - r:
                ekstra = {
                    "tekst": f"{tal(a - r)} for sent",
                    "link": filtre.link("rettidighed", art=art, maaned=m, rettidig=False),
                }
            celler.append(
                celle(
                    f"{round(100 * r / a)} % ({tal(r)} af {tal(a)})",
                    filtre.link("rettidighed", art=art, maaned=m),
                    ekstra,
                )
            )
        celler.append(
            celle(f"{round(100 * r_sum / a_sum)} % ({tal(r_sum)} af {tal(a_sum)})", filtre.link("rettidighed", art=art))
            if a_sum
            else celle("–")
        )
        raekker.append(celler)
    return {
        "navn": "rettidighed",
        "titel": db.RETTIDIGHED.titel,
        "beskrivelse": "Andel af kommunens frister med forfald i perioden, der blev overholdt til tiden, "
        "pr. fristart og forfaldsmåned. Åbne frister, hvis forfaldsdato er passeret, tæller som ikke overholdt.",
        "chart": {
            "type": "line",
            "labels": [maaned_tekst(m) for m in maaneder],
            "datasets": datasets,
            "procent": True,
        },
        # Twelve months and the whole period do not fit a laptop's width as a table: the cells wrap, and
        # below the DKFDS breakpoint each kind of deadline becomes a card with the month beside each figure.
        "tabel": responsiv(
            {"kolonner": ["Fristart", *[maaned_tekst(m) for m in maaneder], "Hele perioden"], "raekker": raekker}
        ),
    }


def skift(filtre, rows) -> dict:
    skift = {r["vaerdi"]: r["antal"] for r in rows if r["maal"] == "skift"}
    skrivere = {r["vaerdi"]: r["antal"] for r in rows if r["maal"] == "skrivere"}
    s_labels = ["0", "1", "2", "3+"]
    w_labels = ["0", "1", "2", "3", "4+"]
    raekker = [
        [celle(f"{lbl} skift"), celle(tal(skift.get(i, 0)), filtre.link("skift", skift=i) if skift.get(i) else None)]
        for i, lbl in enumerate(s_labels)
    ] + [
        [
            celle(f"{lbl} forskellige skrivere"),
            celle(tal(skrivere.get(i, 0)), filtre.link("skift", skrivere=i) if skrivere.get(i) else None),
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


def rehab(filtre, rows, naeste_moede) -> dict:
    dage = [r for r in rows if r["noegle"] != "venter"]
    venter = next((r for r in rows if r["noegle"] == "venter"), None)
    labels = [f"{r['dato']:%d.%m.%Y}" for r in dage]
    raekker = []
    for r in dage:
        ledige = max(r["kapacitet"] - r["booket"], 0)
        raekker.append(
            [
                celle(f"{r['dato']:%d.%m.%Y}"),
                celle(tal(r["kapacitet"])),
                celle(tal(r["booket"])),
                celle(tal(r["egne"]), filtre.link("rehab", moededag=r["noegle"]) if r["egne"] else None),
                celle(tal(ledige)),
            ]
        )
    noegletal = []
    if venter and venter["booket"]:
        median = venter["median"]
        noegletal.append(
            {
                "tekst": f"{tal(venter['booket'])} forløb i forberedende plan uden booket møde"
                + (f" (median {round(median)} dage siden start)" if median is not None else ""),
                "link": filtre.link("rehab", gruppe="venter"),
            }
        )
    else:
        noegletal.append({"tekst": "Ingen forløb i forberedende plan venter på et møde.", "link": None})
    noegletal.append(
        {
            "tekst": f"Næste ledige møde med mindst {filtre.omfang.regler.moede_varsel_dage} dages varsel: "
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
        # The chart's legend in words (shape and colour named, so it does not rest on colour alone).
        "signatur": [
            {
                "farve": "blaa",
                "form": "soejle",
                "tekst": "Blå søjle: pladser booket af forløb fra dine teams (kolonnen »Heraf dine teams«)",
            },
            {"farve": "graa", "form": "soejle", "tekst": "Grå søjle: pladser booket af andre teams i kommunen"},
            {
                "farve": "roed",
                "form": "streg",
                "tekst": "Rød stiplet linje: mødedagens kapacitet (pladser i alt). "
                "Det hvide stykke mellem søjlerne og linjen er de ledige pladser",
            },
        ],
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


def ledighed(filtre, rows) -> dict:
    antal = {r["ventetid"]: r["antal"] for r in rows}
    total = sum(antal.values())
    raekker = [
        [celle(label), celle(tal(antal.get(k, 0)), filtre.link("ledighed", ventetid=k) if antal.get(k) else None)]
        for k, label in db.LEDIGHED_GRAENSER
    ]
    noegletal = []
    if total:
        noegletal = [
            f"{tal(total)} borgere på ledighedsydelse",
            f"median {round(rows[0]['median'])} dage",
            f"længste {tal(rows[0]['maks'])} dage",
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


def klager(filtre, rows) -> dict:
    pr_status: dict[str, int] = {}
    pr_resultat: dict[str, int] = {}
    for r in rows:
        pr_status[r["klagestatus"]] = pr_status.get(r["klagestatus"], 0) + r["antal"]
        if r["resultat"]:
            pr_resultat[r["resultat"]] = pr_resultat.get(r["resultat"], 0) + r["antal"]
    raekker = [
        [
            celle(label),
            celle(tal(pr_status.get(k, 0)), filtre.link("klager", klagestatus=k) if pr_status.get(k) else None),
        ]
        for k, label in KLAGE_STATUS.items()
    ] + [
        [
            celle(f"Ankestyrelsen: {label}"),
            celle(tal(pr_resultat.get(k, 0)), filtre.link("klager", resultat=k) if pr_resultat.get(k) else None),
        ]
        for k, label in ANKE_RESULTATER.items()
    ]
    afgjort = sum(pr_resultat.values())
    omgjort = pr_resultat.get("aendret", 0) + pr_resultat.get("hjemvist", 0)
    noegletal = [f"{tal(sum(pr_status.values()))} klager modtaget i perioden"]
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


INDSTILLING_MANGLER = {
    "kompenserende": "Mangler stillingtagen til kompenserende ordninger",
    "progression": "Mangler stillingtagen til progression",
    "begge": "Mangler begge dele",
    "komplet": "Tager stilling til begge dele",
}


def indstillinger(filtre, rows) -> dict:
    antal = {r["mangler"]: r["antal"] for r in rows}
    total = sum(antal.values())
    uden = total - antal.get("komplet", 0)
    raekker = [
        [celle(label), celle(tal(antal.get(k, 0)), filtre.link("indstillinger", mangler=k) if antal.get(k) else None)]
        for k, label in INDSTILLING_MANGLER.items()
    ]
    noegletal = [f"{tal(total)} indstillinger om fleksjob i perioden"]
    if total:
        noegletal.append(f"{tal(uden)} ({round(100 * uden / total)} %) uden stillingtagen til kompenserende "
                         "ordninger eller progression")  # fmt: skip
    return {
        "navn": "indstillinger",
        "titel": db.INDSTILLINGER.titel,
        "beskrivelse": "Rehabiliteringsteamets indstillinger om fleksjob i perioden. Ankestyrelsens praksis"
        "undersøgelse anbefaler, at teamet tager stilling til kompenserende ordninger (hjælpemidler, "
        "arbejdspladsindretning, personlig assistance, mentor, oplæring) og til progression.",
        "noegletal": noegletal,
        "chart": {
            "type": "bar",
            "labels": list(INDSTILLING_MANGLER.values()),
            "datasets": [
                {"label": "Indstillinger", "data": [antal.get(k, 0) for k in INDSTILLING_MANGLER], "farve": BLAA}
            ],
            "vandret": True,
        },
        "tabel": {"kolonner": ["Indstillingen", "Antal"], "raekker": raekker},
    }
