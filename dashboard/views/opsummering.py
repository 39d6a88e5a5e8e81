"""The summary strip at the top of the dashboard: "how are we doing" at a glance, from the same query
results as the panels (so a figure here always matches the panel and the list it links to)."""

from __future__ import annotations

from .faelles import tal

MAANEDER = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
            "november", "december"]  # fmt: skip


def opsummering(filtre, resultat: dict) -> list[dict]:
    """Four figures: overdue deadlines now, deadlines due within the warning window, rettidighed in the
    period's last month, and the median weeks to a decision against the servicemål."""
    o = filtre.omfang
    frister = resultat["frister"]
    overskredet = sum(r["antal"] for r in frister if r["status"] == "overskredet")
    snart = sum(r["antal"] for r in frister if r["status"] == "snart")

    sidste = min(o.til, o.idag)
    maaned = f"{sidste.year:04d}-{sidste.month:02d}"
    denne = [r for r in resultat["rettidighed"] if r["maaned"] == maaned]
    rettidige, antal = sum(r["rettidige"] for r in denne), sum(r["antal"] for r in denne)

    uger = resultat["uger"]
    median_uger = uger[0]["median"] / 7 if uger and uger[0]["median"] is not None else None
    maal = o.regler.servicemaal_uger
    return [
        {
            "titel": "Overskredne frister nu",
            "vaerdi": tal(overskredet),
            "forklaring": "åbne frister, hvor forfaldsdatoen er passeret",
            "link": filtre.link("frister", status="overskredet") if overskredet else None,
            "tone": "fejl" if overskredet else "ok",
        },
        {
            "titel": f"Udløber inden for {o.n_dage} dage",
            "vaerdi": tal(snart),
            "forklaring": "åbne frister, der snart skal nås",
            "link": filtre.link("frister", status="snart") if snart else None,
            "tone": "advarsel" if snart else "ok",
        },
        _rettidighed(filtre, maaned, f"{MAANEDER[sidste.month - 1]} {sidste.year}", rettidige, antal),
        {
            "titel": "Median til afgørelse",
            "vaerdi": f"{median_uger:.1f} uger".replace(".", ",") if median_uger is not None else "–",
            "forklaring": (f"servicemål {o.regler.servicemaal_tekst}" if maal is not None else "intet servicemål")
            + " · afgørelser i perioden",
            "link": filtre.link("uger") if median_uger is not None else None,
            "tone": "ok" if median_uger is None or maal is None or median_uger <= maal else "fejl",
        },
    ]


def _rettidighed(filtre, maaned: str, maaned_tekst: str, rettidige: int, antal: int) -> dict:
    """Rettidighed in the month against the municipality's target (a municipal goal from the rule
    catalogue, not law): the status is said in words as well as by the colour."""
    regler = filtre.omfang.regler
    maal = regler.rettidighed_maal
    procent = round(100 * rettidige / antal) if antal else None
    forklaring = f"{tal(rettidige)} af {tal(antal)} frister nået i tide" if antal else "ingen frister forfaldt"
    status = ""
    if maal is not None:
        forklaring += f" · mål {maal} % ({regler.rettidighed_maal_kilde})"
        if procent is not None:
            status = "Under målet" if procent < maal else "Målet er nået"
    if procent is None:
        tone = "ok"
    elif maal is None:
        tone = "ok" if rettidige == antal else "advarsel"
    else:
        tone = "ok" if procent >= maal else "fejl"
    return {
        "titel": f"Rettidighed i {maaned_tekst}",
        "vaerdi": f"{procent} %" if procent is not None else "–",
        "status": status,
        "forklaring": forklaring,
        "link": filtre.link("rettidighed", maaned=maaned) if antal else None,
        "tone": tone,
    }
