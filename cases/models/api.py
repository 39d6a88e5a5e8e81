"""External systems: API clients with scopes, bound to one municipality, and idempotency keys."""

import uuid

from django.contrib.postgres.fields import ArrayField
from django.db import models

SCOPES = {
    "borgere:read": "Læse borgere",
    "borgere:write": "Oprette og ændre borgere",
    "forloeb:read": "Læse forløb, frister og journalnotater",
    "forloeb:write": "Udføre overgange og skrive journalnotater",
    "aftaler:write": "Indsende aftaler",
    "afgoerelser:read": "Hente afgørelser",
}


class ApiKlient(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    navn = models.CharField(max_length=100)
    kommune = models.ForeignKey("cases.Kommune", on_delete=models.PROTECT, related_name="api_klienter")
    scopes = ArrayField(models.CharField(max_length=40), default=list)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_prefix = models.CharField(max_length=8, editable=False, help_text="First characters, to recognise a token")
    aktiv = models.BooleanField(default=True)
    oprettet = models.DateTimeField(auto_now_add=True)
    sidst_brugt = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API-klient"
        verbose_name_plural = "API-klienter"

    def __str__(self) -> str:
        return f"{self.navn} ({self.kommune})"


class IdempotencyKey(models.Model):
    id = models.BigAutoField(primary_key=True)
    ejer = models.CharField(max_length=80, help_text="user:<id> or client:<id>")
    noegle = models.CharField(max_length=200)
    metode = models.CharField(max_length=10)
    sti = models.CharField(max_length=300)
    request_hash = models.CharField(max_length=64)
    status_kode = models.PositiveSmallIntegerField(null=True)
    svar = models.JSONField(null=True)
    svar_headers = models.JSONField(default=dict)
    oprettet = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ejer", "noegle"], name="idempotency_unik_noegle")]

    def __str__(self) -> str:
        return f"{self.ejer} {self.noegle}"
