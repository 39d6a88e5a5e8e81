"""A team leader hears of newly overdue deadlines as one digest per sweep, and a transition that
creates an overdue deadline notifies at once (issues 14 and 15).

What a team leader notices: one notification "N frister er overskredet i dit team" listing exactly
her team's deadlines, with links to the forløb and the citizen's CPR masked; nothing when no deadline
became overdue. What a caseworker notices: a back-dated transition whose deadline has already
passed shows it as overdue and notifies her at once, and the next beat does not repeat it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cases import frister, services
from cases.models import Frist, FristStatus, Notifikation, Rolle
from tests import factories
from tests.factories import dag, forloeb_i, medarbejder

pytestmark = pytest.mark.django_db

DAG = dt.timedelta(days=1)
SERVICEMAAL_FORFALD = dag(161)  # forberedende plan from START + 23 weeks


def _sammendrag(leder) -> list[Notifikation]:
    return list(Notifikation.objects.filter(modtager=leder, niveau="eskalering").order_by("id"))


# ---------------------------------------------------------------------------------------------
# One digest per team leader per sweep
# ---------------------------------------------------------------------------------------------
def test_teamlederen_faar_et_sammendrag_med_sit_teams_nye_overskredne_frister(team, andet_team, fuldt_cpr):
    leder = medarbejder(team, Rolle.TEAMLEDER)
    anden_leder = medarbejder(andet_team, Rolle.TEAMLEDER)
    mine = [forloeb_i("forberedende_plan", team=team) for _ in range(3)]
    andres = forloeb_i("forberedende_plan", team=andet_team)

    assert frister.sweep(idag=SERVICEMAAL_FORFALD).eskaleringer == 0, "due today is not overdue"
    assert not _sammendrag(leder), "nothing newly overdue: no digest"

    resultat = frister.sweep(idag=SERVICEMAAL_FORFALD + DAG)

    assert (resultat.overskredet, resultat.eskaleringer, resultat.eskalerede_frister) == (4, 2, 4)
    (sammendrag,) = _sammendrag(leder)
    assert sammendrag.titel == "3 frister er overskredet i dit team"
    assert sammendrag.frist_id is None and sammendrag.forloeb_id is None
    mine_frister = {str(f.pk) for f in Frist.objects.filter(forloeb__in=mine, art="servicemaal_afgoerelse")}
    assert {linje["frist"] for linje in sammendrag.fristliste} == mine_frister
    assert {linje["forloeb"] for linje in sammendrag.fristliste} == {str(fl.pk) for fl in mine}
    for fl in mine:
        assert fuldt_cpr(fl.borger) not in str(sammendrag.fristliste), "no CPR stored in the digest"
        assert fl.borger.efternavn not in str(sammendrag.fristliste), "no name stored in the digest"
    (andet,) = _sammendrag(anden_leder)
    assert andet.titel == "1 frist er overskredet i dit team"
    assert [linje["forloeb"] for linje in andet.fristliste] == [str(andres.pk)]

    # The next sweeps (the same day, the next days) find nothing newly overdue: no new digest.
    for n in (1, 2, 30):
        assert frister.sweep(idag=SERVICEMAAL_FORFALD + n * DAG).eskaleringer == 0
    assert len(_sammendrag(leder)) == 1

    # Each caseworker still hears of her own deadline, one notification per forløb.
    for fl in mine:
        assert Notifikation.objects.filter(modtager=fl.sagsbehandler, niveau="overskredet").count() == 1


def test_notifikationssiden_viser_sammendraget_paa_dansk_med_links_og_maskeret_cpr(client, team, fuldt_cpr):
    leder = medarbejder(team, Rolle.TEAMLEDER)
    mine = [forloeb_i("forberedende_plan", team=team) for _ in range(2)]
    frister.sweep(idag=SERVICEMAAL_FORFALD + DAG)
    client.force_login(leder)

    html = client.get(reverse("cases:notifikationer")).content.decode()

    assert "2 frister er overskredet i dit team" in html
    assert "Du har 1 ulæst notifikation." in html
    assert html.count("Servicemål: afgørelse inden 23 uger – forfald 10.08.2026") == 2
    for fl in mine:
        assert reverse("cases:borger_detail", args=[fl.borger.pk]) + "#forloeb" in html
        assert fl.borger.cpr_maskeret in html
        assert fuldt_cpr(fl.borger) not in html


def test_sammendragets_mail_lister_fristerne_uden_personoplysninger(team, mailoutbox, fuldt_cpr):
    from cases.tasks import send_notifikationsmails

    leder = medarbejder(team, Rolle.TEAMLEDER, email="leder@kommune.invalid")
    fl = forloeb_i("forberedende_plan", team=team)
    frister.sweep(idag=SERVICEMAAL_FORFALD + DAG)
    send_notifikationsmails()

    (m,) = [m for m in mailoutbox if m.to == [leder.email]]
    assert m.subject == "Sagsforløb: 1 frist er overskredet i dit team"
    assert f"Servicemål: afgørelse inden 23 uger, forfald 10.08.2026: /forloeb/{fl.pk}/" in m.body
    assert fuldt_cpr(fl.borger) not in m.body and fl.borger.efternavn not in m.body


# ---------------------------------------------------------------------------------------------
# At once after a transition (the per-forløb sweep)
# ---------------------------------------------------------------------------------------------
def _udsat_frist(fl) -> Frist:
    return Frist.objects.get(forloeb=fl, art="udsaettelse_opfoelgning")


def _udsaet_data() -> dict:
    return {"dato": dag(28).isoformat(), "aarsag": "Helbredsoplysninger mangler.", "mangler": "Statusattest."}


def test_tilbagedateret_overgang_med_overskredet_frist_varsler_straks_gennem_servicen(team, sagsbehandler):
    leder = medarbejder(team, Rolle.TEAMLEDER)
    fl = forloeb_i("rehabiliteringsteam", team=team, sagsbehandler=sagsbehandler)
    idag = dag(60)  # the follow-up after the postponement (4 weeks from day 28) was due on day 56

    services.forloeb_overgang(actor=sagsbehandler, forloeb=fl, overgang="udsaet", data=_udsaet_data(), idag=idag)

    frist = _udsat_frist(fl)
    assert frist.status == FristStatus.OVERSKREDET, "marked with the transition, not at the next beat"
    egen = Notifikation.objects.get(frist=frist, modtager=sagsbehandler)
    assert egen.titel.startswith("Frist overskredet: ")
    (sammendrag,) = _sammendrag(leder)
    assert [linje["frist"] for linje in sammendrag.fristliste] == [str(frist.pk)]

    foer = Notifikation.objects.count()
    igen = frister.sweep(idag=idag)  # the municipality's beat afterwards
    assert (igen.overskredet, igen.notifikationer) == (0, 0)
    assert Notifikation.objects.count() == foer


def test_overgang_med_frist_i_varslingsvinduet_varsler_straks(team, sagsbehandler):
    fl = forloeb_i("rehabiliteringsteam", team=team, sagsbehandler=sagsbehandler)

    # Postponed on day 28: the follow-up is due on day 56 and warns 7 days before.
    services.forloeb_overgang(actor=sagsbehandler, forloeb=fl, overgang="udsaet", data=_udsaet_data(), idag=dag(50))

    frist = _udsat_frist(fl)
    assert frist.status == FristStatus.AABEN
    varsel = Notifikation.objects.get(frist=frist, modtager=sagsbehandler)
    assert (varsel.niveau, varsel.taerskel) == ("varsel", "7d")
    assert varsel.titel.startswith("Frist om 6 dage: ")
    assert frister.sweep(idag=dag(50)).notifikationer == 0


def test_overgang_uden_overskredne_frister_giver_ingen_notifikation(team, sagsbehandler):
    leder = medarbejder(team, Rolle.TEAMLEDER)
    fl = forloeb_i("rehabiliteringsteam", team=team, sagsbehandler=sagsbehandler)

    services.forloeb_overgang(actor=sagsbehandler, forloeb=fl, overgang="udsaet", data=_udsaet_data(), idag=dag(28))

    assert _udsat_frist(fl).status == FristStatus.AABEN
    assert not Notifikation.objects.filter(modtager__in=[sagsbehandler, leder]).exists()


def test_tilbagedateret_overgang_gennem_api_markerer_og_varsler_straks(team, sagsbehandler, api_client):
    leder = medarbejder(team, Rolle.TEAMLEDER)
    fl = forloeb_i("rehabiliteringsteam", team=team, sagsbehandler=sagsbehandler)
    etag = api_client.get(f"/api/v1/forloeb/{fl.pk}/")["ETag"]

    response = api_client.post(
        f"/api/v1/forloeb/{fl.pk}/overgange/udsaet/", _udsaet_data(), format="json", HTTP_IF_MATCH=etag
    )

    assert response.status_code == 200, response.content
    (vist,) = [f for f in response.json()["frister"] if f["art"] == "udsaettelse_opfoelgning"]
    assert vist["status"] == "overskredet", "the response already shows the deadline as overdue"
    frist = _udsat_frist(fl)
    assert Notifikation.objects.filter(frist=frist, modtager=sagsbehandler, niveau="overskredet").count() == 1
    assert [linje["frist"] for s in _sammendrag(leder) for linje in s.fristliste].count(str(frist.pk)) == 1

    foer = Notifikation.objects.count()
    assert frister.sweep().notifikationer == 0, "the next beat repeats nothing"
    assert Notifikation.objects.count() == foer


def test_andre_forloeb_beroeres_ikke_af_overgangens_sweep(team, sagsbehandler):
    andet = factories.forloeb_i("forberedende_plan", team=team)  # its service goal is long overdue, unswept
    fl = forloeb_i("rehabiliteringsteam", team=team, sagsbehandler=sagsbehandler)

    services.forloeb_overgang(actor=sagsbehandler, forloeb=fl, overgang="udsaet", data=_udsaet_data(), idag=dag(60))

    assert Frist.objects.get(forloeb=andet, art="servicemaal_afgoerelse").status == FristStatus.AABEN
    assert not Notifikation.objects.filter(forloeb=andet).exists()
