"""``/api/v1/``: virksomheder, visitationer, ansættelser, arbejdsevnevurderinger and aftaler."""

from rest_framework.routers import SimpleRouter

from .viewsets import (
    AftaleViewSet,
    AnsaettelseViewSet,
    ArbejdsevnevurderingViewSet,
    BevillingViewSet,
    VirksomhedViewSet,
    VisitationViewSet,
)

router = SimpleRouter()
router.register("virksomheder", VirksomhedViewSet, basename="virksomhed")
router.register("visitationer", VisitationViewSet, basename="visitation")
router.register("ansaettelser", AnsaettelseViewSet, basename="ansaettelse")
router.register("arbejdsevnevurderinger", ArbejdsevnevurderingViewSet, basename="arbejdsevnevurdering")
router.register("bevillinger", BevillingViewSet, basename="bevilling")
router.register("aftaler", AftaleViewSet, basename="aftale")

urlpatterns = router.urls
