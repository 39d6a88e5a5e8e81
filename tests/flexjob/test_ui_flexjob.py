"""The caseworker's fleksjob pages: overview, employment, arbejdsevnevurdering editor, agreement queue."""

import json
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from decisions import services as decisions
from flexjob import aftaler, rules
from flexjob.models import (
    Aftale,
    AftaleStatus,
    Ansaettelse,
    AnsaettelseKilde,
    Arbejdsevnevurdering,
    Virksomhed,
    Visitation,
)
from infra import cpr as cprlib
from infra.models import AuditEntry
from tests import factories
from tests.factories import dag

from .conftest import CVR, uden_visitation, vurdering_til
from .test_aftaler import data as aftale_data
from .test_aftaler import klient_for

pytestmark = pytest.mark.django_db

AFVIGELSE_FEJL = "Jobbets timer eller arbejdsintensitet afviger fra den vurderede arbejdsevne; begrund afvigelsen."


def logget_ind(client, user):
    client.force_login(user)
    return client


def fuldt_cpr(borger) -> str:
    return cprlib.decrypt(borger.cpr_krypteret)


def html(response) -> str:
    return response.content.decode()


def ansaettelse_post(**kw) -> dict:
    return {
        "cvr": CVR,
        "p_nummer": "",
        "navn": "Fiktiv Bageri ApS",
        "kontaktperson": "Mette Fiktiv",
        "telefon": "",
        "email": "",
        "start": dag(60).isoformat(),
        "slut": "",
        "loennede_timer": "12,5",
        "intensitet": "60",
        "timer_begrundelse": "",
        "opgaver": "Pakning af brød, opvask.",
    } | kw


def vurdering_post(**kw) -> dict:
    return {
        "timer": "12,5",
        "intensitet": "60",
        "job_timer": "12,5",
        "job_intensitet": "60",
        "afvigelse_begrundelse": "",
        "timer_begrundelse": "",
        "opgaver": "Pakning af brød, opvask.",
        "hensyn_1": "Ingen tunge løft",
        "imoedekommet_1": "Kollega løfter sække over 5 kg.",
        "hjaelpemidler": "",
        "arbejdspladsindretning": "",
        "personlig_assistance": "",
        "mentor_timer_pr_uge": "",
        "mentor_varighed_uger": "",
        "progression": "Timerne kan øges gradvist.",
    } | kw


def udsted(v, paa_dag=70):
    return decisions.dokument_udsted(actor=v.ansaettelse.forloeb.sagsbehandler, dokument=v.dokument, idag=dag(paa_dag))


# ---------------------------------------------------------------------------------------------
# Pages and access
# ---------------------------------------------------------------------------------------------
def sider(a):
    fl = a.forloeb
    return {
        "oversigt": reverse("flexjob:oversigt", args=[fl.pk]),
        "ansaettelse_opret": reverse("flexjob:ansaettelse_opret", args=[fl.pk]),
        "ansaettelse": reverse("flexjob:ansaettelse", args=[a.pk]),
        "vurdering_opret": reverse("flexjob:vurdering_opret", args=[a.pk]),
    }


@pytest.mark.parametrize("side", ["oversigt", "ansaettelse_opret", "ansaettelse", "vurdering_opret"])
def test_siderne_vises_for_eget_team_med_hoved_og_logges(client, ansaettelse, side):
    fl = ansaettelse.forloeb
    logget_ind(client, fl.sagsbehandler)
    r = client.get(sider(ansaettelse)[side])
    assert r.status_code == 200
    side_html = html(r)
    assert fl.borger.navn in side_html and fl.borger.cpr_maskeret in side_html
    assert fl.get_tilstand_display() in side_html
    assert reverse("cases:borger_detail", args=[fl.borger.pk]) in side_html
    digits = fuldt_cpr(fl.borger)
    assert digits not in side_html and f"{digits[:6]}-{digits[6:]}" not in side_html
    assert "no-cache" in r["Cache-Control"] or "no-store" in r["Cache-Control"]
    assert AuditEntry.objects.filter(borger_ids__contains=[fl.borger.pk], actor_id=str(fl.sagsbehandler.pk)).exists()


