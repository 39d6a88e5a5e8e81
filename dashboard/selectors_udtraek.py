"""The drill-down behind one number of the dashboard: the same base query as the panel with the
cell's dimensions as ``WHERE``, so a list always shows exactly the forløb behind a number, and
states the number itself in the panel's unit ("23 frister i 18 forløb")."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Min, Q

from cases.models import Forloeb
from infra.replika import laeseforbindelse

from .selectors import PANELER, Omfang, Panel, synlige_forloeb

DIM_GYLDIGE = {
    "status": {"overskredet", "snart", "i_rute"},
    "gruppe": {"booket", "venter"},
    "grund": {"overskredet", "inden_n_dage", "prognose", "ingen"},
    "mangler": {"begge", "kompenserende", "progression", "komplet"},
}
_ORD = re.compile(r"^[a-z_]{0,40}$")
_MAANED = re.compile(r"^\d{4}-\d{2}$")


class UgyldigtUdtraek(ValueError):
    """The drill-down's criteria are not a cell of the dashboard."""


def kriterier(panel_navn: str, data) -> tuple[Panel, dict]:
    """The panel and its cell criteria from GET data; unknown or malformed values are refused."""
    panel = PANELER.get(panel_navn or "")
    if panel is None:
        raise UgyldigtUdtraek("Ukendt panel.")
    out: dict[str, object] = {}
    for dim, kind in panel.dims.items():
        raw = data.get(dim)
        if raw is None or raw == "":
            continue
        value: object
        try:
            if kind == "int":
                value = int(raw)
            elif kind == "bool":
                if raw not in ("0", "1"):
                    raise ValueError
                value = raw == "1"
            elif kind == "uuid":
                value = uuid.UUID(raw)
            elif kind == "ejer":
                value = None if raw == "ingen" else int(raw)
            else:
                value = raw
                if not (_MAANED.match(raw) if dim == "maaned" else _ORD.match(raw)):
                    raise ValueError
                if dim in DIM_GYLDIGE and raw not in DIM_GYLDIGE[dim]:
                    raise ValueError
        except ValueError:
            raise UgyldigtUdtraek(f"Ugyldig værdi for {dim}.") from None
        out[dim] = value
    return panel, out


# ``enheder``: the rows of the base behind the cell (the number the dashboard shows, in the panel's
# unit); ``total``: the distinct forløb they belong to (what the list shows).
UDTRAEK = """SELECT fo.id, count(*) OVER () AS total, (SELECT count(*) FROM b WHERE {where}) AS enheder
FROM cases_forloeb fo JOIN cases_borger bo ON bo.id = fo.borger_id
WHERE fo.id IN (SELECT b.forloeb_id FROM b WHERE {where})
ORDER BY bo.efternavn, bo.fornavn, fo.id"""


@dataclass(frozen=True)
class Optaelling:
    """The drill-down's count: the clicked number in the panel's unit and the forløb listed."""

    enheder: int
    forloeb: int
    enhed: tuple[str, str]

    @property
    def tekst(self) -> str:
        """Danish: '23 frister i 18 forløb', or '18 forløb' where the panel counts forløb."""
        ental, flertal = self.enhed
        if ental == "forløb" and self.enheder == self.forloeb:
            return f"{self.forloeb} forløb"
        return f"{self.enheder} {ental if self.enheder == 1 else flertal} i {self.forloeb} forløb"


def _udtraek_sql(panel: Panel, kriterier: dict) -> tuple[str, dict]:
    where = " AND ".join(f"b.{d} IS NOT DISTINCT FROM %(k_{d})s" for d in kriterier) or "TRUE"
    # Only the panel's own dimension names go into the text; the values are parameters.
    sql = panel._with() + UDTRAEK.replace("{where}", where)
    return sql, {f"k_{d}": v for d, v in kriterier.items()}


def udtraek(omfang: Omfang, panel: Panel, kriterier: dict, *, limit=None, offset=0) -> tuple[list, Optaelling]:
    """The ids (ordered by citizen name) of the forløb behind one cell, and the count of the cell."""
    if not omfang.team_ids:
        return [], Optaelling(0, 0, panel.enhed)
    sql, extra = _udtraek_sql(panel, kriterier)
    params = omfang.params() | extra
    if limit is not None:
        sql += " LIMIT %(limit)s OFFSET %(offset)s"
        params |= {"limit": limit, "offset": offset}
    with laeseforbindelse().cursor() as cur:  # the read replica when the page may use it
        cur.execute(sql, params)
        rows = cur.fetchall()
    optaelling = Optaelling(rows[0][2] if rows else 0, rows[0][1] if rows else 0, panel.enhed)
    return [r[0] for r in rows], optaelling


def udtraek_ids(omfang: Omfang, panel: Panel, kriterier: dict, *, limit=None, offset=0) -> tuple[list, int]:
    """The ids (ordered by citizen name) of the forløb behind one cell, and their total."""
    ids, optaelling = udtraek(omfang, panel, kriterier, limit=limit, offset=offset)
    return ids, optaelling.forloeb


def forloeb_raekker(user, ids: list) -> list[Forloeb]:
    """The forløb for these ids in the given order, re-read through the user's scope."""
    qs = (
        synlige_forloeb(user)
        .filter(pk__in=ids)
        .annotate(naermeste_frist=Min("frister__gaeldende_forfald", filter=Q(frister__lukket_dato__isnull=True)))
    )
    by_id = {f.pk: f for f in qs}
    return [by_id[i] for i in ids if i in by_id]


def udtraek_chunks(user, omfang: Omfang, panel: Panel, kriterier: dict, size: int = 1000) -> Iterator[list[Forloeb]]:
    """All forløb of one cell in chunks (for the streamed CSV export)."""
    ids, _ = udtraek_ids(omfang, panel, kriterier)
    for start in range(0, len(ids), size):
        yield forloeb_raekker(user, ids[start : start + size])
