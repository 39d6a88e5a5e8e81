"""Reads of webhook subscriptions and deliveries, scoped to the caller."""

from __future__ import annotations

from django.db.models import QuerySet

from webhooks.models import WebhookAbonnement, WebhookLevering


def er_klient(user) -> bool:
    return getattr(user, "er_api_klient", False)


def er_integrationsadministrator(user) -> bool:
    """An employee who may read the municipality's webhooks and delivery log (support)."""
    return not er_klient(user) and user.has_perm("webhooks.se_leveringslog")


def abonnementer_for(user) -> QuerySet[WebhookAbonnement]:
    """A client's own subscriptions; for an employee, those of the municipality's clients."""
    qs = WebhookAbonnement.objects.select_related("klient")
    if er_klient(user):
        return qs.filter(klient_id=user.klient.pk)
    kommune_id = getattr(user, "kommune_id", None)
    if kommune_id is None or not er_integrationsadministrator(user):
        return qs.none()
    return qs.filter(klient__kommune_id=kommune_id)


def leveringer_for(user) -> QuerySet[WebhookLevering]:
    return WebhookLevering.objects.filter(abonnement__in=abonnementer_for(user))
