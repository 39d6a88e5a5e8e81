"""Partshøring (Danish UI): the letter listing what the decision will rest on, sending it, the
citizen's reply, or a recorded exception.

"Udsted og send" is one use case (``rehab.services.partshoering_send``): the letter is issued and its
send is ordered with the chosen channel. Its PDF is rendered by the decisions app's Celery task after
commit, never in this request; the letter goes out when the PDF is stored, and the reply deadline
runs from that day. Until then the page says so and polls :func:`partshoering_status`, which reloads
the page once the letter is sent (or its send was refused, with the reason and the form again).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from cases.forms import add_service_errors
from cases.models import Forloeb, Journalnotat
from decisions import services as decisions_services
from decisions.models import Dokument, DokumentStatus, DokumentType
from infra import datoer

from .. import services
from ..forms import (
    UDFALD_VALG,
    PartshoeringSendForm,
    PartshoeringStartForm,
    PartshoeringSvarForm,
    PartshoeringUndtagForm,
    map_service_errors,
)
from ..models import Bilag, Indstilling, Partshoering, PartshoeringStatus
from .faelles import hent_forloeb, log_laes, side_ctx, url_eller_tom


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


#: The decision that follows the team's indstilling (the caseworker may still choose another).
AFGOERELSE_EFTER_INDSTILLING = {
    "fleksjob": DokumentType.FLEKSJOB_VISITATION.value,
    "ressourceforloeb": DokumentType.RESSOURCEFORLOEB_BEVILLING.value,
    "foertidspension": DokumentType.OVERGANG_PENSION.value,
    "anden_indsats": DokumentType.ANDEN_INDSATS.value,
}


def _sendes(ph: Partshoering | None) -> bool:
    """The letter is issued and its send ordered: it goes out when its PDF is stored."""
    return bool(ph and ph.status == PartshoeringStatus.KLADDE and ph.brev and ph.brev.afsendelse_kanal)


def _send(request, ph: Partshoering, form: PartshoeringSendForm) -> list[str]:
    """Issue and send (or order the send); errors go on the form. Returns a refused letter's lint findings."""
    try:
        ph = services.partshoering_send(actor=request.user, partshoering=ph, kanal=form.cleaned_data["kanal"])
    except ValidationError as exc:
        add_service_errors(form, exc)
    except decisions_services.LintFejl as exc:
        form.add_error(None, str(exc))
        return [m.besked for m in exc.mangler]
    except decisions_services.ForsendelseFejl as exc:
        form.add_error("kanal" if exc.kode in ("ingen_digital_post", "ingen_adresse") else None, str(exc))
    except (decisions_services.DokumentFejl, PermissionDenied) as exc:
        form.add_error(None, str(exc) or "Du kan ikke sende brevet.")
    else:
        if ph.status == PartshoeringStatus.SENDT:
            frist = f" Svarfristen er {ph.svarfrist:%d.%m.%Y}." if ph.svarfrist else ""
            messages.success(
                request, f"Partshøringsbrevet er sendt ({ph.brev.gaeldende_forsendelse.get_kanal_display()}).{frist}"
            )
        else:
            messages.success(
                request,
                f"Partshøringsbrevet er udstedt og sendes ({ph.brev.get_afsendelse_kanal_display()}), så snart "
                "PDF'en er dannet. Svarfristen løber fra afsendelsen.",
            )
    return []


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def partshoering(request, forloeb_pk):
    fl = hent_forloeb(request, forloeb_pk)
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
        elif handling == "send" and status == PartshoeringStatus.KLADDE and not _sendes(seneste):
            send_form = PartshoeringSendForm(request.POST, prefix="send")
            if send_form.is_valid():
                fejl_mangler = _send(request, seneste, send_form)
                if not send_form.errors:
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
    elif status == PartshoeringStatus.KLADDE and not _sendes(seneste):
        # No default channel: one click must never record a handover that did not happen.
        send_form = send_form or PartshoeringSendForm(prefix="send")
    elif status == PartshoeringStatus.SENDT:
        svar_form = svar_form or PartshoeringSvarForm(initial={"dato": idag}, prefix="svar")

    historik = list(fl.partshoeringer.select_related("brev").order_by("-oprettet"))
    ind = fl.indstillinger.order_by("-dato", "-oprettet").first()
    naeste_url = naeste_type = ""
    if status in (PartshoeringStatus.BESVARET, PartshoeringStatus.UNDTAGET):
        # Every step ends with the next: the decision the indstilling points to, its draft created
        # by one click (the decisions page checks the type); any other type from the choice page.
        naeste_url = url_eller_tom("decisions:dokumenter", fl.pk)
        if naeste_url and ind and ind.udfald in AFGOERELSE_EFTER_INDSTILLING:
            naeste_type = AFGOERELSE_EFTER_INDSTILLING[ind.udfald]
    log_laes(request, fl, "partshoering.laes", subject=seneste)
    return render(
        request,
        "rehab/partshoering.html",
        side_ctx(
            request,
            fl,
            "partshoering",
            seneste=seneste,
            sendes=_sendes(seneste),
            brev_udstedt=bool(seneste and seneste.brev and seneste.brev.status != DokumentStatus.KLADDE),
            historik=historik,
            start_form=start_form,
            undtag_form=undtag_form,
            send_form=send_form,
            svar_form=svar_form,
            fejl_mangler=fejl_mangler,
            brev_url=url_eller_tom("decisions:dokument", seneste.brev_id) if seneste and seneste.brev_id else "",
            indstilling=ind,
            indstilling_label=dict(UDFALD_VALG).get(ind.udfald, ind.udfald) if ind else "",
            har_kilder=bool(kilder),
            naeste_url=naeste_url,
            naeste_type=naeste_type,
            naeste_type_label=DokumentType(naeste_type).label if naeste_type else "",
        ),
    )


@never_cache
@login_required
@require_GET
def partshoering_status(request, forloeb_pk):
    """htmx poll while the letter waits for its PDF: the same fragment until it is sent (or its send
    was refused), then ``HX-Refresh`` so the page shows the reply deadline (or the reason and the form).
    It renders nothing and sends nothing: the rendering task does both."""
    fl = hent_forloeb(request, forloeb_pk)
    seneste = fl.partshoeringer.select_related("brev").order_by("-oprettet").first()
    response = render(request, "rehab/_partshoering_sendes.html", {"forloeb": fl, "seneste": seneste})
    if not _sendes(seneste):
        response["HX-Refresh"] = "true"
    return response
