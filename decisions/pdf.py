"""PDF rendering with WeasyPrint that cannot read local files or the network.

Everything a user typed is escaped by the Django template engine (autoescape), so an
``<img src="file:///etc/passwd">`` typed into a journal note or a fact renders as text. As a second
wall, the renderer's URL fetcher refuses every URL (file://, http(s)://, data: included) before
anything is opened: should markup ever reach the HTML unescaped, the resource is left out and
nothing is read or fetched.

WeasyPrint (≥ 66) expects a ``URLFetcher`` instance: a plain function as ``url_fetcher`` makes it
crash with ``AttributeError`` on the first URL instead of refusing it, hence the subclass.
"""

from __future__ import annotations

import hashlib
import logging
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from infra import audit, datoer
from infra.logging import mask_text

from . import klagevejledning, lint, spoergsmaal
from .models import Dokument, DokumentStatus, DokumentType

logger = logging.getLogger(__name__)


class IngenHentning(URLFetcher):
    """A URL fetcher that fetches nothing: every URL is refused (non-fatally, the element is omitted)."""

    def __init__(self):
        super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)
        self.afviste: list[str] = []

    def fetch(self, url, headers=None):
        self.afviste.append(url[:200])
        logger.warning("PDF-dannelse: hentning af ekstern ressource afvist (%s)", url.split(":", 1)[0])
        raise ValueError("fetching is disabled for document rendering")


def _tal(v) -> str:
    d = Decimal(str(v))
    return (f"{d:f}".rstrip("0").rstrip(".") if "." in f"{d:f}" else f"{d:f}").replace(".", ",")


def _visitation(dokument) -> dict | None:
    """The visitation decision's assessed capacity, as the letter states it."""
    if dokument.type != DokumentType.FLEKSJOB_VISITATION:
        return None
    data = dokument.data or {}
    try:
        timer = Decimal(str(data.get("baseline_timer")))
        intensitet = int(str(data.get("baseline_intensitet")))
    except (InvalidOperation, TypeError, ValueError):
        return None
    effektive = (timer * intensitet / Decimal(100)).quantize(Decimal("0.01"))
    return {
        "timer": _tal(timer),
        "intensitet": intensitet,
        "effektive": f"{effektive:.2f}".replace(".", ","),
        "permanent": bool(data.get("permanent")),
        "meget_begraenset": bool(data.get("meget_begraenset")),
    }


def html(dokument) -> str:
    borger = dokument.forloeb.borger
    jobcenter = dokument.forloeb.team.jobcenter
    markup = render_to_string(
        "decisions/pdf/dokument.html",
        {
            "d": dokument,
            "borger": borger,
            "kommune": dokument.kommune,
            "jobcenter": jobcenter,
            "fakta": list(dokument.fakta.all()),
            "lovhenvisninger": list(dokument.lovhenvisninger.order_by("kode")),
            "afgoerelse": dokument.er_afgoerelse,
            "spoergsmaal": spoergsmaal.visning(dokument),
            "visitation": _visitation(dokument),
            "status_udfald": lint.STATUS_UDFALD.get((dokument.data or {}).get("status_udfald", "")),
        },
    )
    # A letter never needs a full CPR: anything CPR-shaped a caseworker typed (a fact, a note title)
    # is masked to DDMMYY-****, like everywhere else the product shows a CPR.
    return mask_text(markup)


def render_html(markup: str) -> bytes:
    """Render HTML to PDF without any file or network access (``base_url=None``, refusing fetcher)."""
    return HTML(string=markup, base_url=None, url_fetcher=IngenHentning()).write_pdf()


def render(dokument) -> bytes:
    return render_html(html(dokument))


KLADDE_STIL = (
    "<style>@page { @top-center { content: 'KLADDE – ikke udstedt'; color: #b00020; font-weight: bold;"
    " font-family: 'DejaVu Sans', sans-serif; } }"
    ".kladde-markering { border: 1pt solid #b00020; color: #b00020; padding: 2mm 3mm; margin-bottom: 4mm; "
    "font-weight: bold; }</style>"
)
KLADDE_BANNER = (
    '<div class="kladde-markering">KLADDE – ikke udstedt. Forhåndsvisning; dokumentet er ikke sendt til '
    "borgeren og har ingen retsvirkning.</div>"
)


def dokument_forhaandsvisning(dokument) -> bytes:
    """The draft rendered as it reads today, marked as a draft on every page. Never stored, never
    sent: the caseworker's preview (the one PDF rendered while a page waits; it writes nothing)."""
    if dokument.status != DokumentStatus.KLADDE:
        raise ValueError("only a draft has a preview")
    if dokument.er_afgoerelse:
        # Shown as it will read when issued today (in memory only; it is frozen at issue).
        dokument.klagevejledning = klagevejledning.tekst(
            kommune=dokument.kommune, jobcenter=dokument.forloeb.team.jobcenter, paa=datoer.idag()
        )
    markup = html(dokument)
    markup = markup.replace("</head>", KLADDE_STIL + "</head>", 1).replace("<body>", "<body>" + KLADDE_BANNER, 1)
    return render_html(markup)


def dokument_render_pdf(dokument_id) -> Dokument:
    """Render the issued document once and store it with its SHA-256. Safe to run twice."""
    with transaction.atomic():
        d = Dokument.objects.select_for_update().select_related("forloeb__borger", "kommune").get(pk=dokument_id)
        if d.status == DokumentStatus.KLADDE or d.pdf_sha256:
            return d
        data = render(d)
        d.pdf_sha256 = hashlib.sha256(data).hexdigest()
        d.pdf.save(f"{d.pk}.pdf", ContentFile(data), save=False)  # the id, never a name or CPR
        d.save(update_fields=["pdf", "pdf_sha256"])
        audit.record(
            actor=audit.SystemActor("pdf-rendering"),
            handling="dokument.pdf",
            subject=d,
            borger_id=d.forloeb.borger_id,
            kommune_id=d.kommune_id,
            efter={"sha256": d.pdf_sha256},
        )
    return d
