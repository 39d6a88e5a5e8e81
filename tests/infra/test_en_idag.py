"""One "today" for the whole product: ``infra.datoer.idag()`` is Django's clock (``timezone.now``)
read in the municipality's time zone, so a test that moves that clock moves every date with it.

ruff's TID251 (pyproject.toml) bans the other ways to get today or now (``date.today``,
``datetime.now``, ``timezone.localdate``, ...) everywhere. What TID251 cannot see is checked here:
the UTC date of Django's clock (``timezone.now().date()``, also through a name bound to it) and the
wall clock in templates (``{% now %}``).
"""

from __future__ import annotations

import ast
import datetime as dt
import os
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import services
from infra import cpr as cprlib
from infra import datoer

ROD = Path(__file__).resolve().parents[2]
IKKE_KODE = {".venv", "node_modules", ".data", ".git", "static"}


def stil_ur(monkeypatch, nu: dt.datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: nu)


@pytest.mark.parametrize(
    ("nu", "dag"),
    [
        (dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC), dt.date(2026, 3, 2)),  # 00:30 Monday, winter time
        (dt.datetime(2026, 7, 1, 22, 30, tzinfo=dt.UTC), dt.date(2026, 7, 2)),  # 00:30, summer time (UTC+2)
        (dt.datetime(2026, 7, 1, 21, 30, tzinfo=dt.UTC), dt.date(2026, 7, 1)),  # 23:30 the same evening
    ],
)
def test_idag_er_djangos_ur_i_kommunens_tidszone(monkeypatch, nu, dag):
    stil_ur(monkeypatch, nu)
    assert datoer.idag() == dag
    assert datoer.lokal_dato(nu) == dag


def test_flyttes_djangos_ur_flytter_produktets_datoer_med(monkeypatch, borger, sagsbehandler):
    """Years ahead of the wall clock: what is 'today' and 'the future' follows the moved clock."""
    stil_ur(monkeypatch, dt.datetime(2031, 6, 1, 10, tzinfo=dt.UTC))

    p = services.paaroerende_opret(
        actor=sagsbehandler,
        borger=borger,
        navn="Bente Fiktiv",
        relation="bisidder",
        samtykke_dato=dt.date(2031, 6, 1),
        samtykke_omfang="Møder",
    )
    assert p.samtykke_dato == dt.date(2031, 6, 1)
    assert cprlib.parse("3105314123").foedselsdato == dt.date(2031, 5, 31)
    with pytest.raises(ValidationError, match="fødselsdato i fremtiden"):
        cprlib.parse("0206314123")
    assert borger.alder() == borger.alder(paa=dt.date(2031, 6, 1))


# --- what TID251 cannot see ---------------------------------------------------------------------------
def _djangos_ur_aliaser(tree: ast.Module) -> tuple[set[str], set[str]]:
    """Names bound to the module ``django.utils.timezone`` and to its ``now``/``localtime``."""
    moduler, funktioner = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils":
            moduler |= {a.asname or a.name for a in node.names if a.name == "timezone"}
        elif isinstance(node, ast.ImportFrom) and node.module == "django.utils.timezone":
            funktioner |= {a.asname or a.name for a in node.names if a.name in ("now", "localtime")}
        elif isinstance(node, ast.Import):
            moduler |= {a.asname for a in node.names if a.name == "django.utils.timezone" and a.asname}
    return moduler, funktioner


def dag_af_djangos_ur(kilde: str) -> list[int]:
    """Lines that take ``.date()`` of Django's clock (``timezone.now()`` / ``timezone.localtime()``):
    that is the UTC day, or a second way to say today. Also through a name bound to the clock in
    the same function (``nu = timezone.now()`` ... ``nu.date()``)."""
    tree = ast.parse(kilde)
    moduler, funktioner = _djangos_ur_aliaser(tree)

    def er_ur(node: ast.AST) -> bool:
        if not isinstance(node, ast.Call):
            return False
        f = node.func
        if isinstance(f, ast.Name):
            return f.id in funktioner
        return (
            isinstance(f, ast.Attribute)
            and f.attr in ("now", "localtime")
            and (
                (isinstance(f.value, ast.Name) and f.value.id in moduler)
                or ast.unparse(f.value) == "django.utils.timezone"
            )
        )

    def indeholder_ur(node: ast.AST) -> bool:
        return any(er_ur(n) for n in ast.walk(node))

    def i_scope(scope: ast.AST):
        """The nodes of one function (or the module) without those of functions nested in it."""
        stak = list(ast.iter_child_nodes(scope))
        while stak:
            node = stak.pop()
            yield node
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                stak.extend(ast.iter_child_nodes(node))

    fund = set()
    for scope in ast.walk(tree):
        if not isinstance(scope, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        navne = set()
        for node in i_scope(scope):
            bindes = isinstance(node, (ast.Assign, ast.AnnAssign, ast.NamedExpr)) and node.value is not None
            if bindes and indeholder_ur(node.value):
                maal = node.targets if isinstance(node, ast.Assign) else [node.target]
                navne |= {n.id for t in maal for n in ast.walk(t) if isinstance(n, ast.Name)}
        for node in i_scope(scope):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "date"
                and not node.args
            ):
                modtager = node.func.value
                if indeholder_ur(modtager) or (isinstance(modtager, ast.Name) and modtager.id in navne):
                    fund.add(node.lineno)
    return sorted(fund)


def _filer(endelse: str):
    for mappe, undermapper, filer in os.walk(ROD):
        undermapper[:] = sorted(m for m in undermapper if m not in IKKE_KODE)
        yield from (Path(mappe) / f for f in sorted(filer) if f.endswith(endelse))


def test_finderen_kender_formerne():
    kilde = (
        "from django.utils import timezone\n"  # 1
        "from django.utils import timezone as tz\n"  # 2
        "from django.utils.timezone import localtime, now\n"  # 3
        "def a():\n"  # 4
        "    return timezone.now().date()\n"  # 5
        "def b(x):\n"  # 6
        "    nu = x or tz.now()\n"  # 7
        "    return nu.date()\n"  # 8
        "def c():\n"  # 9
        "    return localtime().date()\n"  # 10
        "def d():\n"  # 11
        "    return now().astimezone(tz.get_current_timezone()).date()\n"  # 12
        "def e(obj, nu):\n"  # 13
        "    return obj.oprettet.date(), nu.date(), timezone.now()\n"  # 14: not Django's clock
    )
    assert dag_af_djangos_ur(kilde) == [5, 8, 10, 12]


def test_ingen_kode_tager_datoen_af_djangos_ur_uden_om_datoer():
    fund = [
        f"{sti.relative_to(ROD)}:{linje}"
        for sti in _filer(".py")
        for linje in dag_af_djangos_ur(sti.read_text(encoding="utf-8"))
    ]
    assert not fund, "Use infra.datoer.idag() (or datoer.lokal_dato(moment)) instead of .date() on:\n" + "\n".join(fund)


def test_ingen_skabelon_bruger_vaeguret():
    """``{% now %}`` reads the wall clock, not Django's: pages get ``idag`` from the view instead."""
    fund = [str(sti.relative_to(ROD)) for sti in _filer(".html") if "{% now " in sti.read_text(encoding="utf-8")]
    assert not fund
