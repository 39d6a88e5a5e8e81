"""The fleksjob overview of a forløb (visitation, ledighedsydelse, employments and their deadlines)
and registering the visitation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from cases.forms import add_service_errors
from cases.models import Tilstand
from infra import audit, datoer

from .. import rules, selectors, services
from ..forms import BevillingForm, VisitationForm, tal_dansk
from .faelles import aabne_frister, hent_forloeb, vurdering_visning, vurderinger_af


def _oversigt_context(request, forloeb, visitation_form=None, bevilling_form=None) -> dict:
    visitationer = list(
        forloeb.visitationer.select_related("afgoerelse").prefetch_related("ledighedsperioder").order_by("-dato")
    )
    visitation = visitationer[0] if visitationer else None
    perioder = []
    for v in visitationer:
        for p in v.ledighedsperioder.all():
            slut = p.slut or datoer.idag()
            perioder.append({"p": p, "dage": max((slut - p.start).days, 0), "aaben": p.slut is None})
    perioder.sort(key=lambda r: r["p"].start, reverse=True)
    ansaettelser = []
    for a in forloeb.ansaettelser.select_related("virksomhed").order_by("-start"):
        vurderinger = vurderinger_af(a)
        ansaettelser.append(
            {
                "a": a,
                "timer": tal_dansk(a.loennede_timer),
                "vurdering": vurdering_visning(vurderinger[0]) if vurderinger else None,
                "frister": aabne_frister(a),
            }
        )
    kan_visitere = forloeb.tilstand == Tilstand.FLEKSJOB
    if visitation_form is None and kan_visitere:
        visitation_form = VisitationForm(forloeb=forloeb)
    if visitation_form is not None and not visitation_form.fields["afgoerelse"].queryset.exists():
        visitation_form = None
    return {
        "forloeb": forloeb,
        "borger": forloeb.borger,
        "visitation": visitation,
        "visitation_timer": tal_dansk(visitation.baseline_timer) if visitation else "",
        "visitation_effektive": (
            tal_dansk(rules.effektive_timer(visitation.baseline_timer, visitation.baseline_intensitet), 2)
            if visitation
            else ""
        ),
        "ventetid": selectors.ventetid(visitation) if visitation else None,
        "perioder": perioder,
        "ansaettelser": ansaettelser,
        "kan_ansaette": kan_visitere and visitation is not None,
        "visitation_form": visitation_form,
        "bevillinger": list(selectors.bevillinger_for(request.user).filter(borger_id=forloeb.borger_id)),
        "bevilling_form": bevilling_form or BevillingForm(),
        "idag": datoer.idag(),
        "aktiv_menu": "borgere",
    }


@never_cache
@login_required
@require_http_methods(["GET"])
def oversigt(request, forloeb_pk):
    forloeb = hent_forloeb(request, forloeb_pk)
    audit.record_read(actor=request.user, handling="fleksjob.oversigt", borgere=[forloeb.borger_id], subject=forloeb)
    return render(request, "flexjob/oversigt.html", _oversigt_context(request, forloeb))


@never_cache
@login_required
@require_POST
def visitation_opret(request, forloeb_pk):
    forloeb = hent_forloeb(request, forloeb_pk)
    form = VisitationForm(request.POST, forloeb=forloeb)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.visitation_opret(
                actor=request.user,
                forloeb=forloeb,
                afgoerelse=data["afgoerelse"],
                baseline_timer=data["baseline_timer"],
                baseline_intensitet=data["baseline_intensitet"],
                meget_begraenset=data["meget_begraenset"],
                permanent=data["permanent"],
                ledighedsydelse_fra=data["ledighedsydelse_fra"],
                dato=data["dato"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Visitationen er registreret, og perioden med ledighedsydelse er startet.")
            return redirect("flexjob:oversigt", forloeb_pk=forloeb.pk)
    audit.record_read(actor=request.user, handling="fleksjob.oversigt", borgere=[forloeb.borger_id], subject=forloeb)
    return render(request, "flexjob/oversigt.html", _oversigt_context(request, forloeb, visitation_form=form))


@never_cache
@login_required
@require_POST
def bevilling_opret(request, forloeb_pk):
    """Register an earlier grant (an aid, personal assistance ...) the assessments can cite."""
    forloeb = hent_forloeb(request, forloeb_pk)
    form = BevillingForm(request.POST)
    if form.is_valid():
        try:
            services.bevilling_registrer(
                actor=request.user, borger=forloeb.borger, forloeb=forloeb, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Bevillingen er registreret; arbejdsevnevurderingen kan henvise til den.")
            return redirect(reverse("flexjob:oversigt", args=[forloeb.pk]) + "#bevillinger")
    audit.record_read(actor=request.user, handling="fleksjob.oversigt", borgere=[forloeb.borger_id], subject=forloeb)
    return render(request, "flexjob/oversigt.html", _oversigt_context(request, forloeb, bevilling_form=form))
