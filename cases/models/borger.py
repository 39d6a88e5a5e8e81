"""The citizen (borger): CPR protected at rest, relatives and bisidder with consent."""

import datetime as dt
import uuid

from django.db import models

from infra import cpr as cprlib
from infra import datoer


class Kontaktkanal(models.TextChoices):
    DIGITAL_POST = "digital_post", "Digital Post"
    BREV = "brev", "Fysisk brev"
    TELEFON = "telefon", "Telefon"
    EMAIL = "email", "E-mail"


class DigitalPostStatus(models.TextChoices):
    UKENDT = "ukendt", "Ukendt"
    TILMELDT = "tilmeldt", "Tilmeldt"
    FRITAGET = "fritaget", "Fritaget"


class Borger(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kommune = models.ForeignKey("cases.Kommune", on_delete=models.PROTECT, related_name="borgere")
    team = models.ForeignKey(
        "cases.Team", on_delete=models.PROTECT, related_name="borgere", verbose_name="ansvarligt team"
    )
    # Never stored in clear text: Fernet token + keyed hash for exact lookup.
    cpr_krypteret = models.TextField(editable=False)
    cpr_hash = models.CharField(max_length=64, editable=False)
    foedselsdato = models.DateField("fødselsdato", editable=False)

    fornavn = models.CharField("fornavn", max_length=100)
    efternavn = models.CharField("efternavn", max_length=100)
    adresse = models.CharField("adresse", max_length=200, blank=True)
    postnummer = models.CharField("postnummer", max_length=4, blank=True)
    by = models.CharField("by", max_length=100, blank=True)
    telefon = models.CharField("telefon", max_length=20, blank=True)
    email = models.EmailField("e-mail", blank=True)
    kontaktkanal = models.CharField(
        "foretrukken kontaktkanal", max_length=20, choices=Kontaktkanal.choices, default=Kontaktkanal.DIGITAL_POST
    )
    digital_post = models.CharField(
        "Digital Post", max_length=10, choices=DigitalPostStatus.choices, default=DigitalPostStatus.UKENDT
    )
    tolk = models.BooleanField("behov for tolk", default=False)
    tolkesprog = models.CharField("tolkesprog", max_length=50, blank=True)
    hjemmebesoeg = models.BooleanField("ønsker hjemmebesøg", default=False)
    # From the CPR register (cases/cprregister.py, cases/services/register.py); docs/integrations.md.
    civilstand = models.CharField("civilstand", max_length=30, blank=True)
    adressebeskyttelse = models.BooleanField(
        "navne- og adressebeskyttelse",
        default=False,
        help_text="The address is never shown, returned by the API or printed; every view of it is audited",
    )
    doed_dato = models.DateField("død", null=True, blank=True)
    udrejst_dato = models.DateField("udrejst", null=True, blank=True)
    kilder = models.JSONField(
        default=dict, blank=True, help_text="Provenance per register fact: {field: 'register' | 'indtastet'}"
    )
    register_opdateret = models.DateTimeField("senest hentet fra CPR-registeret", null=True, blank=True)
    register_fejl = models.CharField(
        "seneste fejl ved opslag", max_length=200, blank=True, help_text="Why the last look-up gave no answer"
    )
    fiktiv = models.BooleanField(
        "fiktiv (demo/test)", default=False, editable=False, help_text="Genereret testperson, ikke en rigtig borger"
    )

    oprettet = models.DateTimeField(auto_now_add=True)
    opdateret = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = "borger"
        verbose_name_plural = "borgere"
        ordering = ["efternavn", "fornavn"]
        constraints = [
            models.UniqueConstraint(fields=["kommune", "cpr_hash"], name="borger_unik_cpr_pr_kommune"),
        ]
        indexes = [
            models.Index(fields=["team", "efternavn", "fornavn"], name="borger_team_navn_idx"),
            models.Index(fields=["kommune", "oprettet", "id"], name="borger_kommune_liste_idx"),
            models.Index(fields=["team", "oprettet", "id"], name="borger_team_liste_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.navn} ({self.cpr_maskeret})"

    @property
    def navn(self) -> str:
        return f"{self.fornavn} {self.efternavn}"

    @property
    def cpr_maskeret(self) -> str:
        return cprlib.mask(self.foedselsdato)

    def alder(self, paa: dt.date | None = None) -> int:
        paa = paa or datoer.idag()
        b = self.foedselsdato
        return paa.year - b.year - ((paa.month, paa.day) < (b.month, b.day))

    @property
    def har_postadresse(self) -> bool:
        return bool(self.adresse and self.postnummer and self.by)

    def kilde(self, felt: str) -> str:
        """Where a register fact came from: ``register`` or ``indtastet`` (typed by hand)."""
        return (self.kilder or {}).get(felt, KILDE_INDTASTET)

    @property
    def verificeret(self) -> bool:
        """Name and address as the CPR register last gave them (no fact typed over since)."""
        return self.register_opdateret is not None and all(
            self.kilde(f) == KILDE_REGISTER for f in REGISTER_FELTER if f not in ("adresse", "postnummer", "by")
        )


KILDE_REGISTER = "register"
KILDE_INDTASTET = "indtastet"
#: The facts the CPR register gives (cases/services/register.py), whose provenance is kept.
REGISTER_FELTER = ("fornavn", "efternavn", "adresse", "postnummer", "by", "civilstand")


class RegisterAendringType(models.TextChoices):
    NAVN = "navn", "Nyt navn"
    ADRESSE = "adresse", "Ny adresse"
    CIVILSTAND = "civilstand", "Ny civilstand"
    DOED = "doed", "Død"
    UDREJST = "udrejst", "Udrejst"
    BESKYTTELSE = "adressebeskyttelse", "Navne- og adressebeskyttelse"


class RegisterAendring(models.Model):
    """A change the CPR register reported at a refresh (new address, death, emigration...), kept
    as the citizen's register history. A protected address is never written here."""

    id = models.BigAutoField(primary_key=True)
    borger = models.ForeignKey(Borger, on_delete=models.CASCADE, related_name="registeraendringer")
    type = models.CharField(max_length=30, choices=RegisterAendringType.choices)
    foer = models.CharField(max_length=300, blank=True)
    efter = models.CharField(max_length=300, blank=True)
    dato = models.DateField(
        null=True, blank=True, help_text="When it happened, as the register says (death, emigration)"
    )
    registreret = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "ændring i CPR-registeret"
        verbose_name_plural = "ændringer i CPR-registeret"
        ordering = ["-registreret", "-id"]

    def __str__(self) -> str:
        return self.get_type_display()


class Relation(models.TextChoices):
    PAAROERENDE = "paaroerende", "Pårørende"
    BISIDDER = "bisidder", "Bisidder"
    PARTSREPRAESENTANT = "partsrepraesentant", "Partsrepræsentant"
    VAERGE = "vaerge", "Værge"


class Paaroerende(models.Model):
    """A relative, bisidder or representative, registered only with the citizen's consent."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    borger = models.ForeignKey(Borger, on_delete=models.CASCADE, related_name="paaroerende")
    navn = models.CharField("navn", max_length=200)
    relation = models.CharField("relation", max_length=20, choices=Relation.choices)
    telefon = models.CharField("telefon", max_length=20, blank=True)
    email = models.EmailField("e-mail", blank=True)
    samtykke_dato = models.DateField("samtykke givet")
    samtykke_omfang = models.TextField(
        "samtykkets omfang", help_text="Hvad personen må få oplyst og deltage i, fx møder i rehabiliteringsteamet"
    )
    samtykke_tilbagekaldt = models.DateField("samtykke tilbagekaldt", null=True, blank=True)
    oprettet = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "pårørende/bisidder"
        verbose_name_plural = "pårørende og bisiddere"
        ordering = ["navn"]

    def __str__(self) -> str:
        return f"{self.navn} ({self.get_relation_display()})"

    @property
    def aktivt_samtykke(self) -> bool:
        return self.samtykke_tilbagekaldt is None
