"""The drill-down behind a number of the dashboard and its CSV export: the forløb re-read through
the user's scope (``dashboard.selectors.forloeb_raekker``), with masked CPR, each read logged."""

from __future__ import annotations

import csv
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cases.models import Tilstand, User
from dashboard import regler
from dashboard import selectors as db
from dashboard import selectors_udtraek as ud
from infra import audit
from rehab.selectors import moededage_for

from .faelles import ANKE_RESULTATER, IKKE_FORDELT, KLAGE_STATUS, RISIKO_GRUNDE, ingen_adgang, maaned_tekst
from .filtre import Filtre

SIDE_STOERRELSE = 100
CHUNK = 1000


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


def _beskriv(request, filtre: Filtre, kriterier: dict) -> list[tuple[str, str]]:
    """The cell's criteria in words, each read within the user's municipality (its caseworkers, its
    meeting days, its rule catalogue: national rows and its own overrides)."""
    user = request.user
    out = []
    for dim, v in kriterier.items():
        if dim == "ejer":
            tekst = IKKE_FORDELT if v is None else None
            if v is not None:
                u = User.objects.filter(pk=v, kommune_id=user.kommune_id).first()
                tekst = (u.get_full_name() or u.username) if u else "Ukendt"
        elif dim == "rettidig":
            tekst = "Ja" if v else "Nej"
        elif dim == "art":
            tekst = regler.fristart_navn(v, filtre.omfang.kommune_id, filtre.idag)
        elif dim == "maaned":
            tekst = maaned_tekst(v)
        elif dim == "moededag":
            md = moededage_for(user).filter(pk=v).first()
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
        return None, ingen_adgang(request)
    filtre = Filtre(request)
    try:
        panel, kriterier = ud.kriterier(request.GET.get("panel", ""), request.GET)
    except ud.UgyldigtUdtraek as exc:
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
    ids, optaelling = ud.udtraek(
        filtre.omfang, panel, kriterier, limit=SIDE_STOERRELSE, offset=(side - 1) * SIDE_STOERRELSE
    )
    total = optaelling.forloeb
    forloeb = ud.forloeb_raekker(request.user, ids)
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
            "kriterier": _beskriv(request, filtre, kriterier),
            "forloeb": forloeb,
            "total": total,
            "optaelling": optaelling,
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


def _naeste_skridt(f) -> str:
    """The next step from the latest journal note that gave one, with its date; said so when none."""
    if not f.naeste_skridt:
        return "Ikke angivet i journalen"
    return f"{f.naeste_skridt} ({f.naeste_skridt_dato:%d.%m.%Y})" if f.naeste_skridt_dato else f.naeste_skridt


@never_cache
@login_required
@require_GET
def dashboard_csv(request):
    """Every column is filled for every row: where a value does not exist, the cell says why (a forløb
    not yet in plan, no open deadline, no next step noted), so no column reads as missing data."""
    # The drill-down as CSV, streamed in chunks; each chunk's citizens are logged as exported.
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
                "Fase",
                "Start forberedende plan",
                "Nærmeste frist",
                "Næste skridt",
            ]
        )
        for chunk in ud.udtraek_chunks(user, filtre.omfang, panel, kriterier, size=CHUNK):
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
                            (f.sagsbehandler.get_full_name() or f.sagsbehandler.username)
                            if f.sagsbehandler
                            else IKKE_FORDELT,
                            tilstande.get(f.tilstand, f.tilstand),
                            f.forberedende_plan_start.isoformat() if f.forberedende_plan_start else "Ikke startet",
                            f.naermeste_frist.isoformat() if f.naermeste_frist else "Ingen åben frist",
                            _naeste_skridt(f),
                        )
                    ]
                )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="dashboard-{panel.navn}-{filtre.idag:%Y%m%d}.csv"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