@pytest.mark.parametrize("hvem", ["andet_team", "fremmed_team"])
@pytest.mark.parametrize("side", ["oversigt", "ansaettelse_opret", "ansaettelse", "vurdering_opret"])
def test_andet_team_og_anden_kommune_faar_404(client, ansaettelse, request, hvem, side):
    logget_ind(client, factories.medarbejder(request.getfixturevalue(hvem)))
    url = sider(ansaettelse)[side]
    assert client.get(url).status_code == 404
    if side in ("ansaettelse_opret", "vurdering_opret"):
        post = ansaettelse_post() if side == "ansaettelse_opret" else vurdering_post()
        assert client.post(url, post).status_code == 404
    assert Ansaettelse.objects.count() == 1 and not Arbejdsevnevurdering.objects.exists()


def test_oversigt_viser_visitation_ventetid_ansaettelse_og_frister(client, ansaettelse):
    fl = ansaettelse.forloeb
    vurdering_til(ansaettelse, timer=Decimal("10"), intensitet=50, afvigelse_begrundelse="Aftalt med arbejdsgiver.")
    side = html(logget_ind(client, fl.sagsbehandler).get(reverse("flexjob:oversigt", args=[fl.pk])))
    assert "12,5 timer pr. uge med en arbejdsintensitet på 60 %" in side  # the visitation's baseline
    assert "7,50 effektive timer pr. uge" in side
    assert "Samlet ventetid siden visitationen: <strong>20 dage</strong>" in side  # day 40 → day 60
    assert "Fiktiv Bageri ApS" in side
    assert "5,00 effektive timer" in side  # 10 h × 50 %, the current assessment
    # the employment's open deadlines, with their names and due dates
    assert "Arbejdsevnevurdering i fleksjob</strong>: senest" in side
    assert "Status i midlertidigt fleksjob efter 4½ år" in side


def test_visitationen_vises_fra_afgoerelsen_uden_genindtastning(client, fleksjob_forloeb):
    fl = fleksjob_forloeb
    side = html(logget_ind(client, fl.sagsbehandler).get(reverse("flexjob:oversigt", args=[fl.pk])))
    assert "Visiteret" in side and "12,5 timer pr. uge med en arbejdsintensitet på 60 %" in side
    assert "Knyt visitationen til en ældre afgørelse" not in side  # nothing to enter twice
    assert "Registrér ansættelse" in side


def test_visitation_registreres_fra_oversigten(client, fleksjob_forloeb):
    fl = uden_visitation(fleksjob_forloeb)  # a decision issued before issuing registered the visitation
    logget_ind(client, fl.sagsbehandler)
    oversigt = reverse("flexjob:oversigt", args=[fl.pk])
    side = html(client.get(oversigt))
    assert "Der er ikke registreret en visitation" in side and "Knyt visitationen til en ældre afgørelse" in side
    assert "Registrér ansættelse" not in side
    afgoerelse = fl.dokumenter.get(type="fleksjob_visitation")
    url = reverse("flexjob:visitation_opret", args=[fl.pk])
    post = {
        "afgoerelse": afgoerelse.pk,
        "baseline_timer": "12,5",
        "baseline_intensitet": "0",
        "dato": dag(40).isoformat(),
    }
    r = client.post(url, post)
    assert r.status_code == 200 and "Arbejdsintensiteten skal være et helt tal mellem 1 og 100 (%)." in html(r)
    assert 'value="12,5"' in html(r) and not Visitation.objects.exists()
    r = client.post(url, post | {"baseline_intensitet": "60", "ledighedsydelse_fra": dag(41).isoformat()})
    assert r.status_code == 302 and r["Location"] == oversigt
    v = Visitation.objects.get()
    assert (v.baseline_timer, v.baseline_intensitet) == (Decimal("12.5"), 60)
    assert v.ledighedsperioder.get().start == dag(41)
    side = html(client.get(oversigt))
    assert "Borgeren har modtaget ledighedsydelse siden 12. april 2026" in side and "Løbende" in side
    assert "Registrér ansættelse" in side


