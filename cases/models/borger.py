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
