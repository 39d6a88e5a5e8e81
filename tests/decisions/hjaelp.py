"""Helpers of the decisions tests: drafts with a full begrundelse, rendering, PDF text, delivery set-up."""

from __future__ import annotations

import io

from pypdf import PdfReader

from cases.models import Borger, DigitalPostStatus
from decisions import services
from decisions.models import Dokument
from demo import demoforloeb


def fakta_fra_indstilling(fl, tekst: str = "Rehabiliteringsteamets vurdering af arbejdsevnen.") -> list[dict]:
    indstilling = fl.indstillinger.order_by("-dato", "-oprettet").first()
    return [{"tekst": tekst, "kilde_type": "indstilling", "kilde_id": str(indstilling.pk)}]


def kladde(fl, type: str = "fleksjob_afslag", **felter) -> Dokument:
    """A draft with a complete begrundelse (override or blank out what a test is about)."""
    defaults = {
        "tekst": "Du får afslag på fleksjob.",
        "hovedhensyn": "Vi har lagt vægt på teamets tværfaglige vurdering.",
        "lovhenvisninger": ["lab_116", "fvl_22_24"],
    }
    if "fakta" not in felter and fl.indstillinger.exists():
        defaults["fakta"] = fakta_fra_indstilling(fl)
    if type == "fleksjob_visitation":
        defaults["data"] = dict(demoforloeb.VISITATION)  # the assessed capacity the visitation states
    return services.dokument_opret(actor=fl.sagsbehandler, forloeb=fl, type=type, **(defaults | felter))


def udsted(d: Dokument, idag=None, render: bool = True) -> Dokument:
    d = services.dokument_udsted(actor=d.forloeb.sagsbehandler, dokument=d, idag=idag)
    if render:
        d = services.dokument_render_pdf(d.pk)
    return Dokument.objects.get(pk=d.pk)


def pdf_bytes(d: Dokument) -> bytes:
    d = Dokument.objects.get(pk=d.pk)
    with d.pdf.open("rb") as fh:
        return fh.read()


def tekst_af(data: bytes) -> str:
    """The PDF's text with whitespace normalised (line breaks depend on layout, not content)."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def pdf_tekst(d: Dokument) -> str:
    return tekst_af(pdf_bytes(d))


def med_digital_post(borger) -> None:
    Borger.objects.filter(pk=borger.pk).update(digital_post=DigitalPostStatus.TILMELDT)


def med_adresse(borger) -> None:
    Borger.objects.filter(pk=borger.pk).update(adresse="Fiktivvej 1", postnummer="9999", by="Testby")
