"""Query parameters of the delivery log."""

from __future__ import annotations

import django_filters

from infra.api import filters
from webhooks.models import HaendelseType, LeveringStatus


class LeveringFilter(django_filters.FilterSet):
    status = filters.valg(LeveringStatus.choices)
    haendelse = filters.valg(HaendelseType.choices)
    abonnement = filters.uuid(field_name="abonnement_id", help_text="Abonnementets id (UUID)")
