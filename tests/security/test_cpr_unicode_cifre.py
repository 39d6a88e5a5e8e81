"""A CPR number written in other Unicode digits is not a new citizen (issue 13).

``\\d`` matches Arabic-Indic (``٠٣٠٣٨٥١٢٣٤``) and full-width (``０３０３８５１２３４``) digits too, so
the same person could be registered twice. Every CPR is NFKC-normalised and then only ASCII digits
are accepted: full-width digits become the same citizen (a duplicate is refused), other scripts'
digits are refused. Tested through both doors (API and the caseworker's form) and the search.
"""

import pytest
from django.urls import reverse

from cases.models import Borger
from infra import cpr as cprlib
from tests.cases.test_ui_borger import opret_data

pytestmark = pytest.mark.django_db

URL = "/api/v1/borgere/"
ASCII = "0303851234"
FULD_BREDDE = "０３０３８５１２３４"
FULD_BREDDE_BINDESTREG = "０３０３８５－１２３４"
ARABISK = "٠٣٠٣٨٥١٢٣٤"
DEVANAGARI = "०३०३८५१२३४"


def test_fuld_bredde_normaliseres_og_andre_skrifters_cifre_afvises():
    assert cprlib.parse(FULD_BREDDE).digits == ASCII
    assert cprlib.parse(FULD_BREDDE_BINDESTREG).digits == ASCII
    for vaerdi in (ARABISK, DEVANAGARI, "0303851２٣4"):
        with pytest.raises(Exception) as info:
            cprlib.parse(vaerdi)
        assert info.value.code == "cpr_format"


def _api_opret(api_client, team, cpr):
    return api_client.post(
        URL, {"cpr": cpr, "fornavn": "Ib", "efternavn": "Fiktiv", "team": str(team.pk)}, format="json"
    )


@pytest.mark.parametrize("andet", [FULD_BREDDE, FULD_BREDDE_BINDESTREG, ARABISK, DEVANAGARI])
def test_api_opretter_ikke_en_dublet_med_andre_cifre(api_client, team, andet):
    assert _api_opret(api_client, team, ASCII).status_code == 201
    r = _api_opret(api_client, team, andet)
    assert r.status_code == 400, r.content
    assert r["Content-Type"] == "application/problem+json"
    assert list(r.json()["errors"]) == ["cpr"]
    assert Borger.objects.count() == 1


def test_api_fuld_bredde_alene_bliver_den_samme_borger_som_ascii(api_client, team):
    r = _api_opret(api_client, team, FULD_BREDDE)
    assert r.status_code == 201, r.content
    borger = Borger.objects.get()
    assert cprlib.decrypt(borger.cpr_krypteret) == ASCII
    assert borger.cpr_hash == cprlib.lookup_hash(cprlib.parse(ASCII))


@pytest.mark.parametrize("andet", [FULD_BREDDE, ARABISK])
def test_formularen_opretter_ikke_en_dublet_med_andre_cifre(klient, team, andet):
    opret = reverse("cases:borger_opret")
    klient.post(opret, opret_data(team, cpr=ASCII))
    assert Borger.objects.count() == 1
    response = klient.post(opret, opret_data(team, cpr=andet, efternavn="Andensen"))
    assert response.status_code == 200
    assert 'href="#id_cpr"' in response.content.decode()
    assert Borger.objects.count() == 1


def test_soegning_med_fuld_bredde_finder_borgeren_og_arabisk_finder_ingen(klient, team, api_client):
    assert _api_opret(api_client, team, ASCII).status_code == 201
    liste = reverse("cases:borger_list")
    assert "Ib Fiktiv" in klient.post(liste, {"q": FULD_BREDDE}).content.decode()
    assert "Ib Fiktiv" not in klient.post(liste, {"q": ARABISK}).content.decode()
    r = api_client.post(f"{URL}soeg/", {"cpr": FULD_BREDDE}, format="json")
    assert r.status_code == 200, r.content
    assert [b["efternavn"] for b in r.json()["results"]] == ["Fiktiv"]
