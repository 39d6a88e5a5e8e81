"""Correlated sub-selects of a hot read path, compiled once per process (issue #14).

A hot API read describes what each row shows of other tables with the ORM (``ArraySubquery`` of
``JSONObject`` rows: a forløb's deadlines and history, a document's facts and deliveries). Building
and compiling those expressions on every request cost more Python time than the rest of the request
(measured with ``bench/profil.py`` and ``/work``-style cProfile runs of the lists), yet their SQL never
changes: it refers to the outer row only through ``"<base table>"."id"``, the base table of every
query of the model (joined copies of the table get aliases, the base table keeps its name).

:func:`forberedt` turns a function that annotates a queryset into one that annotates the same SQL,
compiled from the ORM description the first time a process needs it (per database alias), as
``RawSQL`` with the original output field, so the rows are decoded exactly as before::

    med_fakta = forberedt(lambda qs: qs.annotate(fakta_json=ArraySubquery(...)), Dokument, ["fakta_json"])
    med_fakta(qs)  # == the lambda's SQL, without building the expressions again

The callers' tests pin that the reused SQL is the ORM description's (statement for statement) and
that it reads the same rows within each caller's scope.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache

from django.db.models import Model, QuerySet
from django.db.models.expressions import RawSQL


def forberedt(
    annoter: Callable[[QuerySet], QuerySet], model: type[Model], navne: Sequence[str]
) -> Callable[[QuerySet], QuerySet]:
    """``annoter(qs)``'s annotations ``navne`` (correlated to ``model``'s primary key only), compiled once."""

    @cache
    def kompileret(alias: str) -> tuple[tuple[str, str, tuple, object], ...]:
        query = annoter(model._default_manager.all()).query
        compiler = query.get_compiler(using=alias)
        ud = []
        for navn in navne:
            udtryk = query.annotations[navn]
            sql, params = compiler.compile(udtryk)
            ud.append((navn, sql, tuple(params), udtryk.output_field))
        return tuple(ud)

    def anvend(qs: QuerySet) -> QuerySet:
        # S611: the SQL is Django's own compilation of a constant expression; every value stays a parameter.
        return qs.annotate(
            **{navn: RawSQL(sql, params, output_field=felt) for navn, sql, params, felt in kompileret(qs.db)}  # noqa: S611
        )

    anvend.kompileret = kompileret  # type: ignore[attr-defined]  # for tests: the cached SQL per alias
    return anvend
