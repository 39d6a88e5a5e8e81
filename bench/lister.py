"""The API's lists at scale: the SQL of page 1 and of a deep cursor page, per list and filter (issue #14).

Every list the API offers, with each documented filter (and the combinations the API docs name), is a
case in :data:`LISTER`. A case is run in-process through the real viewset as an API client of the
municipality (inside a transaction that is rolled back, so the read audit leaves nothing behind); the
SELECTs it ran are captured and replayed with ``EXPLAIN ANALYZE``, whose execution times are summed:
the page's SQL alone, without HTTP, Python or serialisation. The deep page is reached by following
``next`` with ``page_size=200`` until :data:`DYBDE` rows are behind it (fewer when the list is shorter).

Interface for the bench harness (``bench/full.py``):

- ``stier(kommune_id) -> [(navn, sti)]``: every case's path for page 1 and the deep page (with its
  ``cursor=``), to request over HTTP with a Bearer token of a client of that municipality;
- ``maal_lister_sql(cur, kommune_id, gentag=3) -> [(navn, sti, sql_ms)]``: the median SQL time of each;
- ``planer(kommune_id, sti) -> [plan]``: the JSON plans (what tests/performance/test_lister_explain.py checks).

Standalone: ``tools/devservices.py exec --profile bench --data-dir .data/bench -- .venv/bin/python
bench/lister.py`` on a generated municipality (``make bench`` data); ``--explain`` prints the plans.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

DYBDE = 1000  # rows before the deep page

# (name, path); {team}, {sagsbehandler}, {borger}, {forloeb}, {art}, {idag} are filled by kontekst().
LISTER: list[tuple[str, str]] = [
    ("forloeb", "/api/v1/forloeb/"),
    ("forloeb tilstand", "/api/v1/forloeb/?tilstand=forberedende_plan"),
    ("forloeb team", "/api/v1/forloeb/?team={team}"),
    ("forloeb tilstand+team", "/api/v1/forloeb/?tilstand=forberedende_plan&team={team}"),
    ("forloeb sagsbehandler", "/api/v1/forloeb/?sagsbehandler={sagsbehandler}"),
    ("forloeb borger", "/api/v1/forloeb/?borger={borger}"),
    ("frister", "/api/v1/frister/"),
    ("frister status", "/api/v1/frister/?status=aaben"),
    ("frister status+forfald_foer", "/api/v1/frister/?status=aaben&forfald_foer={idag}"),
    ("frister status+team+forfald_foer", "/api/v1/frister/?status=overskredet&team={team}&forfald_foer={idag}"),
    ("frister aaben", "/api/v1/frister/?aaben=true"),
    ("frister aaben+forfald_efter", "/api/v1/frister/?aaben=true&forfald_efter={idag}"),
    ("frister aaben=false", "/api/v1/frister/?aaben=false"),
    ("frister forfald_foer", "/api/v1/frister/?forfald_foer={idag}"),
    ("frister team", "/api/v1/frister/?team={team}"),
    ("frister team+aaben", "/api/v1/frister/?team={team}&aaben=true"),
    ("frister forloeb", "/api/v1/frister/?forloeb={forloeb}"),
    ("frister sagsbehandler", "/api/v1/frister/?sagsbehandler={sagsbehandler}"),
    ("frister art", "/api/v1/frister/?art={art}"),
    ("frister ansvar", "/api/v1/frister/?ansvar=borger"),
    ("borgere", "/api/v1/borgere/"),
    ("borgere team", "/api/v1/borgere/?team={team}"),
    ("journalnotater", "/api/v1/journalnotater/"),
    ("journalnotater forloeb", "/api/v1/journalnotater/?forloeb={forloeb}"),
    ("tilbud", "/api/v1/tilbud/"),
    ("tilbud forloeb+svar+type", "/api/v1/tilbud/?forloeb={forloeb}&svar=afventer&type=virksomhedspraktik"),
    ("afgoerelser", "/api/v1/afgoerelser/"),
    ("afgoerelser status", "/api/v1/afgoerelser/?status=afsendt"),
    ("afgoerelser type", "/api/v1/afgoerelser/?type=fleksjob_visitation"),
    ("afgoerelser forloeb+type", "/api/v1/afgoerelser/?forloeb={forloeb}&type=fleksjob_visitation"),
    ("klager", "/api/v1/klager/"),
    ("klager status", "/api/v1/klager/?status=modtaget"),
    ("klager forloeb", "/api/v1/klager/?forloeb={forloeb}"),
    ("aftaler", "/api/v1/aftaler/"),
    ("aftaler status+type", "/api/v1/aftaler/?status=modtaget&type=fleksjob"),
    ("webhook-leveringer", "/api/v1/webhook-leveringer/"),
    ("webhook-leveringer status", "/api/v1/webhook-leveringer/?status=fejlet"),
    ("forberedende-dele", "/api/v1/forberedende-dele/"),
    ("moededage", "/api/v1/moededage/"),
    ("moededage fra+til", "/api/v1/moededage/?fra={idag}&til={idag}"),
    ("bookinger", "/api/v1/bookinger/"),
    ("bookinger forloeb", "/api/v1/bookinger/?forloeb={forloeb}"),
    ("indstillinger", "/api/v1/indstillinger/"),
    ("partshoeringer", "/api/v1/partshoeringer/"),
    ("virksomheder", "/api/v1/virksomheder/"),
    ("visitationer", "/api/v1/visitationer/"),
    ("ansaettelser", "/api/v1/ansaettelser/"),
    ("arbejdsevnevurderinger", "/api/v1/arbejdsevnevurderinger/"),
    ("bevillinger", "/api/v1/bevillinger/"),
    ("bevillinger borger", "/api/v1/bevillinger/?borger={borger}"),
]

# Every scope a list needs: the measuring client may read everything of its municipality.
SCOPES = ["forloeb:read", "borgere:read", "afgoerelser:read", "aftaler:write", "webhooks:read", "webhooks:write"]


def kontekst(kommune_id) -> dict:
    """Filter values from the municipality's own data (the largest team, a busy caseworker ...)."""
    from django.db.models import Count

    from cases.models import Forloeb, Frist, Team
    from infra import datoer

    team = (
        Team.objects.filter(jobcenter__kommune_id=kommune_id).annotate(n=Count("forloeb")).order_by("-n", "id").first()
    )
    fl = Forloeb.objects.filter(kommune_id=kommune_id, sagsbehandler__isnull=False).order_by("id").first()
    frist = Frist.objects.filter(kommune_id=kommune_id).order_by("id").first()
    return {
        "team": team.pk if team else "00000000-0000-0000-0000-000000000000",
        "sagsbehandler": fl.sagsbehandler_id if fl else 0,
        "borger": fl.borger_id if fl else "00000000-0000-0000-0000-000000000000",
        "forloeb": fl.pk if fl else "00000000-0000-0000-0000-000000000000",
        "art": frist.art if frist else "x",
        "idag": datoer.idag().isoformat(),
    }


