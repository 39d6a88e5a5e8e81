"""Append-only audit log: every change and every read of a citizen's data.

Rows are written by :mod:`infra.audit` inside the transaction of the change they describe.
They reference users and citizens by value (no foreign-key constraint), so deleting a case,
a citizen or a user never deletes or blocks its audit trail; a database trigger (migration
0002) refuses UPDATE and DELETE outright.
"""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models


class ActorType(models.TextChoices):
    USER = "user", "Medarbejder"
    API_CLIENT = "api_client", "API-klient"
    SYSTEM = "system", "System"


class AuditEntry(models.Model):
    id = models.BigAutoField(primary_key=True)
    tidspunkt = models.DateTimeField(auto_now_add=True, db_index=True)
    actor_type = models.CharField(max_length=20, choices=ActorType.choices)
    actor_id = models.CharField(max_length=64, blank=True)
    actor_navn = models.CharField(max_length=200, blank=True, help_text="Snapshot of the actor's name")
    handling = models.CharField(max_length=64, db_index=True, help_text="Action code, e.g. borger.opret")
    subject_type = models.CharField(max_length=64, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    kommune_id = models.UUIDField(null=True, blank=True)
    borger_ids = ArrayField(models.UUIDField(), default=list, blank=True)
    foer = models.JSONField(null=True, blank=True)
    efter = models.JSONField(null=True, blank=True)
    begrundelse = models.TextField(blank=True, help_text="Why (shown in the citizen's access-log extract)")
    request_id = models.CharField(max_length=36, blank=True)
    kilde = models.CharField(max_length=200, blank=True, help_text="Entry point: URL path, command or task")

    class Meta:
        db_table = "cases_auditentry"  # the table predates the infra app; kept so old and new nodes share it
        verbose_name = "audit-hændelse"
        verbose_name_plural = "auditlog"
        ordering = ["-tidspunkt", "-id"]
        indexes = [GinIndex(fields=["borger_ids"], name="audit_borger_ids_gin")]

    def __str__(self) -> str:
        return f"{self.tidspunkt:%Y-%m-%d %H:%M} {self.actor_navn} {self.handling}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Auditlog-rækker kan ikke ændres.")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Auditlog-rækker kan ikke slettes.")


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
        db_table = "cases_idempotencykey"
        constraints = [models.UniqueConstraint(fields=["ejer", "noegle"], name="idempotency_unik_noegle")]

    def __str__(self) -> str:
        return f"{self.ejer} {self.noegle}"


class LagretFil(models.Model):
    """A file the product wrote (issued PDF, attachment, appeal package, Digital Post copy), stored in
    PostgreSQL by :class:`infra.storage.PostgresStorage` so every web and worker node reads the same
    bytes (docs/deployment.md). Rows are immutable: a database trigger refuses UPDATE (migration 0002)
    and CHECK constraints tie ``sha256`` and ``stoerrelse`` to the content; only DELETE (retention)
    removes a file."""

    navn = models.CharField(
        max_length=255, primary_key=True, help_text="Storage name, e.g. dokumenter/2026/04/<id>.pdf"
    )
    indhold = models.BinaryField()
    stoerrelse = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    oprettet = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "lagret fil"
        verbose_name_plural = "lagrede filer"

    def __str__(self) -> str:
        return self.navn


class UdbakkeBesked(models.Model):
    """The transactional outbox (infra/udbakke.py): a Celery task to send, written in the transaction
    of the change that causes it and relayed to the broker after commit, so no request waits on it."""

    id = models.BigAutoField(primary_key=True)
    task = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    eta = models.DateTimeField(null=True, blank=True, help_text="Not to be run before (a retry's back-off)")
    oprettet = models.DateTimeField(auto_now_add=True)
    sendt = models.DateTimeField(null=True, blank=True, help_text="Handed to the broker")
    forsoeg = models.PositiveIntegerField(default=0)
    sidste_fejl = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = "udbakke-besked"
        verbose_name_plural = "udbakke"
        indexes = [
            models.Index(fields=["id"], condition=models.Q(sendt__isnull=True), name="udbakke_afventer"),
            models.Index(fields=["sendt"], condition=models.Q(sendt__isnull=False), name="udbakke_sendt"),
        ]

    def __str__(self) -> str:
        return f"{self.task}{self.args}"
