"""``/api/v1/``: afgørelser (and letters) and klager."""

from rest_framework.routers import SimpleRouter

from .viewsets import AfgoerelseViewSet, KlageViewSet

router = SimpleRouter()
router.register("afgoerelser", AfgoerelseViewSet, basename="afgoerelse")
router.register("klager", KlageViewSet, basename="klage")

urlpatterns = router.urls
