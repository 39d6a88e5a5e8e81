"""Reassigning a forløb to another caseworker of its team, with a handover note (team leaders)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cases import services
from cases.forms import add_service_errors
from cases.models import Sagsejerskab
from dashboard import selectors as db
from dashboard.forms import TildelForm
from infra import audit

from .faelles import ingen_adgang


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def forloeb_tildel(request, forloeb_pk):
    """Reassign a forløb to another caseworker of its team, with a handover note (team leaders)."""
    if not db.er_leder(request.user):
        return ingen_adgang(request)
    forloeb = get_object_or_404(db.synlige_forloeb(request.user), pk=forloeb_pk)
    naeste = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(naeste, allowed_hosts={request.get_host()}, require_https=False):
        naeste = ""
    form = TildelForm(request.POST or None, team=forloeb.team, initial={"version": forloeb.version})
    if request.method == "POST" and form.is_valid():
        ny = form.cleaned_data["sagsbehandler"]
        try:
            services.forloeb_tildel(
                actor=request.user,
                forloeb=forloeb,
                sagsbehandler=ny,
                overdragelsesnotat=form.cleaned_data["overdragelsesnotat"],
                expected_version=form.cleaned_data.get("version"),
            )
        except services.ForaeldetVersion as exc:
            form.add_error(None, str(exc))
        except PermissionDenied:
            return ingen_adgang(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Forløbet for {forloeb.borger.navn} er overdraget til {ny}.")
            return redirect(naeste or "dashboard:dashboard")
    audit.record_read(actor=request.user, handling="borger.laes", borgere=[forloeb.borger], subject=forloeb)
    historik = list(Sagsejerskab.objects.filter(forloeb=forloeb).select_related("sagsbehandler").order_by("-fra")[:10])
    return render(
        request,
        "dashboard/tildel.html",
        {
            "form": form,
            "forloeb": forloeb,
            "historik": historik,
            "naeste": naeste,
            "tilbage": naeste or reverse("dashboard:dashboard"),
            "aktiv_menu": "dashboard",
        },
    )
