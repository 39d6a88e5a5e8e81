"""The jurist's page for the library of standard phrases (issue 15): list, add, change, deactivate.
Only a municipality's jurist sees it; every change goes through :mod:`decisions.standardtekster`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cases.forms import add_service_errors

from .. import standardtekster
from ..forms_standardtekst import StandardtekstForm


def _kun_jurist(request) -> None:
    if not standardtekster.maa_vedligeholde(request.user):
        raise PermissionDenied


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def standardtekster_liste(request):
    _kun_jurist(request)
    form = StandardtekstForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            s = standardtekster.standardtekst_opret(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Standardteksten »{s.titel}« er oprettet.")
            return redirect("decisions:standardtekster")
    tekster = standardtekster.standardtekster_for(request.user).order_by("dokument_type", "afsnit", "titel")
    return render(
        request,
        "decisions/ui/standardtekster.html",
        {"tekster": list(tekster), "form": form, "aktiv_menu": "standardtekster"},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def standardtekst(request, pk: int):
    _kun_jurist(request)
    s = get_object_or_404(standardtekster.standardtekster_for(request.user), pk=pk)
    form = StandardtekstForm.for_standardtekst(s, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            standardtekster.standardtekst_opdater(actor=request.user, standardtekst=s, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Standardteksten »{form.cleaned_data['titel']}« er gemt.")
            return redirect("decisions:standardtekster")
    return render(request, "decisions/ui/standardtekst.html", {"s": s, "form": form, "aktiv_menu": "standardtekster"})
