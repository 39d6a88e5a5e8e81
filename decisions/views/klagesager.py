"""Complaints (Danish UI): the list, one complaint and the next step in its order (genvurdering,
send to Ankestyrelsen, Ankestyrelsen's result), and registering a complaint about a decision.
Every change goes through :mod:`decisions.klager`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from cases.forms import add_service_errors
from cases.models import Frist
from infra import audit, datoer

from .. import klager
from ..forms import AnkeResultatForm, GenvurderForm, KlageOpretForm
from ..models import Dokument, DokumentStatus, Klage, KlageStatus
from .faelles import hent_dokument, hent_klage, laes

MAKS_KLAGER = 200


def _genvurderingsfrister(klager_liste) -> dict:
    """The genvurdering deadline of each complaint (one query): keyed by (forløb, decision)."""
    if not klager_liste:
        return {}
    rows = Frist.objects.filter(
        art="genvurdering",
        forloeb_id__in={k.forloeb_id for k in klager_liste},
        reference__in={str(k.afgoerelse_id) for k in klager_liste},
    ).order_by("start_dato", "oprettet")
    return {(f.forloeb_id, f.reference): f for f in rows}


def _frist_for(frister: dict, k: Klage):
    return frister.get((k.forloeb_id, str(k.afgoerelse_id)))


@never_cache
@login_required
@require_GET
def klager_liste(request):
    qs = klager.klager_for(request.user).select_related("forloeb__borger").order_by("-modtaget_dato", "-oprettet")
    status = request.GET.get("status", "")
    if status in KlageStatus.values:
        qs = qs.filter(status=status)
    else:
        status = ""
    rows = list(qs[: MAKS_KLAGER + 1])
    flere = len(rows) > MAKS_KLAGER
    rows = rows[:MAKS_KLAGER]
    frister = _genvurderingsfrister(rows)
    audit.record_read(actor=request.user, handling="klage.liste", borgere={k.forloeb.borger_id for k in rows})
    return render(
        request,
        "decisions/ui/klager.html",
        {
            "klager": [(k, _frist_for(frister, k)) for k in rows],
            "flere": flere,
            "maks": MAKS_KLAGER,
            "status": status,
            "statusvalg": KlageStatus.choices,
            "idag": datoer.idag(),
            "aktiv_menu": "klager",
        },
    )


def _nye_afgoerelser(k: Klage):
    return (
        Dokument.objects.filter(erstatter_id=k.afgoerelse_id).exclude(status=DokumentStatus.KLADDE).order_by("-udstedt")
    )


def _klage_context(request, k: Klage, **extra) -> dict:
    frist = _frist_for(_genvurderingsfrister([k]), k)
    kladde_erstatning = Dokument.objects.filter(erstatter_id=k.afgoerelse_id, status=DokumentStatus.KLADDE).first()
    ctx = {
        "k": k,
        "fl": k.forloeb,
        "borger": k.forloeb.borger,
        "frist": frist,
        "brev": klager.genvurdering_brev(k) if k.status != KlageStatus.MODTAGET else None,
        "kladde_erstatning": kladde_erstatning,
        "idag": datoer.idag(),
        "aktiv_menu": "klager",
    }
    if k.status == KlageStatus.MODTAGET:
        ctx["genvurder_form"] = extra.pop("genvurder_form", None) or GenvurderForm(nye_afgoerelser=_nye_afgoerelser(k))
    if k.status == KlageStatus.SENDT_TIL_ANKESTYRELSEN:
        ctx["resultat_form"] = extra.pop("resultat_form", None) or AnkeResultatForm()
    return ctx | extra


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def klage(request, pk):
    """One complaint and the next step in its order: genvurdering, send to Ankestyrelsen, result."""
    k = hent_klage(request, pk)
    if request.method == "GET":
        laes(request, "klage.laes", k.forloeb, k)
        return render(request, "decisions/ui/klage.html", _klage_context(request, k))
    handling = request.POST.get("handling", "")
    extra: dict = {}
    try:
        if handling == "genvurder":
            nye = _nye_afgoerelser(k)
            form = GenvurderForm(request.POST, nye_afgoerelser=nye)
            extra["genvurder_form"] = form
            if form.is_valid():
                ny = (
                    nye.filter(pk=form.cleaned_data["ny_afgoerelse"]).first()
                    if form.cleaned_data["ny_afgoerelse"]
                    else None
                )
                try:
                    klager.klage_genvurder(
                        actor=request.user,
                        klage=k,
                        resultat=form.cleaned_data["resultat"],
                        begrundelse=form.cleaned_data["begrundelse"],
                        ny_afgoerelse=ny,
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(
                        request,
                        "Genvurderingen er registreret. Et brev til borgeren om resultatet er oprettet som kladde.",
                    )
                    return redirect("decisions:klage", pk=k.pk)
        elif handling == "send":
            try:
                klager.klage_send_til_ankestyrelsen(actor=request.user, klage=k)
            except ValidationError as exc:
                extra["fejl"] = exc.messages
            else:
                messages.success(request, "Klagen er sendt til Ankestyrelsen. Ankepakken er dannet.")
                return redirect("decisions:klage", pk=k.pk)
        elif handling == "resultat":
            form = AnkeResultatForm(request.POST)
            extra["resultat_form"] = form
            if form.is_valid():
                try:
                    klager.klage_ankestyrelsens_resultat(actor=request.user, klage=k, **form.cleaned_data)
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, "Ankestyrelsens afgørelse er registreret.")
                    return redirect("decisions:klage", pk=k.pk)
        else:
            extra["fejl"] = ["Ukendt handling."]
    except klager.KlageFejl as exc:
        extra["fejl"] = [str(exc)]
    k.refresh_from_db()
    laes(request, "klage.laes", k.forloeb, k)
    return render(request, "decisions/ui/klage.html", _klage_context(request, k, **extra))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def klage_opret(request, dokument_pk):
    d = hent_dokument(request, dokument_pk)
    form = KlageOpretForm(request.POST or None, initial={"modtaget_dato": datoer.idag()})
    if request.method == "POST" and form.is_valid():
        try:
            k = klager.klage_modtag(
                actor=request.user,
                afgoerelse=d,
                modtaget_dato=form.cleaned_data["modtaget_dato"],
                kanal=form.cleaned_data["kanal"],
                indhold=form.cleaned_data["indhold"],
            )
        except klager.KlageFejl as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied:
            raise
        else:
            besked = "Klagen er registreret. Genvurderingen skal ske inden 4 uger."
            if k.for_sent:
                besked += " Klagen er modtaget efter klagefristen og er markeret som for sent modtaget."
            messages.success(request, besked)
            return redirect("decisions:klage", pk=k.pk)
    laes(request, "dokument.laes", d.forloeb, d)
    return render(
        request,
        "decisions/ui/klage_opret.html",
        {
            "d": d,
            "fl": d.forloeb,
            "borger": d.forloeb.borger,
            "form": form,
            "frist": klager.klagefrist_for(d),
            "aktiv_menu": "klager",
        },
    )
