"""The deadline sweep (Celery beat): warnings, overdue marking and escalation, exactly once.

What a caseworker notices: one warning per threshold in the inbox, one "overskredet" when the
deadline has passed, the team leader of *her* team told once, nothing repeated when the sweep
runs again or on two workers at the same time, and e-mails that never carry a CPR or a name.
"""

from __future__ import annotations

import datetime as dt
import importlib
import threading
from collections import Counter

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core import mail
from django.db import connection

from cases import frister
from cases.models import Frist, FristDefinition, FristStatus, Notifikation, Rolle
from cases.tasks import frist_sweep, send_notifikationsmails
from tests import factories
from tests.factories import START, forloeb_i, haendelse, medarbejder

DAG = dt.timedelta(days=1)


def _regelkatalog() -> None:
    """The seeded rule catalogue. A transactional test starts after an earlier one's flush, which empties
    it (and serialized_rollback clashes with the content types that flush recreates): seed it again."""
    if not FristDefinition.objects.exists():
        importlib.import_module("cases.migrations.0004_seed_regelkatalog").seed(django_apps, None)
        importlib.import_module("cases.migrations.0006_fristdefinition_varsel_handling").saet_handlinger(
            django_apps, None
        )
        importlib.import_module("cases.migrations.0009_regeltype").rettelser(django_apps, None)


def _frist(forloeb, art: str) -> Frist:
    return Frist.objects.get(forloeb=forloeb, art=art)


def _notifikationer(frist: Frist) -> list[tuple[str, str, int]]:
    """(niveau, taerskel, modtager) of a deadline's notifications, sorted."""
    return sorted(Notifikation.objects.filter(frist=frist).values_list("niveau", "taerskel", "modtager_id"))


def _sammendrag(leder) -> list[Notifikation]:
    """A team leader's digests (one per sweep that found newly overdue deadlines in her teams)."""
    return list(Notifikation.objects.filter(modtager=leder, niveau="eskalering").order_by("id"))


def _listet(leder) -> list[str]:
    """The deadline ids listed in all of a team leader's digests."""
    return [linje["frist"] for n in _sammendrag(leder) for linje in n.fristliste]


@pytest.fixture
def plan(team, sagsbehandler):
    """A forløb in forberedende plan: the 23-week service goal runs, with warnings at 21 and 7 days."""
    fl = forloeb_i("forberedende_plan", team=team, sagsbehandler=sagsbehandler)
    return fl, _frist(fl, "servicemaal_afgoerelse")


# ---------------------------------------------------------------------------------------------
# Warnings
# ---------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_varsel_21_dage_foer_kommer_en_gang_til_sagsbehandleren(plan, sagsbehandler, teamleder):
    fl, frist = plan
    assert frist.varsler_dage == [21, 7], "the seeded service goal warns at 21 and 7 days"
    forfald = frist.gaeldende_forfald

    assert frister.sweep(idag=forfald - 22 * DAG).varsler == 0, "no warning before the window"
    resultat = frister.sweep(idag=forfald - 21 * DAG)

    assert resultat.varsler == 1
    assert _notifikationer(frist) == [("varsel", "21d", sagsbehandler.pk)]
    n = Notifikation.objects.get(frist=frist)
    assert n.forloeb_id == fl.pk
    assert "21 dage" in n.titel
    frist.refresh_from_db()
    assert frist.status == FristStatus.AABEN, "a warning does not change the deadline"

    # The beat runs every 15 minutes: later sweeps the same day, and the days before the 7-day mark, add nothing.
    assert frister.sweep(idag=forfald - 21 * DAG).notifikationer == 0
    assert frister.sweep(idag=forfald - 8 * DAG).notifikationer == 0
    assert Notifikation.objects.filter(frist=frist).count() == 1


@pytest.mark.django_db
def test_varsel_7_dage_foer_kommer_efter_21_dages_varslet(plan, sagsbehandler):
    _, frist = plan
    forfald = frist.gaeldende_forfald
    frister.sweep(idag=forfald - 21 * DAG)

    assert frister.sweep(idag=forfald - 7 * DAG).varsler == 1
    assert frister.sweep(idag=forfald - 7 * DAG).varsler == 0
    assert frister.sweep(idag=forfald).varsler == 0, "the due date itself brings no third warning"
    assert _notifikationer(frist) == [("varsel", "21d", sagsbehandler.pk), ("varsel", "7d", sagsbehandler.pk)]


