"""The caseworker's pages for the new content: the assessment's required content and the prompts
(answered in the decision editor, each missing element linked to where it is fixed), earlier grants,
agreement confirmations, the forberedende del in relevant extent, the structured indstilling."""

from __future__ import annotations

import pytest
from django.urls import reverse

from decisions.models import Dokument, Spoergsmaalssvar
from flexjob import aftaler, services
from flexjob.models import Aftale, Bevilling
from rehab.models import Indstilling
from tests import factories
from tests.factories import dag

from .conftest import SVAR, ansaettelse_til
from .test_aftaler import cpr_af, data, klient_for
from .test_ui_flexjob import html, logget_ind, vurdering_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def ansaettelse(team, sagsbehandler):
    return ansaettelse_til(factories.forloeb_i("fleksjob", team=team, sagsbehandler=sagsbehandler))


def test_vurderingen_gemmer_det_nye_indhold_og_siden_linker_til_hver_mangel(client, ansaettelse):
    c = logget_ind(client, ansaettelse.forloeb.sagsbehandler)
    fl = ansaettelse.forloeb
    b = factories_bevilling(fl)
    url = reverse("flexjob:vurdering_opret", args=[ansaettelse.pk])
    r = c.post(url, vurdering_post(milepael_1="Op til 15 timer", opfoelgning_1=dag(120).isoformat()))
    assert r.status_code == 200 and "Angiv datoen for milepælen." in html(r)  # nothing half-saved
    r = c.post(
        url,
        vurdering_post(
            loen_bekraeftet="on", vaerktoej="kl_ab325", forebyggelse="Faste pauser.", tidligere_bevillinger=[str(b.pk)],
            milepael_dato_1=dag(200).isoformat(), milepael_1="Op til 15 timer", opfoelgning_1=dag(120).isoformat(),
            inddragelse_moede_dato=dag(62).isoformat(), inddragelse_deltagere="Borger og arbejdsgiver",
        ),
    )  # fmt: skip
    assert r.status_code == 302, html(r)
    v = ansaettelse.vurderinger.get()
    assert (v.loen_bekraeftet, v.vaerktoej, v.forebyggelse) == (True, "kl_ab325", "Faste pauser.")
    assert list(v.tidligere_bevillinger.all()) == [b] and v.opfoelgningsdatoer == [dag(120).isoformat()]
    assert v.milepaele == [{"dato": dag(200).isoformat(), "beskrivelse": "Op til 15 timer"}]
    side = html(c.get(reverse("flexjob:ansaettelse", args=[ansaettelse.pk])))
    dokument_url = reverse("decisions:dokument", args=[v.dokument_id])
    assert 'data-kode="spoergsmaal.ubesvaret.progression"' in side and f"{dokument_url}#spoergsmaal" in side
    assert "Ikke besvaret" in side

    # The prompts are answered in the decision editor; an answer without a reason is listed too.
    editor = html(c.get(dokument_url))
    assert "Spørgsmål, afgørelsen skal tage stilling til" in editor and 'href="#id_svar_progression_0"' in editor
    post = editor_post(v.dokument, {k: "ja" for k in SVAR})
    post["svar_udgangspunkt_begrundelse"] = ""
    r = c.post(dokument_url, post | {"handling": "udsted"})
    side = html(r)
    assert r.status_code == 200 and "Begrund svaret på: Er vurderingen sammenholdt med udgangspunktet" in side
    assert Dokument.objects.get(pk=v.dokument_id).status == "kladde" and not Spoergsmaalssvar.objects.exists()
    r = c.post(dokument_url, editor_post(v.dokument, {k: "ja" for k in SVAR}) | {"handling": "udsted"})
    assert r.status_code == 302, html(r)
    assert Dokument.objects.get(pk=v.dokument_id).status == "udstedt"
    laes = html(c.get(dokument_url))
    assert "Spørgsmål, afgørelsen har taget stilling til" in laes and "Ja: Begrundet i vurderingen." in laes


def factories_bevilling(fl):
    return services.bevilling_registrer(
        actor=fl.sagsbehandler, borger=fl.borger, type="hjaelpemiddel", dato=dag(20), beskrivelse="Hæve-sænkebord",
        bevilget_af="Jobcentret",
    )  # fmt: skip


def editor_post(d: Dokument, svar: dict) -> dict:
    """What the decision editor posts: the saved draft's fields and the prompts' answers."""
    d.refresh_from_db()
    post = {
        "version": d.version, "fakta_antal": d.fakta.count(), "titel": d.titel, "tekst": d.tekst,
        "hovedhensyn": d.hovedhensyn, "lovhenvisninger": list(d.lovhenvisninger.values_list("kode", flat=True)),
    }  # fmt: skip
    for i, f in enumerate(d.fakta.all()):
        post |= {f"faktum_{i}_tekst": f.tekst, f"faktum_{i}_kilde": f"{f.kilde_type}:{f.kilde_id}"}
    for kode, a in svar.items():
        post |= {f"svar_{kode}": a, f"svar_{kode}_begrundelse": "Begrundet i vurderingen."}
    return post


