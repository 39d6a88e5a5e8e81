"""``/api/v1/``: borgere, forløb, frister, journalnotater, tilbud. Route names (``forloeb-detail``, ...) are the
router's: ``<basename>-<action>``."""

from rest_framework.routers import SimpleRouter

from .viewsets import BorgerViewSet, ForloebViewSet, FristViewSet, JournalnotatViewSet, TilbudViewSet

router = SimpleRouter()
router.register("borgere", BorgerViewSet, basename="borger")
router.register("forloeb", ForloebViewSet, basename="forloeb")
router.register("frister", FristViewSet, basename="frist")
router.register("journalnotater", JournalnotatViewSet, basename="journalnotat")
router.register("tilbud", TilbudViewSet, basename="tilbud")

urlpatterns = router.urls
