import csv
import datetime as dt
import io
import sys
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from cases import services
from infra import audit, context, datoer
from infra import cpr as cprlib
from infra.models import ActorType, AuditEntry
from tests import factories


def udtraek(**options) -> str:
    out = io.StringIO()
    call_command("adgangslog", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def historik(borger, sagsbehandler, teamleder):
    """Reads and changes by named employees, with reasons and entry points."""
    with context.bound(context.RequestContext(kilde=f"GET /borgere/{borger.pk}/")):
        audit.record_read(actor=sagsbehandler, handling="borger.laes", borgere=[borger], subject=borger)
    services.borger_opdater(actor=sagsbehandler, borger=borger, adresse="Demovej 3")
    services.borger_cpr_vis(actor=teamleder, borger=borger, begrundelse="Partshøring skal sendes med fysisk post")
    services.paaroerende_opret(
        actor=sagsbehandler,
        borger=borger,
        navn="Jens Fiktivsen",
        relation="bisidder",
        samtykke_dato=datoer.idag(),
        samtykke_omfang="Må deltage i møder",
    )
    return borger


def test_udtraek_viser_hvem_hvad_hvornaar_og_hvorfor(historik, sagsbehandler, teamleder):
    out = udtraek(borger_id=str(historik.pk))
    assert out.splitlines()[0] == f"Adgangslog for {historik.navn}, CPR {historik.cpr_maskeret}"
    for tekst in (
        "Oprettede borgeren",
        "Så borgerens oplysninger",
        "Ændrede borgerens oplysninger",
        "Så det fulde CPR-nummer",
        "Registrerede pårørende/bisidder",
        f"{sagsbehandler.get_full_name()} (Medarbejder)",
        f"{teamleder.get_full_name()} (Medarbejder)",
        "Partshøring skal sendes med fysisk post",
        f"GET /borgere/{historik.pk}/",
        "Antal registreringer: 5",
    ):
        assert tekst in out, tekst
    # Oldest first.
    assert out.index("Oprettede borgeren") < out.index("Så borgerens oplysninger") < out.index("Så det fulde")


def test_udtraek_indeholder_aldrig_det_fulde_cpr(historik, sagsbehandler):
    cpr = cprlib.decrypt(historik.cpr_krypteret)
    # Even a reason typed with the CPR number in it is masked.
    with transaction.atomic():
        audit.record(
            actor=sagsbehandler, handling="borger.opdater", borger=historik, begrundelse=f"Rettet efter opkald, {cpr}"
        )
    for fmt in ("text", "csv"):
        out = udtraek(borger_id=str(historik.pk), format=fmt)
        assert cpr not in out
        assert f"{cpr[:6]}-{cpr[6:]}" not in out


def test_udtraekket_logges(historik):
    foer = AuditEntry.objects.count()
    udtraek(borger_id=str(historik.pk), begrundelse="Indsigtsanmodning modtaget 1. marts")
    assert AuditEntry.objects.count() == foer + 1
    entry = AuditEntry.objects.get(handling="borger.adgangslog_udtraek")
    assert (entry.actor_type, entry.actor_navn, entry.kilde) == (
        ActorType.SYSTEM,
        "manage.py adgangslog",
        "manage.py adgangslog",
    )
    assert entry.borger_ids == [historik.pk]
    assert entry.kommune_id == historik.kommune_id
    assert entry.begrundelse == "Indsigtsanmodning modtaget 1. marts"
    assert entry.efter["antal"] == 5
    # The next extract shows the previous one.
    assert "Lavede et udtræk af borgerens adgangslog" in udtraek(borger_id=str(historik.pk))


def test_cpr_laeses_fra_stdin(historik, monkeypatch):
    cpr = cprlib.decrypt(historik.cpr_krypteret)
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{cpr[:6]}-{cpr[6:]}\n"))
    out = udtraek(cpr_stdin=True)
    assert out.startswith(f"Adgangslog for {historik.navn}, CPR {historik.cpr_maskeret}")
    assert cpr not in out
    assert AuditEntry.objects.filter(handling="borger.adgangslog_udtraek", borger_ids__contains=[historik.pk]).exists()


def test_ukendt_eller_ugyldigt_cpr_afvises_uden_at_gentage_det(db, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("0101801234\n"))
    with pytest.raises(CommandError, match="Ingen borger") as exc:
        udtraek(cpr_stdin=True)
    assert "0101801234" not in str(exc.value)
    monkeypatch.setattr(sys, "stdin", io.StringIO("3102801234\n"))
    with pytest.raises(CommandError, match="Ugyldigt CPR") as exc:
        udtraek(cpr_stdin=True)
    assert "3102801234" not in str(exc.value)
    assert not AuditEntry.objects.filter(handling="borger.adgangslog_udtraek").exists()


def test_samme_cpr_i_to_kommuner_kraever_kommune(historik, fremmed_team, monkeypatch):
    cpr = cprlib.decrypt(historik.cpr_krypteret)
    factories.borger(fremmed_team, cpr=cpr)
    monkeypatch.setattr(sys, "stdin", io.StringIO(cpr))
    with pytest.raises(CommandError, match="flere kommuner"):
        udtraek(cpr_stdin=True)
    monkeypatch.setattr(sys, "stdin", io.StringIO(cpr))
    out = udtraek(cpr_stdin=True, kommune=historik.kommune.kommunekode)
    assert "Antal registreringer: 5" in out


def test_csv_format(historik, teamleder):
    out = udtraek(borger_id=str(historik.pk), format="csv")
    rows = list(csv.reader(io.StringIO(out), delimiter=";"))
    assert rows[0] == ["tidspunkt", "hvem", "aktoertype", "hvad", "handlingskode", "hvorfor", "hvor"]
    assert len(rows) == 6
    cpr_vis = next(r for r in rows if r[4] == "borger.cpr_vis")
    assert cpr_vis[1:4] == [teamleder.get_full_name(), "Medarbejder", "Så det fulde CPR-nummer"]
    assert cpr_vis[5] == "Partshøring skal sendes med fysisk post"
    assert dt.datetime.fromisoformat(cpr_vis[0]).utcoffset() in (dt.timedelta(hours=1), dt.timedelta(hours=2))


def test_periode_afgraenser_udtraekket(historik):
    idag = datoer.idag()  # Europe/Copenhagen
    assert "Antal registreringer: 5" in udtraek(borger_id=str(historik.pk), fra=str(idag), til=str(idag))
    assert "Antal registreringer: 0" in udtraek(borger_id=str(historik.pk), fra=str(idag + dt.timedelta(days=1)))
    assert "Antal registreringer: 0" in udtraek(borger_id=str(historik.pk), til=str(idag - dt.timedelta(days=1)))
    with pytest.raises(CommandError, match="--fra"):
        udtraek(borger_id=str(historik.pk), fra="2025-02-01", til="2025-01-01")
    with pytest.raises(CommandError, match="Ugyldig dato"):
        udtraek(borger_id=str(historik.pk), fra="1. januar")


def test_ukendt_handlingskode_vises_som_den_er(borger, sagsbehandler):
    audit.record_read(actor=sagsbehandler, handling="borger.noget_nyt", borgere=[borger])
    assert "borger.noget_nyt" in udtraek(borger_id=str(borger.pk))


def test_ukendt_borger_id(db):
    with pytest.raises(CommandError, match="Ingen borger"):
        udtraek(borger_id=str(uuid.uuid4()))


def test_cpr_kan_ikke_angives_som_argument():
    with pytest.raises(CommandError):
        call_command("adgangslog", "--cpr", "0101801234")


def test_labels_til_handlingskoder():
    from infra.audit_labels import handling_label

    assert handling_label("borger.liste") == "Så borgeren i en liste"
    assert handling_label("borger.soeg") == "Fandt borgeren ved søgning"
    assert handling_label("x.y") == "x.y"
