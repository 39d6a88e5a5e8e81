"""The caseworker's citizen pages (Danish UI). Reads go through selectors, changes through services.

Every page that shows citizen data logs the read in the audit log. CPR numbers are never part of
a URL: search and unmasking are POSTs. Pages with citizen data are never cached by the browser.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from cases import services, views_register
from infra import audit
from infra import cpr as cprlib
from infra.fejl import ForaeldetVersion

from .forms import (
    BESKYTTEDE_FELTER,
    REDIGER_FELTER,
    BorgerOpretForm,
    BorgerRedigerForm,
    BorgerSoegForm,
    CprVisForm,
    PaaroerendeForm,
    add_service_errors,
)
from .selectors import borger_soeg, borgere_for
from .views_sag import borger_kontekst, borger_side

MAKS_RAEKKER = 100


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _cpr_lignende(query: str) -> bool:
    """Whether a search text looks like a CPR number (then it is never echoed back)."""
    return bool(cprlib.CPR_IN_TEXT_RE.search(query or ""))


def _hent_borger(request, pk):
    """The citizen if the user may see them; another team or municipality is a 404."""
    return get_object_or_404(borgere_for(request.user), pk=pk)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def borger_list(request):
    """Start page: the user's citizens, or a search by name or exact CPR (POST, never in the URL)."""
    if request.method == "POST":
        form = BorgerSoegForm(request.POST)
        query = form.data.get("q", "").strip()[:100]
    else:
        form = BorgerSoegForm()
        query = ""
    raekker = list(borger_soeg(request.user, query)[: MAKS_RAEKKER + 1])
    flere = len(raekker) > MAKS_RAEKKER
    borgere = raekker[:MAKS_RAEKKER]
    audit.record_read(actor=request.user, handling="borger.soeg" if query else "borger.liste", borgere=borgere)

    cpr_soegning = _cpr_lignende(query)
    if cpr_soegning:
        # Keep the CPR out of the HTML: the field is emptied and the search shown masked.
        form = BorgerSoegForm()
    context = {
        "form": form,
        "borgere": borgere,
        "flere": flere,
        "maks": MAKS_RAEKKER,
        "soegt": bool(query),
        "soegetekst": cprlib.mask(query.replace("-", "").replace(" ", "")) if cpr_soegning else query,
        "aktiv_menu": "borgere",
    }
    template = "cases/_borger_resultater.html" if _is_htmx(request) else "cases/borger_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@never_cache
@login_required
@require_http_methods(["GET"])
def borger_detail(request, pk):
    borger = _hent_borger(request, pk)
    return borger_side(request, borger)


@never_cache
@login_required
@require_POST
def borger_cpr_vis(request, pk):
    """Show the full CPR number once, in this response only, after the user gives a reason."""
    borger = _hent_borger(request, pk)
    form = CprVisForm(request.POST)
    fuldt_cpr = None
    if form.is_valid():
        try:
            fuldt_cpr = services.borger_cpr_vis(
                actor=request.user, borger=borger, begrundelse=form.cleaned_data["begrundelse"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
    if fuldt_cpr is None:
        # The page is shown again with the error; that is a read of the citizen's data.
        audit.record_read(actor=request.user, handling="borger.laes", borgere=[borger], subject=borger)
    response = render(
        request,
        "cases/borger_detail.html",
        borger_kontekst(request, borger, cpr_form=form if fuldt_cpr is None else CprVisForm(), fuldt_cpr=fuldt_cpr),
    )
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def borger_opret(request):
    form = BorgerOpretForm(request.POST or None, user=request.user)
    register: object = None
    if request.method == "POST" and request.POST.get("handling") == "opslag":
        form, register = views_register.opslag(request, form)
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            borger = services.borger_opret(
                actor=request.user,
                team=data["team"],
                cpr=data["cpr"],
                fornavn=data["fornavn"],
                efternavn=data["efternavn"],
                fra_register=data["fra_register"],
                **form.kontakt_data(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{borger.navn} er oprettet.")
            return redirect("cases:borger_detail", pk=borger.pk)
    return render(
        request,
        "cases/borger_form.html",
        {"form": form, "opret": True, "aktiv_menu": "borgere", "register": register},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def borger_rediger(request, pk):
    borger = _hent_borger(request, pk)
    # A protected address is never put into a page, not even into the edit form's inputs.
    felter = [f for f in REDIGER_FELTER if not (borger.adressebeskyttelse and f in BESKYTTEDE_FELTER)]
    if request.method == "POST":
        form = BorgerRedigerForm(request.POST, user=request.user, skjul=borger.adressebeskyttelse)
        if form.is_valid():
            data = form.cleaned_data
            changes = {f: data[f] for f in felter}
            try:
                services.borger_opdater(actor=request.user, borger=borger, expected_version=data["version"], **changes)
            except ForaeldetVersion as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Borgerens oplysninger er gemt.")
                return redirect("cases:borger_detail", pk=borger.pk)
    else:
        initial = {f: getattr(borger, f) for f in felter if f != "team"}
        initial |= {"team": borger.team_id, "version": borger.version}
        form = BorgerRedigerForm(initial=initial, user=request.user, skjul=borger.adressebeskyttelse)
    audit.record_read(actor=request.user, handling="borger.laes", borgere=[borger], subject=borger)
    return render(
        request,
        "cases/borger_form.html",
        {"form": form, "borger": borger, "opret": False, "aktiv_menu": "borgere"},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def paaroerende_opret(request, pk):
    borger = _hent_borger(request, pk)
    form = PaaroerendeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            p = services.paaroerende_opret(actor=request.user, borger=borger, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{p.navn} er registreret som {p.get_relation_display().lower()}.")
            return redirect("cases:borger_detail", pk=borger.pk)
    return render(request, "cases/paaroerende_form.html", {"form": form, "borger": borger, "aktiv_menu": "borgere"})