@pytest.mark.django_db
def test_foerste_sweep_5_dage_foer_giver_kun_7_dages_varslet_ikke_begge(plan, sagsbehandler):
    _, frist = plan
    resultat = frister.sweep(idag=frist.gaeldende_forfald - 5 * DAG)

    assert resultat.varsler == 1
    assert _notifikationer(frist) == [("varsel", "7d", sagsbehandler.pk)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("dage_foer", "titel"),
    [(5, "Frist om 5 dage: "), (1, "Frist i morgen: "), (0, "Frist i dag: ")],
)
def test_varslets_titel_er_dansk_ogsaa_for_en_dag_og_i_dag(plan, dage_foer, titel):
    _, frist = plan
    frister.sweep(idag=frist.gaeldende_forfald - dage_foer * DAG)

    assert Notifikation.objects.get(frist=frist).titel.startswith(titel)


# ---------------------------------------------------------------------------------------------
# Overdue and escalation
# ---------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_overskredet_frist_markeres_og_eskaleres_til_teamets_ledere_en_gang(plan, team, andet_team, sagsbehandler):
    _, frist = plan
    leder1 = medarbejder(team, Rolle.TEAMLEDER)
    leder2 = medarbejder(team, Rolle.TEAMLEDER)
    kollega = medarbejder(team, Rolle.SAGSBEHANDLER)
    anden_leder = medarbejder(andet_team, Rolle.TEAMLEDER)
    forfald = frist.gaeldende_forfald

    assert frister.sweep(idag=forfald).overskredet == 0, "due today is not overdue yet"
    frist.refresh_from_db()
    assert frist.status == FristStatus.AABEN

    resultat = frister.sweep(idag=forfald + DAG)

    frist.refresh_from_db()
    assert frist.status == FristStatus.OVERSKREDET
    assert frist.overskredet_tidspunkt is not None
    assert frist.lukket_dato is None, "an overdue deadline stays open until the decision is made"
    assert (resultat.overskredet, resultat.notifikationer_overskredet, resultat.eskaleringer) == (1, 1, 2)
    assert [n for n in _notifikationer(frist) if n[0] != "varsel"] == [("overskredet", "overskredet", sagsbehandler.pk)]
    for leder in (leder1, leder2):
        (sammendrag,) = _sammendrag(leder)
        assert sammendrag.titel == "1 frist er overskredet i dit team"
        assert _listet(leder) == [str(frist.pk)]
    assert not _sammendrag(anden_leder) and not _sammendrag(kollega)

    foer = Notifikation.objects.count()
    for dag in (1, 1, 2, 30):
        igen = frister.sweep(idag=forfald + dag * DAG)
        assert (igen.overskredet, igen.notifikationer) == (0, 0)
    assert Notifikation.objects.count() == foer


@pytest.mark.django_db
def test_lukkede_frister_markeres_aldrig_som_overskredne(team, sagsbehandler, teamleder):
    # Timeline of forloeb_i: partshøring sent day 29 and answered day 35; decision (ressourceforløb) day 40.
    fl = forloeb_i("ressourceforloeb", team=team, sagsbehandler=sagsbehandler)
    lukkede = list(Frist.objects.filter(forloeb=fl, lukket_dato__isnull=False))
    assert {f.art for f in lukkede} >= {"partshoering_svar", "servicemaal_afgoerelse"}
    assert all(f.status == FristStatus.OVERHOLDT for f in lukkede)

    frister.sweep(idag=START + 3 * 365 * DAG)  # long after every due date

    for f in lukkede:
        f.refresh_from_db()
        assert f.status == FristStatus.OVERHOLDT, f.art
    assert not Notifikation.objects.filter(frist__in=lukkede).exists()
    # ...while the forløb's open deadlines (the ressourceforløb's own) were marked.
    assert Frist.objects.filter(forloeb=fl, lukket_dato__isnull=True, status=FristStatus.OVERSKREDET).exists()


@pytest.mark.django_db
def test_borgerens_udloebne_svarfrist_er_information_og_eskaleres_ikke(team, sagsbehandler, teamleder):
    fl = forloeb_i("indstilling", team=team, sagsbehandler=sagsbehandler)
    haendelse(fl, "partshoering_sendt", 29)
    frist = _frist(fl, "partshoering_svar")
    assert frist.ansvar == "borger"
    assert frist.gaeldende_forfald == START + 43 * DAG, "sent day 29 + 14 days"

    resultat = frister.sweep(idag=frist.gaeldende_forfald + DAG)

    frist.refresh_from_db()
    assert frist.status == FristStatus.OVERSKREDET
    assert resultat.eskaleringer == 0
    assert _notifikationer(frist) == [("info", "overskredet", sagsbehandler.pk)]
    assert Notifikation.objects.get(frist=frist).titel.startswith("Borgerens frist er udløbet")
    assert not Notifikation.objects.filter(modtager=teamleder).exists()


