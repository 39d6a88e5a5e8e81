"""The printable meeting summary (mødeoplæg) of a forløb for the rehabiliteringsteam, as a PDF: the
caseworker reaches it from the forløb's meeting page, the mødeleder from the booked meetings."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .. import services
from .faelles import hent_forloeb


@never_cache
@login_required
@require_GET
def moedeoplaeg(request, forloeb_pk):
    """Rendered by the service on demand and never stored; the service audits the read."""
    fl = hent_forloeb(request, forloeb_pk)  # another team or municipality: 404
    data = services.moedeoplaeg_pdf(actor=request.user, forloeb=fl)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="moedeoplaeg-rehabiliteringsteam.pdf"'  # no name or CPR
    response["Cache-Control"] = "no-store"
    return response
