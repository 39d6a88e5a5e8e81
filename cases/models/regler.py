"""The rule catalogue: deadline definitions, switches and legal references, as data with
effective dates. National defaults have ``kommune = NULL``; a municipality's row overrides
them. Rows are never edited once used: the jurist adds a new row with a later ``gyldig_fra``
(the admin enforces this), so every deadline keeps the rule version it was computed with.
"""

import uuid

from django.contrib.postgres.fields import ArrayField
from django.db import models


class Enhed(models.TextChoices):
    DAGE = "dage", "dage"
    UGER = "uger", "uger"
    MAANEDER = "maaneder", "måneder"


class FristType(models.TextChoices):
    """The kind of a catalogue row, as its source supports it (DOMAIN.md §3, §12): a statute, the
    municipality's own service goal, Ankestyrelsen's practice (principmeddelelser), or good practice."""

    LOVBESTEMT = "lovbestemt", "Lovbestemt"
    KOMMUNALT_SERVICEMAAL = "kommunalt_servicemaal", "Kommunalt servicemål"
    PRAKSIS = "praksis", "Praksis (Ankestyrelsen)"
    GOD_PRAKSIS = "god_praksis", "God praksis"


#: Every row of the rule catalogue (deadlines, parameters, legal references) carries this kind.
Regeltype = FristType


class FristAnsvar(models.TextChoices):
    KOMMUNE = "kommune", "Kommunen"  # a breach is the municipality's: escalated, counts in rettidighed
    BORGER = "borger", "Borgeren"  # the citizen's deadline (reply, complaint): expiry is information


class GyldighedQuerySet(models.QuerySet):
    def gyldig_paa(self, dato):
        return self.filter(gyldig_fra__lte=dato).filter(
            models.Q(gyldig_til__isnull=True) | models.Q(gyldig_til__gte=dato)
        )


class Gyldighed(models.Model):
    gyldig_fra = models.DateField("gyldig fra")
    gyldig_til = models.DateField("gyldig til og med", null=True, blank=True)
    kommune = models.ForeignKey(
        "cases.Kommune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="Tom: landsdækkende standard. Udfyldt: kommunens egen regel, som går forud.",
    )
    oprettet = models.DateTimeField(auto_now_add=True)

    objects = GyldighedQuerySet.as_manager()

    class Meta:
        abstract = True


class FristDefinition(Gyldighed):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    art = models.CharField("fristart", max_length=40, db_index=True)
    navn = models.CharField("navn", max_length=120)
    start_haendelser = ArrayField(
        models.CharField(max_length=60),
        verbose_name="starter ved hændelser",
        default=list,
        blank=True,
        help_text="Tom: fristen oprettes ikke som række, men bruges som validering (fx mødevarsel).",
    )
    laengde = models.PositiveIntegerField("længde")
    enhed = models.CharField("enhed", max_length=10, choices=Enhed.choices)
    foer_start = models.BooleanField(
        "frist før hændelsesdatoen",
        default=False,
        help_text="Fx § 7 a: afgørelse 2 uger FØR foranstaltningens ophør.",
    )
    slut_haendelser = ArrayField(models.CharField(max_length=60), verbose_name="overholdes ved hændelser", default=list)
    bortfald_haendelser = ArrayField(
        models.CharField(max_length=60), verbose_name="bortfalder ved hændelser", default=list, blank=True
    )
    forlaeng_haendelse = models.CharField("forlænges ved hændelse", max_length=60, blank=True)
    gentages = models.BooleanField("gentages", default=False, help_text="En ny frist starter, når denne overholdes")
    lovgrundlag = models.CharField("lovgrundlag", max_length=200)
    type = models.CharField("type", max_length=30, choices=FristType.choices)
    ansvar = models.CharField("hvis frist", max_length=10, choices=FristAnsvar.choices, default=FristAnsvar.KOMMUNE)
    rul_til_hverdag = models.BooleanField(
        "flyt til næste hverdag",
        default=False,
        help_text="Kun borgerens klagefrist flyttes over weekend og helligdage.",
    )
    varsler_dage = ArrayField(
        models.PositiveIntegerField(), verbose_name="varsler (dage før)", default=list, blank=True
    )
    varsel_handling = models.TextField(
        "hvad varslet beder sagsbehandleren om",
        blank=True,
        help_text="Vises i varsler og ved overskridelse, fx at en redegørelse skal sendes.",
    )
    beskrivelse = models.TextField("beskrivelse", blank=True)

    class Meta:
        verbose_name = "fristdefinition"
        verbose_name_plural = "fristdefinitioner"
        ordering = ["art", "kommune_id", "-gyldig_fra"]
        constraints = [
            models.UniqueConstraint(
                fields=["art", "kommune", "gyldig_fra"],
                name="fristdef_unik_version",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        hvor = self.kommune.navn if self.kommune is not None else "standard"
        return f"{self.navn} ({hvor}, fra {self.gyldig_fra:%d.%m.%Y})"


class Regelparameter(Gyldighed):
    """A switch or number the rules read, e.g. 'no new ressourceforløb' or letter delivery days."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kode = models.CharField("kode", max_length=60, db_index=True)
    vaerdi = models.JSONField("værdi", help_text="true/false for en kontakt, et tal for en parameter")
    lovgrundlag = models.CharField("lovgrundlag", max_length=200, blank=True)
    type = models.CharField(
        "type", max_length=30, choices=FristType.choices, help_text="Hvad reglen hviler på: lov, servicemål, praksis"
    )
    beskrivelse = models.TextField("beskrivelse")

    class Meta:
        verbose_name = "regelparameter"
        verbose_name_plural = "regelparametre"
        ordering = ["kode", "-gyldig_fra"]
        constraints = [
            models.UniqueConstraint(
                fields=["kode", "kommune", "gyldig_fra"], name="regelparameter_unik_version", nulls_distinct=False
            )
        ]

    def __str__(self) -> str:
        return f"{self.kode} = {self.vaerdi} fra {self.gyldig_fra:%d.%m.%Y}"


class Lovhenvisning(Gyldighed):
    """A maintained legal reference used in deadlines, guards and decisions' begrundelse."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kode = models.CharField("kode", max_length=60, db_index=True)
    lov = models.CharField("lov", max_length=200)
    paragraf = models.CharField("bestemmelse", max_length=100)
    titel = models.CharField("kort titel", max_length=200)
    tekst = models.TextField("gengivelse", blank=True)
    type = models.CharField(
        "type", max_length=30, choices=FristType.choices, help_text="Lov/bekendtgørelse eller Ankestyrelsens praksis"
    )

    class Meta:
        verbose_name = "lovhenvisning"
        verbose_name_plural = "lovhenvisninger"
        ordering = ["kode", "-gyldig_fra"]

    def __str__(self) -> str:
        return f"{self.lov} {self.paragraf}"
