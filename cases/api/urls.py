from rest_framework.routers import SimpleRouter

from .views import BorgerViewSet

router = SimpleRouter()
router.register("borgere", BorgerViewSet, basename="borger")

urlpatterns = router.urls
