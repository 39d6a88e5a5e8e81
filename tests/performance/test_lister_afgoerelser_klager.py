"""The afgørelser and klager lists cost the same number of queries whatever the page size.

The bench (issue 14) counted 57 queries for a page of afgørelser and 42 for klager: per-row look-ups
of the legal references, the replacing document, the prompts' answers and the genvurdering letter.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from decisions.models import Klage, KlageKanal, KlageStatus
from infra import datoer
from tests import factories
from tests.decisions.hjaelp import kladde, udsted

pytestmark = pytest.mark.django_db


@pytest.fixture
def fem_afgoerelser(team, sagsbehandler):
    """Five forløb, each with an issued decision (answered prompts, facts, references) and a draft."""
    udstedte = []
    for _ in range(5):
        fl = factories.forloeb_i("indstilling", udfald="ressourceforloeb", team=team, sagsbehandler=sagsbehandler)
        udstedte.append(udsted(kladde(fl), render=False))
        kladde(fl, type="fleksjob_afslag")
    return udstedte


def _antal(api_client, url: str, page_size: int) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as q:
        r = api_client.get(f"{url}?page_size={page_size}")
    assert r.status_code == 200, r.content
    return len(q.captured_queries), len(r.json()["results"])


def test_afgoerelseslisten_koster_lige_mange_forespoergsler_uanset_sidens_stoerrelse(api_client, fem_afgoerelser):
    lille, stor = _antal(api_client, "/api/v1/afgoerelser/", 2), _antal(api_client, "/api/v1/afgoerelser/", 10)
    assert lille[1] == 2 and stor[1] == 10
    assert lille[0] == stor[0], f"2 rows: {lille[0]} queries, 10 rows: {stor[0]}"


def test_klagelisten_koster_lige_mange_forespoergsler_uanset_sidens_stoerrelse(api_client, fem_afgoerelser):
    statusser = [KlageStatus.MODTAGET, KlageStatus.FASTHOLDT]  # a fastholdt one links its genvurdering letter
    for dok in fem_afgoerelser:
        for status in statusser:
            Klage.objects.create(
                afgoerelse=dok, forloeb=dok.forloeb, modtaget_dato=datoer.idag() - dt.timedelta(days=1),
                kanal=KlageKanal.values[0], status=status,
            )  # fmt: skip
    lille, stor = _antal(api_client, "/api/v1/klager/", 2), _antal(api_client, "/api/v1/klager/", 10)
    assert lille[1] == 2 and stor[1] == 10
    assert lille[0] == stor[0], f"2 rows: {lille[0]} queries, 10 rows: {stor[0]}"
