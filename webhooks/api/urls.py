"""``/api/v1/``: webhook subscriptions and the delivery log."""

from rest_framework.routers import SimpleRouter

from .viewsets import WebhookAbonnementViewSet, WebhookLeveringViewSet

router = SimpleRouter()
router.register("webhooks", WebhookAbonnementViewSet, basename="webhook")
router.register("webhook-leveringer", WebhookLeveringViewSet, basename="webhook-levering")

urlpatterns = router.urls