def test_oversigt_for_forloeb_foer_fleksjob(client, team):
    fl = factories.forloeb_i("aktivitetsparat", team=team)
    side = html(logget_ind(client, fl.sagsbehandler).get(reverse("flexjob:oversigt", args=[fl.pk])))
    assert "Forløbet skal først være visiteret til fleksjob" in side and "Registrér visitation" not in side


@pytest.mark.parametrize("hvem", ["andet_team", "fremmed_team"])
def test_aendringer_fra_andre_teams_giver_404(client, ansaettelse, request, hvem):
    from cases.models import Frist

    fl = ansaettelse.forloeb
    logget_ind(client, factories.medarbejder(request.getfixturevalue(hvem)))
    r = client.post(reverse("flexjob:opfoelgning_opret", args=[ansaettelse.pk]), {"dato": dag(150), "referat": "x"})
    assert r.status_code == 404
    r = client.post(reverse("flexjob:visitation_opret", args=[fl.pk]), {"baseline_timer": "10"})
    assert r.status_code == 404
    assert Frist.objects.get(forloeb=fl, art="fleksjob_opfoelgning_tidlig").lukket_dato is None
    assert Visitation.objects.count() == 1


# ---------------------------------------------------------------------------------------------
# Employment
# ---------------------------------------------------------------------------------------------
def test_ansaettelse_med_ugyldigt_cvr_giver_dansk_fejl_og_intet_gemmes(client, visitation):
    fl = visitation.forloeb
    logget_ind(client, fl.sagsbehandler)
    r = client.post(reverse("flexjob:ansaettelse_opret", args=[fl.pk]), ansaettelse_post(cvr="10150818"))
    assert r.status_code == 200
    side = html(r)
    assert "Der er problemer med det, du har indtastet" in side
    assert "Ugyldigt CVR-nummer: 8 cifre med gyldigt kontrolciffer (modulus 11)." in side
    assert 'href="#id_cvr"' in side
    assert 'value="10150818"' in side and 'value="Fiktiv Bageri ApS"' in side  # what the user typed is kept
    assert not Virksomhed.objects.exists() and not Ansaettelse.objects.exists()


def test_ansaettelse_der_afvises_efterlader_ingen_ny_virksomhed(client, visitation):
    """A valid new employer with an employment the service refuses: neither is saved."""
    fl = visitation.forloeb
    logget_ind(client, fl.sagsbehandler)
    url = reverse("flexjob:ansaettelse_opret", args=[fl.pk])
    r = client.post(url, ansaettelse_post(cvr="12345674", loennede_timer="40"))
    assert "Mere end 37 timer pr. uge kræver en begrundelse." in html(r)
    assert 'value="40"' in html(r)
    r = client.post(url, ansaettelse_post(cvr="12345674", start=dag(10).isoformat()))  # before the visitation
    assert "Ansættelsen kan ikke starte før visitationen til fleksjob." in html(r)
    assert not Virksomhed.objects.exists() and not Ansaettelse.objects.exists()


def test_ansaettelse_oprettes_og_kendt_virksomhed_genbruges(client, visitation):
    fl = visitation.forloeb
    kendt = Virksomhed.objects.create(kommune=fl.kommune, cvr=CVR, navn="Bageriet Fiktiv")
    logget_ind(client, fl.sagsbehandler)
    r = client.post(reverse("flexjob:ansaettelse_opret", args=[fl.pk]), ansaettelse_post(navn=""))
    a = Ansaettelse.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("flexjob:ansaettelse", args=[a.pk])
    assert a.virksomhed == kendt and a.loennede_timer == Decimal("12.5") and a.kilde == AnsaettelseKilde.MANUEL
    assert Virksomhed.objects.count() == 1
    assert AuditEntry.objects.filter(handling="fleksjob.ansaettelse.opret").exists()
    detalje = html(client.get(r["Location"]))
    assert "Bageriet Fiktiv" in detalje and "12,5 timer pr. uge" in detalje


