"""The project's URLs plus one minimal view, active only under ``bench.settings``."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from config.urls import urlpatterns as _project


@require_GET
def ping(request):
    """The cheapest Django response: the baseline of the API load test (same middleware stack)."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/ping/", ping, name="bench_ping"), *_project]
