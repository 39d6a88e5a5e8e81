"""External systems: API clients with scopes, bound to one municipality."""

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
