"""Webhooks: an API client subscribes a URL to event kinds; every event becomes one delivery row per
subscription, sent (signed) and retried by Celery. The rows are the delivery log: nothing is lost."""

import secrets
import uuid

from django.contrib.postgres.fields import ArrayField
from django.core.validators import URLValidator
from django.db import models


class HaendelseType(models.TextChoices):
    FORLOEB_OVERGANG = "forloeb.overgang", "Forløbet har skiftet tilstand"
    FRIST_OVERSKREDET = "frist.overskredet", "En frist er overskredet"
    AFGOERELSE_UDSTEDT = "afgoerelse.udstedt", "En afgørelse er udstedt"
    AFTALE_GODKENDT = "aftale.godkendt", "En aftale er godkendt"
    AFTALE_AFVIST = "aftale.afvist", "En aftale er afvist"


class LeveringStatus(models.TextChoices):
    AFVENTER = "afventer", "Afventer"
    LEVERET = "leveret", "Leveret"
    FEJLET = "fejlet", "Fejlet"


def ny_hemmelighed() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class WebhookAbonnement(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    klient = models.ForeignKey("cases.ApiKlient", on_delete=models.PROTECT, related_name="webhooks")
    url = models.URLField(max_length=500, validators=[URLValidator(schemes=["http", "https"])])
    haendelser = ArrayField(models.CharField(max_length=40, choices=HaendelseType.choices))
    # The receiver verifies the HMAC with this secret, so it is kept (not hashed); shown once at creation.
    hemmelighed = models.CharField(max_length=80, default=ny_hemmelighed, editable=False)
    aktiv = models.BooleanField(default=True)
    oprettet = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "cases_webhookabonnement"  # tables predate the webhooks app
        verbose_name = "webhook-abonnement"
        verbose_name_plural = "webhook-abonnementer"
        indexes = [models.Index(fields=["klient", "aktiv"], name="webhook_klient_aktiv")]

    def __str__(self) -> str:
        return f"{self.url} ({', '.join(self.haendelser)})"


class WebhookLevering(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    abonnement = models.ForeignKey(WebhookAbonnement, on_delete=models.PROTECT, related_name="leveringer")
    haendelse = models.CharField(max_length=40, choices=HaendelseType.choices)
    haendelse_id = models.UUIDField(help_text="The event's id; one delivery per event and subscription")
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=LeveringStatus.choices, default=LeveringStatus.AFVENTER)
    forsoeg = models.PositiveSmallIntegerField(default=0)
    sidste_status_kode = models.PositiveSmallIntegerField(null=True, blank=True)
    sidste_fejl = models.CharField(max_length=500, blank=True)
    naeste_forsoeg = models.DateTimeField(null=True, blank=True)
    laast_til = models.DateTimeField(
        null=True, blank=True, help_text="A worker is sending it until then (a lease, no row lock during the POST)"
    )
    leveret = models.DateTimeField(null=True, blank=True)
    oprettet = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        db_table = "cases_webhooklevering"
        verbose_name = "webhook-levering"
        verbose_name_plural = "webhook-leveringer"
        # Integration administrators (a group or user given this permission in the admin) read the
        # municipality's subscriptions and delivery log; other employees do not (webhooks/api).
        permissions = [("se_leveringslog", "Kan se kommunens webhook-abonnementer og leveringslog")]
        constraints = [
            models.UniqueConstraint(fields=["abonnement", "haendelse_id"], name="webhook_levering_unik_haendelse")
        ]
        indexes = [
            models.Index(fields=["status", "naeste_forsoeg"], name="webhook_levering_afventer"),
            models.Index(fields=["oprettet", "id"], name="webhook_levering_liste_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.haendelse} → {self.abonnement_id} ({self.status})"
