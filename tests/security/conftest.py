"""A small municipality world for the security tests: the caller's own team, another team in the
same municipality and a team in another municipality, each with one citizen carrying every kind
of object the UI and API expose (forløb, deadlines, notes, forberedende del, bilag, booking,
indstilling, partshøring, letters and decisions, complaint, fleksjob visitation, employment,
arbejdsevnevurdering, agreement, relatives) plus the municipality's API client with webhooks.

Everything is created through the real services on the factory timeline (tests/factories.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from cases import services
from cases.api.auth import KlientPrincipal, hash_token, ny_token
from cases.models import (
    SCOPES,
    ApiKlient,
    Borger,
    Forloeb,
    Frist,
    Journalnotat,
    NotatType,
    Notifikation,
    Paaroerende,
    Rolle,
    Team,
    Tilbud,
    User,
)
from decisions import klager
from decisions import services as decisions
from decisions.models import Dokument, DokumentType, Klage, Standardtekst
from flexjob import aftaler
from flexjob.models import Aftale, Ansaettelse, Arbejdsevnevurdering, Bevilling, Virksomhed, Visitation
from infra import cpr as cprlib
from rehab import services as rehab
from rehab.models import Bilag, Booking, ForberedendeDel, Indstilling, Moededag, Partshoering
from tests import factories
from tests.factories import dag
from webhooks.models import WebhookAbonnement, WebhookLevering

CVR = "10150817"  # checksum-valid fictitious CVR


class Ur:
    """``timezone.now`` pinned to a day on the factory timeline (issue/delivery times follow it)."""

    def __init__(self, monkeypatch):
        self.mp = monkeypatch
        self.rigtig = timezone.now

    def reset(self) -> None:
        self.mp.setattr(timezone, "now", self.rigtig)

    def __call__(self, dato: dt.date) -> None:
        nu = dt.datetime.combine(dato, dt.time(10), tzinfo=dt.UTC)
        self.mp.setattr(timezone, "now", lambda: nu)


@pytest.fixture
def ur(monkeypatch):
    u = Ur(monkeypatch)
    u(factories.START)
    return u


@dataclass
class Lejer:
    """One tenant slice: a team with its citizens and everything hanging off them."""

    navn: str
    team: Team
    sagsbehandler: User
    borgere: list[Borger] = field(default_factory=list)
    objekter: dict[type, object] = field(default_factory=dict)

    @property
    def kommune_id(self):
        return self.team.jobcenter.kommune_id

    @property
    def borger(self) -> Borger:
        return self.borgere[0]

    def cprs(self) -> list[str]:
        return [cprlib.decrypt(b.cpr_krypteret) for b in self.borgere]

    def spor(self) -> list[str]:
        """Strings that must never appear in a response to someone who may not see this tenant."""
        out = []
        for b in self.borgere:
            fuldt = cprlib.decrypt(b.cpr_krypteret)
            out += [b.efternavn, b.cpr_maskeret, fuldt, f"{fuldt[:6]}-{fuldt[6:]}"]
        return out


def send(dokument: Dokument, actor, kanal: str = "udleveret"):
    d = decisions.dokument_render_pdf(dokument.pk)
    return decisions.dokument_afsend(actor=actor, dokument=d, kanal=kanal)


def byg_lejer(navn: str, team: Team, ur: Ur, klient: ApiKlient, foedt: dt.date) -> Lejer:
    """A citizen whose forløb went through partshøring to a refused fleksjob (complained about), and
    a second citizen with a fleksjob visitation, an employment, a vurdering and an agreement."""
    sb = factories.medarbejder(team, Rolle.SAGSBEHANDLER)
    lejer = Lejer(navn=navn, team=team, sagsbehandler=sb)
    ur(factories.START)
    b1 = factories.borger(
        team, actor=sb, fornavn="Ida", efternavn=f"{navn}sen", cpr=factories.fiktivt_cpr(foedt), adresse="Fiktivvej 1"
    )
    fl = factories.forloeb_i("indstilling", team=team, sagsbehandler=sb, borger=b1)
    indstilling = fl.indstillinger.get()
    fd = fl.forberedende_dele.get()
    ur(dag(20))
    bilag = rehab.bilag_tilfoej(
        actor=sb,
        forberedende_del=fd,
        type="lae265",
        titel="Speciallægeerklæring",
        dokument_dato=dag(20),
        kilde="egen_laege",
        fil=ContentFile(b"%PDF-1.4 fiktiv", name="erklaering.pdf"),
    )
    notat = services.journalnotat_opret(
        actor=sb, forloeb=fl, type=NotatType.TELEFON, overskrift="Samtale", tekst="Borgeren fortæller."
    )
    services.paaroerende_opret(
        actor=sb,
        borger=b1,
        navn="Pårørende Fiktiv",
        relation="paaroerende",
        samtykke_dato=dag(20),
        samtykke_omfang="Hele sagen",
    )
    ur(dag(29))
    ph = rehab.partshoering_opret(
        actor=sb,
        forloeb=fl,
        grundlag=[{"tekst": "Teamets vurdering", "kilde_type": "indstilling", "kilde_id": str(indstilling.pk)}],
    )
    decisions.dokument_udsted(actor=sb, dokument=ph.brev, idag=dag(29))
    send(ph.brev, sb)
    ur(dag(35))
    rehab.partshoering_svar(actor=sb, partshoering=ph, dato=dag(35), tekst="Jeg er uenig.")
    ur(dag(40))
    afgoerelse = factories.afgoer(
        fl,
        DokumentType.FLEKSJOB_AFSLAG,
        40,
        fakta=[
            {"tekst": "Teamets vurdering.", "kilde_type": "indstilling", "kilde_id": str(indstilling.pk)},
            {"tekst": "Speciallægens vurdering.", "kilde_type": "bilag", "kilde_id": str(bilag.pk)},
            {"tekst": "Borgerens oplysninger.", "kilde_type": "journalnotat", "kilde_id": str(notat.pk)},
        ],
    )
    ur(dag(42))
    send(afgoerelse, sb)
    ur(dag(45))
    klage = klager.klage_modtag(actor=sb, afgoerelse=afgoerelse, modtaget_dato=dag(45), kanal="brev", indhold="Klage.")

    # Second citizen: fleksjob (on the real clock, as the flexjob tests run it).
    ur.reset()
    b2 = factories.borger(
        team, actor=sb, fornavn="Ole", efternavn=f"{navn}fleks", cpr=factories.fiktivt_cpr(foedt + dt.timedelta(days=1))
    )
    fl2 = factories.forloeb_i("fleksjob", team=team, sagsbehandler=sb, borger=b2)
    from flexjob import services as flex

    visitation = flex.aktuel_visitation(fl2)  # registered when the visitation decision was issued
    bevilling = flex.bevilling_registrer(
        actor=sb, borger=b2, forloeb=fl2, type="hjaelpemiddel", dato=dag(20), beskrivelse="Hæve-sænkebord",
        bevilget_af="Jobcentret",
    )  # fmt: skip
    tilbud = services.tilbud_registrer(
        actor=sb, forloeb=fl2, type="virksomhedspraktik", dato=dag(41), beskrivelse=f"Praktik for {b2.efternavn}",
        svar="afslaaet", svar_dato=dag(42), begrundelse="Borgeren ønsker det ikke.",
    )  # fmt: skip
    virksomhed = flex.virksomhed_find_eller_opret(
        actor=sb, kommune_id=fl2.kommune_id, cvr=CVR, navn="Fiktiv Bageri ApS"
    )
    ansaettelse = flex.ansaettelse_opret(
        actor=sb,
        forloeb=fl2,
        virksomhed=virksomhed,
        start=dag(60),
        loennede_timer=Decimal("12.5"),
        intensitet=60,
        opgaver="Pakning af brød.",
    )
    vurdering = flex.arbejdsevnevurdering_opret(
        actor=sb,
        ansaettelse=ansaettelse,
        timer=Decimal("12.5"),
        intensitet=60,
        opgaver="Pakning af brød.",
        skaanehensyn=[{"hensyn": "Ingen tunge løft", "imoedekommet": "Kollega løfter."}],
    )
    aftale = aftaler.aftale_modtag(
        actor=KlientPrincipal(klient),
        type="fleksjob",
        borger_cpr=cprlib.decrypt(b2.cpr_krypteret),
        virksomhed_cvr=CVR,
        virksomhed_navn="Fiktiv Bageri ApS",
        start=dag(90),
        timer_pr_uge=Decimal("12.5"),
        opgaver="Pakning af brød.",
        formaal="Fast fleksjob.",
        fleksjob_timer=Decimal("12.5"),
        fleksjob_intensitet=60,
    )

    lejer.borgere = [b1, b2]
    frist = Frist.objects.filter(forloeb=fl).first()
    lejer.objekter = {
        Borger: b1,
        Forloeb: fl,
        Frist: frist,
        Journalnotat: notat,
        Paaroerende: Paaroerende.objects.filter(borger=b1).first(),
        ForberedendeDel: fd,
        Bilag: bilag,
        Booking: Booking.objects.filter(forloeb=fl).first(),
        Moededag: Booking.objects.filter(forloeb=fl).first().moededag,
        Indstilling: indstilling,
        Partshoering: ph,
        Dokument: afgoerelse,
        Klage: klage,
        Visitation: visitation,
        Virksomhed: virksomhed,
        Ansaettelse: ansaettelse,
        Arbejdsevnevurdering: vurdering,
        Aftale: aftale,
        Bevilling: bevilling,
        Tilbud: tilbud,
        Notifikation: Notifikation.objects.create(
            modtager=sb,
            frist=frist,
            forloeb=fl,
            niveau="varsel",
            taerskel="7d",
            titel=f"Frist for {b1.efternavn}",
            tekst=f"Fristen for {b1.efternavn} ({b1.cpr_maskeret}) nærmer sig.",
        ),
    }
    return lejer


def api_klient(kommune, navn: str) -> tuple[ApiKlient, str]:
    token = ny_token()
    klient = ApiKlient.objects.create(
        navn=navn, kommune=kommune, scopes=sorted(SCOPES), token_hash=hash_token(token), token_prefix=token[:8]
    )
    return klient, token


def webhooks_for(klient: ApiKlient) -> tuple[WebhookAbonnement, WebhookLevering]:
    import uuid

    ab = WebhookAbonnement.objects.create(klient=klient, url="https://modtager.example.invalid/hook", haendelser=[])
    lev = WebhookLevering.objects.create(
        abonnement=ab, haendelse="forloeb.overgang", haendelse_id=uuid.uuid4(), payload={}
    )
    return ab, lev


@dataclass
class Verden:
    egen: Lejer  # the caller's own team
    andet: Lejer  # another team in the same municipality
    fremmed: Lejer  # a team in another municipality
    brugere: dict[str, User]
    token: str  # the own municipality's API client (all scopes)
    klient: ApiKlient

    @property
    def lejere(self) -> dict[str, Lejer]:
        return {"egen": self.egen, "andet": self.andet, "fremmed": self.fremmed}


@pytest.fixture
def verden(team, andet_team, fremmed_team, ur, settings, tmp_path) -> Verden:
    klient, token = api_klient(team.jobcenter.kommune, "Egen klient")
    fremmed_klient, _ = api_klient(fremmed_team.jobcenter.kommune, "Fremmed klient")
    egen = byg_lejer("Egenhold", team, ur, klient, dt.date(1971, 3, 11))
    andet = byg_lejer("Andethold", andet_team, ur, klient, dt.date(1972, 4, 12))
    fremmed = byg_lejer("Fremmedkommune", fremmed_team, ur, fremmed_klient, dt.date(1973, 5, 13))
    for lejer, k in ((egen, klient), (andet, klient), (fremmed, fremmed_klient)):
        ab, lev = webhooks_for(k)
        lejer.objekter[WebhookAbonnement] = ab
        lejer.objekter[WebhookLevering] = lev
        lejer.objekter[Standardtekst] = Standardtekst.objects.create(
            kommune_id=lejer.kommune_id, dokument_type="fleksjob_afslag", afsnit="tekst",
            titel=f"Indledning ({lejer.team.navn})", tekst="Du har søgt om fleksjob.", aendret_af="Test",
            aendret=timezone.now(),
        )  # fmt: skip
    brugere = {
        "sagsbehandler": egen.sagsbehandler,
        "teamleder": factories.medarbejder(team, Rolle.TEAMLEDER),
        "moedeleder": factories.medarbejder(team, Rolle.MOEDELEDER),
        "jurist": factories.UserFactory(kommune=team.jobcenter.kommune, rolle=Rolle.JURIST),
    }
    return Verden(egen=egen, andet=andet, fremmed=fremmed, brugere=brugere, token=token, klient=klient)
