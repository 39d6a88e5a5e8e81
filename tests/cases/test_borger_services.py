import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction

from cases import services
from cases.models import Borger, Paaroerende
from cases.selectors import borger_soeg
from infra import audit, datoer
from infra import cpr as cprlib
from infra.fejl import ForaeldetVersion
from infra.models import AuditEntry
from tests import factories


def test_opret_borger_gemmer_cpr_krypteret_og_hash_til_opslag(team, sagsbehandler):
    borger = services.borger_opret(actor=sagsbehandler, team=team, cpr="070680-1234", fornavn="Ib", efternavn="Fiktiv")
    borger.refresh_from_db()
    assert borger.foedselsdato == dt.date(1980, 6, 7)
    assert borger.cpr_maskeret == "070680-****"
    with connection.cursor() as cur:
        cur.execute("SELECT row_to_json(b)::text FROM cases_borger b WHERE id = %s", [borger.pk])
        raw_row = cur.fetchone()[0]
    assert "0706801234" not in raw_row and "070680-1234" not in raw_row
    assert cprlib.decrypt(borger.cpr_krypteret) == "0706801234"
    assert list(borger_soeg(sagsbehandler, "0706801234")) == [borger]
    assert list(borger_soeg(sagsbehandler, "070680-1234")) == [borger]
    assert list(borger_soeg(sagsbehandler, "070680-1235")) == []


def test_ugyldigt_cpr_gemmer_intet(team, sagsbehandler):
    with pytest.raises(ValidationError) as exc:
        services.borger_opret(actor=sagsbehandler, team=team, cpr="310280-1234", fornavn="A", efternavn="B")
    assert "cpr" in exc.value.message_dict
    assert not Borger.objects.exists()
    assert not AuditEntry.objects.filter(handling="borger.opret").exists()


def test_dublet_cpr_i_samme_kommune_afvises(team, andet_team, sagsbehandler):
    sagsbehandler.teams.add(andet_team)
    services.borger_opret(actor=sagsbehandler, team=team, cpr="0706801234", fornavn="A", efternavn="B")
    with pytest.raises(ValidationError) as exc:
        services.borger_opret(actor=sagsbehandler, team=andet_team, cpr="070680-1234", fornavn="C", efternavn="D")
    assert exc.value.message_dict["cpr"] == [services.DUBLET_CPR]
    assert Borger.objects.count() == 1


def test_samme_cpr_i_anden_kommune_er_en_anden_sag(team, fremmed_team, sagsbehandler):
    services.borger_opret(actor=sagsbehandler, team=team, cpr="0706801234", fornavn="A", efternavn="B")
    fremmed = factories.medarbejder(fremmed_team)
    services.borger_opret(actor=fremmed, team=fremmed_team, cpr="0706801234", fornavn="A", efternavn="B")
    assert Borger.objects.count() == 2


def test_kan_ikke_oprette_borger_i_andres_team(sagsbehandler, andet_team):
    with pytest.raises(ValidationError) as exc:
        services.borger_opret(actor=sagsbehandler, team=andet_team, cpr="0706801234", fornavn="A", efternavn="B")
    assert "team" in exc.value.message_dict
    assert not Borger.objects.exists()


def test_oprettelse_skriver_auditraekke_uden_fuldt_cpr(team, sagsbehandler):
    borger = services.borger_opret(actor=sagsbehandler, team=team, cpr="0706801234", fornavn="Ib", efternavn="Fiktiv")
    entry = AuditEntry.objects.get(handling="borger.opret")
    assert entry.actor_id == str(sagsbehandler.pk)
    assert entry.borger_ids == [borger.pk]
    assert entry.kommune_id == team.jobcenter.kommune_id
    assert entry.efter["fornavn"] == "Ib"
    assert "0706801234" not in str(entry.efter)


@pytest.mark.django_db(transaction=True)
def test_audit_rulles_tilbage_sammen_med_aendringen(team, sagsbehandler):
    borger = factories.borger(team, actor=sagsbehandler)
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.borger_opdater(actor=sagsbehandler, borger=borger, telefon="12345678")
        assert AuditEntry.objects.count() == before + 1  # written inside the transaction ...
        raise RuntimeError("the request fails after the change")
    assert AuditEntry.objects.count() == before  # ... and gone with it
    borger.refresh_from_db()
    assert borger.telefon == ""


