"""Issue 15: the jurist's library of standard phrases per decision type. The jurist maintains them
(page and admin, audited, own municipality only); the editor offers the active phrases of the
draft's type and appends the chosen one to its section, keeping what the caseworker has typed."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cases.models import Rolle
from decisions import standardtekster
from decisions.models import Standardtekst
from decisions.services import dokument_opret
from demo import standardtekster as demo_standardtekster
from infra.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


def ny(jurist, **felter) -> Standardtekst:
    data = {"dokument_type": "fleksjob_visitation", "afsnit": "hovedhensyn", "titel": "Varigt nedsat",
            "tekst": "Vi har lagt vægt på, at din arbejdsevne er varigt nedsat."} | felter  # fmt: skip
    return standardtekster.standardtekst_opret(actor=jurist, **data)


def test_juristen_opretter_og_aendrer_paa_siden_og_det_logges(client, jurist):
    client.force_login(jurist)
    url = reverse("decisions:standardtekster")
    r = client.post(url, {"dokument_type": "fleksjob_afslag", "afsnit": "tekst", "titel": "Indledning",
                          "tekst": "Du har søgt om fleksjob.", "aktiv": "on"})  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:3000]
    s = Standardtekst.objects.get(titel="Indledning")
    assert (s.kommune_id, s.aktiv, s.aendret_af) == (jurist.kommune_id, True, jurist.get_full_name() or jurist.username)
    assert AuditEntry.objects.filter(handling="standardtekst.opret", subject_id=str(s.pk)).exists()
    r = client.post(reverse("decisions:standardtekst", args=[s.pk]), {
        "dokument_type": "fleksjob_afslag", "afsnit": "tekst", "titel": "Indledning", "tekst": "Ny tekst."})  # fmt: skip
    assert r.status_code == 302
    s.refresh_from_db()
    assert (s.tekst, s.aktiv) == ("Ny tekst.", False)
    row = AuditEntry.objects.get(handling="standardtekst.opdater", subject_id=str(s.pk))
    assert row.foer["tekst"] == "Du har søgt om fleksjob." and row.efter["aktiv"] is False
    html = client.get(url).content.decode()
    assert "Indledning" in html and "Ikke aktiv" in html and 'href="/afgoerelser/standardtekster/"' in html


def test_afsnit_der_ikke_findes_i_typen_afvises_med_dansk_besked(client, jurist):
    client.force_login(jurist)
    r = client.post(reverse("decisions:standardtekster"),
                    {"dokument_type": "overgang_pension", "afsnit": "hovedhensyn", "titel": "X", "tekst": "Y"})  # fmt: skip
    assert r.status_code == 200
    assert "findes ikke i overgang til behandling efter pensionsreglerne" in r.content.decode()
    assert not Standardtekst.objects.exists()


def test_kun_juristen_og_kun_egen_kommune(client, jurist, sagsbehandler, fremmed_team):
    client.force_login(sagsbehandler)
    assert client.get(reverse("decisions:standardtekster")).status_code == 403
    with pytest.raises(PermissionDenied):
        ny(sagsbehandler)
    assert "Standardtekster</span>" not in client.get(reverse("cases:borger_list")).content.decode()
    fremmed = factories.UserFactory(kommune=fremmed_team.jobcenter.kommune, rolle=Rolle.JURIST)
    s = ny(fremmed)
    client.force_login(jurist)
    assert client.get(reverse("decisions:standardtekst", args=[s.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        standardtekster.standardtekst_opdater(actor=jurist, standardtekst=s, tekst="Kapret.")


def test_samme_titel_to_gange_afvises(jurist):
    ny(jurist)
    with pytest.raises(ValidationError) as exc:
        ny(jurist)
    assert "titel" in exc.value.message_dict


def test_editoren_tilbyder_typens_aktive_tekster_og_tilfoejer_valgt_tekst(client, team, sagsbehandler, jurist,
                                                                       fremmed_team):  # fmt: skip
    fl = factories.forloeb_i("indstilling", udfald="fleksjob", team=team, sagsbehandler=sagsbehandler)
    s = ny(jurist)
    ny(jurist, titel="Ikke aktiv", aktiv=False)
    ny(jurist, dokument_type="fleksjob_afslag", titel="Anden type")
    ny(factories.UserFactory(kommune=fremmed_team.jobcenter.kommune, rolle=Rolle.JURIST), titel="Fremmed")
    d = dokument_opret(actor=sagsbehandler, forloeb=fl, type="fleksjob_visitation", fakta=[])
    client.force_login(sagsbehandler)
    html = client.get(reverse("decisions:dokument", args=[d.pk])).content.decode()
    tilbudt = re.findall(
        r'<option value="(\d+)">([^<]+)</option>', html.split('id="id_standardtekst"')[1].split("</select>")[0]
    )
    assert tilbudt == [(str(s.pk), "Varigt nedsat")]
    assert '<optgroup label="Begrundelse: hovedhensyn i skønnet">' in html
    data = {"version": d.version, "fakta_antal": 0, "titel": d.titel, "tekst": "Du visiteres.",
            "hovedhensyn": "Mit eget skøn.", "baseline_timer": "12,5", "baseline_intensitet": "60",
            "handling": "indsaet_standardtekst", "standardtekst": s.pk}  # fmt: skip
    r = client.post(reverse("decisions:dokument", args=[d.pk]), data, follow=True)
    assert "Standardteksten »Varigt nedsat« er indsat" in r.content.decode()
    d.refresh_from_db()
    assert d.tekst == "Du visiteres."
    assert d.hovedhensyn == "Mit eget skøn.\n\nVi har lagt vægt på, at din arbejdsevne er varigt nedsat."
    assert AuditEntry.objects.filter(handling="dokument.indsaet_standardtekst", subject_id=str(d.pk)).exists()
    # Another type's phrase is refused by the service, whatever is posted.
    anden = Standardtekst.objects.get(titel="Anden type")
    r = client.post(reverse("decisions:dokument", args=[d.pk]), data | {"version": d.version, "standardtekst": anden.pk},
                    follow=True)  # fmt: skip
    assert "Vælg en af standardteksterne til denne type." in r.content.decode()
    d.refresh_from_db()
    assert d.hovedhensyn == "Mit eget skøn."  # what was posted is saved; nothing of the other type added


def test_demodata_har_tekster_til_hver_afgoerelsestype(jurist):
    antal = demo_standardtekster.opret(jurist)
    typer = set(Standardtekst.objects.values_list("dokument_type", flat=True))
    assert antal >= 20 and len(typer) == 10


def test_admin_er_afgraenset_til_kommunen_og_gemmer_gennem_servicen(client, jurist, fremmed_team):
    jurist.is_staff = True
    jurist.save(update_fields=["is_staff"])
    ny(factories.UserFactory(kommune=fremmed_team.jobcenter.kommune, rolle=Rolle.JURIST), titel="Fremmed tekst")
    client.force_login(jurist)
    r = client.post("/admin/decisions/standardtekst/add/", {
        "dokument_type": "fleksjob_afslag", "afsnit": "tekst", "titel": "Fra admin", "tekst": "Du har søgt.",
        "aktiv": "on"})  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:3000]
    s = Standardtekst.objects.get(titel="Fra admin")
    assert s.kommune_id == jurist.kommune_id
    assert AuditEntry.objects.filter(handling="standardtekst.opret", subject_id=str(s.pk)).exists()
    liste = client.get("/admin/decisions/standardtekst/").content.decode()
    assert "Fra admin" in liste and "Fremmed tekst" not in liste
    r = client.post("/admin/decisions/standardtekst/add/", {
        "dokument_type": "overgang_pension", "afsnit": "hovedhensyn", "titel": "Forkert", "tekst": "X"})  # fmt: skip
    assert r.status_code == 200 and "findes ikke i overgang til behandling" in r.content.decode()


def test_admin_afviser_en_titel_kommunen_allerede_bruger_med_en_besked(client, jurist):
    """A duplicate title in the admin is a form error on the title (it was a 500 from the constraint)."""
    jurist.is_staff = True
    jurist.save(update_fields=["is_staff"])
    ny(jurist, titel="Skånehensyn")
    client.force_login(jurist)
    eksisterende = Standardtekst.objects.get(titel="Skånehensyn")
    r = client.post("/admin/decisions/standardtekst/add/", {
        "dokument_type": eksisterende.dokument_type, "afsnit": eksisterende.afsnit, "titel": "Skånehensyn",
        "tekst": "En anden tekst.", "aktiv": "on"})  # fmt: skip
    assert r.status_code == 200
    assert "Der findes allerede en standardtekst med den titel for typen." in r.content.decode()
    assert Standardtekst.objects.filter(titel="Skånehensyn").count() == 1
    # Saving the phrase itself again under its own title is not a duplicate.
    r = client.post(f"/admin/decisions/standardtekst/{eksisterende.pk}/change/", {
        "dokument_type": eksisterende.dokument_type, "afsnit": eksisterende.afsnit, "titel": "Skånehensyn",
        "tekst": "Rettet tekst.", "aktiv": "on"})  # fmt: skip
    assert r.status_code == 302
    eksisterende.refresh_from_db()
    assert eksisterende.tekst == "Rettet tekst."
