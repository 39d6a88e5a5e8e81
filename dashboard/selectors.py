"""The team leader's deadline dashboard: every aggregate as one set-based SQL statement.

Each panel is a *base* query that returns one row per counted thing (a deadline, a forløb, a
booking, a complaint) with its ``forloeb_id`` and the panel's dimensions, and an *aggregate*
over that base (``GROUP BY`` / ``FILTER``). The drill-down of a number runs the same base with
the cell's dimensions as ``WHERE`` — so a list always shows exactly the forløb behind a number.

Scope: every statement starts from the CTE ``fl``, the forløb of the caller's municipality and
teams (``cases.selectors.teams_for``), optionally one caseworker. The drill-down re-reads its
rows through :func:`synlige_forloeb` (the selectors), so nothing outside the caller's teams can
appear even if a base query were wrong. The dashboard renders with one statement per panel,
whatever the number of forløb or caseworkers.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from functools import cached_property

from django.core.cache import cache
from django.db.models import QuerySet

from cases.models import Forloeb, Rolle, Team
from cases.selectors import forloeb_for, teams_for
from infra.replika import laeseforbindelse

from .regler import Regler, regler_for

#: Typical phase times (days) used when the municipality has no history of its own yet.
STANDARD_FASETIDER = {"forberedende_plan": 56, "rehabiliteringsteam": 28, "indstilling": 28}


def er_leder(user) -> bool:
    """Who may see the dashboard and reassign: team leaders (and superusers)."""
    return bool(getattr(user, "is_superuser", False) or getattr(user, "rolle", None) == Rolle.TEAMLEDER)


def leder_teams(user) -> QuerySet[Team]:
    """The teams a leader's dashboard covers: the leader's own teams; a superuser the municipality."""
    if getattr(user, "is_superuser", False) and getattr(user, "rolle", None) != Rolle.TEAMLEDER:
        kommune_id = getattr(user, "kommune_id", None)
        return Team.objects.filter(jobcenter__kommune_id=kommune_id) if kommune_id else Team.objects.none()
    return teams_for(user)


def synlige_forloeb(user) -> QuerySet[Forloeb]:
    """Forløb the dashboard user may see (selectors; a superuser: the municipality)."""
    if getattr(user, "is_superuser", False) and getattr(user, "rolle", None) != Rolle.TEAMLEDER:
        kommune_id = getattr(user, "kommune_id", None)
        qs = Forloeb.objects.select_related("borger", "team", "sagsbehandler")
        return qs.filter(kommune_id=kommune_id) if kommune_id else qs.none()
    return forloeb_for(user)


FASETIDER_STANDARD = (56, 28, 28)  # forberedende plan, rehabiliteringsteam, indstilling (days)
FASETIDER_CACHE_SEKUNDER = 3600

FASETIDER_SQL = """
WITH fase AS (
    -- Days spent in a state: each transition's date minus the forløb's previous transition date.
    SELECT o.fra_tilstand, o.dato,
           o.dato - lag(o.dato) OVER (PARTITION BY o.forloeb_id ORDER BY o.dato, o.id) AS dage
    FROM cases_overganglog o JOIN cases_forloeb f2 ON f2.id = o.forloeb_id
    WHERE f2.kommune_id = %(kommune)s AND o.dato >= %(idag)s::date - 730
)
SELECT
  round(percentile_cont(0.5) WITHIN GROUP (ORDER BY dage) FILTER (WHERE fra_tilstand = 'forberedende_plan'))::int,
  round(percentile_cont(0.5) WITHIN GROUP (ORDER BY dage) FILTER (WHERE fra_tilstand = 'rehabiliteringsteam'))::int,
  round(percentile_cont(0.5) WITHIN GROUP (ORDER BY dage) FILTER (WHERE fra_tilstand = 'indstilling'))::int
