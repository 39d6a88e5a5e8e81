"""The rehabiliteringsteam's indstilling as structured data with its lint and the dashboard's count;
the team bypass needs the forberedende del in relevant extent; health documents are judged on the
meeting date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases import services as cases_services
from rehab import rules, services
from rehab.models import BilagType
from tests import factories
from tests.factories import START, dag, forloeb_i, overgang

from .conftest import frisk, koder
from .test_api_rehab import API, klient_for, problem

pytestmark = pytest.mark.django_db

KRAV_FLEKSJOB = {f: f"{f}: teamets vurdering." for f, _ in rules.KRAV["fleksjob"]}


# --- the structured indstilling ------------------------------------------------------------------
def test_indstilling_om_fleksjob_gemmes_struktureret_og_mangler_vises_uden_at_blokere(team):
    fl = forloeb_i("rehabiliteringsteam", team=team)
    ind = services.indstilling_registrer(
        actor=fl.sagsbehandler, forloeb=fl, udfald="fleksjob", dato=dag(28), idag=dag(28), **KRAV_FLEKSJOB,
        komp_hjaelpemidler="anbefalet", vurderet_timer="12,5", vurderet_intensitet="60",
    )  # fmt: skip
    assert (ind.komp_hjaelpemidler, str(ind.vurderet_timer), ind.vurderet_intensitet) == ("anbefalet", "12.5", 60)
    assert frisk(fl).tilstand == "indstilling"  # the recommendations do not block
    assert [a["kode"] for a in services.indstilling_anbefalinger(ind)] == [
        "indstilling.jobmaal", "indstilling.omfang", "indstilling.tidligere_forloeb", "indstilling.progression",
        "indstilling.kompenserende",  # four options not taken a position on
    ]  # fmt: skip


def test_komplet_struktureret_indstilling_har_ingen_anbefalinger(team):
    fl = forloeb_i("indstilling", team=team, udfald="fleksjob")  # the factory's careful team says it all
    assert services.indstilling_anbefalinger(fl.indstillinger.get()) == []


def test_forkerte_vaerdier_giver_alle_feltfejl_og_intet_gemmes(team, uaendret):
    fl = forloeb_i("rehabiliteringsteam", team=team)
    with uaendret(fl), pytest.raises(ValidationError) as e:
        services.indstilling_registrer(
            actor=fl.sagsbehandler, forloeb=fl, udfald="fleksjob", dato=dag(28), idag=dag(28),
            komp_mentor="maaske", progression_mulig="altid", vurderet_timer="0", vurderet_intensitet="150",
        )  # fmt: skip
    assert {"komp_mentor", "progression_mulig", "vurderet_timer", "vurderet_intensitet"} | set(KRAV_FLEKSJOB) == set(
        e.value.message_dict
    )


def test_meget_begraenset_arbejdsevne_uden_mulig_progression_afvises(team):
    fl = forloeb_i("rehabiliteringsteam", team=team)
    with pytest.raises(ValidationError) as e:
        services.indstilling_registrer(
            actor=fl.sagsbehandler, forloeb=fl, udfald="fleksjob", dato=dag(28), idag=dag(28), **KRAV_FLEKSJOB,
            meget_begraenset_arbejdsevne=True, udvikling_begrundelse="Kan udvikles.", progression_mulig="nej",
        )  # fmt: skip
    assert set(e.value.message_dict) == {"progression_mulig"}


def test_indstillingen_i_api_et_med_anbefalinger(team):
    fl = forloeb_i("rehabiliteringsteam", team=team)
    c = klient_for(fl.sagsbehandler)
    data = {"forloeb": str(fl.pk), "udfald": "fleksjob", **KRAV_FLEKSJOB}
    r = c.post(f"{API}indstillinger/", data | {"komp_mentor": "maaske"}, format="json", HTTP_IF_MATCH="*")
    assert "komp_mentor" in problem(r, 400)["errors"]
    r = c.post(
        f"{API}indstillinger/",
        data | {"komp_mentor": "anbefalet", "progression_mulig": "ja", "jobmaal": "Lager", "vurderet_timer": "12.5"},
        format="json",
        HTTP_IF_MATCH="*",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["komp_mentor"], body["progression_mulig"], body["vurderet_timer"]) == ("anbefalet", "ja", "12.5")
    assert {a["kode"] for a in body["anbefalinger"]} == {
        "indstilling.omfang", "indstilling.tidligere_forloeb", "indstilling.kompenserende",
    }  # fmt: skip


def test_indstillingssiden_viser_anbefalingerne(client, team):
    fl = forloeb_i("rehabiliteringsteam", team=team)
    factories.indstil(fl, "fleksjob", 28, struktureret=False)
    client.force_login(fl.sagsbehandler)
    side = client.get(reverse("rehab:indstilling", args=[fl.pk])).content.decode()
    assert "Indstillingen tager ikke stilling til alt det, Ankestyrelsens praksis anbefaler" in side
    assert 'data-kode="indstilling.kompenserende"' in side


def test_dashboardet_taeller_indstillinger_uden_kompenserende_ordninger_eller_progression(client, team, sagsbehandler):
    komplet = forloeb_i("indstilling", team=team, udfald="fleksjob", sagsbehandler=sagsbehandler)
    uden = forloeb_i("rehabiliteringsteam", team=team, sagsbehandler=sagsbehandler)
    factories.indstil(uden, "fleksjob", 28, struktureret=False)
    kun_progression = forloeb_i("rehabiliteringsteam", team=team, sagsbehandler=sagsbehandler)
    factories.indstil(kun_progression, "fleksjob", 28, struktureret=False, progression_mulig="ja")
    client.force_login(factories.medarbejder(team, "teamleder"))
    r = client.get(reverse("dashboard:dashboard"), {"fra": dag(0).isoformat(), "til": dag(60).isoformat()})
    panel = next(p for p in r.context["paneler"] if p["navn"] == "indstillinger")
    tal = {raekke[0]["tekst"]: raekke[1]["tekst"] for raekke in panel["tabel"]["raekker"]}
    assert tal == {
        "Mangler stillingtagen til kompenserende ordninger": "1",
        "Mangler stillingtagen til progression": "0",
        "Mangler begge dele": "1",
        "Tager stilling til begge dele": "1",
    }
    link = next(raekke[1]["link"] for raekke in panel["tabel"]["raekker"] if raekke[0]["tekst"] == "Mangler begge dele")
    side = client.get(link).content.decode()
    assert uden.borger.cpr_maskeret in side
    assert komplet.borger.cpr_maskeret not in side and kun_progression.borger.cpr_maskeret not in side


# --- the team bypass needs the forberedende del in relevant extent -------------------------------
def test_spring_over_teamet_uden_forberedende_del_afvises_med_alle_mangler(team, uaendret):
    fl = forloeb_i("forberedende_plan", team=team)
    with uaendret(fl), pytest.raises(cases_services.OvergangAfvist) as e:
        overgang(fl, "spring_team_over_aabenbar", 10, begrundelse="Svært syg", terminalt_syg=True)
    assert koder(e) == {"rehab.forberedende_del_relevant_omfang"}
    assert e.value.uopfyldte[0].link == "forberedende"


def test_spring_over_med_udeladt_afsnit_uden_begrundelse_afvises(team):
    fl = forloeb_i("forberedende_plan", team=team)
    fd = factories.forberedende_del_relevant(fl, udelad={"social_indsats": "Ingen sociale indsatser."})
    fd = services.forberedende_del_opdater(actor=fl.sagsbehandler, forberedende_del=fd, forsoergelseshistorik="")
    assert rules.relevant_omfang_mangler(fd) == ["Forsørgelseshistorik"]
    with pytest.raises(cases_services.OvergangAfvist) as e:
        overgang(fl, "spring_team_over_aabenbar", 10, begrundelse="Svært syg", terminalt_syg=True)
    assert koder(e) == {"rehab.forberedende_del_relevant_omfang"}
    services.forberedende_del_opdater(
        actor=fl.sagsbehandler, forberedende_del=fd,
        udeladte_sektioner={"social_indsats": "Ingen sociale indsatser.", "forsoergelseshistorik": "Uden betydning."},
    )  # fmt: skip
    overgang(fl, "spring_team_over_aabenbar", 10, begrundelse="Svært syg", terminalt_syg=True)
    assert frisk(fl).tilstand == "foertidspension_behandling"


def test_udeladte_afsnit_skal_vaere_kendte_afsnit(team):
    fl = forloeb_i("forberedende_plan", team=team)
    with pytest.raises(ValidationError) as e:
        services.forberedende_del_opdater(actor=fl.sagsbehandler, forloeb=fl, udeladte_sektioner={"hobby": "x"})
    assert "Ukendte afsnit: hobby" in e.value.message_dict["udeladte_sektioner"][0]


def test_spring_over_i_api_et_lister_den_manglende_forberedende_del(team):
    fl = forloeb_i("aktivitetsparat", team=team)
    c = klient_for(fl.sagsbehandler)
    r = c.post(
        f"{API}forloeb/{fl.pk}/overgange/spring_team_over_utvivlsom/",
        {"begrundelse": "Arbejder fuld tid"},
        format="json",
        HTTP_IF_MATCH="*",
    )
    body = problem(r, 409, "betingelser-ikke-opfyldt")
    assert [b["kode"] for b in body["betingelser"]] == [
        "utvivlsom.ingen_egen_ansoegning",
        "rehab.forberedende_del_relevant_omfang",
    ]


# --- health documents are judged on the meeting date ---------------------------------------------
def test_helbredsdokumentets_alder_regnes_til_moededatoen(team):
    fl = forloeb_i("forberedende_plan", team=team)
    fd = factories.forberedende_del_komplet(fl, lae265=False)
    idag = START + dt.timedelta(days=7)
    services.bilag_tilfoej(
        actor=fl.sagsbehandler, forberedende_del=fd, type=BilagType.LAE265, titel="LÆ 265",
        dokument_dato=idag - dt.timedelta(days=170), kilde="egen_laege",
    )  # fmt: skip

    def helbred(fd):
        return [a for a in rules.advarsler(fd, idag) if a.startswith("Helbredsdokumentet")]

    assert helbred(fd) == []  # under 6 months today, and no meeting booked
    factories.book(fl, 7, 28)  # the team meets 3 weeks later, when the certificate is over 6 months old
    [advarsel] = helbred(frisk(fl).forberedende_dele.get())
    assert "ældre end 6 måneder på mødedagen 30.03.2026" in advarsel
