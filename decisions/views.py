"""Caseworker pages of the decisions app (Danish UI): letters and decisions of a forløb, the editor
with live linting, PDF preview, issue and send, and complaints.

Views are thin: reads go through scoped selectors (another team's or municipality's document is a
404) and are logged with ``audit.record_read``; every change goes through a service in
:mod:`decisions.services` or :mod:`decisions.klager`. CPR numbers are shown masked only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import overgange
from cases.forms import add_service_errors
from cases.models import Frist, Tilstand
from cases.selectors import forloeb_for
from infra import audit, datoer

from . import klager, klagevejledning, lint, pdf, services
from .forms import (
    AfsendForm,
    AnkeResultatForm,
    DokumentForm,
    DokumentOpretForm,
    GenvurderForm,
    KlageOpretForm,
)
from .models import Dokument, DokumentStatus, Klage, KlageStatus
from .selectors import dokumenter_for

logger = logging.getLogger(__name__)

#: Seconds after issue before the status poll renders the PDF itself (no Celery worker running).
PDF_FALLBACK_SEKUNDER = 4
MAKS_KLAGER = 200


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _hent_forloeb(request, pk):
    return get_object_or_404(forloeb_for(request.user).select_related("borger", "team"), pk=pk)


def _hent_dokument(request, pk) -> Dokument:
    return get_object_or_404(
        dokumenter_for(request.user).select_related("forloeb__borger", "forloeb__team", "kommune"), pk=pk
    )


def _hent_klage(request, pk) -> Klage:
    return get_object_or_404(
        klager.klager_for(request.user).select_related("forloeb__borger", "afgoerelse__forloeb"), pk=pk
    )


def _laes(request, handling: str, forloeb, subject=None) -> None:
    audit.record_read(actor=request.user, handling=handling, borgere=[forloeb.borger_id], subject=subject)


def _pdf_filnavn(d: Dokument, kladde: bool = False) -> str:
    """Type and id only: never a name or a CPR number."""
    return f"{'kladde-' if kladde else ''}{d.type}-{d.pk}.pdf"


# --- letters and decisions of a forløb ----------------------------------------------------------
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def dokumenter(request, forloeb_pk):
    fl = _hent_forloeb(request, forloeb_pk)
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
    if request.method == "POST" and form.is_valid():
        try:
            d = services.dokument_opret(
                actor=request.user, forloeb=fl, type=form.cleaned_data["type"], erstatter=erstatter
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
    _laes(request, "dokument.liste", fl)
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
        "forsendelse": d.forsendelser.first(),
        "klager": list(d.klager.all()),
        "erstattet_af": getattr(d, "erstattet_af", None),
        "fakta": list(d.fakta.all()),
        "lovhenvisninger": list(d.lovhenvisninger.order_by("kode")),
        "overgang_til": _overgang_til(d),
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
    """The editor: save (optimistic locking) or issue the draft; an issued document is read-only."""
    d = _hent_dokument(request, pk)
    if request.method == "GET" or d.status != DokumentStatus.KLADDE:
        if request.method == "POST":
            messages.error(request, str(services.IkkeKladde()))
            return redirect("decisions:dokument", pk=d.pk)
        form = DokumentForm(dokument=d) if d.status == DokumentStatus.KLADDE else None
        _laes(request, "dokument.laes", d.forloeb, d)
        return render(request, "decisions/ui/dokument.html", _editor_context(request, d, form))

    form = DokumentForm(request.POST, dokument=d)
    handling = request.POST.get("handling", "gem")
    mangler = None
    if form.is_valid():
        kwargs = form.service_kwargs()
        try:
            with transaction.atomic():
                ny = services.dokument_opdater(
                    actor=request.user, dokument=d, expected_version=form.cleaned_data["version"], **kwargs
                )
                if handling == "udsted":
                    # Both or neither: a refused issue leaves the draft as it was (the form keeps the input).
                    services.dokument_udsted(actor=request.user, dokument=ny, expected_version=ny.version)
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
            if getattr(exc, "code", None) == "stale":
                form.add_error(None, "Dokumentet er ændret af en anden, siden du åbnede det. Genindlæs og prøv igen.")
            else:
                form.tilfoej_servicefejl(exc)
        else:
            if handling == "udsted":
                messages.success(request, "Dokumentet er udstedt. PDF'en dannes og kan hentes herunder.")
            else:
                messages.success(request, "Kladden er gemt.")
            return redirect("decisions:dokument", pk=d.pk)
    d.refresh_from_db()
    _laes(request, "dokument.laes", d.forloeb, d)
    extra = {"mangler": mangler} if mangler is not None else {}
    if mangler is None:
        extra["mangler"] = _lint_af_input(request, d, form)
    return render(request, "decisions/ui/dokument.html", _editor_context(request, d, form, **extra))


def _lint_af_input(request, d: Dokument, form: DokumentForm) -> list[dict]:
    """Lint the draft as it would be with the typed input, without saving anything: the change is
    made through the service inside a transaction that is rolled back."""
    if not form.is_valid():
        # Input the form cannot parse: lint what is saved (the field messages say the rest).
        return _mangel_links(form, lint.lint(d, actor=request.user))
    kwargs = form.service_kwargs()
    mangler = []
    try:
        with transaction.atomic():
            ny = services.dokument_opdater(actor=request.user, dokument=d, **kwargs)
            mangler = lint.lint(ny, actor=request.user)
            transaction.set_rollback(True)
    except ValidationError as exc:
        form.tilfoej_servicefejl(exc)
        return _mangel_links(form, lint.lint(d, actor=request.user))
    except services.IkkeKladde:
        return []
    return _mangel_links(form, mangler)


@never_cache
@login_required
@require_POST
def dokument_lint(request, pk):
    """htmx: every unmet content rule of the draft with the typed input (nothing is saved)."""
    d = _hent_dokument(request, pk)
    if d.status != DokumentStatus.KLADDE:
        return render(request, "decisions/ui/_lint.html", {"d": d, "mangler": [], "kladde": False})
    form = DokumentForm(request.POST, dokument=d)
    mangler = _lint_af_input(request, d, form)
    return render(request, "decisions/ui/_lint.html", {"d": d, "mangler": mangler, "kladde": True, "live": True})


@never_cache
@login_required
@require_GET
def dokument_forhaandsvisning(request, pk):
    """The draft rendered by the same PDF module, marked as a draft (never stored, never sent)."""
    d = _hent_dokument(request, pk)
    if d.status != DokumentStatus.KLADDE:
        return redirect("decisions:dokument_pdf", pk=d.pk)
    if d.er_afgoerelse:
        # Shown as it will read when issued today; frozen only at issue.
        d.klagevejledning = klagevejledning.tekst(
            kommune=d.kommune, jobcenter=d.forloeb.team.jobcenter, paa=datoer.idag()
        )
    markup = pdf.html(d)
    markering = (
        "<style>@page { @top-center { content: 'KLADDE – ikke udstedt'; color: #b00020; font-weight: bold; } }"
        ".kladde-markering { border: 1pt solid #b00020; color: #b00020; padding: 2mm 3mm; margin-bottom: 4mm; "
        "font-weight: bold; }</style>"
    )
    banner = (
        '<div class="kladde-markering">KLADDE – ikke udstedt. Forhåndsvisning; dokumentet er ikke sendt til '
        "borgeren og har ingen retsvirkning.</div>"
    )
    markup = markup.replace("</head>", markering + "</head>", 1).replace("<body>", "<body>" + banner, 1)
    data = pdf.render_html(markup)
    _laes(request, "dokument.forhaandsvis", d.forloeb, d)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_pdf_filnavn(d, kladde=True)}"'
    response["Cache-Control"] = "no-store"
    return response


def _sikr_pdf(d: Dokument) -> Dokument:
    """The issued document with its PDF: rendered now by the task's own service when no worker has
    done it yet (idempotent: the row lock and the stored hash make a second rendering a no-op)."""
    if d.status != DokumentStatus.KLADDE and not d.pdf_sha256:
        services.dokument_render_pdf(d.pk)
        d.refresh_from_db()
    return d


@never_cache
@login_required
@require_GET
def dokument_pdf(request, pk):
    """The issued PDF exactly as stored (download). A draft has only a preview."""
    d = _hent_dokument(request, pk)
    if d.status == DokumentStatus.KLADDE:
        return redirect("decisions:dokument_forhaandsvisning", pk=d.pk)
    d = _sikr_pdf(d)
    with d.pdf.open("rb") as fh:
        data = fh.read()
    if hashlib.sha256(data).hexdigest() != d.pdf_sha256:
        logger.error("Gemt PDF matcher ikke sin SHA-256 (dokument %s)", d.pk)
        return HttpResponse("Den gemte PDF er beskadiget. Fejlen er logget.", status=500, content_type="text/plain")
    _laes(request, "dokument.pdf_hent", d.forloeb, d)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_pdf_filnavn(d)}"'
    response["Cache-Control"] = "no-store"
    response["X-SHA256"] = d.pdf_sha256
    return response


@never_cache
@login_required
@require_GET
def dokument_pdf_status(request, pk):
    """htmx poll: "PDF'en dannes …" until the PDF exists, then the download link. If no worker has
    rendered it a few seconds after issue, it is rendered here (same idempotent service)."""
    d = _hent_dokument(request, pk)
    vent = dt.timedelta(seconds=PDF_FALLBACK_SEKUNDER)
    if d.status != DokumentStatus.KLADDE and not d.pdf_sha256 and d.udstedt and timezone.now() - d.udstedt > vent:
        d = _sikr_pdf(d)
    return render(request, "decisions/ui/_pdf_status.html", {"d": d})


@never_cache
@login_required
@require_POST
def dokument_afsend(request, pk):
    d = _hent_dokument(request, pk)
    form = AfsendForm(request.POST)
    if form.is_valid():
        try:
            d = _sikr_pdf(d)
            f = services.dokument_afsend(actor=request.user, dokument=d, kanal=form.cleaned_data["kanal"])
        except services.ForsendelseFejl as exc:
            form.add_error("kanal" if exc.kode in ("ingen_digital_post", "ingen_adresse") else None, str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Dokumentet er sendt ({f.get_kanal_display().lower()}). Borgeren anses for at have modtaget det "
                f"{datoer.dansk_dato(f.modtaget_dato)}.",
            )
            return redirect("decisions:dokument", pk=d.pk)
    d.refresh_from_db()
    _laes(request, "dokument.laes", d.forloeb, d)
    return render(request, "decisions/ui/dokument.html", _editor_context(request, d, None, afsend_form=form))


# --- complaints ---------------------------------------------------------------------------------
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
    k = _hent_klage(request, pk)
    if request.method == "GET":
        _laes(request, "klage.laes", k.forloeb, k)
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
    _laes(request, "klage.laes", k.forloeb, k)
    return render(request, "decisions/ui/klage.html", _klage_context(request, k, **extra))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def klage_opret(request, dokument_pk):
    d = _hent_dokument(request, dokument_pk)
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
    _laes(request, "dokument.laes", d.forloeb, d)
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