FROM fase WHERE dage IS NOT NULL AND dato >= %(idag)s::date - 365
"""


def fasetider(kommune_id, idag: dt.date) -> tuple[int, int, int]:
    """The municipality's median days in forberedende plan, rehabiliteringsteam and indstilling over
    the last year (from the transition history), with defaults where there is no history.

    One window over two years of the whole municipality's history: at 200,000 forløb it costs more
    than everything else on the dashboard, and it moves slowly, so it is cached for an hour per
    municipality and day in the shared cache (Redis: every web node uses the same entry).
    """
    key = f"dashboard:fasetider:{kommune_id}:{idag.isoformat()}"
    hit = cache.get(key)
    if hit is not None:
        return hit[0], hit[1], hit[2]
    with laeseforbindelse().cursor() as cur:  # the read replica when the page may use it
        cur.execute(FASETIDER_SQL, {"kommune": kommune_id, "idag": idag})
        row = cur.fetchone() or (None, None, None)
    a, b, c = (v if v is not None else d for v, d in zip(row, FASETIDER_STANDARD, strict=True))
    resultat = (a, b, c)
    cache.set(key, resultat, FASETIDER_CACHE_SEKUNDER)
    return resultat


@dataclass(frozen=True)
class Omfang:
    """What the dashboard looks at: municipality, teams, optionally one caseworker, a period."""

    kommune_id: uuid.UUID | None
    team_ids: tuple[uuid.UUID, ...]
    sagsbehandler_id: int | None
    fra: dt.date
    til: dt.date
    idag: dt.date
    n_dage: int = 14

    @cached_property
    def regler(self) -> Regler:
        """The municipality's rule catalogue as of ``idag`` (read once per scope)."""
        return regler_for(self.kommune_id, self.idag)

    def params(self) -> dict:
        fp, rt, ind = fasetider(self.kommune_id, self.idag) if self.kommune_id else FASETIDER_STANDARD
        return {
            "fp": fp,
            "rt": rt,
            "ind": ind,
            "kommune": self.kommune_id,
            "teams": list(self.team_ids),
            "sb": self.sagsbehandler_id,
            "fra": self.fra,
            "til": self.til,
            "idag": self.idag,
            "n": self.n_dage,
            "varsel": self.regler.moede_varsel_dage,
            "servicemaal_dage": self.regler.servicemaal_dage,
        }


FL = """
fl AS MATERIALIZED (
    SELECT id, sagsbehandler_id, team_id, tilstand, forberedende_plan_start
    FROM cases_forloeb
    WHERE kommune_id = %(kommune)s AND team_id = ANY(%(teams)s::uuid[])
      AND (%(sb)s::bigint IS NULL OR sagsbehandler_id = %(sb)s::bigint)
)"""


@dataclass(frozen=True)
class Panel:
    navn: str
    titel: str
    base: str  # SELECT ... with forloeb_id and the dimension columns; may use fl and ctes
    agg: str  # SELECT ... FROM b ...
    dims: dict[str, str] = field(default_factory=dict)  # name -> kind: int | str | bool | uuid | ejer
    ctes: str = ""
    #: What one row of the base is, as the panel's numbers count it (Danish singular, plural): the
    #: drill-down states the clicked number in this unit before the forløb it lists.
    enhed: tuple[str, str] = ("forløb", "forløb")

    def _with(self) -> str:
        return f"WITH {FL}{self.ctes},\nb AS ({self.base})\n"

    def agg_sql(self) -> str:
        return self._with() + self.agg


PANELER: dict[str, Panel] = {}


def _panel(**kw) -> Panel:
    p = Panel(**kw)
    PANELER[p.navn] = p
    return p


# 1. Open deadlines (the municipality's) by status per caseworker.
FRISTER = _panel(
    enhed=("frist", "frister"),
    navn="frister",
    titel="Åbne frister efter status",
    base="""
    SELECT f.forloeb_id, fl.sagsbehandler_id AS ejer,
           CASE WHEN f.status = 'overskredet' OR f.gaeldende_forfald < %(idag)s::date THEN 'overskredet'
                WHEN f.gaeldende_forfald <= %(idag)s::date + %(n)s::int THEN 'snart'
                ELSE 'i_rute' END AS status
    FROM cases_frist f JOIN fl ON fl.id = f.forloeb_id
    WHERE f.lukket_dato IS NULL AND f.ansvar = 'kommune' AND f.kommune_id = %(kommune)s
    """,
    agg="SELECT ejer, status, count(*) AS antal FROM b GROUP BY ejer, status",
    dims={"ejer": "ejer", "status": "str"},
)

# 2. Weeks from start of forberedende plan to decision: the closed servicemål deadlines (one per episode).
UGER = _panel(
    enhed=("afgørelse", "afgørelser"),
    navn="uger",
    titel="Uger fra start på forberedende plan til afgørelse",
    base="""
    SELECT f.forloeb_id, LEAST((f.lukket_dato - f.start_dato) / 7, 52) AS uger, f.lukket_dato - f.start_dato AS dage
    FROM cases_frist f JOIN fl ON fl.id = f.forloeb_id
    WHERE f.art = 'servicemaal_afgoerelse' AND f.kommune_id = %(kommune)s AND f.status <> 'bortfaldet'
      AND f.lukket_dato BETWEEN %(fra)s AND %(til)s
    """,
    agg="""SELECT uger, count(*) AS antal, (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY dage) FROM b) AS median,
           (SELECT count(*) FILTER (WHERE dage <= %(servicemaal_dage)s) FROM b) AS inden
    FROM b GROUP BY uger""",
    dims={"uger": "int"},
)

