"""The dashboard page: every panel from one SQL statement each (``dashboard.selectors.hent``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dashboard import selectors as db

from . import paneler_forloeb as forloeb
from . import paneler_sagsbehandler as sagsbehandler
from .faelles import ingen_adgang
from .filtre import Filtre
from .opsummering import opsummering


def byg_paneler(filtre: Filtre, resultat: dict) -> list[dict]:
    navne, standard = sagsbehandler.sagsbehandler_navne(filtre, resultat)
    naeste = next((r["naeste_moede"] for r in resultat["risiko"]), None)
    return [
        sagsbehandler.frister(filtre, resultat["frister"], navne, standard),
        sagsbehandler.risiko(filtre, resultat["risiko"], navne, standard),
        forloeb.uger(filtre, resultat["uger"]),
        forloeb.rettidighed(filtre, resultat["rettidighed"]),
        sagsbehandler.sagsstamme(filtre, resultat["sagsstamme"], navne, standard, sagsbehandler.sagsnormer(filtre)),
        forloeb.skift(filtre, resultat["skift"]),
        forloeb.rehab(filtre, resultat["rehab"], naeste),
        forloeb.ledighed(filtre, resultat["ledighed"]),
        forloeb.klager(filtre, resultat["klager"]),
        forloeb.indstillinger(filtre, resultat["indstillinger"]),
    ]


@never_cache
@login_required
@require_GET
def dashboard(request):
    if not db.er_leder(request.user):
        return ingen_adgang(request)
    filtre = Filtre(request)
    resultat = db.hent(filtre.omfang)
    paneler = byg_paneler(filtre, resultat)
    charts = {p["navn"]: p["chart"] for p in paneler}
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "filtre": filtre,
            "form": filtre.form,
            "paneler": paneler,
            "opsummering": [] if not filtre.teams else opsummering(filtre, resultat),
            "charts": charts,
            "ingen_teams": not filtre.teams,
            "aktiv_menu": "dashboard",
        },
    )