def test_opfoelgning_registreres_og_lukker_fristen(client, ansaettelse):
    from cases.models import Frist

    fl = ansaettelse.forloeb
    logget_ind(client, fl.sagsbehandler)
    url = reverse("flexjob:opfoelgning_opret", args=[ansaettelse.pk])
    r = client.post(url, {"dato": dag(150).isoformat(), "referat": ""})
    assert r.status_code == 200 and "Skriv et referat af opfølgningen." in html(r)
    assert Frist.objects.get(forloeb=fl, art="fleksjob_opfoelgning_tidlig").lukket_dato is None
    r = client.post(url, {"dato": dag(150).isoformat(), "referat": "Det går godt; timerne fastholdes."})
    assert r.status_code == 302
    assert Frist.objects.get(forloeb=fl, art="fleksjob_opfoelgning_tidlig").lukket_dato == dag(150)
    assert "Tidlig opfølgning i fleksjob" not in html(client.get(r["Location"]))


def test_cvr_opslag_mens_man_skriver(client, visitation, fremmed_team):
    fl = visitation.forloeb
    Virksomhed.objects.create(kommune=fl.kommune, cvr=CVR, navn="Bageriet Fiktiv")
    Virksomhed.objects.create(kommune=fremmed_team.jobcenter.kommune, cvr="12345674", navn="Fremmed ApS")
    logget_ind(client, fl.sagsbehandler)
    url = reverse("flexjob:virksomhed_opslag")
    assert "Kendt virksomhed: <strong>Bageriet Fiktiv</strong>" in html(client.get(url, {"cvr": CVR}))
    assert "modulus 11" in html(client.get(url, {"cvr": "10150818"}))
    svar = html(client.get(url, {"cvr": "12345674"}))  # another municipality's employer is unknown here
    assert "Fremmed ApS" not in svar and "ikke registreret" in svar
    side = html(client.get(reverse("flexjob:ansaettelse_opret", args=[fl.pk])))
    assert f'hx-get="{url}"' in side and 'id="virksomhed-opslag"' in side


# ---------------------------------------------------------------------------------------------
# Arbejdsevnevurdering
# ---------------------------------------------------------------------------------------------
def test_afvigelse_uden_begrundelse_giver_fejl_og_intet_gemmes(client, ansaettelse):
    fl = ansaettelse.forloeb
    logget_ind(client, fl.sagsbehandler)
    r = client.post(reverse("flexjob:vurdering_opret", args=[ansaettelse.pk]), vurdering_post(timer="10"))
    assert r.status_code == 200
    side = html(r)
    assert AFVIGELSE_FEJL in side and 'href="#id_afvigelse_begrundelse"' in side
    assert 'value="10"' in side  # kept
    assert not Arbejdsevnevurdering.objects.exists()


def test_uden_afvigelse_kraeves_ingen_begrundelse(client, ansaettelse):
    logget_ind(client, ansaettelse.forloeb.sagsbehandler)
    r = client.post(reverse("flexjob:vurdering_opret", args=[ansaettelse.pk]), vurdering_post())
    assert r.status_code == 302
    v = Arbejdsevnevurdering.objects.get()
    assert v.version == 1 and not v.afviger and v.skaanehensyn[0]["hensyn"] == "Ingen tunge løft"


def test_afvigelse_med_begrundelse_gemmes_og_ny_version(client, ansaettelse):
    fl = ansaettelse.forloeb
    v1 = vurdering_til(ansaettelse, progression="x")
    udsted(v1)
    logget_ind(client, fl.sagsbehandler)
    url = reverse("flexjob:vurdering_opret", args=[ansaettelse.pk])
    assert "version 2" in html(client.get(url))

    # a new version needs the joint request, and nothing is saved without it
    r = client.post(url, vurdering_post(timer="15", intensitet="70", afvigelse_begrundelse="Timerne øges gradvist."))
    assert "sammen beder om den" in html(r)
    assert Arbejdsevnevurdering.objects.count() == 1

    r = client.post(
        url,
        vurdering_post(
            timer="15", intensitet="70", afvigelse_begrundelse="Timerne øges gradvist.", faelles_anmodning="on"
        ),
    )
    assert r.status_code == 302
    v2 = Arbejdsevnevurdering.objects.get(version=2)
    assert v2.forrige == v1 and v2.faelles_anmodning and v2.afviger
    assert v2.afvigelse_begrundelse == "Timerne øges gradvist."
    assert v2.dokument.erstatter == v1.dokument
    assert list(ansaettelse.vurderinger.values_list("version", flat=True)) == [2, 1]


