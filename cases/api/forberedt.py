"""The forløb detail's deadline and history sub-selects, compiled once per process.

:func:`cases.api.detalje.med_frister_og_historik` describes the two correlated sub-selects with the
ORM (``ArraySubquery`` of ``JSONObject`` rows). Building and compiling those expressions on every
request cost more Python time than everything else in the detail GET (about half of its in-process
wall time, measured with ``bench/profil.py``), yet their SQL never changes.
:func:`med_frister_og_historik` here annotates the same SQL, compiled the first time a process needs
it (:func:`infra.api.forberedt.forberedt`). ``tests/cases/test_api_detalje_forberedt.py`` checks that
the query is the ORM version's, statement for statement.
"""

from __future__ import annotations

from cases.models import Forloeb
from cases.selectors import forloeb_for, omfang
from infra.api.forberedt import forberedt, opslag

from . import detalje

NAVNE = ("frister_json", "historik_json")

#: ``detalje.med_frister_og_historik(qs)`` with the sub-selects' SQL compiled once.
med_frister_og_historik = forberedt(detalje.med_frister_og_historik, Forloeb, NAVNE)


#: ``hent_detalje(user, pk)``: the forløb the detail GET shows (scoped to ``user``, with its citizen,
#: team and caseworker, deadlines and history), or ``None``; its SQL compiled once per scope.
hent_detalje = opslag(Forloeb, lambda user: med_frister_og_historik(forloeb_for(user)), omfang)
