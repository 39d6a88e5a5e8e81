"""The rehabiliteringsteam's indstilling (Danish UI): registered once the meeting is held; an
udsættelse sends the forløb back to forberedende plan."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cases import overgange
from cases.forms import add_service_errors
from cases.services import OvergangFejl
from infra import datoer

from .. import services
from ..forms import GRUPPER, INDSTILLING_LABELS, UDFALD_VALG, IndstillingForm
from .faelles import aktiv_booking, hent_forloeb, log_laes, overgang_fejl, side_ctx


def _vis(ind, navn: str):
    """A field's value as the page shows it (a choice by its label)."""
    vis = getattr(ind, f"get_{navn}_display", None)
    return vis() if vis is not None else getattr(ind, navn)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def indstilling(request, forloeb_pk):
    fl = hent_forloeb(request, forloeb_pk)
    idag = datoer.idag()
    aktiv = aktiv_booking(fl)
    registrer = overgange.SPECS["registrer_indstilling"]
    kan_registrere = registrer.fra_tilstand(fl.tilstand) and registrer.rolle_maa(request.user)
    form = None
    afvist: list[dict] = []
    if request.method == "POST":
        if not kan_registrere:
            messages.error(request, "Indstillingen kan kun registreres, mens sagen er forelagt rehabiliteringsteamet.")
            return redirect("rehab:indstilling", forloeb_pk=fl.pk)
        form = IndstillingForm(request.POST)
        if form.is_valid():
            try:
                ind = services.indstilling_registrer(
                    actor=request.user,
                    forloeb=fl,
                    udfald=form.cleaned_data["udfald"],
                    dato=form.cleaned_data["dato"],
                    **form.felter(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except (OvergangFejl, PermissionDenied) as exc:
                afvist = overgang_fejl(form, exc, fl, "Registreringen af indstillingen")
            else:
                if ind.udfald == "udsaettelse":
                    messages.success(request, "Udsættelsen er registreret. Forløbet er tilbage i forberedende plan.")
                else:
                    messages.success(request, "Indstillingen er registreret. Næste skridt er partshøring.")
                    # The next step at once: the partshøring's page.
                    return redirect("rehab:partshoering", forloeb_pk=fl.pk)
                return redirect("rehab:indstilling", forloeb_pk=fl.pk)
    if form is None and kan_registrere:
        moede = fl.rehab_moede_dato
        form = IndstillingForm(initial={"dato": moede if moede and moede <= idag else idag})

    indstillinger = list(fl.indstillinger.order_by("-dato", "-oprettet"))
    for ind in indstillinger:
        ind.udfald_label = dict(UDFALD_VALG).get(ind.udfald, ind.udfald)
        ind.indhold = [
            (INDSTILLING_LABELS[navn], _vis(ind, navn))
            for _, _, _, navne in GRUPPER
            for navn in navne
            if getattr(ind, navn) not in ("", False, None)
        ]
        ind.anbefalinger = services.indstilling_anbefalinger(ind)
    log_laes(request, fl, "indstilling.laes", subject=indstillinger[0] if indstillinger else None)
    return render(
        request,
        "rehab/indstilling.html",
        side_ctx(
            request,
            fl,
            "indstilling",
            form=form,
            afvist=afvist,
            aktiv=aktiv,
            indstillinger=indstillinger,
            kan_registrere=kan_registrere,
            moede_holdt=fl.rehab_moede_dato is not None and fl.rehab_moede_dato <= idag,
        ),
    )