def test_kladde_rettes_uden_ny_version(client, ansaettelse):
    v1 = vurdering_til(ansaettelse)
    logget_ind(client, ansaettelse.forloeb.sagsbehandler)
    url = reverse("flexjob:vurdering_opret", args=[ansaettelse.pk])
    r = client.post(url, vurdering_post(job_timer="14", afvigelse_begrundelse="Arbejdsgiveren ønsker flere timer."))
    assert r.status_code == 302
    v1.refresh_from_db()
    assert Arbejdsevnevurdering.objects.count() == 1 and v1.job_timer == Decimal("14") and v1.afviger


def test_effektive_timer_vises_som_tjenestens_beregning(client, ansaettelse):
    fl = ansaettelse.forloeb
    logget_ind(client, fl.sagsbehandler)
    url = reverse("flexjob:vurdering_opret", args=[ansaettelse.pk])
    # prefilled from the visitation: 12.5 h × 60 %
    forventet = rules.effektive_timer(Decimal("12.5"), 60)
    side = html(client.get(url))
    assert f"<strong>{str(forventet).replace('.', ',')}</strong> effektive timer" in side
    assert 'aria-live="polite"' in side and 'id="effektive-timer"' in side

    # a form with an error shows the server's computation of what was typed
    r = client.post(url, vurdering_post(timer="7,3", intensitet="33", job_timer=""))
    forventet = rules.effektive_timer(Decimal("7.3"), 33)
    assert forventet == Decimal("2.41")
    assert "<strong>2,41</strong> effektive timer" in html(r)

    r = client.post(url, vurdering_post(timer="7,3", intensitet="33", job_timer="7,3", job_intensitet="33"))
    v = Arbejdsevnevurdering.objects.get()
    assert v.effektive_timer == forventet
    assert "2,41" in html(client.get(r["Location"]))


def test_effektive_timer_i_javascript_svarer_til_tjenesten():
    """static/js/flexjob.js computes as you type; it must round exactly like rules.effektive_timer."""
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        if os.environ.get("CI"):  # CI machines have Node (the vendoring toolchain); never pass silently there
            pytest.fail("node findes ikke; JavaScript-beregningen kan ikke afprøves")
        pytest.skip("node findes ikke; JavaScript-beregningen kan ikke afprøves her")
    js = Path(settings.BASE_DIR, "static", "js", "flexjob.js").read_text()
    cases = [
        (t, p) for t in ("0,1", "7,3", "12,5", "12,3", "37", "36,9", "1,5", "99,9") for p in (1, 5, 33, 50, 60, 99, 100)
    ]
    program = (
        "globalThis.window = globalThis; globalThis.document = {addEventListener() {}};\n"
        + js
        + "\nconst f = window.fleksjobBeregning;\n"
        + f"const cases = {json.dumps(cases)};\n"
        + "console.log(JSON.stringify(cases.map(([t, p]) => f.effektiveTekst(t, String(p)))));\n"
    )
    out = subprocess.run([node, "-e", program], capture_output=True, text=True, timeout=30, check=True).stdout
    for (t, p), js_tekst in zip(cases, json.loads(out), strict=True):
        py = rules.effektive_timer(Decimal(t.replace(",", ".")), p)
        assert js_tekst == f"{py:.2f}".replace(".", ","), (t, p)


# ---------------------------------------------------------------------------------------------
# Agreements
# ---------------------------------------------------------------------------------------------
@pytest.fixture
def aftale(team, visitation):
    fl = visitation.forloeb
    return aftaler.aftale_modtag(actor=klient_for(team), **aftale_data(fuldt_cpr(fl.borger)))


