from rest_framework.routers import SimpleRouter

from .forloeb_views import ForloebViewSet, FristViewSet, JournalnotatViewSet
from .views import BorgerViewSet

router = SimpleRouter()
router.register("borgere", BorgerViewSet, basename="borger")
router.register("forloeb", ForloebViewSet, basename="forloeb")
router.register("frister", FristViewSet, basename="frist")
router.register("journalnotater", JournalnotatViewSet, basename="journalnotat")

urlpatterns = router.urls
