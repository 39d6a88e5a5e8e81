"""``/api/v1/``: borgere, forløb, frister, journalnotater. Route names (``forloeb-detail``, ...) are the
router's: ``<basename>-<action>``."""

from rest_framework.routers import SimpleRouter

from .viewsets import BorgerViewSet, ForloebViewSet, FristViewSet, JournalnotatViewSet

router = SimpleRouter()
router.register("borgere", BorgerViewSet, basename="borger")
router.register("forloeb", ForloebViewSet, basename="forloeb")
router.register("frister", FristViewSet, basename="frist")
router.register("journalnotater", JournalnotatViewSet, basename="journalnotat")

urlpatterns = router.urls
