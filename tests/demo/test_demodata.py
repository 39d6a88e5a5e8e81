import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from cases.models import Borger, Jobcenter, Kommune, Paaroerende, Rolle, Team, User
from cases.selectors import borger_soeg
from demo import demodata
from infra import cpr as cprlib
from infra import datoer
from infra.models import ActorType, AuditEntry

ANTAL = 120


def koer(**options) -> str:
    out = io.StringIO()
    call_command("demodata", stdout=out, **options)
    return out.getvalue()


def alder(born: dt.date, paa: dt.date) -> int:
    return paa.year - born.year - ((paa.month, paa.day) < (born.month, born.day))


@pytest.fixture
def demo(db):
    return koer(borgere=ANTAL)


def test_opretter_kommune_jobcenter_og_teams(demo):
    kommune = Kommune.objects.get()
    assert (kommune.navn, kommune.kommunekode) == ("Fjordby Kommune", "999")
    jobcenter = Jobcenter.objects.get(kommune=kommune)
    assert set(Team.objects.filter(jobcenter=jobcenter).values_list("navn", flat=True)) == {
        "Team Rehabilitering",
        "Team Fleksjob",
        "Team Ressourceforløb",
        "Team Sygedagpenge",
    }


def test_medarbejdere_har_forudsigelige_brugernavne_roller_og_teams(demo):
    kommune = Kommune.objects.get()
    users = {u.username: u for u in User.objects.prefetch_related("teams")}
    assert {f"sagsbehandler{i}" for i in range(1, 13)} | {f"teamleder{i}" for i in range(1, 5)} | {
        "moedeleder1",
        "jurist1",
    } == set(users)
    assert all(u.kommune_id == kommune.pk for u in users.values())
    assert all(u.first_name and u.last_name for u in users.values())

    def teams(name):
        return [t.navn for t in users[name].teams.all()]

    assert (users["sagsbehandler1"].rolle, teams("sagsbehandler1")) == (Rolle.SAGSBEHANDLER, ["Team Rehabilitering"])
    assert teams("sagsbehandler4") == ["Team Fleksjob"]
    assert (users["teamleder2"].rolle, teams("teamleder2")) == (Rolle.TEAMLEDER, ["Team Fleksjob"])
    assert users["moedeleder1"].rolle == Rolle.MOEDELEDER
    assert (users["jurist1"].rolle, teams("jurist1")) == (Rolle.JURIST, [])
    # Every team has a leader and caseworkers.
    for team in Team.objects.all():
        roller = Counter(team.medlemmer.values_list("rolle", flat=True))
        assert roller[Rolle.TEAMLEDER] == 1
        assert roller[Rolle.SAGSBEHANDLER] == 3


def test_borgere_er_fiktive_med_gyldige_cpr_der_passer_til_foedselsdato_og_hash(demo):
    borgere = list(Borger.objects.all())
    assert len(borgere) == ANTAL
    assert all(b.fiktiv for b in borgere)
    idag = datoer.idag()
    for b in borgere:
        digits = cprlib.decrypt(b.cpr_krypteret)
        parsed = cprlib.parse(digits)  # valid format, date and century digit
        assert parsed.foedselsdato == b.foedselsdato
        assert cprlib.lookup_hash(parsed) == b.cpr_hash
        assert 18 <= alder(b.foedselsdato, idag) <= 66
        assert b.fornavn.split()[0] in demodata.FORNAVNE_KVINDER + demodata.FORNAVNE_MAEND
        assert b.efternavn.split()[-1] in demodata.EFTERNAVNE
    assert len({b.cpr_hash for b in borgere}) == ANTAL
    # Spread over all teams; most are signed up for Digital Post.
    assert Counter(b.team_id for b in borgere).keys() == set(Team.objects.values_list("id", flat=True))
    assert Counter(b.digital_post for b in borgere).most_common(1)[0][0] == "tilmeldt"
    assert all(b.tolkesprog for b in borgere if b.tolk)


def test_borgere_findes_ved_cpr_soegning(demo):
    jurist = User.objects.get(username="jurist1")
    for b in Borger.objects.all()[:25]:
        cpr = cprlib.decrypt(b.cpr_krypteret)
        assert list(borger_soeg(jurist, f"{cpr[:6]}-{cpr[6:]}")) == [b]
    b = Borger.objects.filter(team__navn="Team Fleksjob").first()
    sagsbehandler = User.objects.get(username="sagsbehandler4")  # Team Fleksjob
    assert list(borger_soeg(sagsbehandler, cprlib.decrypt(b.cpr_krypteret))) == [b]
    andet_team = User.objects.get(username="sagsbehandler1")  # Team Rehabilitering
    assert list(borger_soeg(andet_team, cprlib.decrypt(b.cpr_krypteret))) == []


def test_paaroerende_har_samtykke(demo):
    paaroerende = list(Paaroerende.objects.all())
    assert paaroerende, "expected a few relatives/bisiddere"
    assert all(p.samtykke_dato <= datoer.idag() and p.samtykke_omfang and p.aktivt_samtykke for p in paaroerende)


