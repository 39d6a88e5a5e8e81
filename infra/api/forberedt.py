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

import copy
import uuid
from collections.abc import Callable, Hashable, Sequence
from functools import cache

from django.db import connections, router
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


#: The stand-in primary key a lookup's SQL is compiled with (a fresh UUID: no row has it).
_PK = uuid.uuid4()


def opslag(
    model: type[Model], byg: Callable[[object], QuerySet], omfang: Callable[[object], Hashable], maks: int = 1024
):
    """``hent(user, pk)``: the object ``byg(user).get(pk=pk)`` finds, or ``None`` — with the SQL of
    ``byg(user).filter(pk=...)`` compiled once per database alias and caller scope ``omfang(user)``.

    A detail GET spent more CPU building and compiling its query (the caller's scope, three joined
    models, the annotations) than running it, yet between two reads in the same scope only the
    primary key changes. So the query is compiled once with a stand-in key, the key's place among
    the parameters remembered, and each read runs that SQL with its own key through Django's own row
    decoding (``ModelIterable``: the compiler's select list, converters, related populators and
    annotations), so the object is the ORM's.

    ``omfang(user)`` must name everything ``byg`` takes from ``user`` that is not evaluated in SQL
    (the municipality, whether the scope is the whole municipality, the user whose team memberships
    a sub-select reads). A key that is not a UUID finds nothing (as the ORM's 404).
    """
    cache: dict[tuple, tuple | None] = {}

    def kompileret(alias: str, user) -> tuple | None:
        noegle = (alias, omfang(user))
        if noegle in cache:
            return cache[noegle]
        qs = byg(user).using(alias).filter(pk=_PK)
        if qs.query.is_empty():
            ud = None
        else:
            compiler = qs.query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            pladser = [i for i, p in enumerate(params) if p in (_PK, str(_PK), _PK.hex)]
            if len(pladser) != 1:
                raise RuntimeError(f"the stand-in key is {len(pladser)} times among the lookup's parameters, not once")
            ud = (qs, compiler, sql, tuple(params), pladser[0])
        if len(cache) >= maks:
            cache.clear()
        cache[noegle] = ud
        return ud

    def hent(user, pk):
        try:
            pk = pk if isinstance(pk, uuid.UUID) else uuid.UUID(str(pk))
        except ValueError:
            return None
        alias = router.db_for_read(model)
        k = kompileret(alias, user)
        if k is None:
            return None
        skabelon_qs, skabelon, sql, params, plads = k
        parametre = list(params)
        parametre[plads] = pk
        compiler = copy.copy(skabelon)
        compiler.connection = connections[alias]
        compiler.as_sql = lambda *a, **kw: (sql, parametre)
        qs = skabelon_qs._chain()
        qs.query.get_compiler = lambda *a, **kw: compiler  # Django's ModelIterable decodes the row
        rows = list(qs)
        return rows[0] if rows else None

    return hent
