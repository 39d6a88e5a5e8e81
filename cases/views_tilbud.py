"""Offers made to the citizen (Danish UI): the list with its registration form and answers, and a
print view. Reads are scoped and logged; every change is one call of ``cases.services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import services
from infra import audit, datoer
from infra.fejl import ForaeldetVersion

from .forms import add_service_errors
from .forms_sag import TilbudForm, TilbudSvarForm
from .models import Tilbud, TilbudSvar
from .selectors import forloeb_for


def _forloeb(request, pk):
    return get_object_or_404(forloeb_for(request.user).select_related("borger", "team"), pk=pk)


def _side(request, fl, *, form=None, svar_form=None, svar_pk=None, status=200):
    raekker = []
    for t in Tilbud.objects.filter(forloeb=fl).order_by("-dato", "-oprettet"):
        f = svar_form if svar_pk == t.pk else TilbudSvarForm(tilbud=t)
        raekker.append({"t": t, "svar_form": f, "afslaaet": t.svar == TilbudSvar.AFSLAAET})
    audit.record_read(actor=request.user, handling="tilbud.liste", borgere=[fl.borger_id], subject=fl)
    return render(
        request,
        "cases/sag/tilbud.html",
        {
            "fl": fl,
            "borger": fl.borger,
            "raekker": raekker,
            "form": form or TilbudForm(initial={"dato": datoer.idag()}),
            "aktiv_menu": "borgere",
        },
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def tilbud(request, forloeb_pk):
    fl = _forloeb(request, forloeb_pk)
    if request.method == "GET":
        return _side(request, fl)
    form = TilbudForm(request.POST)
    if form.is_valid():
        c = form.cleaned_data
        try:
            t = services.tilbud_registrer(
                actor=request.user, forloeb=fl, type=c["type"], dato=c["dato"], beskrivelse=c["beskrivelse"],
                svar=c["svar"], svar_dato=c["svar_dato"], begrundelse=c["begrundelse"],
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Tilbuddet »{t.get_type_display()}« er registreret.")
            return redirect("cases:tilbud", forloeb_pk=fl.pk)
    return _side(request, fl, form=form, status=400)


@never_cache
@login_required
@require_POST
def tilbud_besvar(request, pk):
    t = get_object_or_404(Tilbud.objects.filter(forloeb__in=forloeb_for(request.user)), pk=pk)
    fl = _forloeb(request, t.forloeb_id)
    form = TilbudSvarForm(request.POST, tilbud=t)
    if form.is_valid():
        c = form.cleaned_data
        try:
            services.tilbud_besvar(
                actor=request.user, tilbud=t, svar=c["svar"], svar_dato=c["svar_dato"],
                begrundelse=c["begrundelse"], expected_version=c["version"],
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ForaeldetVersion as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Borgerens svar er registreret.")
            return redirect("cases:tilbud", forloeb_pk=fl.pk)
    return _side(request, fl, svar_form=form, svar_pk=t.pk, status=400)


@never_cache
@login_required
@require_GET
def tilbud_udskriv(request, forloeb_pk):
    """A print view of the offers and answers (the browser's print or save as PDF)."""
    fl = _forloeb(request, forloeb_pk)
    tilbud = list(Tilbud.objects.filter(forloeb=fl).order_by("dato", "oprettet"))
    audit.record_read(actor=request.user, handling="tilbud.udskriv", borgere=[fl.borger_id], subject=fl)
    return render(
        request,
        "cases/sag/tilbud_udskriv.html",
        {"fl": fl, "borger": fl.borger, "tilbud": tilbud, "idag": datoer.idag()},
    )
