"""Fictitious demo data: municipalities, teams, employees and citizens (``manage.py demodata``).

Everything generated here is invented. Citizens are combinations of common Danish first names and
surnames drawn at random, with syntactically valid but made-up CPR numbers, addresses on invented
streets ("Demovej 12") and telephone numbers beginning with 0 (not used for Danish subscriber
numbers). Every citizen row has ``fiktiv=True``.

Organisation, per municipality (the first is "Fjordby Kommune", kommunekode 999; further ones
"Skovlund Kommune" 998, "Bakkedal Kommune" 997, ...):

* one jobcenter with 4 teams (every second extra municipality 3): Team Rehabilitering,
  Team Fleksjob, Team Ressourceforløb, Team Sygedagpenge;
* per team a teamleder and ``sagsbehandlere_pr_team`` (default 3) sagsbehandlere, members of it;
* one mødeleder (member of Team Rehabilitering) and one jurist (sees the whole municipality).

Usernames are predictable. First municipality: ``sagsbehandler1``, ``sagsbehandler2``, ... (team
by team, in the order above), ``teamleder1`` ... (one per team, same order), ``moedeleder1``,
``jurist1``. Municipality number k > 1 uses the same names with the suffix ``-k<k>``
(``sagsbehandler1-k2``, ``jurist1-k2``). Passwords are set to ``settings.DEMO_PASSWORD`` only when
``settings.DEBUG`` is true; otherwise the users get an unusable password.

Scale: rows are built in Python and written with ``bulk_create`` in batches, all inside one
transaction, so a failed run leaves nothing behind. The audit trail is written the same way:
one ``borger.opret`` row per citizen and one ``paaroerende.opret`` row per relative, with a system
actor named ``demodata`` — exactly what :func:`cases.services.borger_opret` would have recorded,
without its per-row queries.

Later features (forløb, deadlines, ...) extend :class:`DemoGenerator` with a step of their own
and append it to :attr:`DemoGenerator.steps`.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from cases.models import (
    Borger,
    DigitalPostStatus,
    Jobcenter,
    Kommune,
    Kontaktkanal,
    Paaroerende,
    Relation,
    Rolle,
    Team,
    User,
    jurist_gruppe,
)
from cases.services import BORGER_AUDIT_FELTER
from demo import demoforloeb, standardtekster
from infra import audit, context, datoer
from infra import cpr as cprlib
from infra.models import ActorType, AuditEntry

ACTOR_NAVN = "demodata"
KILDE = "manage.py demodata"
DEFAULT_SEED = 4711
DEFAULT_BORGERE = 500
MIN_ALDER, MAX_ALDER = 18, 66

# --- Name lists: common Danish names, combined at random (fictitious people) -----------------
# fmt: off
FORNAVNE_KVINDER = [
    "Anne", "Kirsten", "Mette", "Hanne", "Anna", "Helle", "Susanne", "Lene", "Maria", "Marianne",
    "Lone", "Camilla", "Pia", "Louise", "Charlotte", "Bente", "Tina", "Gitte", "Inge", "Karen",
    "Julie", "Emma", "Ida", "Sofie", "Laura", "Line", "Rikke", "Sanne", "Malene", "Heidi",
    "Trine", "Birgitte", "Dorthe", "Jette", "Lotte", "Signe", "Cecilie", "Freja", "Nanna", "Maja",
]
FORNAVNE_MAEND = [
    "Peter", "Michael", "Lars", "Thomas", "Jens", "Henrik", "Søren", "Christian", "Martin", "Jan",
    "Morten", "Jesper", "Anders", "Niels", "Mads", "Rasmus", "Per", "Kim", "Hans", "Jørgen",
    "Ole", "Frederik", "Mikkel", "Jonas", "Kasper", "Nikolaj", "Brian", "Kenneth", "Bo", "Erik",
    "Poul", "Torben", "Steen", "Claus", "Allan", "Emil", "Lucas", "Oliver", "Magnus", "Tobias",
]
EFTERNAVNE = [
    "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
    "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Christiansen",
    "Poulsen", "Johansen", "Møller", "Mortensen", "Knudsen", "Jakobsen", "Mikkelsen", "Olesen",
    "Frederiksen", "Laursen", "Henriksen", "Lund", "Schmidt", "Eriksen", "Holm", "Kristiansen",
    "Clausen", "Simonsen", "Svendsen", "Andreasen", "Iversen", "Jeppesen", "Mogensen", "Jacobsen",
    "Vestergaard", "Nygaard", "Lauridsen", "Kjær", "Bach", "Dahl", "Østergaard", "Skov", "Bruun", "Lind",
]
MELLEMNAVNE = ["Holm", "Skov", "Lund", "Bach", "Kjær", "Dam", "Juul", "Krogh", "Bech", "Friis"]
# fmt: on

GADER = ["Demovej", "Fiktivgade", "Prøvestien", "Eksempelvej", "Testallé", "Opdigtet Vænge", "Modelparken"]
TOLKESPROG = ["arabisk", "somali", "tyrkisk", "tigrinya", "ukrainsk", "polsk", "farsi", "kurdisk"]
SAMTYKKE_OMFANG = [
    "Må deltage i møder i rehabiliteringsteamet og få oplyst status på sagen.",
    "Må deltage som bisidder i samtaler på jobcentret.",
    "Må kontaktes om mødetider og modtage kopi af breve.",
]

#: name, kommunekode, towns as (postnummer, by). Invented names; postnumre merely look real.
KOMMUNER = [
    ("Fjordby Kommune", "999", [("9990", "Fjordby"), ("9991", "Fjordby Øst"), ("9993", "Lilleå")]),
    ("Skovlund Kommune", "998", [("9980", "Skovlund"), ("9982", "Egebakke"), ("9984", "Mosehuse")]),
    ("Bakkedal Kommune", "997", [("9970", "Bakkedal"), ("9972", "Lyngtoft"), ("9974", "Kildeby")]),
    ("Engvig Kommune", "996", [("9960", "Engvig"), ("9962", "Sandholt"), ("9964", "Strandvang")]),
    ("Højmark Kommune", "995", [("9950", "Højmark"), ("9952", "Rævebjerg"), ("9954", "Tornby")]),
]

TEAMS = [
    ("Team Rehabilitering", 40),
    ("Team Fleksjob", 45),
    ("Team Ressourceforløb", 35),
    ("Team Sygedagpenge", 60),
]


@dataclass(frozen=True)
class Login:
    username: str
    rolle: str
    kommune: str
    teams: tuple[str, ...] = ()


@dataclass
class Resultat:
    antal: Counter = field(default_factory=Counter)
    logins: list[Login] = field(default_factory=list)
    adgangskode_sat: bool = False
    sekunder: float = 0.0


def kommune_spec(index: int) -> tuple[str, str, list[tuple[str, str]]]:
    """Name, kommunekode and towns of the ``index``-th (0-based) fictitious municipality."""
    if index < len(KOMMUNER):
        return KOMMUNER[index]
    n = index + 1
    base = 9000 + (index * 10) % 900
    return (f"Demokommune {n}", f"{999 - index:03d}", [(f"{base}", f"Demoby {n}"), (f"{base + 1}", f"Demoby {n} Syd")])


def username(rolle: str, nummer: int, kommune_index: int) -> str:
    """Predictable login: ``sagsbehandler3`` in the first municipality, ``sagsbehandler3-k2`` after."""
    suffix = "" if kommune_index == 0 else f"-k{kommune_index + 1}"
    return f"{rolle!s}{nummer}{suffix}"


def _ascii(text: str) -> str:
    return text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa").replace(" ", "").replace("é", "e")


class DemoGenerator:
    """Builds the demo data set. ``run()`` executes :attr:`steps` in order inside one transaction."""

    steps = ("opret_organisation", "opret_standardtekster", "opret_borgere", "opret_forloeb")

    def __init__(
        self,
        *,
        kommuner: int = 1,
        borgere: int = DEFAULT_BORGERE,
        seed: int = DEFAULT_SEED,
        sagsbehandlere_pr_team: int = 3,
        batch_size: int = 2000,
        today: dt.date | None = None,
        forloeb_pr_sagsbehandler: int = 0,
    ):
        if kommuner < 1:
            raise ValueError("kommuner must be at least 1")
        if borgere < 0:
            raise ValueError("borgere must not be negative")
        self.n_kommuner = kommuner
        self.n_borgere = borgere
        self.sagsbehandlere_pr_team = sagsbehandlere_pr_team
        self.forloeb_pr_sagsbehandler = forloeb_pr_sagsbehandler
        self.batch_size = batch_size
        self.rng = random.Random(seed)
        self.today = today or datoer.idag()
        self.resultat = Resultat()
        self.kommuner: list[Kommune] = []
        self.teams: dict[uuid.UUID, list[Team]] = {}  # kommune id -> teams
        self.towns: dict[uuid.UUID, list[tuple[str, str]]] = {}
        self._used_cprs: set[str] = set()

    # -- driver --------------------------------------------------------------------------------
    def run(self) -> Resultat:
        start = time.perf_counter()
        with context.bound(context.RequestContext(kilde=KILDE)), transaction.atomic():
            for step in self.steps:
                getattr(self, step)()
        self.resultat.sekunder = time.perf_counter() - start
        return self.resultat

    # -- helpers -------------------------------------------------------------------------------
    def navn(self) -> tuple[str, str]:
        fornavne = FORNAVNE_KVINDER if self.rng.random() < 0.5 else FORNAVNE_MAEND
        antal_fornavne = 2 if self.rng.random() < 0.12 else 1
        fornavn = " ".join(self.rng.sample(fornavne, antal_fornavne))
        efternavn = self.rng.choice(EFTERNAVNE)
        if self.rng.random() < 0.1:
            efternavn = f"{self.rng.choice(MELLEMNAVNE)} {efternavn}"
        return fornavn, efternavn

    def telefon(self) -> str:
        """8 digits beginning with 0: not a Danish subscriber number, so it reaches nobody."""
        digits = f"0{self.rng.randint(1, 9)}{self.rng.randrange(10**6):06d}"
        return " ".join(digits[i : i + 2] for i in range(0, 8, 2))

    def foedselsdato(self) -> dt.date:
        """A birth date giving an age between MIN_ALDER and MAX_ALDER today."""
        latest = self._years_before(self.today, MIN_ALDER)
        earliest = self._years_before(self.today, MAX_ALDER + 1) + dt.timedelta(days=1)
        return earliest + dt.timedelta(days=self.rng.randrange((latest - earliest).days + 1))

    @staticmethod
    def _years_before(day: dt.date, years: int) -> dt.date:
        try:
            return day.replace(year=day.year - years)
        except ValueError:  # 29 February
            return day.replace(year=day.year - years, day=28)

    def cpr(self, born: dt.date) -> cprlib.Cpr:
        """A fictitious, valid and (within this run) unique CPR number for the birth date."""
        yy = born.year % 100
        sevenths = [d for d in range(10) if cprlib.century(d, yy) + yy == born.year]
        while True:
            digits = f"{born:%d%m}{yy:02d}{self.rng.choice(sevenths)}{self.rng.randrange(1000):03d}"
            if digits not in self._used_cprs:
                self._used_cprs.add(digits)
                return cprlib.parse(digits, today=self.today)

    def _audit(self, *, handling: str, subject_type: str, subject_id, borger_id, kommune_id, efter) -> AuditEntry:
        return AuditEntry(
            actor_type=ActorType.SYSTEM,
            actor_id="",
            actor_navn=ACTOR_NAVN,
            handling=handling,
            subject_type=subject_type,
            subject_id=str(subject_id),
            kommune_id=kommune_id,
            borger_ids=[borger_id],
            efter=efter,
            kilde=KILDE,
        )

    # -- steps ---------------------------------------------------------------------------------
    def opret_organisation(self) -> None:
        existing = set(Kommune.objects.values_list("kommunekode", flat=True))
        specs = [kommune_spec(i) for i in range(self.n_kommuner)]
        clash = [f"{navn} ({kode})" for navn, kode, _ in specs if kode in existing]
        if clash:
            raise DemodataExists(f"Demokommunen findes allerede: {', '.join(clash)}. Brug --if-empty.")

        self._password = make_password(settings.DEMO_PASSWORD) if settings.DEBUG else None
        self.resultat.adgangskode_sat = self._password is not None
        self._users: list[User] = []
        self._memberships: list[tuple[User, Team]] = []
        for index, (navn, kode, towns) in enumerate(specs):
            kommune = Kommune.objects.create(navn=navn, kommunekode=kode)
            by = towns[0][1]
            jobcenter = Jobcenter.objects.create(
                kommune=kommune,
                navn=f"Jobcenter {by}",
                adresse=f"Rådhuspladsen 1, {towns[0][0]} {by}",
                telefon=self.telefon(),
                email=f"jobcenter@{_ascii(by)}.kommune.invalid",
            )
            team_specs = TEAMS if index % 2 == 0 else TEAMS[:3]
            teams = Team.objects.bulk_create(
                [Team(jobcenter=jobcenter, navn=t, sagsnorm=norm) for t, norm in team_specs]
            )
            self.kommuner.append(kommune)
            self.teams[kommune.pk] = teams
            self.towns[kommune.pk] = towns

            n = 0
            for team in teams:
                for _ in range(self.sagsbehandlere_pr_team):
                    n += 1
                    self._medarbejder(kommune, index, Rolle.SAGSBEHANDLER, n, [team])
            for i, team in enumerate(teams, start=1):
                self._medarbejder(kommune, index, Rolle.TEAMLEDER, i, [team])
            self._medarbejder(kommune, index, Rolle.MOEDELEDER, 1, [teams[0]])
            self._medarbejder(kommune, index, Rolle.JURIST, 1, [])

        users = self._users
        memberships = self._memberships
        User.objects.bulk_create(users, batch_size=self.batch_size)
        through = User.teams.through
        through.objects.bulk_create([through(user_id=u.pk, team_id=t.pk) for u, t in memberships])
        jurist_gruppe().user_set.add(*[u for u in users if u.rolle == Rolle.JURIST])
        self.resultat.antal.update(
            kommuner=len(specs),
            jobcentre=len(specs),
            teams=sum(len(t) for t in self.teams.values()),
            medarbejdere=len(users),
        )

    def _medarbejder(self, kommune: Kommune, kommune_index: int, rolle: str, nummer: int, teams: list[Team]) -> None:
        name = username(rolle, nummer, kommune_index)
        fornavn, efternavn = self.navn()
        domain = f"{_ascii(self.towns[kommune.pk][0][1])}.kommune.invalid"
        user = User(
            username=name,
            first_name=fornavn,
            last_name=efternavn,
            email=f"{name}@{domain}",
            kommune=kommune,
            rolle=rolle,
            telefon=self.telefon(),
            is_staff=rolle == Rolle.JURIST,  # the jurist maintains the rule catalogue in the back office
        )
        if self._password:
            user.password = self._password  # one hash for all: the demo password is shared by design
        else:
            user.set_unusable_password()
        self._users.append(user)
        self._memberships.extend((user, t) for t in teams)
        self.resultat.logins.append(Login(name, str(rolle), kommune.navn, tuple(t.navn for t in teams)))

    def opret_standardtekster(self) -> None:
        """Each municipality's jurist's standard phrases per decision type (demo.standardtekster)."""
        antal = 0
        for kommune in self.kommuner:
            jurist = User.objects.filter(kommune=kommune, rolle=Rolle.JURIST).order_by("username").first()
            if jurist is not None:
                antal += standardtekster.opret(jurist)
        self.resultat.antal["standardtekster"] = antal

    def opret_forloeb(self) -> None:
        """Forløb through the real services for the first municipality's caseworkers (demo.demoforloeb)."""
        if not self.forloeb_pr_sagsbehandler or not self.kommuner:
            return

        kommune = self.kommuner[0]
        sagsbehandlere = sorted(
            User.objects.filter(kommune=kommune, rolle=Rolle.SAGSBEHANDLER)
            .prefetch_related("teams")
            .order_by("date_joined", "username"),
            key=lambda u: int("".join(c for c in u.username if c.isdigit()) or 0),
        )

        def borgere_for(team, antal):
            return list(
                Borger.objects.filter(team=team, forloeb__isnull=True).select_related("kommune").order_by("id")[:antal]
            )

        self.resultat.antal["forloeb"] = demoforloeb.opret(
            sagsbehandlere=sagsbehandlere,
            borgere_for=borgere_for,
            pr_sagsbehandler=self.forloeb_pr_sagsbehandler,
            idag=self.today,
        )

    def opret_borgere(self) -> None:
        per_kommune = [self.n_borgere // self.n_kommuner] * self.n_kommuner
        per_kommune[0] += self.n_borgere - sum(per_kommune)
        for kommune, antal in zip(self.kommuner, per_kommune, strict=True):
            done = 0
            while done < antal:
                size = min(self.batch_size, antal - done)
                self._borger_batch(kommune, size)
                done += size

    def _borger_batch(self, kommune: Kommune, size: int) -> None:
        rng = self.rng
        teams = self.teams[kommune.pk]
        towns = self.towns[kommune.pk]
        borgere: list[Borger] = []
        paaroerende: list[Paaroerende] = []
        for _ in range(size):
            fornavn, efternavn = self.navn()
            parsed = self.cpr(self.foedselsdato())
            postnummer, by = rng.choice(towns)
            roll = rng.random()
            if roll < 0.85:
                digital_post = DigitalPostStatus.TILMELDT
                kanal = rng.choices([Kontaktkanal.DIGITAL_POST, Kontaktkanal.TELEFON, Kontaktkanal.EMAIL], [85, 10, 5])[
                    0
                ]
            elif roll < 0.93:
                digital_post = DigitalPostStatus.FRITAGET
                kanal = rng.choice([Kontaktkanal.BREV, Kontaktkanal.BREV, Kontaktkanal.TELEFON])
            else:
                digital_post = DigitalPostStatus.UKENDT
                kanal = Kontaktkanal.BREV
            tolk = rng.random() < 0.05
            email = ""
            if kanal == Kontaktkanal.EMAIL or rng.random() < 0.3:
                email = f"{_ascii(fornavn.split()[0])}.{_ascii(efternavn.split()[-1])}{rng.randrange(100)}@demo.invalid"
            borger = Borger(
                kommune=kommune,
                team=rng.choice(teams),
                cpr_krypteret=cprlib.encrypt(parsed),
                cpr_hash=cprlib.lookup_hash(parsed),
                foedselsdato=parsed.foedselsdato,
                fornavn=fornavn,
                efternavn=efternavn,
                adresse=f"{rng.choice(GADER)} {rng.randint(1, 120)}{rng.choice(['', '', '', ', 1. tv', ', st. th'])}",
                postnummer=postnummer,
                by=by,
                telefon=self.telefon() if rng.random() < 0.9 else "",
                email=email,
                kontaktkanal=kanal,
                digital_post=digital_post,
                tolk=tolk,
                tolkesprog=rng.choice(TOLKESPROG) if tolk else "",
                hjemmebesoeg=rng.random() < 0.04,
                fiktiv=True,
            )
            borgere.append(borger)
            if rng.random() < 0.03:
                relation = rng.choices(
                    [Relation.PAAROERENDE, Relation.BISIDDER, Relation.PARTSREPRAESENTANT], [6, 3, 1]
                )[0]
                p_fornavn, _ = self.navn()
                paaroerende.append(
                    Paaroerende(
                        borger=borger,
                        navn=f"{p_fornavn} {efternavn if relation == Relation.PAAROERENDE else self.navn()[1]}",
                        relation=relation,
                        telefon=self.telefon(),
                        samtykke_dato=self.today - dt.timedelta(days=rng.randrange(1, 730)),
                        samtykke_omfang=rng.choice(SAMTYKKE_OMFANG),
                    )
                )
        Borger.objects.bulk_create(borgere, batch_size=self.batch_size)
        Paaroerende.objects.bulk_create(paaroerende, batch_size=self.batch_size)

        entries = [
            self._audit(
                handling="borger.opret",
                subject_type="cases.borger",
                subject_id=b.pk,
                borger_id=b.pk,
                kommune_id=kommune.pk,
                efter={**audit.snapshot(b, BORGER_AUDIT_FELTER), "cpr": b.cpr_maskeret},
            )
            for b in borgere
        ]
        entries += [
            self._audit(
                handling="paaroerende.opret",
                subject_type="cases.paaroerende",
                subject_id=p.pk,
                borger_id=p.borger_id,
                kommune_id=kommune.pk,
                efter=audit.snapshot(p, ["navn", "relation", "samtykke_dato", "samtykke_omfang"]),
            )
            for p in paaroerende
        ]
        AuditEntry.objects.bulk_create(entries, batch_size=self.batch_size)
        self.resultat.antal.update(borgere=len(borgere), paaroerende=len(paaroerende), auditlog=len(entries))


class DemodataExists(RuntimeError):
    """The fictitious municipalities are already there."""


def har_data() -> bool:
    """True when any municipality exists (``--if-empty`` then does nothing)."""
    return Kommune.objects.exists()


def generate(**options) -> Resultat:
    """Create the demo data set; see :class:`DemoGenerator` for the options."""
    return DemoGenerator(**options).run()
