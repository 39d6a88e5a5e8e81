"""Letters and decisions of a forløb (Danish UI): the list, the editor with live linting, PDF preview,
download and status, issue and send.

Views are thin: reads go through scoped selectors and are logged with ``audit.record_read``; every
change, and every PDF, goes through :mod:`decisions.services` / :mod:`decisions.bestilling`. An
issued document's PDF is rendered by the Celery task after commit; the download and the status poll
fall back to the task's own work when no worker has done it a few seconds after issue.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import overgange
from cases.forms import add_service_errors
from cases.models import Tilstand
from infra import datoer

from .. import bestilling, kassering, lint, rules, services, spoergsmaal, standardtekster, tekstbidrag
from ..forms import AfsendForm, DokumentForm, DokumentOpretForm
from ..models import Dokument, DokumentStatus, Kanal
from ..selectors import dokumenter_for
from .faelles import hent_dokument, hent_forloeb, laes

logger = logging.getLogger(__name__)

#: Seconds after issue before the status poll does the rendering task's work itself (no worker running).
PDF_FALLBACK_SEKUNDER = 4


def _pdf_filnavn(d: Dokument, kladde: bool = False) -> str:
    """Type and id only: never a name or a CPR number."""
    return f"{'kladde-' if kladde else ''}{d.type}-{d.pk}.pdf"


# --- letters and decisions of a forløb ----------------------------------------------------------
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def dokumenter(request, forloeb_pk):
    fl = hent_forloeb(request, forloeb_pk)
    erstatter = None
    erstatter_id = request.POST.get("erstatter") or request.GET.get("erstatter")
    if erstatter_id:
        try:
            erstatter = (
                dokumenter_for(request.user)
                .filter(forloeb=fl, pk=erstatter_id)
                .exclude(status=DokumentStatus.KLADDE)
                .first()
            )
        except ValidationError:
            erstatter = None
    form = DokumentOpretForm(request.POST or None, forloeb=fl, erstatter=erstatter)
    if request.method == "GET" and erstatter is None:
        foreslaaet = request.GET.get("type", "")
        if foreslaaet in dict(form.fields["type"].choices):
            form.fields["type"].initial = foreslaaet
    if request.method == "POST" and form.is_valid():
        try:
            type_ = form.cleaned_data["type"]
            d = services.dokument_opret(
                actor=request.user,
                forloeb=fl,
                type=type_,
                erstatter=erstatter,
                # A new draft starts with the type's legal basis selected (a correction keeps its own).
                lovhenvisninger=None if erstatter else rules.lovgrundlag(type_),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Kladden »{d.titel}« er oprettet.")
            return redirect("decisions:dokument", pk=d.pk)
    docs = list(
        Dokument.objects.filter(forloeb=fl)
        .select_related("erstatter")
        .prefetch_related("forsendelser", "klager")
        .order_by("-oprettet")
    )
    laes(request, "dokument.liste", fl)
    return render(
        request,
        "decisions/ui/dokumenter.html",
        {
            "fl": fl,
            "borger": fl.borger,
            "dokumenter": docs,
            "form": form,
            "erstatter": erstatter,
            "aktiv_menu": "borgere",
        },
    )


# --- the editor ---------------------------------------------------------------------------------
def _mangel_links(form: DokumentForm | None, mangler) -> list[dict]:
    """Lint findings with the id of the field to fix (for links in the list)."""
    ud = []
    for m in mangler:
        felt_id = ""
        if form is not None and m.felt:
            navn = form.felt_for(m.felt)
            if navn:
                felt_id = form[navn].id_for_label
        ud.append({"kode": m.kode, "besked": m.besked, "felt_id": felt_id})
    return ud


def _overgang_til(d: Dokument) -> str:
    """The state the forløb moves to when this draft is issued ("" if none or not possible now)."""
    overgang = lint.overgang_for(d)
    spec = overgange.SPECS[overgang] if overgang else None
    if spec is None or not spec.fra_tilstand(d.forloeb.tilstand):
        return ""
    return Tilstand(spec.maal(lint.overgang_data(d, datoer.idag()))).label


def _editor_context(request, d: Dokument, form=None, **extra) -> dict:
    fl = d.forloeb
    ctx = {
        "d": d,
        "fl": fl,
        "borger": fl.borger,
        "form": form,
        "kladde": d.status == DokumentStatus.KLADDE,
        "forsendelse": d.gaeldende_forsendelse,
        "forsendelser": list(d.forsendelser.prefetch_related("kvitteringer")),
        "klager": list(d.klager.all()),
        "erstattet_af": getattr(d, "erstattet_af", None),
        "fakta": list(d.fakta.all()),
        "lovhenvisninger": list(d.lovhenvisninger.order_by("kode")),
        "overgang_til": _overgang_til(d),
        "spoergsmaal": spoergsmaal.visning(d),
        "kan_kasseres": d.status == DokumentStatus.KLADDE and kassering.kan_kasseres(d),
        "standardtekster": standardtekster.tilbudte(d) if d.status == DokumentStatus.KLADDE else [],
        "aktiv_menu": "borgere",
    }
    if d.status != DokumentStatus.KLADDE:
        ctx["afsend_form"] = extra.pop("afsend_form", None) or AfsendForm()
    if "mangler" not in extra and d.status == DokumentStatus.KLADDE:
        extra["mangler"] = _mangel_links(form, lint.lint(d, actor=request.user))
    return ctx | extra


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def dokument(request, pk):
    """The editor: save (optimistic locking) or save and issue the draft; an issued document is read-only."""
    d = hent_dokument(request, pk)
    if request.method == "GET" or d.status != DokumentStatus.KLADDE:
        if request.method == "POST":
            messages.error(request, str(services.IkkeKladde()))
            return redirect("decisions:dokument", pk=d.pk)
        form = DokumentForm(dokument=d) if d.status == DokumentStatus.KLADDE else None
        laes(request, "dokument.laes", d.forloeb, d)
        return render(request, "decisions/ui/dokument.html", _editor_context(request, d, form))

    form = DokumentForm(request.POST, dokument=d)
    handling = request.POST.get("handling", "gem")
    udsted = handling == "udsted"
    mangler = None
    if form.is_valid():
        kwargs = form.service_kwargs()
        version = form.cleaned_data["version"]
        try:
            if udsted:
                # Both or neither: a refused issue leaves the draft as it was (the form keeps the input).
                services.dokument_gem_og_udsted(actor=request.user, dokument=d, expected_version=version, **kwargs)
            else:
                ny = services.dokument_opdater(actor=request.user, dokument=d, expected_version=version, **kwargs)
                tilfoejet = _tilfoej(request, handling, ny)
        except services.LintFejl as exc:
            mangler = _mangel_links(form, exc.mangler)
            form.add_error(
                None,
                f"Dokumentet kan ikke udstedes: {len(exc.mangler)} "
                f"{'element mangler' if len(exc.mangler) == 1 else 'elementer mangler'}. "
                "Se listen »Før dokumentet kan udstedes« nedenfor.",
            )
        except (services.ForaeldetVersion, services.IkkeKladde) as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            form.tilfoej_servicefejl(exc)
        else:
            if udsted:
                messages.success(request, "Dokumentet er udstedt. PDF'en dannes og kan hentes herunder.")
            else:
                messages.success(request, " ".join(["Kladden er gemt.", *tilfoejet]))
            return redirect("decisions:dokument", pk=d.pk)
    d.refresh_from_db()
    laes(request, "dokument.laes", d.forloeb, d)
    extra = {"mangler": mangler} if mangler is not None else {}
    if mangler is None:
        extra["mangler"] = _lint_af_input(request, d, form)
    return render(request, "decisions/ui/dokument.html", _editor_context(request, d, form, **extra))


def _tilfoej(request, handling: str, d: Dokument) -> list[str]:
    """After the save: append what the caseworker asked for (the listed facts, a standard phrase)
    and say what was added. What is written is never replaced."""
    if handling == "hent_fakta":
        antal = tekstbidrag.dokument_hent_fakta(actor=request.user, dokument=d, expected_version=d.version)
        if antal == 0:
            return ["Der var ingen nye oplysninger at hente fra partshøringen og indstillingen."]
        return [
            f"{antal} {'oplysning er' if antal == 1 else 'oplysninger er'} hentet fra partshøringen og indstillingen."
        ]
    if handling == "indsaet_standardtekst":
        try:
            s = tekstbidrag.dokument_indsaet_standardtekst(
                actor=request.user, dokument=d, standardtekst_id=request.POST.get("standardtekst"),
                expected_version=d.version,
            )  # fmt: skip
        except ValidationError as exc:
            messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
            return []
        return [f"Standardteksten »{s.titel}« er indsat under »{s.get_afsnit_display()}«."]
    return []


def _lint_af_input(request, d: Dokument, form: DokumentForm) -> list[dict]:
    """Lint the draft as it would read with the typed input, writing nothing (``lint.lint_udkast``
    on an unsaved copy). Input the save would refuse is shown on its fields, and what is saved is
    linted instead."""
    if not form.is_valid():
        # Input the form cannot parse: lint what is saved (the field messages say the rest).
        return _mangel_links(form, lint.lint(d, actor=request.user))
    kwargs = form.service_kwargs()
    fejl = services.dokument_udkast_fejl(dokument=d, **kwargs)
    if fejl:
        form.tilfoej_servicefejl(ValidationError(fejl))
        return _mangel_links(form, lint.lint(d, actor=request.user))
    return _mangel_links(form, lint.lint_udkast(d, kwargs, actor=request.user))


@never_cache
@login_required
@require_POST
def dokument_lint(request, pk):
    """htmx: every unmet content rule of the draft with the typed input (nothing is saved)."""
    d = hent_dokument(request, pk)
    if d.status != DokumentStatus.KLADDE:
        return render(request, "decisions/ui/_lint.html", {"d": d, "mangler": [], "kladde": False})
    form = DokumentForm(request.POST, dokument=d)
    mangler = _lint_af_input(request, d, form)
    return render(request, "decisions/ui/_lint.html", {"d": d, "mangler": mangler, "kladde": True, "live": True})


@never_cache
@login_required
@require_POST
def dokument_kasser(request, pk):
    """Discard a draft that will not be issued (an abandoned correction no longer blocks the next)."""
    d = hent_dokument(request, pk)
    try:
        version = int(request.POST.get("version") or "")
    except ValueError:
        version = None
    try:
        kassering.dokument_kasser(actor=request.user, dokument=d, expected_version=version)
    except (services.IkkeKladde, kassering.KanIkkeKasseres, services.ForaeldetVersion) as exc:
        messages.error(request, str(exc))
        return redirect("decisions:dokument", pk=d.pk)
    messages.success(request, f"Kladden »{d.titel}« er kasseret.")
    if d.erstatter_id:
        return redirect("decisions:dokument", pk=d.erstatter_id)
    return redirect("decisions:dokumenter", forloeb_pk=d.forloeb_id)


# --- PDF ----------------------------------------------------------------------------------------
@never_cache
@login_required
@require_GET
def dokument_forhaandsvisning(request, pk):
    """The draft rendered by the same PDF module, marked as a draft (never stored, never sent)."""
    d = hent_dokument(request, pk)
    if d.status != DokumentStatus.KLADDE:
        return redirect("decisions:dokument_pdf", pk=d.pk)
    data = services.dokument_forhaandsvisning(d)
    laes(request, "dokument.forhaandsvis", d.forloeb, d)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_pdf_filnavn(d, kladde=True)}"'
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
@require_GET
def dokument_pdf(request, pk):
    """The issued PDF exactly as stored (download). A draft has only a preview."""
    d = hent_dokument(request, pk)
    if d.status == DokumentStatus.KLADDE:
        return redirect("decisions:dokument_forhaandsvisning", pk=d.pk)
    d = bestilling.dokument_pdf_sikr(d)
    with d.pdf.open("rb") as fh:
        data = fh.read()
    if hashlib.sha256(data).hexdigest() != d.pdf_sha256:
        logger.error("Gemt PDF matcher ikke sin SHA-256 (dokument %s)", d.pk)
        return HttpResponse("Den gemte PDF er beskadiget. Fejlen er logget.", status=500, content_type="text/plain")
    laes(request, "dokument.pdf_hent", d.forloeb, d)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_pdf_filnavn(d)}"'
    response["Cache-Control"] = "no-store"
    response["X-SHA256"] = d.pdf_sha256
    return response


@never_cache
@login_required
@require_GET
def dokument_pdf_status(request, pk):
    """htmx poll: "PDF'en dannes …" until the PDF exists (and an ordered send is done), then the
    download link. If no worker has rendered it a few seconds after issue, the rendering task's work
    runs here (same idempotent service). When a send ordered while the page was open is done, the
    whole page reloads (``HX-Refresh``) to show the delivery or why it was refused."""
    d = hent_dokument(request, pk)
    vent = dt.timedelta(seconds=PDF_FALLBACK_SEKUNDER)
    if d.status != DokumentStatus.KLADDE and not d.pdf_sha256 and d.udstedt and timezone.now() - d.udstedt > vent:
        d = bestilling.dokument_pdf_sikr(d)
    response = render(request, "decisions/ui/_pdf_status.html", {"d": d})
    if request.GET.get("bestilt") and not d.afsendelse_kanal:
        response["HX-Refresh"] = "true"
    return response


@never_cache
@login_required
@require_POST
def dokument_afsend(request, pk):
    """Send the issued document: now if its PDF is stored, otherwise as soon as it is (the order is
    recorded and the rendering task sends it; the page shows the order until then)."""
    d = hent_dokument(request, pk)
    form = AfsendForm(request.POST)
    if form.is_valid():
        kanal = form.cleaned_data["kanal"]
        try:
            f = bestilling.dokument_afsend_bestil(actor=request.user, dokument=d, kanal=kanal)
        except services.ForsendelseFejl as exc:
            form.add_error("kanal" if exc.kode in ("ingen_digital_post", "ingen_adresse") else None, str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if f is None:
                messages.success(
                    request,
                    f"Dokumentet sendes ({dict(Kanal.choices)[kanal].lower()}), så snart PDF'en er dannet.",
                )
            else:
                messages.success(
                    request,
                    f"Dokumentet er sendt ({f.get_kanal_display().lower()}). Borgeren anses for at have modtaget "
                    f"det {datoer.dansk_dato(f.modtaget_dato)}.",
                )
            return redirect("decisions:dokument", pk=d.pk)
    d.refresh_from_db()
    laes(request, "dokument.laes", d.forloeb, d)
    return render(request, "decisions/ui/dokument.html", _editor_context(request, d, None, afsend_form=form))