def _vaert() -> str:
    """A host name the settings allow (the in-process requests go through the whole middleware)."""
    from django.conf import settings

    tilladt = [h.lstrip(".") for h in settings.ALLOWED_HOSTS if h != "*"]
    return "testserver" if "*" in settings.ALLOWED_HOSTS or not tilladt else tilladt[0]


def _sti(url: str) -> str:
    dele = urlsplit(url)
    return f"{dele.path}?{dele.query}" if dele.query else dele.path


@contextmanager
def _klient(kommune_id):
    """An API client of the municipality with every read scope, in a transaction rolled back after."""
    from django.db import transaction
    from rest_framework.test import APIClient

    from cases.api.auth import KlientPrincipal
    from cases.models import ApiKlient

    with transaction.atomic():
        klient = ApiKlient.objects.create(
            navn="bench lister", kommune_id=kommune_id, scopes=SCOPES, token_hash=os.urandom(32).hex()
        )
        c = APIClient(HTTP_HOST=_vaert())
        c.force_authenticate(KlientPrincipal(klient))
        try:
            yield c
        finally:
            transaction.set_rollback(True)


def _select(c, sti: str) -> tuple[list[str], dict]:
    """The SELECTs ``GET sti`` ran (bound SQL) and its JSON body."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as q:
        r = c.get(sti)
    if r.status_code != 200:
        raise AssertionError(f"GET {sti}: {r.status_code} {r.content[:300]!r}")
    sqls = [x["sql"] for x in q.captured_queries if x["sql"].lstrip().upper().startswith("SELECT")]
    return [s for s in sqls if "SAVEPOINT" not in s], r.json()


def _dyb_sti(c, sti: str, dybde: int = DYBDE) -> str | None:
    """The path of the page after ``dybde`` rows (or the last page reachable), with its cursor."""
    sep = "&" if "?" in sti else "?"
    url, bag = f"{sti}{sep}page_size=200", 0
    naeste = None
    while bag < dybde:
        _, body = _select(c, url)
        if not body["next"]:
            break
        bag += len(body["results"])
        naeste = body["next"]
        url = _sti(naeste)
    if naeste is None:
        return None
    cursor = naeste.split("cursor=", 1)[1].split("&", 1)[0]
    return f"{sti}{sep}cursor={cursor}"


def stier(kommune_id, dybde: int = DYBDE) -> list[tuple[str, str]]:
    """Every case's page-1 path and deep-page path (with the cursor): for the harness's HTTP runs."""
    v = kontekst(kommune_id)
    ud = []
    with _klient(kommune_id) as c:
        for navn, skabelon in LISTER:
            sti = skabelon.format(**v)
            ud.append((f"{navn} side 1", sti))
            if (dyb := _dyb_sti(c, sti, dybde)) is not None:
                ud.append((f"{navn} dyb side", dyb))
    return ud


def planer(kommune_id, sti: str, analyse: bool = False, cur=None) -> list[dict]:
    """EXPLAIN (JSON) of every SELECT ``GET sti`` runs as a client of the municipality."""
    from django.db import connection

    with _klient(kommune_id) as c:
        sqls, _ = _select(c, sti)
        ud = []
        with connection.cursor() if cur is None else _ingen(cur) as k:
            for sql in sqls:
                k.execute(f"EXPLAIN (FORMAT JSON{', ANALYZE' if analyse else ''}) {sql}")
                plan = k.fetchone()[0]
                ud.append((json.loads(plan) if isinstance(plan, str) else plan)[0] | {"SQL": sql})
        return ud


@contextmanager
def _ingen(cur):
    yield cur


def maal_lister_sql(cur, kommune_id, gentag: int = 3, dybde: int = DYBDE) -> list[tuple[str, str, float]]:
    """``(navn, sti, sql_ms)`` for page 1 and the deep page of every case: the median over ``gentag``
    runs of the summed ``EXPLAIN ANALYZE`` execution times of the page's SELECTs. ``cur``: a cursor on
    the same database as Django's default connection (or None for Django's)."""
    ud = []
    for navn, sti in stier(kommune_id, dybde):
        tider = []
        for _ in range(gentag):
            tider.append(sum(p["Execution Time"] for p in planer(kommune_id, sti, analyse=True, cur=cur)))
        ud.append((navn, sti, statistics.median(tider)))
    return ud


def _noder(plan: dict):
    yield plan
    for barn in plan.get("Plans", []):
        yield from _noder(barn)


def main(argv=None) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.development")
    os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "0")
    import django

    django.setup()
    from cases.models import Forloeb, Kommune

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--gentag", type=int, default=3)
    p.add_argument("--explain", action="store_true", help="print each page's plan nodes")
    p.add_argument("--kun", default="", help="only cases whose name starts with this")
    args = p.parse_args(argv)
    kommune = Kommune.objects.filter(navn="Benchkommune (fiktiv)").first() or Kommune.objects.first()
    n = Forloeb.objects.filter(kommune=kommune).count()
    print(f"# {kommune}: {n} forløb; load average {os.getloadavg()[0]:.2f}")
    for navn, sti in stier(kommune.pk):
        if not navn.startswith(args.kun):
            continue
        tider = [sum(pl["Execution Time"] for pl in planer(kommune.pk, sti, analyse=True)) for _ in range(args.gentag)]
        print(f"{statistics.median(tider):9.2f} ms  {navn:45} {sti}")
        if args.explain:
            for pl in planer(kommune.pk, sti, analyse=True):
                for node in _noder(pl["Plan"]):
                    print(f"{'':14}{node['Node Type']} {node.get('Relation Name', '')} {node.get('Index Name', '')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
