"""Every date and date-time saved by the product's models lies within :mod:`infra.datoer`'s bounds.

A model-level invariant, so it holds for every service whichever door it came through: a
``pre_save`` receiver (connected in ``InfraConfig.ready``) refuses the save with a Django
``ValidationError`` naming every field out of bounds (400 problem+json in the API, field errors in
the forms). Services that compute with a date before saving it check it themselves first
(``flexjob/aftaler.py``), so no arithmetic ever overflows.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from infra import datoer

#: Apps whose models are checked (Django's and third-party tables are left alone).
APPS = {"infra", "cases", "decisions", "webhooks", "rehab", "flexjob", "dashboard", "demo"}


def tjek_datoer(sender, instance, raw=False, **kwargs) -> None:
    if raw or sender._meta.app_label not in APPS:
        return
    fejl = {
        f.name: datoer.DATO_UDENFOR
        for f in sender._meta.concrete_fields
        if isinstance(f, models.DateField) and datoer.dato_udenfor(getattr(instance, f.attname), f.name)
    }
    if fejl:
        raise ValidationError(fejl)
