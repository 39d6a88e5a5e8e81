"""Opening an attachment's file (LÆ 265, a specialist's statement ...): scoped to the caller's forløb,
audited as a read, served from the shared storage (whichever node stored it), never under the uploaded
name (which may hold a name or CPR number)."""

from __future__ import annotations

import mimetypes
import posixpath

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cases.selectors import forloeb_for
from infra import audit

from .models import Bilag

VISES_I_BROWSEREN = frozenset({".pdf", ".png", ".jpg", ".jpeg"})


@never_cache
@login_required
@require_GET
def bilag_fil(request, pk):
    b = get_object_or_404(
        Bilag.objects.select_related("forberedende_del__forloeb").filter(
            forberedende_del__forloeb__in=forloeb_for(request.user)
        ),
        pk=pk,
    )
    if not b.fil:
        raise Http404("Bilaget har ingen fil.")
    with b.fil.open("rb") as f:  # the storage verifies the file's SHA-256
        data = f.read()
    audit.record_read(
        actor=request.user, handling="bilag.fil_hent", borgere=[b.forberedende_del.forloeb.borger_id], subject=b
    )
    endelse = posixpath.splitext(b.fil.name)[1].lower()
    response = HttpResponse(data, content_type=mimetypes.types_map.get(endelse, "application/octet-stream"))
    # PDFs and images open in the browser (the LÆ 265 is read, not filed); anything else is saved.
    visning = "inline" if endelse in VISES_I_BROWSEREN else "attachment"
    response["Content-Disposition"] = f'{visning}; filename="bilag-{b.pk}{endelse}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