@pytest.mark.django_db
def test_forlaenget_frist_er_ikke_overskredet_foer_den_nye_dato(team, sagsbehandler, teamleder):
    fl = forloeb_i("foertidspension_behandling", team=team, sagsbehandler=sagsbehandler)
    frist = _frist(fl, "afgoerelse_pension")
    oprindelig = frist.gaeldende_forfald
    ny = oprindelig + 30 * DAG

    haendelse(fl, "redegoerelse_sendt", 100, ny_forventet_dato=ny)

    frist.refresh_from_db()
    assert (frist.status, frist.forfald, frist.gaeldende_forfald) == (FristStatus.FORLAENGET, oprindelig, ny)
    assert frister.sweep(idag=oprindelig + DAG).overskredet == 0
    assert frister.sweep(idag=ny).overskredet == 0
    frist.refresh_from_db()
    assert frist.status == FristStatus.FORLAENGET
    assert not Notifikation.objects.filter(niveau__in=["overskredet", "eskalering"]).exists()

    resultat = frister.sweep(idag=ny + DAG)

    frist.refresh_from_db()
    assert frist.status == FristStatus.OVERSKREDET
    assert resultat.overskredet == 1
    assert [n for n in _notifikationer(frist) if n[0] != "varsel"] == [("overskredet", "overskredet", sagsbehandler.pk)]
    assert _listet(teamleder) == [str(frist.pk)]


# ---------------------------------------------------------------------------------------------
# Exactly once, whatever the number of workers and restarts
# ---------------------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_to_samtidige_workers_giver_hver_notifikation_praecis_en_gang():
    _regelkatalog()
    team = factories.TeamFactory()
    ledere = [medarbejder(team, Rolle.TEAMLEDER) for _ in range(2)]
    medarbejder(factories.TeamFactory(jobcenter=team.jobcenter), Rolle.TEAMLEDER)  # another team's leader
    forloeb = [forloeb_i("aktivitetsparat", team=team) for _ in range(8)]
    definition = FristDefinition.objects.get(art="servicemaal_afgoerelse", kommune__isnull=True)
    idag = dt.date(2026, 6, 1)

    def frist(i: int, forfald: dt.date, **kw) -> Frist:
        fl = forloeb[i % len(forloeb)]
        return Frist(
            forloeb=fl, kommune_id=fl.kommune_id, team_id=fl.team_id, art=definition.art, reference=f"t-{i}",
            definition=definition, start_haendelse="forberedende_plan_start", start_dato=forfald - 161 * DAG,
            forfald=forfald, gaeldende_forfald=forfald, type=definition.type, ansvar=definition.ansvar,
            lovgrundlag=definition.lovgrundlag, forklaring="Start på forberedende plan + 23 uger",
            varsler_dage=[21, 7], **kw,
        )  # fmt: skip

    overskredne = [frist(i, idag - (1 + i % 40) * DAG) for i in range(200)]
    i_vindue = [frist(200 + i, idag + (i % 21) * DAG) for i in range(200)]  # due today .. in 20 days
    lukkede = [frist(400 + i, idag - 5 * DAG, status="overholdt", lukket_dato=idag - 9 * DAG) for i in range(50)]
    Frist.objects.bulk_create(overskredne + i_vindue + lukkede)
    forventet_uden_sammendrag = 200 + 200

    barriere = threading.Barrier(2)
    resultater: list[frister.SweepResultat] = []
    fejl: list[BaseException] = []

    def worker() -> None:
        try:
            barriere.wait(timeout=30)
            resultater.append(frister.sweep(idag=idag))
        except BaseException as exc:  # noqa: BLE001 - reported by the test thread below
            fejl.append(exc)
        finally:
            connection.close()

    traade = [threading.Thread(target=worker) for _ in range(2)]
    for t in traade:
        t.start()
    for t in traade:
        t.join(timeout=120)

    assert not fejl, fejl
    assert len(resultater) == 2
    assert sum(r.overskredet for r in resultater) == 200, "each deadline is marked by exactly one worker"
    sammendrag = sum(r.eskaleringer for r in resultater)
    assert sum(r.notifikationer for r in resultater) == forventet_uden_sammendrag + sammendrag
    forventet = Notifikation.objects.count()
    assert forventet == forventet_uden_sammendrag + sammendrag
    dubletter = Counter(Notifikation.objects.values_list("frist_id", "taerskel", "modtager_id"))
    assert max(dubletter.values()) == 1
    assert Counter(Notifikation.objects.exclude(niveau="eskalering").values_list("niveau", flat=True)) == {
        "overskredet": 200,
        "varsel": 200,
    }
    # Each leader hears of every overdue deadline exactly once, in one digest per sweep that marked any.
    for leder in ledere:
        assert len(_sammendrag(leder)) <= 2
        assert sorted(_listet(leder)) == sorted(str(f.pk) for f in overskredne)
    assert Frist.objects.filter(status="overskredet").count() == 200
    assert Frist.objects.filter(status="overholdt").count() == 50

    # A restart (or the next beat) finds nothing left to do.
    igen = frister.sweep(idag=idag)
    assert (igen.overskredet, igen.notifikationer) == (0, 0)
    assert Notifikation.objects.count() == forventet


