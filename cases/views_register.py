"""The citizen page's CPR register actions: refresh from the register, show a protected address
(an explicit act with a reason, audited), and the look-up step of creating a citizen."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cases import services
from infra.fejl import DomaeneFejl

from .forms import BorgerOpretForm, CprVisForm, add_service_errors
from .selectors import borgere_for
from .views_sag import borger_kontekst, borger_side


class AdresseVisForm(forms.Form):
    begrundelse = forms.CharField(
        label="Begrundelse",
        max_length=300,
        help_text="Hvorfor du skal se den beskyttede adresse. Gemmes i borgerens adgangslog.",
        error_messages={"required": "Angiv hvorfor du skal se den beskyttede adresse."},
    )


def _borger(request, pk):
    return get_object_or_404(borgere_for(request.user), pk=pk)


@never_cache
@login_required
@require_POST
def borger_register_opdater(request, pk):
    borger = _borger(request, pk)
    try:
        aendringer = services.borger_register_opdater(actor=request.user, borger=borger)
    except DomaeneFejl as exc:
        messages.error(request, str(exc))
    else:
        if aendringer:
            messages.success(
                request,
                "Hentet fra CPR-registeret. Ændringer: "
                + ", ".join(a.get_type_display().lower() for a in aendringer)
                + ".",
            )
        else:
            messages.success(request, "Hentet fra CPR-registeret. Ingen ændringer.")
    return redirect("cases:borger_detail", pk=borger.pk)


@never_cache
@login_required
@require_POST
def borger_adresse_vis(request, pk):
    """The protected address, once, in this response only, after the user gives a reason."""
    borger = _borger(request, pk)
    form = AdresseVisForm(request.POST)
    adresse = None
    if form.is_valid():
        try:
            adresse = services.borger_adresse_vis(
                actor=request.user, borger=borger, begrundelse=form.cleaned_data["begrundelse"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
    if adresse is None:
        return borger_side(request, borger, status=400)
    response = render(
        request,
        "cases/borger_detail.html",
        borger_kontekst(request, borger, beskyttet_adresse=adresse, cpr_form=CprVisForm()),
    )
    response["Cache-Control"] = "no-store"
    return response


def opslag(request, form: BorgerOpretForm):
    """The create form's "Slå op i CPR-registeret": the form again, prefilled from the register
    (and marked so that creating it takes the facts from the register), or with the reason the
    register gave none (the caseworker can still type them: unverified)."""
    cpr = (request.POST.get("cpr") or "").strip()
    initial = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    try:
        person = services.cpr_opslag(actor=request.user, cpr=cpr)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return form, None
    except (services.CprUkendtIRegisteret, services.RegisterSvarerIkke) as exc:
        initial["fra_register"] = ""  # typed by hand from here: unverified
        return BorgerOpretForm(initial=initial, user=request.user), str(exc)
    initial |= {
        "fornavn": person.fornavn,
        "efternavn": person.efternavn,
        "adresse": person.adresse,
        "postnummer": person.postnummer,
        "by": person.by,
        "fra_register": "1",
    }
    return BorgerOpretForm(initial=initial, user=request.user), person
