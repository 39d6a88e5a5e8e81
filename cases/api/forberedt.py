"""The forløb detail's deadline and history sub-selects, compiled once per process.

:func:`cases.api.detalje.med_frister_og_historik` describes the two correlated sub-selects with the
ORM (``ArraySubquery`` of ``JSONObject`` rows). Building and compiling those expressions on every
request cost more Python time than everything else in the detail GET (about half of its in-process
wall time, measured with ``bench/profil.py``), yet their SQL never changes: it refers to the outer
forløb only through ``"cases_forloeb"."id"``, the base table of every forløb query.

:func:`med_frister_og_historik` here annotates the same SQL, compiled from the ORM description the
first time a process needs it (per database alias), as ``RawSQL`` with the original output field, so
the rows are decoded exactly as before. ``tests/cases/test_api_detalje_forberedt.py`` checks that the
query is the ORM version's, statement for statement.
"""

from __future__ import annotations

from functools import cache

from django.db.models import Field, QuerySet
from django.db.models.expressions import RawSQL

from cases.models import Forloeb

from . import detalje

NAVNE = ("frister_json", "historik_json")


@cache
def _kompileret(alias: str) -> tuple[tuple[str, str, tuple, Field], ...]:
    """(annotation, SQL, params, output field) of each sub-select, compiled for ``alias``."""
    query = detalje.med_frister_og_historik(Forloeb.objects.all()).query
    compiler = query.get_compiler(using=alias)
    ud = []
    for navn in NAVNE:
        udtryk = query.annotations[navn]
        sql, params = compiler.compile(udtryk)
        ud.append((navn, sql, tuple(params), udtryk.output_field))
    return tuple(ud)


def med_frister_og_historik(qs: QuerySet[Forloeb]) -> QuerySet[Forloeb]:
    """``detalje.med_frister_og_historik(qs)`` with the sub-selects' SQL compiled once."""
    # S611: the SQL is Django's own compilation of a constant expression; every value stays a parameter.
    return qs.annotate(
        **{navn: RawSQL(sql, params, output_field=felt) for navn, sql, params, felt in _kompileret(qs.db)}  # noqa: S611
    )
