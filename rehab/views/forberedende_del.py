"""The forberedende del with its bilag (Danish UI). Saving goes through the one save of the del,
``rehab.services.forberedende_del_opdater`` (the first save creates the del in the same transaction)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cases import rules as cases_rules
from cases.forms import add_service_errors
from cases.models import Tilstand
from infra import datoer
from infra.fejl import ForaeldetVersion

from .. import rules, services
from ..forms import BilagForm, ForberedendeDelForm
from ..models import SEKTIONER, TJEKLISTE
from ..services import DEL_FELTER
from .faelles import hent_forloeb, ktx, log_laes, mangler_liste, side_ctx


def _del_initial(fd) -> dict:
    if fd is None:
        return {"version": 0}

    udeladt = fd.udeladte_sektioner if isinstance(fd.udeladte_sektioner, dict) else {}
    return (
        {navn: getattr(fd, navn) for navn in DEL_FELTER if navn != "udeladte_sektioner"}
        | {f"udeladt_{navn}": udeladt.get(navn, "") for navn, _ in SEKTIONER}
        | {"version": fd.version, "del_id": fd.pk}
    )


def _gem(request, fl, form: ForberedendeDelForm) -> None:
    """Save the form through the del's one save. Version 0: the forløb had no del when the page was
    loaded (this save creates it); otherwise the del the user edited (the service refuses a stale one)."""
    del_id = form.cleaned_data.get("del_id")
    fd = fl.forberedende_dele.filter(pk=del_id).first() if del_id else None
    services.forberedende_del_opdater(
        actor=request.user,
        forberedende_del=fd,
        forloeb=fl,
        expected_version=form.cleaned_data["version"] or None,
        **form.felter(),
    )


def _gem_eller_fejl(request, fl, form: ForberedendeDelForm) -> bool:
    """Save the del; False with the errors on the form when it cannot be saved."""
    if not form.is_valid():
        return False
    try:
        _gem(request, fl, form)
    except ForaeldetVersion as exc:
        form.add_error(None, str(exc))
    except ValidationError as exc:
        add_service_errors(form, exc)
    else:
        return True
    return False


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def forberedende_del(request, forloeb_pk):
    fl = hent_forloeb(request, forloeb_pk)
    url = reverse("rehab:forberedende_del", args=[fl.pk])
    form = bilag_form = None
    if request.method == "POST":
        handling = request.POST.get("handling", "gem")
        if handling == "bilag":
            bilag_form = BilagForm(request.POST, request.FILES, prefix="bilag")
            # One form holds the del and the bilag: what was typed in the del is saved first, so
            # "Tilføj bilag" never loses it (and an error in either keeps both as typed).
            if "version" in request.POST:
                form = ForberedendeDelForm(request.POST, initial=_del_initial(rules.aktuel_del(fl)))
            bilag_ok = bilag_form.is_valid()
            if form is not None and bilag_ok and form.has_changed() and not _gem_eller_fejl(request, fl, form):
                bilag_ok = False
            if bilag_ok:
                try:
                    # To the forløb's current del (started now if there is none yet).
                    b = services.bilag_tilfoej(actor=request.user, forloeb=fl, **bilag_form.cleaned_data)
                except ValidationError as exc:
                    add_service_errors(bilag_form, exc)
                else:
                    messages.success(request, f"Bilaget »{b.titel}« er tilføjet.")
                    return redirect(url + "#bilag")
        elif handling == "ny":
            services.forberedende_del_opret(actor=request.user, forloeb=fl)
            messages.success(request, "En ny forberedende del er startet med teksten fra den forrige.")
            return redirect(url)
        else:
            form = ForberedendeDelForm(request.POST)
            if _gem_eller_fejl(request, fl, form):
                messages.success(request, "Den forberedende del er gemt.")
                return redirect(url)

    fd = rules.aktuel_del(fl)
    if form is None:
        form = ForberedendeDelForm(initial=_del_initial(fd))
    if bilag_form is None:
        bilag_form = BilagForm(prefix="bilag")
    idag = datoer.idag()
    mangler = mangler_liste(
        cases_rules.uopfyldte("forelaeg_rehabiliteringsteam", fl, ktx(request, idag), uden_input=True), fl
    )
    bilag = list(fd.bilag.all()) if fd else []
    # A del already presented to the team: a new presentation starts a new one (keeps what the team saw).
    forelagt = fd is not None and fl.rehab_bookinger.filter(oprettet__gt=fd.oprettet).exists()
    log_laes(request, fl, "forberedende_del.laes", subject=fd)
    return render(
        request,
        "rehab/forberedende_del.html",
        side_ctx(
            request,
            fl,
            "forberedende_del",
            fd=fd,
            form=form,
            bilag_form=bilag_form,
            bilag=bilag,
            mangler=mangler,
            advarsler=rules.advarsler(fd, idag) if fd else [],
            udfyldte=len(SEKTIONER) - len(rules.manglende_sektioner(fd)) if fd else 0,
            antal_sektioner=len(SEKTIONER),
            besvarede=sum(1 for navn, _ in TJEKLISTE if getattr(fd, navn)) if fd else 0,
            antal_tjek=len(TJEKLISTE),
            relevant_omfang=rules.relevant_omfang_mangler(fd) if fd else [],
            udeladte_aabne=bool(fd and fd.udeladte_sektioner) or any(bf.errors for bf in form.udeladte),
            forelagt=forelagt,
            kan_forelaegges=fl.tilstand == Tilstand.FORBEREDENDE_PLAN,
        ),
    )
