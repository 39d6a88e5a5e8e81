"""The aftaler and borgere lists' lean read path answers exactly what the DRF serializers answer.

``GET /api/v1/aftaler/`` and ``GET /api/v1/borgere/`` read their page as dicts and build the answer by
hand (issue #14). These tests compare every row of a rich page with ``AftaleSerializer``'s and
``BorgerSerializer``'s output, key order included, page by page (cursor pages too): agreements of
every type and status, confirmed by both, one or no party, with and without an employment and the
optional numbers; citizens with a protected address (never shown in the list), verified by the
register or typed, dead, emigrated, with and without a team. The CPR is masked in both lists, and
the list's read is audited with the page's citizens as before.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from cases.api.serializers import BorgerSerializer
from cases.models import Borger
from flexjob.api.serializers import AftaleSerializer
from flexjob.models import Aftale, AftaleStatus, AftaleType, Ansaettelse, AnsaettelseKilde
from infra.models import AuditEntry
from tests import factories
from tests.api_hjaelp import alle_sider, som_json
from tests.cases.test_api_auth import bearer, opret_klient
from tests.flexjob.conftest import CVR, ansaettelse_til

pytestmark = pytest.mark.django_db


@pytest.fixture
def klient(team):
    _, token = opret_klient(team.jobcenter.kommune.kommunekode, "aftaler:write", "borgere:read", navn="Vitas")
    return bearer(token)


@pytest.fixture
def aftaler(team, sagsbehandler, klient):
    from cases.models import ApiKlient

    api_klient = ApiKlient.objects.get(navn="Vitas")
    fl = factories.forloeb_i("fleksjob", team=team, sagsbehandler=sagsbehandler)
    nu = timezone.now()
    ud = []
    for i in range(12):
        ud.append(Aftale.objects.create(
            kommune_id=fl.kommune_id, klient=api_klient, type=AftaleType.values[i % len(AftaleType.values)],
            status=AftaleStatus.values[i % 3], borger=fl.borger, virksomhed_cvr=CVR,
            virksomhed_p_nummer="1012345678" if i % 2 else "", virksomhed_navn=f"Fiktiv {i} ApS æøå",
            virksomhed_kontakt="" if i % 3 else "Mette", start=factories.dag(i), slut=factories.dag(i + 90) if i % 2 else None,
            timer_pr_uge=Decimal("12.5") if i % 2 else Decimal("37"), timer_begrundelse="" if i % 4 else "Fordi",
            opgaver="Opvask", formaal="Fleksjob", fleksjob_timer=Decimal("9.0") if i % 3 == 0 else None,
            fleksjob_intensitet=60 if i % 3 == 0 else None, ekstern_reference=f"VITAS-{i}", blanket="AB 325" if i % 2 else "",
            borger_bekraeftet=nu - dt.timedelta(hours=i) if i % 4 != 1 else None,
            borger_bekraeftet_af="Borgeren (MitID)" if i % 4 not in (1, 2) else "  ",
            arbejdsgiver_bekraeftet=nu if i % 2 == 0 else None, arbejdsgiver_bekraeftet_af="Mette" if i % 2 == 0 else "",
            afvist_begrundelse="Nej" if i % 3 == 2 else "", behandlet=nu if i % 3 else None,
        ))  # fmt: skip
    a = ansaettelse_til(fl)
    Ansaettelse.objects.filter(pk=a.pk).update(aftale=ud[0], kilde=AnsaettelseKilde.values[0])
    return ud


def test_aftalelisten_er_praecis_serializerens_svar(aftaler, klient):
    raekker = alle_sider(klient, "/api/v1/aftaler/", page_size=5)
    assert len(raekker) == 12
    objs = Aftale.objects.select_related("borger", "ansaettelse").in_bulk([r["id"] for r in raekker])
    forventet = som_json(AftaleSerializer([objs[uuid.UUID(r["id"])] for r in raekker], many=True).data)
    assert raekker == forventet
    assert [list(r) for r in raekker] == [list(r) for r in forventet]  # the same key order too
    assert {r["bekraeftet"] for r in raekker} == {True, False}
    assert any(r["ansaettelse"] for r in raekker) and any(r["fleksjob_timer"] for r in raekker)
    assert all("*" in r["cpr_maskeret"] for r in raekker)


def test_borgerlisten_er_praecis_serializerens_svar_med_cpr_maskeret_og_laesningen_logget(team, sagsbehandler, klient):
    borgere = [
        factories.borger(team, actor=sagsbehandler, fornavn=f"Karen {i}", efternavn="Fiktivsen") for i in range(9)
    ]
    Borger.objects.filter(pk=borgere[0].pk).update(
        adressebeskyttelse=True, adresse="Skjultvej 1", postnummer="9999", by="X"
    )
    Borger.objects.filter(pk=borgere[1].pk).update(
        adresse="Fiktivvej 2", postnummer="9998", by="Testby", email="k@example.org"
    )
    Borger.objects.filter(pk=borgere[2].pk).update(
        register_opdateret=timezone.now(), kilder={f: "register" for f in ("fornavn", "efternavn", "civilstand")}
    )
    Borger.objects.filter(pk=borgere[3].pk).update(
        register_opdateret=timezone.now(), kilder={}, doed_dato=factories.dag(1)
    )
    Borger.objects.filter(pk=borgere[4].pk).update(udrejst_dato=factories.dag(2), tolk=True, tolkesprog="Arabisk")
    foer = AuditEntry.objects.filter(handling="borger.liste").count()
    raekker = alle_sider(klient, "/api/v1/borgere/", page_size=5)
    assert len(raekker) >= 9
    objs = Borger.objects.in_bulk([r["id"] for r in raekker])
    forventet = som_json(BorgerSerializer([objs[uuid.UUID(r["id"])] for r in raekker], many=True).data)
    assert raekker == forventet
    assert [list(r) for r in raekker] == [list(r) for r in forventet]
    skjult = next(r for r in raekker if r["id"] == str(borgere[0].pk))
    assert (skjult["adresse"], skjult["postnummer"], skjult["by"]) == ("", "", "")
    assert {r["verificeret"] for r in raekker} == {True, False}
    assert all(r["cpr_maskeret"].endswith("-****") and "cpr" not in r for r in raekker)
    laest = AuditEntry.objects.filter(handling="borger.liste").order_by("id")[foer:]
    assert sum(len(e.borger_ids) for e in laest) == len(raekker)
    assert {str(b) for e in laest for b in e.borger_ids} == {r["id"] for r in raekker}
    assert all(e.kommune_id == team.jobcenter.kommune_id for e in laest)