def test_aftalekoen_viser_modtagne_aftaler_maskeret(client, aftale):
    fl = aftale.borger.forloeb.get()
    side = html(logget_ind(client, fl.sagsbehandler).get(reverse("flexjob:aftaler")))
    assert "Fiktiv Bageri ApS" in side and aftale.borger.navn in side and aftale.borger.cpr_maskeret in side
    assert fuldt_cpr(aftale.borger) not in side
    assert reverse("flexjob:aftale_godkend", args=[aftale.pk]) in side
    assert AuditEntry.objects.filter(handling="aftale.liste", borger_ids__contains=[aftale.borger_id]).exists()


def test_godkendelse_opretter_ansaettelsen(client, aftale):
    fl = aftale.borger.forloeb.get()
    logget_ind(client, fl.sagsbehandler)
    r = client.post(reverse("flexjob:aftale_godkend", args=[aftale.pk]), {"version": aftale.version})
    a = Ansaettelse.objects.get(aftale=aftale)
    assert r.status_code == 302 and r["Location"] == reverse("flexjob:ansaettelse", args=[a.pk])
    assert a.kilde == AnsaettelseKilde.AFTALE and a.forloeb == fl and a.loennede_timer == Decimal("12.5")
    assert Aftale.objects.get(pk=aftale.pk).status == AftaleStatus.GODKENDT
    side = html(client.get(r["Location"]))
    assert "er godkendt, og ansættelsen er oprettet" in side and "Fra godkendt aftale" in side


def test_godkendelse_der_afvises_af_reglerne_viser_dansk_besked(client, team, visitation):
    fl = visitation.forloeb
    aftale = aftaler.aftale_modtag(actor=klient_for(team), **aftale_data(fuldt_cpr(fl.borger), start=dag(10)))
    logget_ind(client, fl.sagsbehandler)
    r = client.post(reverse("flexjob:aftale_godkend", args=[aftale.pk]), {"version": aftale.version}, follow=True)
    assert "Aftalen kan ikke godkendes" in html(r)
    assert Aftale.objects.get(pk=aftale.pk).status == AftaleStatus.MODTAGET and not Ansaettelse.objects.exists()


def test_afvisning_kraever_begrundelse(client, aftale):
    fl = aftale.borger.forloeb.get()
    logget_ind(client, fl.sagsbehandler)
    url = reverse("flexjob:aftale_afvis", args=[aftale.pk])
    prefix = f"afvis-{aftale.pk}"
    r = client.post(url, {f"{prefix}-version": aftale.version, f"{prefix}-begrundelse": ""})
    assert r.status_code == 200 and "Skriv en begrundelse for afvisningen." in html(r)
    assert Aftale.objects.get(pk=aftale.pk).status == AftaleStatus.MODTAGET
    r = client.post(url, {f"{prefix}-version": aftale.version, f"{prefix}-begrundelse": "Borgeren er i andet job."})
    assert r.status_code == 302
    aftale.refresh_from_db()
    assert aftale.status == AftaleStatus.AFVIST and aftale.afvist_begrundelse == "Borgeren er i andet job."


@pytest.mark.parametrize("hvem", ["andet_team", "fremmed_team"])
def test_aftaler_for_andres_borgere_ses_ikke(client, aftale, request, hvem):
    logget_ind(client, factories.medarbejder(request.getfixturevalue(hvem)))
    assert aftale.virksomhed_navn not in html(client.get(reverse("flexjob:aftaler")))
    r = client.post(reverse("flexjob:aftale_godkend", args=[aftale.pk]), {"version": aftale.version})
    assert r.status_code == 404
    assert Aftale.objects.get(pk=aftale.pk).status == AftaleStatus.MODTAGET


