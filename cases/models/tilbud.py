"""Offers made to the citizen during the forløb (praktik, løntilskud, mentor, a concrete fleksjob,
a meeting ...) and the citizen's answer: a structured record the caseworker can list and print,
that a decision's begrundelse can cite as a fact, and whose refusals show on the citizen page."""

import uuid

from django.db import models


class TilbudType(models.TextChoices):
    VIRKSOMHEDSPRAKTIK = "virksomhedspraktik", "Virksomhedspraktik"
    LOENTILSKUD = "loentilskud", "Løntilskud"
    MENTOR = "mentor", "Mentor"
    FLEKSJOB = "fleksjob", "Konkret fleksjob"
    UDDANNELSE = "uddannelse", "Uddannelse eller opkvalificering"
    AKTIVITET = "aktivitet", "Aktivitet i ressourceforløb eller indsatsplan"
    MOEDE = "moede", "Møde eller samtale"
    ANDET = "andet", "Andet tilbud"


class TilbudSvar(models.TextChoices):
    AFVENTER = "afventer", "Afventer svar"
    ACCEPTERET = "accepteret", "Takket ja"
    AFSLAAET = "afslaaet", "Takket nej"


class Tilbud(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    forloeb = models.ForeignKey("cases.Forloeb", on_delete=models.PROTECT, related_name="tilbud")
    type = models.CharField(max_length=30, choices=TilbudType.choices)
    dato = models.DateField("tilbudt (dato)")
    beskrivelse = models.TextField("hvad blev tilbudt")
    svar = models.CharField(max_length=12, choices=TilbudSvar.choices, default=TilbudSvar.AFVENTER)
    svar_dato = models.DateField("svar (dato)", null=True, blank=True)
    begrundelse = models.TextField("borgerens begrundelse", blank=True)
    registreret_af = models.CharField(max_length=200)
    version = models.PositiveIntegerField(default=1, editable=False)
    oprettet = models.DateTimeField(auto_now_add=True)
    opdateret = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "tilbud"
        verbose_name_plural = "tilbud"
        ordering = ["-dato", "-oprettet"]
        indexes = [
            models.Index(fields=["forloeb", "svar"], name="tilbud_forloeb_svar_idx"),
            models.Index(fields=["oprettet", "id"], name="tilbud_liste_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.dato:%d.%m.%Y} ({self.get_svar_display().lower()})"
