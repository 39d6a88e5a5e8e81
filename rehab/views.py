"""Caseworker pages of rehabilitation (Danish): the forberedende del with bilag, booking on a meeting
of the rehabiliteringsteam, the team's indstilling, partshøring, and the meeting days.

Views are thin: the forløb comes from ``cases.selectors.forloeb_for`` (another team or municipality
is a 404), every page that shows citizen data logs the read, and every change is one call of a
``rehab.services`` use case (or several inside one transaction, so nothing is saved half-way).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cases import overgange
from cases import rules as cases_rules
from cases.forms import add_service_errors
from cases.models import Forloeb, Journalnotat, Tilstand
from cases.regel_links import regel_link
from cases.selectors import forloeb_for
from cases.services import OvergangAfvist, OvergangFejl
from decisions import services as decisions_services
from decisions.models import Dokument, DokumentStatus, DokumentType
from infra import audit, datoer
from infra.fejl import ForaeldetVersion

from . import rules, selectors, services
from .forms import (
    GRUPPER,
    INDSTILLING_LABELS,
    UDFALD_VALG,
    BilagForm,
    BookingForm,
    FlytForm,
    ForberedendeDelForm,
    IndstillingForm,
    MoededagForm,
    PartshoeringSendForm,
    PartshoeringStartForm,
    PartshoeringSvarForm,
    PartshoeringUndtagForm,
    map_service_errors,
)
from .models import (
    SEKTIONER,
    TJEKLISTE,
    Bilag,
    Booking,
    BookingStatus,
    Indstilling,
    PartshoeringStatus,
)
from .services import DEL_FELTER

STALE = "Den forberedende del er ændret af en anden. Genindlæs og prøv igen."


# --- helpers ------------------------------------------------------------------------------------
def _hent_forloeb(request, pk) -> Forloeb:
    """The forløb if the user may see it; another team or municipality is a 404."""
    return get_object_or_404(forloeb_for(request.user), pk=pk)


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def mangler_liste(uopfyldte, forloeb: Forloeb) -> list[dict]:
    return [
        {"besked": m.besked, "link": url, "linktekst": tekst, "kode": m.kode}
        for m in uopfyldte
        for url, tekst in [regel_link(m.link, forloeb.pk)]
    ]


def _ktx(request, idag: dt.date) -> cases_rules.Kontekst:
    return cases_rules.Kontekst(actor=request.user, data={}, dato=idag, idag=idag)


def _log_laes(request, forloeb: Forloeb, handling: str, subject=None) -> None:
    audit.record_read(actor=request.user, handling=handling, borgere=[forloeb.borger], subject=subject or forloeb)


def _overgang_fejl(form, exc: Exception, forloeb: Forloeb, hvad: str) -> list[dict]:
    """Put a refused transition on the form; returns the unmet conditions (with links) to list."""
    if isinstance(exc, OvergangAfvist):
        antal = len(exc.uopfyldte)
        form.add_error(
            None,
            f"{hvad} kan ikke gennemføres endnu: {antal} betingelse{'r' if antal != 1 else ''} "
            "mangler (se listen nedenfor).",
        )
        return mangler_liste(exc.uopfyldte, forloeb)
    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc) or "Din rolle kan ikke udføre denne handling.")
    else:
        form.add_error(None, str(exc))
    return []


def _ctx(request, forloeb: Forloeb, side: str, **extra) -> dict:
    return {
        "forloeb": forloeb,
        "borger": forloeb.borger,
        "aktiv_side": side,
        "aktiv_menu": "borgere",
        "sider": [
            ("forberedende_del", "Forberedende del", reverse("rehab:forberedende_del", args=[forloeb.pk])),
            ("booking", "Møde i rehabiliteringsteamet", reverse("rehab:booking", args=[forloeb.pk])),
            ("indstilling", "Indstilling", reverse("rehab:indstilling", args=[forloeb.pk])),
            ("partshoering", "Partshøring", reverse("rehab:partshoering", args=[forloeb.pk])),
        ],
        **extra,
    }


def _aktiv_booking(forloeb: Forloeb) -> Booking | None:
    return (
        forloeb.rehab_bookinger.filter(status=BookingStatus.BOOKET)
        .select_related("moededag")
        .prefetch_related("moededag__medlemmer")
        .first()
    )


# --- 1. forberedende del --------------------------------------------------------------------------
def _del_initial(fd) -> dict:
    if fd is None:
        return {"version": 0}

    return {navn: getattr(fd, navn) for navn in DEL_FELTER} | {"version": fd.version, "del_id": fd.pk}


def _gem_forberedende_del(request, forloeb: Forloeb, form: ForberedendeDelForm):
    """Create (first save) and update the forberedende del in one transaction."""
    version = form.cleaned_data["version"]
    del_id = form.cleaned_data.get("del_id")
    with transaction.atomic():
        # Serialise the first save of a forløb's forberedende del.
        list(Forloeb.objects.select_for_update().filter(pk=forloeb.pk).values_list("pk", flat=True))
        aktuel = rules.aktuel_del(forloeb)
        if version == 0:
            if aktuel is not None:
                raise ValidationError(STALE, code="stale")
            aktuel = services.forberedende_del_opret(actor=request.user, forloeb=forloeb)
            version = aktuel.version
        elif aktuel is None or aktuel.pk != del_id:
            raise ValidationError(STALE, code="stale")
        return services.forberedende_del_opdater(
            actor=request.user, forberedende_del=aktuel, expected_version=version, **form.felter()
        )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def forberedende_del(request, forloeb_pk):
    fl = _hent_forloeb(request, forloeb_pk)
    url = reverse("rehab:forberedende_del", args=[fl.pk])
    form = bilag_form = None
    if request.method == "POST":
        handling = request.POST.get("handling", "gem")
        if handling == "bilag":
            bilag_form = BilagForm(request.POST, request.FILES, prefix="bilag")
            if bilag_form.is_valid():
                try:
                    with transaction.atomic():
                        fd = rules.aktuel_del(fl) or services.forberedende_del_opret(actor=request.user, forloeb=fl)
                        b = services.bilag_tilfoej(actor=request.user, forberedende_del=fd, **bilag_form.cleaned_data)
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
            if form.is_valid():
                try:
                    _gem_forberedende_del(request, fl, form)
                except ForaeldetVersion as exc:
                    form.add_error(None, str(exc))
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, "Den forberedende del er gemt.")
                    return redirect(url)

    fd = rules.aktuel_del(fl)
    if form is None:
        form = ForberedendeDelForm(initial=_del_initial(fd))
    if bilag_form is None:
        bilag_form = BilagForm(prefix="bilag")
    idag = datoer.idag()
    mangler = mangler_liste(
        cases_rules.uopfyldte("forelaeg_rehabiliteringsteam", fl, _ktx(request, idag), uden_input=True), fl
    )
    bilag = list(fd.bilag.all()) if fd else []
    # A del already presented to the team: a new presentation starts a new one (keeps what the team saw).
    forelagt = fd is not None and fl.rehab_bookinger.filter(oprettet__gt=fd.oprettet).exists()
    _log_laes(request, fl, "forberedende_del.laes", subject=fd)
    return render(
        request,
        "rehab/forberedende_del.html",
        _ctx(
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
            forelagt=forelagt,
            kan_forelaegges=fl.tilstand == Tilstand.FORBEREDENDE_PLAN,
        ),
    )


# --- 2. booking ---------------------------------------------------------------------------------
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


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def booking(request, forloeb_pk):
    fl = _hent_forloeb(request, forloeb_pk)
    idag = datoer.idag()
    varsel = cases_rules.moede_varsel_dage(fl.kommune_id, idag)
    genforelaeg = fl.tilstand == Tilstand.INDSTILLING
    overgang = "genforelaeg" if genforelaeg else "forelaeg_rehabiliteringsteam"
    aktiv = _aktiv_booking(fl)
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
            hindringer = mangler_liste(cases_rules.uopfyldte(overgang, fl, _ktx(request, idag), uden_input=True), fl)

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
                afvist = _overgang_fejl(form, exc, fl, "Flytningen")
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
                afvist = _overgang_fejl(form, exc, fl, "Forelæggelsen")
            else:
                messages.success(
                    request,
                    f"{fl.borger.navn} er booket til mødet i rehabiliteringsteamet {b.moededag.dato:%d.%m.%Y}, "
                    "og sagen er forelagt teamet. Et udkast til indkaldelse er oprettet.",
                )
                return redirect("rehab:booking", forloeb_pk=fl.pk)
    if form is None and kan_flyttes:
        form = FlytForm(dage=dage, nuvaerende=aktiv.moededag_id)
    elif form is None and aktiv is None and not hindringer:
        form = BookingForm(dage=dage, genforelaeg=genforelaeg)

    indkaldelse = None
    if aktiv is not None:
        indkaldelse = (
            Dokument.objects.filter(
                forloeb=fl, type=DokumentType.INDKALDELSE_REHABILITERINGSMOEDE, data__booking=str(aktiv.pk)
            )
            .order_by("-oprettet")
            .first()
        )
    tidligere = list(
        fl.rehab_bookinger.exclude(status=BookingStatus.BOOKET).select_related("moededag").order_by("-oprettet")
    )
    _log_laes(request, fl, "booking.laes", subject=aktiv)
    return render(
        request,
        "rehab/booking.html",
        _ctx(
            request,
            fl,
            "booking",
            form=form,
            dage=dage,
            varsel=varsel,
            aktiv=aktiv,
            indkaldelse=indkaldelse,
            indkaldelse_url=_url("decisions:dokument", indkaldelse.pk) if indkaldelse else "",
            hindringer=hindringer,
            afvist=afvist,
            genforelaeg=genforelaeg,
            flyt=kan_flyttes,
            tidligere=tidligere,
            valgt=form["moededag"].value() if form is not None else None,
        ),
    )


# --- 3. indstilling -----------------------------------------------------------------------------
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def indstilling(request, forloeb_pk):
    fl = _hent_forloeb(request, forloeb_pk)
    idag = datoer.idag()
    aktiv = _aktiv_booking(fl)
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
                afvist = _overgang_fejl(form, exc, fl, "Registreringen af indstillingen")
            else:
                if ind.udfald == "udsaettelse":
                    messages.success(request, "Udsættelsen er registreret. Forløbet er tilbage i forberedende plan.")
                else:
                    messages.success(request, "Indstillingen er registreret. Næste skridt er partshøring.")
                return redirect("rehab:indstilling", forloeb_pk=fl.pk)
    if form is None and kan_registrere:
        moede = fl.rehab_moede_dato
        form = IndstillingForm(initial={"dato": moede if moede and moede <= idag else idag})

    indstillinger = list(fl.indstillinger.order_by("-dato", "-oprettet"))
    for ind in indstillinger:
        ind.udfald_label = dict(UDFALD_VALG).get(ind.udfald, ind.udfald)
        ind.indhold = [
            (INDSTILLING_LABELS[navn], getattr(ind, navn))
            for _, _, _, navne in GRUPPER
            for navn in navne
            if getattr(ind, navn) not in ("", False, None)
        ]
    _log_laes(request, fl, "indstilling.laes", subject=indstillinger[0] if indstillinger else None)
    return render(
        request,
        "rehab/indstilling.html",
        _ctx(
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


# --- 4. partshøring -----------------------------------------------------------------------------
def _kilder(forloeb: Forloeb) -> list[tuple[str, str]]:
    """What a point in the partshøring may rest on: documents of this forløb (decisions.kilder)."""
    out = [
        (f"indstilling:{i.pk}", f"Rehabiliteringsteamets indstilling {i.dato:%d.%m.%Y}")
        for i in Indstilling.objects.filter(forloeb=forloeb).order_by("-dato", "-oprettet")
    ]

    out += [
        (f"bilag:{b.pk}", f"{b.get_type_display()}: {b.titel} ({b.dokument_dato:%d.%m.%Y})")
        for b in Bilag.objects.filter(forberedende_del__forloeb=forloeb).order_by("-dokument_dato")
    ]
    out += [
        (f"dokument:{d.pk}", f"{d.get_type_display()} ({d.udstedt:%d.%m.%Y})")
        for d in Dokument.objects.filter(forloeb=forloeb).exclude(status=DokumentStatus.KLADDE).order_by("-udstedt")
        if d.udstedt
    ]
    out += [
        (f"journalnotat:{n.pk}", f"Journalnotat: {n.overskrift} ({n.oprettet:%d.%m.%Y})")
        for n in Journalnotat.objects.filter(forloeb=forloeb).order_by("-oprettet")
    ]
    return out


def _send_partshoering(request, ph, kanal: str):
    """Issue the draft letter, render its PDF and send it — all or nothing. Sending starts the reply
    deadline (rehab.services registers the event when the letter is sent)."""
    with transaction.atomic():
        brev = decisions_services.dokument_udsted(actor=request.user, dokument=ph.brev)
        decisions_services.dokument_render_pdf(brev.pk)
        return decisions_services.dokument_afsend(actor=request.user, dokument=brev, kanal=kanal)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def partshoering(request, forloeb_pk):
    fl = _hent_forloeb(request, forloeb_pk)
    idag = datoer.idag()
    seneste = fl.partshoeringer.select_related("brev").order_by("-oprettet").first()
    status = seneste.status if seneste else ""
    kilder = _kilder(fl)
    start_form = undtag_form = send_form = svar_form = None
    fejl_mangler: list[str] = []

    if request.method == "POST":
        handling = request.POST.get("handling", "")
        url = reverse("rehab:partshoering", args=[fl.pk])
        if handling == "start":
            start_form = PartshoeringStartForm(request.POST, kilder=kilder)
            if start_form.is_valid():
                grundlag, navne = start_form.grundlag()
                try:
                    services.partshoering_opret(
                        actor=request.user, forloeb=fl, grundlag=grundlag, tekst=start_form.cleaned_data["tekst"]
                    )
                except ValidationError as exc:
                    map_service_errors(start_form, exc, navne)
                else:
                    messages.success(request, "Partshøringsbrevet er oprettet som udkast. Udsted og send det nedenfor.")
                    return redirect(url)
        elif handling == "undtag":
            undtag_form = PartshoeringUndtagForm(request.POST, prefix="undtag")
            if undtag_form.is_valid():
                try:
                    services.partshoering_undtag(actor=request.user, forloeb=fl, **undtag_form.cleaned_data)
                except ValidationError as exc:
                    add_service_errors(undtag_form, exc)
                else:
                    messages.success(request, "Det er registreret, at partshøring undlades, med begrundelsen.")
                    return redirect(url)
        elif handling == "send" and status == PartshoeringStatus.KLADDE:
            send_form = PartshoeringSendForm(request.POST, prefix="send")
            if send_form.is_valid():
                try:
                    f = _send_partshoering(request, seneste, send_form.cleaned_data["kanal"])
                except ValidationError as exc:
                    add_service_errors(send_form, exc)
                except decisions_services.LintFejl as exc:
                    send_form.add_error(None, str(exc))
                    fejl_mangler = [m.besked for m in exc.mangler]
                except (decisions_services.DokumentFejl, PermissionDenied) as exc:
                    send_form.add_error(None, str(exc) or "Du kan ikke sende brevet.")
                else:
                    seneste.refresh_from_db()
                    frist = f" Svarfristen er {seneste.svarfrist:%d.%m.%Y}." if seneste.svarfrist else ""
                    messages.success(request, f"Partshøringsbrevet er sendt ({f.get_kanal_display()}).{frist}")
                    return redirect(url)
        elif handling == "svar" and status == PartshoeringStatus.SENDT:
            svar_form = PartshoeringSvarForm(request.POST, prefix="svar")
            if svar_form.is_valid():
                try:
                    services.partshoering_svar(actor=request.user, partshoering=seneste, **svar_form.cleaned_data)
                except ValidationError as exc:
                    add_service_errors(svar_form, exc)
                else:
                    messages.success(request, "Borgerens svar på partshøringen er registreret.")
                    return redirect(url)
        else:
            messages.error(request, "Partshøringen er ændret, siden du hentede siden. Se den aktuelle status.")
            return redirect(url)

    aaben = status in (PartshoeringStatus.KLADDE, PartshoeringStatus.SENDT)
    if not aaben:
        start_form = start_form or PartshoeringStartForm(
            kilder=kilder, initial={"kilde_1": kilder[0][0]} if kilder else None
        )
        undtag_form = undtag_form or PartshoeringUndtagForm(prefix="undtag")
    elif status == PartshoeringStatus.KLADDE:
        kanal = "digital_post" if fl.borger.digital_post == "tilmeldt" else "udleveret"
        send_form = send_form or PartshoeringSendForm(initial={"kanal": kanal}, prefix="send")
    else:
        svar_form = svar_form or PartshoeringSvarForm(initial={"dato": idag}, prefix="svar")

    historik = list(fl.partshoeringer.select_related("brev").order_by("-oprettet"))
    ind = fl.indstillinger.order_by("-dato", "-oprettet").first()
    _log_laes(request, fl, "partshoering.laes", subject=seneste)
    return render(
        request,
        "rehab/partshoering.html",
        _ctx(
            request,
            fl,
            "partshoering",
            seneste=seneste,
            historik=historik,
            start_form=start_form,
            undtag_form=undtag_form,
            send_form=send_form,
            svar_form=svar_form,
            fejl_mangler=fejl_mangler,
            brev_url=_url("decisions:dokument", seneste.brev_id) if seneste and seneste.brev_id else "",
            indstilling=ind,
            indstilling_label=dict(UDFALD_VALG).get(ind.udfald, ind.udfald) if ind else "",
            har_kilder=bool(kilder),
        ),
    )


# --- 5. mødedage --------------------------------------------------------------------------------
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
