"""The rehabiliteringsteam's meetings (Danish UI): booking a forløb on a meeting day (the
presentation to the team), moving a booked meeting, and the meeting days with their capacity.

A day the page shows as full or too close is still a valid choice of the form: the service refuses
it with the rule's own message and code (``rehab.moede_varsel``), exactly as ``POST /api/v1/bookinger/``.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cases import overgange
from cases import rules as cases_rules
from cases.forms import add_service_errors
from cases.models import Forloeb, Tilstand
from cases.selectors import forloeb_for
from cases.services import OvergangFejl
from decisions.models import Dokument, DokumentType
from infra import audit, datoer

from .. import selectors, services
from ..forms import BookingForm, FlytForm, MoededagForm, map_service_errors
from ..models import Booking, BookingStatus
from .faelles import aktiv_booking, hent_forloeb, ktx, log_laes, mangler_liste, overgang_fejl, side_ctx, url_eller_tom


def _kommende_dage(request, forloeb: Forloeb, idag: dt.date, varsel: int) -> list:
    dage = list(
        selectors.moededage_for(request.user)
        .filter(kommune_id=forloeb.kommune_id, dato__gte=idag)
        .annotate(optaget=Count("bookinger", filter=~Q(bookinger__status=BookingStatus.AFLYST)))
        .prefetch_related("medlemmer")
        .order_by("dato", "sted")[:40]
    )
    for d in dage:
        d.ledige = max(d.kapacitet - d.optaget, 0)
        d.for_kort_varsel = (d.dato - idag).days < varsel
        d.kan_bookes = d.ledige > 0 and not d.for_kort_varsel
    return dage


def _indkaldelse(fl: Forloeb, booking) -> Dokument | None:
    return (
        Dokument.objects.filter(
            forloeb=fl, type=DokumentType.INDKALDELSE_REHABILITERINGSMOEDE, data__booking=str(booking.pk)
        )
        .order_by("-oprettet")
        .first()
    )


def _indkaldelse_url(fl: Forloeb, booking) -> str:
    """The draft summons of a new booking (its page issues and sends it), or ""."""
    dok = _indkaldelse(fl, booking)
    if dok is None or dok.status != "kladde":
        return ""
    return url_eller_tom("decisions:dokument", dok.pk)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def booking(request, forloeb_pk):
    fl = hent_forloeb(request, forloeb_pk)
    idag = datoer.idag()
    varsel = cases_rules.moede_varsel_dage(fl.kommune_id, idag)
    genforelaeg = fl.tilstand == Tilstand.INDSTILLING
    overgang = "genforelaeg" if genforelaeg else "forelaeg_rehabiliteringsteam"
    aktiv = aktiv_booking(fl)
    dage = _kommende_dage(request, fl, idag, varsel)

    hindringer: list[dict] = []
    if aktiv is None:
        if fl.tilstand not in (Tilstand.FORBEREDENDE_PLAN, Tilstand.INDSTILLING):
            hindringer.append(
                {
                    "besked": f"Forløbet er i fasen »{fl.get_tilstand_display()}«. Sagen kan forelægges "
                    "rehabiliteringsteamet fra forberedende plan (eller genforelægges efter en indstilling).",
                    "link": reverse("cases:borger_detail", args=[fl.borger_id]),
                }
            )
        elif not overgange.SPECS[overgang].rolle_maa(request.user):
            hindringer.append({"besked": "Din rolle kan ikke forelægge sager for rehabiliteringsteamet.", "link": ""})
        else:
            hindringer = mangler_liste(cases_rules.uopfyldte(overgang, fl, ktx(request, idag), uden_input=True), fl)

    form = None
    afvist: list[dict] = []
    kan_flyttes = aktiv is not None and fl.tilstand == Tilstand.REHABILITERINGSTEAM and aktiv.moededag.dato >= idag
    if request.method == "POST" and kan_flyttes:
        form = FlytForm(request.POST, dage=dage, nuvaerende=aktiv.moededag_id)
        if form.is_valid():
            try:
                b = services.moede_flyt(
                    actor=request.user,
                    booking=aktiv,
                    moededag=form.valgt_dag(),
                    aarsag=form.cleaned_data["aarsag"],
                    tidspunkt=form.cleaned_data["tidspunkt"],
                    idag=idag,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied as exc:
                afvist = overgang_fejl(form, exc, fl, "Flytningen")
            else:
                messages.success(
                    request,
                    f"Mødet er flyttet til {b.moededag.dato:%d.%m.%Y}. Den gamle plads er frigivet, "
                    "og et udkast til en ny indkaldelse er oprettet.",
                )
                return redirect("rehab:booking", forloeb_pk=fl.pk)
    elif request.method == "POST":
        if aktiv is not None:
            messages.error(request, "Forløbet har allerede en booket plads på en mødedag.")
            return redirect("rehab:booking", forloeb_pk=fl.pk)
        form = BookingForm(request.POST, dage=dage, genforelaeg=genforelaeg)
        if form.is_valid():
            try:
                b = services.moede_book(
                    actor=request.user,
                    forloeb=fl,
                    moededag=form.valgt_dag(),
                    tidspunkt=form.cleaned_data["tidspunkt"],
                    genforelaeg_begrundelse=form.cleaned_data.get("genforelaeg_begrundelse", ""),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except (OvergangFejl, PermissionDenied) as exc:
                afvist = overgang_fejl(form, exc, fl, "Forelæggelsen")
            else:
                messages.success(
                    request,
                    f"{fl.borger.navn} er booket til mødet i rehabiliteringsteamet {b.moededag.dato:%d.%m.%Y}, "
                    "og sagen er forelagt teamet. Udsted og send indkaldelsen nu.",
                )
                # The next step at once: the summons' draft, to issue and send.
                return redirect(_indkaldelse_url(fl, b) or reverse("rehab:booking", args=[fl.pk]))
    if form is None and kan_flyttes:
        form = FlytForm(dage=dage, nuvaerende=aktiv.moededag_id)
    elif form is None and aktiv is None and not hindringer:
        form = BookingForm(dage=dage, genforelaeg=genforelaeg)

    indkaldelse = None
    if aktiv is not None:
        indkaldelse = _indkaldelse(fl, aktiv)
    tidligere = list(
        fl.rehab_bookinger.exclude(status=BookingStatus.BOOKET).select_related("moededag").order_by("-oprettet")
    )
    log_laes(request, fl, "booking.laes", subject=aktiv)
    return render(
        request,
        "rehab/booking.html",
        side_ctx(
            request,
            fl,
            "booking",
            form=form,
            dage=dage,
            varsel=varsel,
            aktiv=aktiv,
            indkaldelse=indkaldelse,
            indkaldelse_url=url_eller_tom("decisions:dokument", indkaldelse.pk) if indkaldelse else "",
            hindringer=hindringer,
            afvist=afvist,
            genforelaeg=genforelaeg,
            flyt=kan_flyttes,
            tidligere=tidligere,
            valgt=form["moededag"].value() if form is not None else None,
            ingen_bookbare=not any(d.kan_bookes for d in dage),
            kan_oprette_moededage=getattr(request.user, "rolle", None) in services.PLANLAEGGERE,
        ),
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def moeder(request):
    idag = datoer.idag()
    planlaegger = getattr(request.user, "rolle", None) in services.PLANLAEGGERE
    form = None
    if request.method == "POST":
        if not planlaegger:
            raise PermissionDenied("Kun teamlederen eller mødelederen kan oprette mødedage.")
        form = MoededagForm(request.POST)
        if form.is_valid():
            medlemmer, navne = form.medlemmer()
            data = form.cleaned_data
            try:
                dag = services.moededag_opret(
                    actor=request.user,
                    dato=data["dato"],
                    kapacitet=data["kapacitet"],
                    sted=data["sted"],
                    moedeleder=request.user if request.user.rolle == "moedeleder" else None,
                    medlemmer=medlemmer,
                )
            except ValidationError as exc:
                map_service_errors(form, exc, navne)
            else:
                messages.success(request, f"Mødedagen {dag.dato:%d.%m.%Y} er oprettet.")
                return redirect("rehab:moeder")
    if form is None and planlaegger:
        form = MoededagForm()

    vis_tidligere = request.GET.get("vis") == "tidligere"
    synlige = forloeb_for(request.user).values("pk")
    aktive = ~Q(status=BookingStatus.AFLYST)
    qs = selectors.moededage_for(request.user).select_related("moedeleder")
    qs = qs.filter(dato__lt=idag).order_by("-dato") if vis_tidligere else qs.filter(dato__gte=idag).order_by("dato")
    dage = list(
        qs.annotate(
            optaget=Count("bookinger", filter=~Q(bookinger__status=BookingStatus.AFLYST)),
            egne=Count(
                "bookinger",
                filter=~Q(bookinger__status=BookingStatus.AFLYST) & Q(bookinger__forloeb__in=synlige),
            ),
        ).prefetch_related(
            "medlemmer",
            Prefetch(
                "bookinger",
                queryset=Booking.objects.filter(aktive, forloeb__in=synlige)
                .select_related("forloeb__borger", "forloeb__sagsbehandler")
                .order_by("tidspunkt", "oprettet"),
                to_attr="synlige_bookinger",
            ),
        )[:60]
    )
    borgere = []
    for d in dage:
        d.ledige = max(d.kapacitet - d.optaget, 0)
        d.andre = d.optaget - d.egne
        d.fyldt_pct = min(100, round(100 * d.optaget / d.kapacitet)) if d.kapacitet else 100
        borgere += [b.forloeb.borger for b in d.synlige_bookinger]
    audit.record_read(actor=request.user, handling="booking.liste", borgere=borgere)
    return render(
        request,
        "rehab/moeder.html",
        {
            "dage": dage,
            "form": form,
            "planlaegger": planlaegger,
            "vis_tidligere": vis_tidligere,
            "aktiv_menu": "moeder",
        },
    )