# 3. Rettidighed: deadlines that fell due in the period (before today), met on time or not, per kind and month.
RETTIDIGHED = _panel(
    enhed=("frist", "frister"),
    navn="rettidighed",
    titel="Rettidighed pr. fristart og måned",
    base="""
    SELECT f.forloeb_id, f.art, to_char(f.gaeldende_forfald, 'YYYY-MM') AS maaned, d.navn,
           (f.lukket_dato IS NOT NULL AND f.lukket_dato <= f.gaeldende_forfald) AS rettidig
    FROM cases_frist f JOIN fl ON fl.id = f.forloeb_id JOIN cases_fristdefinition d ON d.id = f.definition_id
    WHERE f.kommune_id = %(kommune)s AND f.ansvar = 'kommune' AND f.status <> 'bortfaldet'
      AND f.gaeldende_forfald BETWEEN %(fra)s AND %(til)s AND f.gaeldende_forfald < %(idag)s::date
    """,
    agg="""SELECT art, max(navn) AS navn, maaned, count(*) AS antal, count(*) FILTER (WHERE rettidig) AS rettidige
    FROM b GROUP BY art, maaned""",
    dims={"art": "str", "maaned": "str", "rettidig": "bool"},
)

# 4. Caseload: open forløb per caseworker, with the team's norm.
SAGSSTAMME = _panel(
    navn="sagsstamme",
    titel="Sagsstamme pr. sagsbehandler",
    base="SELECT fl.id AS forloeb_id, fl.sagsbehandler_id AS ejer, fl.team_id FROM fl WHERE fl.tilstand <> 'afsluttet'",
    agg="""SELECT b.ejer, count(*) AS antal, max(t.sagsnorm) AS norm
    FROM b JOIN cases_team t ON t.id = b.team_id GROUP BY b.ejer""",
    dims={"ejer": "ejer"},
)

# 5. Caseworker changes (Sagsejerskab rows - 1) and distinct journal-note authors per open forløb.
SKIFT = _panel(
    navn="skift",
    titel="Sagsbehandlerskift og forskellige skrivere pr. forløb",
    base="""
    SELECT fl.id AS forloeb_id,
           LEAST(GREATEST(COALESCE(e.n, 0) - 1, 0), 3) AS skift,
           LEAST(COALESCE(j.n, 0), 4) AS skrivere
    FROM fl
    LEFT JOIN (SELECT forloeb_id, count(*) AS n FROM cases_sagsejerskab
               WHERE forloeb_id IN (SELECT id FROM fl) GROUP BY forloeb_id) e ON e.forloeb_id = fl.id
    LEFT JOIN (SELECT forloeb_id, count(DISTINCT COALESCE(forfatter_id::text, forfatter_navn)) AS n
               FROM cases_journalnotat WHERE forloeb_id IN (SELECT id FROM fl) GROUP BY forloeb_id) j
           ON j.forloeb_id = fl.id
    WHERE fl.tilstand <> 'afsluttet'
    """,
    agg="""SELECT 'skift' AS maal, skift AS vaerdi, count(*) AS antal FROM b GROUP BY skift
    UNION ALL SELECT 'skrivere', skrivere, count(*) FROM b GROUP BY skrivere""",
    dims={"skift": "int", "skrivere": "int"},
)