@pytest.mark.django_db(transaction=True)
def test_audit_udenfor_transaktion_afvises(team, sagsbehandler):
    borger = factories.borger(team, actor=sagsbehandler)
    assert not connection.in_atomic_block
    with pytest.raises(audit.AuditOutsideTransaction):
        audit.record(actor=sagsbehandler, handling="borger.opdater", borger=borger)


def test_opdatering_logger_foer_og_efter_og_taeller_version_op(borger, sagsbehandler):
    updated = services.borger_opdater(
        actor=sagsbehandler, borger=borger, telefon="12345678", expected_version=borger.version
    )
    assert updated.version == borger.version + 1
    entry = AuditEntry.objects.filter(handling="borger.opdater").get()
    assert entry.foer == {"telefon": ""}
    assert entry.efter == {"telefon": "12345678"}


def test_foraeldet_version_afvises_og_aendrer_intet(borger, sagsbehandler):
    services.borger_opdater(actor=sagsbehandler, borger=borger, telefon="11111111")
    with pytest.raises(ForaeldetVersion, match="ændret af en anden"):
        services.borger_opdater(actor=sagsbehandler, borger=borger, telefon="22222222", expected_version=1)
    borger.refresh_from_db()
    assert borger.telefon == "11111111"


def test_vis_cpr_kraever_begrundelse_og_logges(borger, sagsbehandler):
    with pytest.raises(ValidationError):
        services.borger_cpr_vis(actor=sagsbehandler, borger=borger, begrundelse="  ")
    assert not AuditEntry.objects.filter(handling="borger.cpr_vis").exists()
    full = services.borger_cpr_vis(actor=sagsbehandler, borger=borger, begrundelse="Opslag i eIndkomst")
    assert full == cprlib.mask(borger.foedselsdato).replace("****", cprlib.decrypt(borger.cpr_krypteret)[6:])
    entry = AuditEntry.objects.get(handling="borger.cpr_vis")
    assert entry.begrundelse == "Opslag i eIndkomst"
    assert entry.actor_id == str(sagsbehandler.pk)


def test_vis_cpr_for_borger_i_andet_team_naegtes(borger, andet_team):
    fremmed = factories.medarbejder(andet_team)
    with pytest.raises(PermissionDenied):
        services.borger_cpr_vis(actor=fremmed, borger=borger, begrundelse="nysgerrig")
    assert not AuditEntry.objects.filter(handling="borger.cpr_vis").exists()


def test_paaroerende_kraever_samtykke(borger, sagsbehandler):
    with pytest.raises(ValidationError) as exc:
        services.paaroerende_opret(
            actor=sagsbehandler, borger=borger, navn="Hans", relation="bisidder", samtykke_dato=None, samtykke_omfang=""
        )
    assert set(exc.value.message_dict) == {"samtykke_dato", "samtykke_omfang"}
    with pytest.raises(ValidationError):
        services.paaroerende_opret(
            actor=sagsbehandler,
            borger=borger,
            navn="Hans",
            relation="bisidder",
            samtykke_dato=datoer.idag() + dt.timedelta(days=1),
            samtykke_omfang="Møder",
        )
    assert not Paaroerende.objects.exists()
    p = services.paaroerende_opret(
        actor=sagsbehandler,
        borger=borger,
        navn="Hans",
        relation="bisidder",
        samtykke_dato=datoer.idag(),
        samtykke_omfang="Deltage i rehabiliteringsmøder",
    )
    assert p.aktivt_samtykke
    assert AuditEntry.objects.filter(handling="paaroerende.opret", borger_ids__contains=[borger.pk]).exists()


def test_teamskift_flytter_aabent_forloeb_og_dets_frister(team, andet_team, sagsbehandler):
    from cases.models import Frist

    sagsbehandler.teams.add(andet_team)
    fl = factories.forloeb_i("forberedende_plan", team=team, sagsbehandler=sagsbehandler)
    services.borger_opdater(actor=sagsbehandler, borger=fl.borger, team=andet_team)
    fl.refresh_from_db()
    assert fl.team_id == andet_team.pk
    assert set(Frist.objects.filter(forloeb=fl, lukket_dato__isnull=True).values_list("team_id", flat=True)) == {
        andet_team.pk
    }
