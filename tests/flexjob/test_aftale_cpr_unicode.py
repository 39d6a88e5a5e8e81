"""Agreement intake finds the citizen by a CPR in full-width digits and refuses other scripts' digits."""

import pytest

from flexjob.models import Aftale

from .test_api_aftaler import URL, body, cpr_af, vitas  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

_FULD_BREDDE = str.maketrans("0123456789", "０１２３４５６７８９")
_ARABISK = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def test_aftale_med_fuld_bredde_cpr_finder_borgeren_og_arabiske_cifre_afvises(vitas, visitation):  # noqa: F811
    borger = visitation.forloeb.borger
    cpr = cpr_af(borger)
    r = vitas.post(URL, body(cpr.translate(_ARABISK)), format="json")
    assert r.status_code == 400, r.content
    assert list(r.json()["errors"]) == ["borger_cpr"]
    r = vitas.post(URL, body(cpr.translate(_FULD_BREDDE), virksomhed_cvr="１０１５０８１７"), format="json")
    assert r.status_code == 400 and list(r.json()["errors"]) == ["virksomhed_cvr"], r.content
    r = vitas.post(URL, body(cpr.translate(_FULD_BREDDE)), format="json")
    assert r.status_code == 201, r.content
    assert Aftale.objects.get().borger_id == borger.pk