# 6. Rehab meeting queue: upcoming meeting days (municipality-wide capacity) and the team's waiting forløb.
REHAB = _panel(
    navn="rehab",
    titel="Rehabiliteringsteamets møder og kø",
    base="""
    SELECT bk.forloeb_id, bk.moededag_id AS moededag, 'booket' AS gruppe, NULL::int AS dage
    FROM rehab_booking bk JOIN fl ON fl.id = bk.forloeb_id JOIN rehab_moededag m ON m.id = bk.moededag_id
    WHERE bk.status = 'booket' AND m.dato >= %(idag)s::date
    UNION ALL
    SELECT fl.id, NULL::uuid, 'venter', %(idag)s::date - fl.forberedende_plan_start
    FROM fl
    WHERE fl.tilstand = 'forberedende_plan'
      AND NOT EXISTS (SELECT 1 FROM rehab_booking bk WHERE bk.forloeb_id = fl.id AND bk.status = 'booket')
    """,
    agg="""(SELECT m.id::text AS noegle, m.dato, m.kapacitet, count(bk.id) AS booket,
            count(bk.id) FILTER (WHERE bk.forloeb_id IN (SELECT id FROM fl)) AS egne, NULL::float AS median
     FROM rehab_moededag m LEFT JOIN rehab_booking bk ON bk.moededag_id = m.id AND bk.status = 'booket'
     WHERE m.kommune_id = %(kommune)s AND m.dato >= %(idag)s::date
     GROUP BY m.id, m.dato, m.kapacitet ORDER BY m.dato LIMIT 12)
    UNION ALL
    SELECT 'venter', NULL, NULL, count(*), count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY dage)
    FROM b WHERE gruppe = 'venter'""",
    dims={"moededag": "uuid", "gruppe": "str"},
)

# 7. Citizens on ledighedsydelse now, by waiting time.
LEDIGHED_GRAENSER = [(0, "Under 3 måneder"), (1, "3-6 måneder"), (2, "6-12 måneder"), (3, "1-2 år"), (4, "Over 2 år")]
LEDIGHED = _panel(
    enhed=("borger på ledighedsydelse", "borgere på ledighedsydelse"),
    navn="ledighed",
    titel="Borgere på ledighedsydelse og deres ventetid",
    base="""
    SELECT v.forloeb_id, %(idag)s::date - l.start AS dage,
           CASE WHEN %(idag)s::date - l.start < 91 THEN 0 WHEN %(idag)s::date - l.start < 182 THEN 1
                WHEN %(idag)s::date - l.start < 365 THEN 2 WHEN %(idag)s::date - l.start < 730 THEN 3 ELSE 4 END
               AS ventetid
    FROM flexjob_ledighedsydelse l
    JOIN flexjob_visitation v ON v.id = l.visitation_id JOIN fl ON fl.id = v.forloeb_id
    WHERE l.start <= %(idag)s::date AND (l.slut IS NULL OR l.slut > %(idag)s::date)
    """,
    agg="""SELECT ventetid, count(*) AS antal,
           (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY dage) FROM b) AS median,
           (SELECT max(dage) FROM b) AS maks
    FROM b GROUP BY ventetid""",
    dims={"ventetid": "int"},
)

# 8. Complaints received in the period and Ankestyrelsen's results.
KLAGER = _panel(
    enhed=("klage", "klager"),
    navn="klager",
    titel="Klager og Ankestyrelsens afgørelser",
    base="""
    SELECT k.forloeb_id, k.status AS klagestatus, k.ankestyrelsens_resultat AS resultat
    FROM decisions_klage k JOIN fl ON fl.id = k.forloeb_id
    WHERE k.modtaget_dato BETWEEN %(fra)s AND %(til)s
    """,
    agg="SELECT klagestatus, resultat, count(*) AS antal FROM b GROUP BY klagestatus, resultat",
    dims={"klagestatus": "str", "resultat": "str"},
)

