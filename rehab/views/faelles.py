"""What the rehab pages share: the scoped forløb, the page frame (sub-navigation), the logged
read, and unmet conditions shown as a list with links to where each is fixed."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse

from cases import rules as cases_rules
from cases.models import Forloeb
from cases.regel_links import regel_link
from cases.selectors import forloeb_for
from cases.services import OvergangAfvist
from infra import audit

from ..models import Booking, BookingStatus


def hent_forloeb(request, pk) -> Forloeb:
    """The forløb if the user may see it; another team or municipality is a 404."""
    return get_object_or_404(forloeb_for(request.user), pk=pk)


def url_eller_tom(name: str, *args) -> str:
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


def ktx(request, idag: dt.date) -> cases_rules.Kontekst:
    return cases_rules.Kontekst(actor=request.user, data={}, dato=idag, idag=idag)


def log_laes(request, forloeb: Forloeb, handling: str, subject=None) -> None:
    audit.record_read(actor=request.user, handling=handling, borgere=[forloeb.borger], subject=subject or forloeb)


def overgang_fejl(form, exc: Exception, forloeb: Forloeb, hvad: str) -> list[dict]:
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


def side_ctx(request, forloeb: Forloeb, side: str, **extra) -> dict:
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


def aktiv_booking(forloeb: Forloeb) -> Booking | None:
    return (
        forloeb.rehab_bookinger.filter(status=BookingStatus.BOOKET)
        .select_related("moededag")
        .prefetch_related("moededag__medlemmer")
        .first()
    )
