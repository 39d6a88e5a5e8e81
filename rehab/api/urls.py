"""``/api/v1/``: forberedende dele, mødedage, bookinger, indstillinger, partshøringer."""

from rest_framework.routers import SimpleRouter

from .viewsets import BookingViewSet, ForberedendeDelViewSet, IndstillingViewSet, MoededagViewSet, PartshoeringViewSet

router = SimpleRouter()
router.register("forberedende-dele", ForberedendeDelViewSet, basename="forberedende-del")
router.register("moededage", MoededagViewSet, basename="moededag")
router.register("bookinger", BookingViewSet, basename="booking")
router.register("indstillinger", IndstillingViewSet, basename="indstilling")
router.register("partshoeringer", PartshoeringViewSet, basename="partshoering")

urlpatterns = router.urls