# 9. Risk: overdue, due within N days, or forecast to miss the servicemål (each forløb's own deadline) from the typical
#    phase times (median days per state over the last year, from the transition history) and the
#    next free meeting slot (or the booked one).
RISIKO = _panel(
    navn="risiko",
    titel="Forløb i risiko for at overskride en frist",
    ctes="""
, median AS (
    -- Typical phase times of the municipality (fasetider(): cached, they move slowly).
    SELECT %(fp)s::int AS fp, %(rt)s::int AS rt, %(ind)s::int AS ind
), naeste AS (
    SELECT min(m.dato) AS dato FROM rehab_moededag m
    WHERE m.kommune_id = %(kommune)s AND m.dato >= %(idag)s::date + %(varsel)s::int
      AND m.kapacitet > (SELECT count(*) FROM rehab_booking bk WHERE bk.moededag_id = m.id AND bk.status = 'booket')
), inde AS (
    SELECT o.forloeb_id, max(o.dato) AS siden FROM cases_overganglog o
    WHERE o.forloeb_id IN (SELECT id FROM fl) GROUP BY o.forloeb_id
), aabne AS (
    SELECT f.forloeb_id, min(f.gaeldende_forfald) AS naermest,
           min(f.gaeldende_forfald) FILTER (WHERE f.art = 'servicemaal_afgoerelse') AS servicemaal
    FROM cases_frist f JOIN fl ON fl.id = f.forloeb_id
    WHERE f.lukket_dato IS NULL AND f.ansvar = 'kommune' AND f.kommune_id = %(kommune)s
    GROUP BY f.forloeb_id
), booket AS (
    SELECT bk.forloeb_id, min(m.dato) AS dato
    FROM rehab_booking bk JOIN rehab_moededag m ON m.id = bk.moededag_id
    WHERE bk.status = 'booket' AND bk.forloeb_id IN (SELECT id FROM fl) GROUP BY bk.forloeb_id
), prognose AS (
    SELECT fl.id AS forloeb_id, fl.sagsbehandler_id AS ejer, a.naermest, a.servicemaal,
      CASE fl.tilstand
        WHEN 'forberedende_plan' THEN GREATEST(
            %(idag)s::date + GREATEST(md.fp - (%(idag)s::date
                - COALESCE(i.siden, fl.forberedende_plan_start, %(idag)s::date)), 0) + md.rt + md.ind,
            COALESCE(bo.dato, nx.dato) + md.ind)
        WHEN 'rehabiliteringsteam' THEN COALESCE(bo.dato + md.ind,
            %(idag)s::date + GREATEST(md.rt - (%(idag)s::date - COALESCE(i.siden, %(idag)s::date)), 0) + md.ind)
        WHEN 'indstilling' THEN
            %(idag)s::date + GREATEST(md.ind - (%(idag)s::date - COALESCE(i.siden, %(idag)s::date)), 0)
      END AS forventet
    FROM fl
    LEFT JOIN aabne a ON a.forloeb_id = fl.id
    LEFT JOIN inde i ON i.forloeb_id = fl.id
    LEFT JOIN booket bo ON bo.forloeb_id = fl.id
    CROSS JOIN median md CROSS JOIN naeste nx
    WHERE fl.tilstand <> 'afsluttet'
)""",
    base="""
    SELECT p.forloeb_id, p.ejer, p.forventet, p.servicemaal,
           CASE WHEN p.naermest < %(idag)s::date THEN 'overskredet'
                WHEN p.naermest <= %(idag)s::date + %(n)s::int THEN 'inden_n_dage'
                WHEN p.servicemaal < p.forventet THEN 'prognose'
                ELSE 'ingen' END AS grund
    FROM prognose p
    """,
    agg="""SELECT b.grund, b.ejer, count(*) AS antal, max(md.fp) AS fp, max(md.rt) AS rt, max(md.ind) AS ind,
           max(nx.dato) AS naeste_moede
    FROM b CROSS JOIN median md CROSS JOIN naeste nx GROUP BY b.grund, b.ejer""",
    dims={"grund": "str", "ejer": "ejer"},
)

# 10. Fleksjob indstillinger in the period that leave out compensatory options or progression (seed-001 §6).
INDSTILLINGER = _panel(
    enhed=("indstilling", "indstillinger"),
    navn="indstillinger",
    titel="Indstillinger om fleksjob uden stillingtagen til kompenserende ordninger eller progression",
    base="""
    SELECT i.forloeb_id,
           CASE WHEN NOT k.komplet AND i.progression_mulig = '' THEN 'begge'
                WHEN NOT k.komplet THEN 'kompenserende'
                WHEN i.progression_mulig = '' THEN 'progression'
                ELSE 'komplet' END AS mangler
    FROM rehab_indstilling i JOIN fl ON fl.id = i.forloeb_id
    CROSS JOIN LATERAL (
        SELECT i.komp_hjaelpemidler <> '' AND i.komp_arbejdspladsindretning <> ''
               AND i.komp_personlig_assistance <> '' AND i.komp_mentor <> '' AND i.komp_oplaering <> '' AS komplet
    ) k
    WHERE i.udfald = 'fleksjob' AND i.dato BETWEEN %(fra)s AND %(til)s
    """,
    agg="SELECT mangler, count(*) AS antal FROM b GROUP BY mangler",
    dims={"mangler": "str"},
)


def _rows(sql: str, params: dict) -> list[dict]:
    with laeseforbindelse().cursor() as cur:  # the read replica when the page may use it
        cur.execute(sql, params)
        cols = [c.name for c in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def hent(omfang: Omfang) -> dict[str, list[dict]]:
    """Every panel's aggregate rows: one statement per panel, independent of the data's size."""
    params = omfang.params()
    if not omfang.team_ids:
        return {navn: [] for navn in PANELER}
    return {navn: _rows(p.agg_sql(), params) for navn, p in PANELER.items()}
