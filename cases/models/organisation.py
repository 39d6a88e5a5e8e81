"""Kommune → Jobcenter → Team, and the people who work there."""

import uuid

from django.contrib.auth.models import AbstractUser, Group
from django.db import models


class Kommune(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    navn = models.CharField("navn", max_length=100, unique=True)
    kommunekode = models.CharField("kommunekode", max_length=3, unique=True, help_text="3 cifre, fx 101")

    class Meta:
        verbose_name = "kommune"
        verbose_name_plural = "kommuner"
        ordering = ["navn"]

    def __str__(self) -> str:
        return self.navn


class Jobcenter(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kommune = models.ForeignKey(Kommune, on_delete=models.PROTECT, related_name="jobcentre")
    navn = models.CharField("navn", max_length=100)
    adresse = models.CharField("adresse", max_length=200, blank=True)
    telefon = models.CharField("telefon", max_length=20, blank=True)
    email = models.EmailField("e-mail", blank=True)

    class Meta:
        verbose_name = "jobcenter"
        verbose_name_plural = "jobcentre"
        ordering = ["navn"]
        constraints = [models.UniqueConstraint(fields=["kommune", "navn"], name="jobcenter_unik_navn")]

    def __str__(self) -> str:
        return self.navn


class Team(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    jobcenter = models.ForeignKey(Jobcenter, on_delete=models.PROTECT, related_name="teams")
    navn = models.CharField("navn", max_length=100)
    sagsnorm = models.PositiveIntegerField(
        "sagsnorm pr. sagsbehandler", default=45, help_text="Norm for antal sager pr. sagsbehandler"
    )

    class Meta:
        verbose_name = "team"
        verbose_name_plural = "teams"
        ordering = ["navn"]
        constraints = [models.UniqueConstraint(fields=["jobcenter", "navn"], name="team_unik_navn")]

    def __str__(self) -> str:
        return f"{self.navn} ({self.jobcenter.navn})"

    @property
    def kommune_id(self):
        return self.jobcenter.kommune_id


class Rolle(models.TextChoices):
    SAGSBEHANDLER = "sagsbehandler", "Sagsbehandler"
    TEAMLEDER = "teamleder", "Teamleder"
    MOEDELEDER = "moedeleder", "Mødeleder"
    JURIST = "jurist", "Jurist/administrator"


JURIST_GRUPPE = "Jurist"


def jurist_gruppe():
    """The permission group that lets jurists edit the rule catalogue (created by migration 0004)."""

    return Group.objects.get_or_create(name=JURIST_GRUPPE)[0]


class User(AbstractUser):
    """A municipal employee. Belongs to one municipality; sees citizens through team membership."""

    kommune = models.ForeignKey(Kommune, on_delete=models.PROTECT, null=True, blank=True, related_name="medarbejdere")
    rolle = models.CharField("rolle", max_length=20, choices=Rolle.choices, default=Rolle.SAGSBEHANDLER)
    teams = models.ManyToManyField(Team, blank=True, related_name="medlemmer", verbose_name="teams")
    telefon = models.CharField("telefon", max_length=20, blank=True)

    class Meta:
        verbose_name = "medarbejder"
        verbose_name_plural = "medarbejdere"

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def er_teamleder(self) -> bool:
        return self.rolle == Rolle.TEAMLEDER

    @property
    def er_jurist(self) -> bool:
        return self.rolle == Rolle.JURIST