# ---------------------------------------------------------------------------------------------
# The editor in a real browser (tests/browser/conftest.py: Debian's Chromium through Playwright)
# ---------------------------------------------------------------------------------------------
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_vurderingseditor_beregner_mens_man_skriver_og_viser_begrundelse_ved_afvigelse(ny_side, ansaettelse):
    from tests.browser.conftest import assert_axe_clean, log_ind

    fl = ansaettelse.forloeb
    page = ny_side()
    log_ind(page, fl.sagsbehandler)
    page.goto(reverse("flexjob:vurdering_opret", args=[ansaettelse.pk]))

    resultat = page.locator("#effektive-timer")
    felt = page.locator("#afvigelse-felt")
    begrundelse = page.get_by_label("Begrundelse for afvigelsen")
    # the job matches the assessed capacity (12,5 h × 60 %): no justification asked for
    assert "7,50" in resultat.inner_text()
    assert felt.is_hidden()
    assert_axe_clean(page, "arbejdsevnevurdering")

    page.get_by_label("Arbejdsevne: timer pr. uge").fill("7,3")
    page.get_by_label("Arbejdsintensitet (%)", exact=True).fill("33")
    forventet = str(rules.effektive_timer(Decimal("7.3"), 33)).replace(".", ",")
    assert forventet in resultat.inner_text()
    # now the job (12,5 h) deviates: the field appears, is required and the change is announced
    assert felt.is_visible() and begrundelse.get_attribute("aria-required") == "true"
    assert "afviger" in page.locator("#afvigelse-status").inner_text()

    page.get_by_label("Jobbets timer pr. uge").fill("7,3")
    page.get_by_label("Jobbets arbejdsintensitet (%)").fill("33")
    assert felt.is_hidden()
    assert "ingen begrundelse" in page.locator("#afvigelse-status").inner_text()

    page.get_by_label("Jobbets timer pr. uge").fill("10")
    assert felt.is_visible()
    begrundelse.fill("Arbejdsgiveren tilbyder flere timer, som borgeren prøver af.")
    assert_axe_clean(page, "arbejdsevnevurdering med afvigelse")
    page.get_by_role("button", name="Gem vurdering som kladde").click()
    page.wait_for_url(f"**{reverse('flexjob:ansaettelse', args=[ansaettelse.pk])}")
    v = Arbejdsevnevurdering.objects.get()
    assert v.effektive_timer == Decimal(forventet.replace(",", ".")) and v.job_timer == Decimal("10")
    assert forventet in page.locator("main").inner_text()
    assert page.konsol.fejl == [], page.konsol.fejl


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_fleksjobsiderne_i_browser_uden_alvorlige_tilgaengelighedsfejl(ny_side, team, visitation):
    from tests.browser.conftest import assert_axe_clean, log_ind

    fl = visitation.forloeb
    Virksomhed.objects.create(kommune=fl.kommune, cvr=CVR, navn="Bageriet Fiktiv")
    aftaler.aftale_modtag(actor=klient_for(team), **aftale_data(fuldt_cpr(fl.borger), virksomhed_navn="Anden ApS"))
    page = ny_side()
    log_ind(page, fl.sagsbehandler)

    page.goto(reverse("flexjob:oversigt", args=[fl.pk]))
    assert_axe_clean(page, "fleksjob-oversigt")
    page.get_by_role("link", name="Registrér ansættelse").click()
    assert_axe_clean(page, "opret ansættelse")
    # the employer is looked up while the CVR is typed (htmx, under the strict CSP)
    page.get_by_label("CVR-nummer").fill(CVR)
    opslag = page.locator("#virksomhed-opslag")
    opslag.get_by_text("Kendt virksomhed").wait_for()
    assert "Bageriet Fiktiv" in opslag.inner_text()
    page.get_by_label("Startdato").fill(dag(60).isoformat())
    page.get_by_label("Lønnede timer pr. uge").fill("12,5")
    page.get_by_role("button", name="Registrér ansættelse").click()
    page.get_by_role("heading", name="Ansættelse hos Bageriet Fiktiv").wait_for()
    assert_axe_clean(page, "ansættelse")

    page.goto(reverse("flexjob:aftaler"))
    assert "Anden ApS" in page.locator("main").inner_text()
    assert_axe_clean(page, "aftaler")
    assert page.konsol.fejl == [], page.konsol.fejl
