"""The dashboard's scope from its filters (teams, caseworker, period, N days), and the query
string that carries that scope to every drill-down."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from cases.models import User
from dashboard import selectors as db
from dashboard.forms import DashboardFilterForm, standard_periode
from infra import datoer


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