def test_hver_borger_og_paaroerende_har_en_auditraekke(demo):
    kommune = Kommune.objects.get()
    opret = AuditEntry.objects.filter(handling="borger.opret")
    assert opret.count() == ANTAL
    ids = {b_id for row in opret.values_list("borger_ids", flat=True) for b_id in row}
    assert ids == set(Borger.objects.values_list("id", flat=True))
    entry = opret.first()
    assert (entry.actor_type, entry.actor_navn, entry.kommune_id, entry.kilde) == (
        ActorType.SYSTEM,
        "demodata",
        kommune.pk,
        "manage.py demodata",
    )
    assert entry.subject_id == str(entry.borger_ids[0])
    assert entry.efter["cpr"].endswith("-****")
    assert AuditEntry.objects.filter(handling="paaroerende.opret").count() == Paaroerende.objects.count()


def test_if_empty_genbruger_eksisterende_data(demo):
    foer = (Borger.objects.count(), User.objects.count(), AuditEntry.objects.count())
    out = koer(borgere=50, if_empty=True)
    assert "springes over" in out
    assert (Borger.objects.count(), User.objects.count(), AuditEntry.objects.count()) == foer


def test_anden_koersel_uden_if_empty_afvises(demo):
    with pytest.raises(CommandError, match="findes allerede"):
        koer(borgere=5)
    assert Borger.objects.count() == ANTAL


def test_if_empty_paa_tom_database_opretter_data(db):
    koer(borgere=10, if_empty=True)
    assert Borger.objects.count() == 10


def test_uden_debug_kan_demobrugerne_ikke_logge_ind(db, client, settings):
    settings.DEBUG = False
    out = koer(borgere=5)
    assert settings.DEMO_PASSWORD not in out
    assert "DEBUG" in out
    assert not User.objects.filter(username="sagsbehandler1").get().has_usable_password()
    assert not client.login(username="sagsbehandler1", password=settings.DEMO_PASSWORD)


def test_med_debug_kan_demobrugerne_logge_ind(db, client, settings):
    settings.DEBUG = True
    out = koer(borgere=5)
    assert settings.DEMO_PASSWORD in out
    assert "sagsbehandler1" in out
    for username in ("sagsbehandler1", "teamleder1", "moedeleder1", "jurist1"):
        assert client.login(username=username, password=settings.DEMO_PASSWORD), username
        client.logout()


def test_flere_kommuner_har_suffiks_og_egne_borgere(db):
    koer(borgere=60, kommuner=2)
    assert set(Kommune.objects.values_list("navn", "kommunekode")) == {
        ("Fjordby Kommune", "999"),
        ("Skovlund Kommune", "998"),
    }
    skovlund = User.objects.get(username="sagsbehandler1-k2")
    assert skovlund.kommune.navn == "Skovlund Kommune"
    assert User.objects.get(username="jurist1-k2").kommune == skovlund.kommune
    assert Team.objects.filter(jobcenter__kommune=skovlund.kommune).count() == 3
    assert Borger.objects.filter(kommune=skovlund.kommune).count() == 30
    # Nobody's team is in another municipality.
    assert not Borger.objects.exclude(team__jobcenter__kommune=F("kommune")).exists()


def test_seed_giver_samme_personer(db):
    def sample(seed):
        g = demodata.DemoGenerator(seed=seed, today=dt.date(2025, 6, 1))
        return [(g.navn(), g.cpr(g.foedselsdato()).digits) for _ in range(20)]

    assert sample(1) == sample(1)
    assert sample(1) != sample(2)


@pytest.mark.parametrize(
    "born", [dt.date(1958, 6, 2), dt.date(1975, 2, 28), dt.date(2000, 2, 29), dt.date(2007, 12, 31)]
)
def test_cpr_ciffer_7_passer_til_aarhundredet(born):
    g = demodata.DemoGenerator(today=dt.date(2026, 1, 1))
    for _ in range(30):
        assert cprlib.parse(g.cpr(born).digits).foedselsdato == born


def test_demoens_sagsbehandlere_har_forloeb_i_alle_faser_med_frister_til_alle_badges(demo):
    from cases.models import Forloeb, Frist, FristStatus

    sb1 = User.objects.get(username="sagsbehandler1")
    mine = Forloeb.objects.filter(sagsbehandler=sb1)
    assert mine.count() == 8
    assert Forloeb.objects.filter(borger__fiktiv=True).values("tilstand").distinct().count() >= 7
    idag = datoer.idag()
    aabne = Frist.objects.filter(forloeb__in=mine, lukket_dato__isnull=True)
    assert aabne.filter(gaeldende_forfald__lt=idag).exists()  # overdue
    assert aabne.filter(gaeldende_forfald__gte=idag, gaeldende_forfald__lte=idag + dt.timedelta(days=14)).exists()
    assert aabne.filter(gaeldende_forfald__gt=idag + dt.timedelta(days=14)).exists()
    # Built through the services: issued decisions and the caseworker's own audit rows.
    assert Frist.objects.filter(forloeb__in=mine, status=FristStatus.OVERHOLDT).exists()
    assert AuditEntry.objects.filter(actor_id=str(sb1.pk), handling="forloeb.overgang.start_forberedende_plan").exists()


def test_demoen_har_bookbare_moededage_3_til_8_uger_fremme(demo):
    """Issue 15: the whole path can be walked in the demo (the booking notice is 14 days)."""
    from rehab.models import Moededag

    idag = datoer.idag()
    kommende = Moededag.objects.filter(kommune__navn__isnull=False, dato__gte=idag + dt.timedelta(weeks=3))
    assert kommende.filter(dato__lte=idag + dt.timedelta(weeks=8)).count() >= 4
    assert all(m.medlemmer.exists() for m in kommende)
