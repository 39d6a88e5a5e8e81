"""Issue 15: the decision editor does not start empty. A new decision draft carries the facts the
partshøring listed and the indstilling's structured content (each naming its origin and date),
through the page and the API alike; the caseworker can fetch new ones without losing what is
written; and the editor offers the legal references that apply to the type, not the whole catalogue."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases.models import Lovhenvisning
from decisions.models import Dokument
from decisions.services import dokument_opret
from infra.models import AuditEntry
from rehab import services as rehab
from rehab.models import Bilag
from tests import factories
from tests.rehab.test_partshoering import send

pytestmark = pytest.mark.django_db


@pytest.fixture
def fl(team, sagsbehandler):
    """The team recommended fleksjob (with the structured content); a partshøring sent and answered."""
    b = factories.borger(team, actor=sagsbehandler, adresse="Fiktivvej 1", postnummer="9999", by="Testby")
    fl = factories.forloeb_i("indstilling", team=team, udfald="fleksjob", sagsbehandler=sagsbehandler, borger=b)
    lae265 = Bilag.objects.get(forberedende_del__forloeb=fl, type="lae265")
    ph = rehab.partshoering_opret(
        actor=sagsbehandler,
        forloeb=fl,
        grundlag=[{"tekst": "Lægen vurderer, at du kan arbejde 12 timer om ugen.", "kilde_type": "bilag",
                   "kilde_id": str(lae265.pk)}],
    )  # fmt: skip
    send(ph, "udleveret")
    return fl


def _sendt(fl) -> str:
    ph = fl.partshoeringer.get()
    maaned = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
              "november", "december"][ph.sendt_dato.month - 1]  # fmt: skip
    return f"{ph.sendt_dato.day}. {maaned} {ph.sendt_dato.year}"


def _tjek_fakta(fl, d: Dokument) -> None:
    fakta = list(d.fakta.all())
    tekster = [f.tekst for f in fakta]
    assert tekster[0] == f"Fra partshøringen sendt {_sendt(fl)}: Lægen vurderer, at du kan arbejde 12 timer om ugen."
    assert fakta[0].kilde_type == "bilag" and fakta[0].kilde_titel.startswith("Lægeattest LÆ 265")
    ind = fl.indstillinger.get()
    fra = f"Fra rehabiliteringsteamets indstilling {ind.dato.day}. "
    indstilling = [f for f in fakta if f.kilde_type == "indstilling"]
    assert indstilling and all(f.tekst.startswith(fra) and f.kilde_id == ind.pk for f in indstilling)
    samlet = "\n".join(tekster)
    assert "Beskæftigelsesmål: Jobmaal: teamets vurdering." in samlet
    assert "Omfanget af den nedsatte arbejdsevne: " in samlet
    assert "Teamets vurdering af arbejdsevnen: 12,5 timer pr. uge og arbejdsintensitet 60 %" in samlet
    assert "Kompenserende ordninger: hjælpemidler (anbefalet); arbejdspladsindretning (overvejet, ikke anbefalet)" in (
        samlet
    )
    assert "Progression: Ja, progression er mulig. Udviklingsperspektiv: teamets vurdering." in samlet


def test_kladde_oprettet_paa_siden_har_partshoeringens_og_indstillingens_fakta(client, fl):
    client.force_login(fl.sagsbehandler)
    r = client.post(reverse("decisions:dokumenter", args=[fl.pk]), {"type": "fleksjob_visitation"})
    assert r.status_code == 302, r.content.decode()[:2000]
    d = Dokument.objects.get(forloeb=fl, type="fleksjob_visitation")
    _tjek_fakta(fl, d)
    html = client.get(r["Location"]).content.decode()
    assert "Fra partshøringen sendt" in html
    assert "begrundelse.fakta_mangler" not in html and "Angiv de faktiske oplysninger" not in html


def test_kladde_oprettet_i_api_et_har_de_samme_fakta(fl):
    c = APIClient()
    c.force_authenticate(fl.sagsbehandler)
    r = c.post(
        "/api/v1/afgoerelser/", {"forloeb": str(fl.pk), "type": "fleksjob_visitation"}, format="json",
        HTTP_IDEMPOTENCY_KEY="fakta-1",
    )  # fmt: skip
    assert r.status_code == 201, r.content
    assert r.json()["fakta"][0]["tekst"].startswith(f"Fra partshøringen sendt {_sendt(fl)}: Lægen vurderer")
    _tjek_fakta(fl, Dokument.objects.get(pk=r.json()["id"]))
    # The type's legal basis is pre-selected through the API too, as on the page.
    assert {lh["kode"] for lh in r.json()["lovhenvisninger"]} == {"lab_116", "fvl_22_24"}


def test_fakta_givet_ved_oprettelsen_erstattes_ikke(fl):
    ind = fl.indstillinger.get()
    egne = [{"tekst": "Mit eget faktum.", "kilde_type": "indstilling", "kilde_id": str(ind.pk)}]
    d = dokument_opret(actor=fl.sagsbehandler, forloeb=fl, type="fleksjob_visitation", fakta=egne)
    assert [f.tekst for f in d.fakta.all()] == ["Mit eget faktum."]


def test_hent_fakta_tilfoejer_de_nye_og_bevarer_det_skrevne(client, fl):
    ind = fl.indstillinger.get()
    d = dokument_opret(actor=fl.sagsbehandler, forloeb=fl, type="fleksjob_visitation", fakta=[])
    client.force_login(fl.sagsbehandler)
    data = {
        "version": d.version, "fakta_antal": 1, "titel": d.titel, "tekst": "Min tekst.", "hovedhensyn": "Mit skøn.",
        "faktum_0_tekst": "Mit eget faktum.", "faktum_0_kilde": f"indstilling:{ind.pk}",
        "handling": "hent_fakta", "baseline_timer": "12,5", "baseline_intensitet": "60",
    }  # fmt: skip
    r = client.post(reverse("decisions:dokument", args=[d.pk]), data)
    assert r.status_code == 302, re.findall(r'class="form-error-message">([^<]+)', r.content.decode())
    d.refresh_from_db()
    tekster = [f.tekst for f in d.fakta.all()]
    assert tekster[0] == "Mit eget faktum." and d.tekst == "Min tekst."
    assert tekster[1].startswith("Fra partshøringen sendt") and len(tekster) > 3
    assert AuditEntry.objects.filter(handling="dokument.hent_fakta", subject_id=str(d.pk)).exists()
    # Fetching again adds nothing twice.
    data |= {"version": d.version, "fakta_antal": len(tekster)}
    data |= {f"faktum_{i}_tekst": f.tekst for i, f in enumerate(d.fakta.all())}
    data |= {f"faktum_{i}_kilde": f"{f.kilde_type}:{f.kilde_id}" for i, f in enumerate(d.fakta.all())}
    r = client.post(reverse("decisions:dokument", args=[d.pk]), data, follow=True)
    assert "Der var ingen nye oplysninger at hente" in r.content.decode()
    assert d.fakta.count() == len(tekster)


def test_editoren_tilbyder_kun_typens_retsregler(client, fl):
    d = dokument_opret(actor=fl.sagsbehandler, forloeb=fl, type="fleksjob_visitation")
    client.force_login(fl.sagsbehandler)
    html = client.get(reverse("decisions:dokument", args=[d.pk])).content.decode()
    tilbudt = set(re.findall(r'type="checkbox" name="lovhenvisninger" id="[^"]*" value="([a-z0-9_]+)"', html))
    assert {"lab_116", "lab_122", "fvl_22_24", "fvl_25"} <= tilbudt
    assert not tilbudt & {"pl_16", "pl_19", "lab_113", "ast_39_17", "rsl_66"}
    assert len(tilbudt) < 19
    # A draft citing another provision (through the API) keeps it offered, so nothing is lost on save.
    d.lovhenvisninger.add(*Lovhenvisning.objects.filter(kode="pl_16"))
    html = client.get(reverse("decisions:dokument", args=[d.pk])).content.decode()
    assert 'value="pl_16"' in html


def test_afslag_paa_foertidspension_tilbyder_pensionsreglerne(client, team, sagsbehandler):
    fl = factories.forloeb_i("foertidspension_behandling", team=team, sagsbehandler=sagsbehandler)
    d = dokument_opret(actor=sagsbehandler, forloeb=fl, type="foertidspension_afslag", fakta=[])
    client.force_login(sagsbehandler)
    html = client.get(reverse("decisions:dokument", args=[d.pk])).content.decode()
    tilbudt = set(re.findall(r'type="checkbox" name="lovhenvisninger" id="[^"]*" value="([a-z0-9_]+)"', html))
    assert {"pl_16", "pl_19", "pl_20", "fvl_22_24"} <= tilbudt
    assert not tilbudt & {"lab_116", "lab_122", "lab_113"}