def test_tidligere_bevilling_registreres_paa_oversigten(client, ansaettelse):
    fl = ansaettelse.forloeb
    c = logget_ind(client, fl.sagsbehandler)
    url = reverse("flexjob:bevilling_opret", args=[fl.pk])
    r = c.post(
        url, {"bevilling-type": "", "bevilling-beskrivelse": "", "bevilling-dato": "", "bevilling-bevilget_af": ""}
    )
    side = html(r)
    assert r.status_code == 200 and "Vælg hvilken slags bevilling." in side and "Beskriv hvad der er bevilget." in side
    assert not Bevilling.objects.exists()
    r = c.post(
        url,
        {"bevilling-type": "personlig_assistance", "bevilling-beskrivelse": "5 timer om ugen",
         "bevilling-dato": dag(10).isoformat(), "bevilling-bevilget_af": "Jobcentret"},
    )  # fmt: skip
    assert r.status_code == 302
    side = html(c.get(reverse("flexjob:oversigt", args=[fl.pk])))
    assert "5 timer om ugen" in side and "Personlig assistance" in side


def test_bekraeftelse_registreres_paa_aftalesiden_og_godkendelse_kraever_begge(client, team, fleksjob_forloeb):
    fl = fleksjob_forloeb
    aftale = klient_aftale(team, fl)
    c = logget_ind(client, fl.sagsbehandler)
    side = html(c.get(reverse("flexjob:aftaler")))
    assert "VITAS-4711" in side and "Mangler" in side and "Registrér en bekræftelse" in side
    r = c.post(reverse("flexjob:aftale_godkend", args=[aftale.pk]), {"version": aftale.version}, follow=True)
    assert "Arbejdsgiveren har ikke bekræftet aftalen." in html(r)
    r = c.post(
        reverse("flexjob:aftale_bekraeft", args=[aftale.pk]),
        {f"bekraeft-{aftale.pk}-version": aftale.version, f"bekraeft-{aftale.pk}-part": "arbejdsgiver",
         f"bekraeft-{aftale.pk}-af": "Mette Fiktiv, underskrift"},
    )  # fmt: skip
    assert r.status_code == 302
    aftale.refresh_from_db()
    assert aftale.arbejdsgiver_bekraeftet_af == "Mette Fiktiv, underskrift"
    r = c.post(reverse("flexjob:aftale_godkend", args=[aftale.pk]), {"version": aftale.version})
    assert r.status_code == 302 and Aftale.objects.get(pk=aftale.pk).status == "godkendt"


def klient_aftale(team, fl) -> Aftale:
    return aftaler.aftale_modtag(
        actor=klient_for(team), **data(cpr_af(fl.borger), arbejdsgiver_bekraeftet=None, arbejdsgiver_bekraeftet_af="")
    )


def test_forberedende_del_med_udeladte_afsnit_paa_siden(client, team):
    fl = factories.forloeb_i("forberedende_plan", team=team)
    c = logget_ind(client, fl.sagsbehandler)
    url = reverse("rehab:forberedende_del", args=[fl.pk])
    side = html(c.get(url))
    assert "Sagen forelægges ikke rehabiliteringsteamet" in side
    post = {"handling": "gem", "version": 0, "job_uddannelse": "Ufaglært.", "udeladt_social_indsats": "Ingen."}
    assert c.post(url, post).status_code == 302
    fd = fl.forberedende_dele.get()
    assert fd.udeladte_sektioner == {"social_indsats": "Ingen."}
    side = html(c.get(url))
    assert "Hverken udfyldt eller begrundet:" in side and "Ingen." in side


def test_indstillingsformularen_gemmer_det_strukturerede_indhold(client, team):
    fl = factories.forloeb_i("rehabiliteringsteam", team=team)
    c = logget_ind(client, fl.sagsbehandler)
    url = reverse("rehab:indstilling", args=[fl.pk])
    assert "Kompenserende ordninger" in html(c.get(url))
    post = {"udfald": "fleksjob", "dato": dag(28).isoformat(), **{k: v for k, v in factories.INDHOLD.items()}}
    post |= {
        "komp_mentor": "anbefalet",
        "progression_mulig": "ja",
        "vurderet_timer": "12,5",
        "vurderet_intensitet": "x",
    }
    r = c.post(url, post)
    assert r.status_code == 200 and "Arbejdsintensiteten skal være et helt tal mellem 1 og 100 (%)." in html(r)
    assert not Indstilling.objects.filter(forloeb=fl).exists()
    r = c.post(url, post | {"vurderet_intensitet": "60"})
    assert r.status_code == 302, html(r)
    ind = Indstilling.objects.get(forloeb=fl)
    assert (ind.komp_mentor, str(ind.vurderet_timer), ind.vurderet_intensitet) == ("anbefalet", "12.5", 60)
    side = html(c.get(url))
    assert "Anbefalet" in side and 'data-kode="indstilling.kompenserende"' in side