# ---------------------------------------------------------------------------------------------
# The tasks
# ---------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_mails_sendes_en_gang_pr_notifikation_uden_cpr_og_navn(team, fuldt_cpr):
    ejer = medarbejder(team, email="ejer@kommune.invalid")
    leder = medarbejder(team, Rolle.TEAMLEDER, email="leder@kommune.invalid")
    leder_uden_mail = medarbejder(team, Rolle.TEAMLEDER, email="")
    b = factories.borger(team, actor=ejer, fornavn="Karen", efternavn="Fiktivsen")
    fl = forloeb_i("forberedende_plan", team=team, sagsbehandler=ejer, borger=b)
    forfald = _frist(fl, "servicemaal_afgoerelse").gaeldende_forfald
    frister.sweep(idag=forfald - 21 * DAG)  # varsel to the owner
    frister.sweep(idag=forfald + DAG)  # overskredet to the owner, eskalering to both leaders
    mail.outbox.clear()

    assert send_notifikationsmails() == 3

    assert sorted(m.to[0] for m in mail.outbox) == sorted(["ejer@kommune.invalid"] * 2 + ["leder@kommune.invalid"])
    assert all(len(m.to) == 1 for m in mail.outbox)
    cpr = fuldt_cpr(b)
    for m in mail.outbox:
        tekst = f"{m.subject}\n{m.body}"
        assert cpr not in tekst and f"{cpr[:6]}-{cpr[6:]}" not in tekst
        assert "Karen" not in tekst and "Fiktivsen" not in tekst
        assert f"/forloeb/{fl.pk}/" in m.body, "the mail links to the case behind login"
    assert any("Frist overskredet" in m.subject for m in mail.outbox)
    assert not Notifikation.objects.filter(modtager__in=[ejer, leder], email_sendt__isnull=True).exists()
    assert Notifikation.objects.get(modtager=leder_uden_mail).email_sendt is None

    assert send_notifikationsmails() == 0
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_beat_opgaven_markerer_i_dag_og_beder_kun_om_mails_naar_der_er_nyt(plan, monkeypatch):
    _, frist = plan  # due 2026-08-10, long before the real today
    koeet: list[tuple] = []
    monkeypatch.setattr(send_notifikationsmails, "delay", lambda *a, **kw: koeet.append(a))

    resultat = frist_sweep()

    frist.refresh_from_db()
    assert frist.status == FristStatus.OVERSKREDET
    assert resultat["overskredet"] == 1
    assert koeet == [()]
    assert frist_sweep()["overskredet"] == 0
    assert koeet == [()], "no new notifications, no mail job"


def test_beat_skemaet_koerer_sweepet_jaevnligt():
    from config.celery import app

    opgaver = {e["task"]: e["schedule"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "cases.frist_sweep" in opgaver
    interval = opgaver["cases.frist_sweep"]
    sekunder = interval.total_seconds() if hasattr(interval, "total_seconds") else interval
    assert 0 < sekunder <= 60 * 60, "overdue deadlines must be found the same day"
    assert "cases.frist_sweep" in app.tasks
    assert app.conf.beat_schedule == settings.CELERY_BEAT_SCHEDULE


def test_overskredet_frist_paa_sag_uden_ejer_naar_teamlederen(team):
    from cases.models import Forloeb, Notifikation, Rolle

    leder = factories.medarbejder(team, Rolle.TEAMLEDER)
    fl = factories.forloeb_i("indstilling", team=team)
    factories.haendelse(fl, "partshoering_sendt", 29)  # the citizen's reply deadline, day 43
    Forloeb.objects.filter(pk=fl.pk).update(sagsbehandler=None)  # the owner has left
    frister.sweep(idag=factories.dag(50))
    partshoering = Frist.objects.get(forloeb=fl, art="partshoering_svar")
    assert not Notifikation.objects.filter(frist=partshoering).exists(), "nobody owns the case"
    (sammendrag,) = Notifikation.objects.filter(modtager=leder, niveau="eskalering")
    linje = next(linje for linje in sammendrag.fristliste if linje["frist"] == str(partshoering.pk))
    assert linje["uden_ejer"] is True


def test_varsel_foer_pensionsfristen_beder_om_redegoerelse(team):
    from cases.models import Notifikation

    fl = factories.forloeb_i("foertidspension_behandling", team=team)  # decision due 06.07.2026
    frister.sweep(idag=dt.date(2026, 7, 6) - dt.timedelta(days=7))
    varsel = Notifikation.objects.get(forloeb=fl, niveau="varsel", frist__art="afgoerelse_pension")
    assert varsel.taerskel == "7d"
    assert "redegørelse for forlænget sagsbehandling" in varsel.tekst
    assert "pensionslovens § 21" in varsel.tekst
