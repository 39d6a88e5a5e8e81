"""The printable case summary for the rehabiliteringsteam meeting (mødeoplæg): the citizen's
forberedende del, the list of health documents and the caseworker's assessment, as a PDF in the
decisions' document style.

Rendered on demand and never stored (like a draft's preview): the caseworker or the mødeleder
prints it for the meeting. Every render is a read of health information about the citizen and is
audited. CPR is masked (DDMMYY-****) everywhere in it, typed text included: the team identifies the
citizen by name, birth date and the jobcenter's case; a paper carried into a meeting with external
members (the region's health coordinator) needs no full CPR, and nobody looks a register up from it.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from cases.models import Forloeb
from decisions.pdf import render_html
from infra import audit, datoer
from infra.logging import mask_text

from ..models import SEKTIONER, TJEKLISTE, BookingStatus, TjekSvar
from .faelles import adgang

#: The citizen's own description (the first four sections) and the municipality's account.
BORGERENS_AFSNIT = SEKTIONER[:4]
KOMMUNENS_AFSNIT = SEKTIONER[4:]


def _html(forloeb: Forloeb) -> str:
    fd = forloeb.forberedende_dele.order_by("-oprettet").first()
    bilag = list(fd.bilag.order_by("dokument_dato", "oprettet")) if fd else []
    booking = (
        forloeb.rehab_bookinger.filter(status=BookingStatus.BOOKET)
        .select_related("moededag")
        .order_by("moededag__dato")
        .first()
    )
    svar = dict(TjekSvar.choices)
    return render_to_string(
        "rehab/pdf/moedeoplaeg.html",
        {
            "forloeb": forloeb,
            "borger": forloeb.borger,
            "jobcenter": forloeb.team.jobcenter,
            "kommune": forloeb.team.jobcenter.kommune,
            "fd": fd,
            "booking": booking,
            "dato": datoer.idag(),
            "borgerens": [(titel, getattr(fd, navn, "")) for navn, titel in BORGERENS_AFSNIT] if fd else [],
            "kommunens": [(titel, getattr(fd, navn, "")) for navn, titel in KOMMUNENS_AFSNIT] if fd else [],
            "tjekliste": [(spm, svar.get(getattr(fd, navn), "Ikke besvaret")) for navn, spm in TJEKLISTE] if fd else [],
            "helbred": [b for b in bilag if b.er_helbredsdokument],
            "oevrige": [b for b in bilag if not b.er_helbredsdokument],
        },
    )


def moedeoplaeg_pdf(*, actor, forloeb: Forloeb) -> bytes:
    """The meeting summary as PDF bytes for someone who may see the forløb (else PermissionDenied);
    the read of the citizen's health information is audited. Writes nothing else."""
    adgang(actor, forloeb)
    data = render_html(mask_text(_html(forloeb)))
    audit.record_read(
        actor=actor,
        handling="rehab.moedeoplaeg",
        borgere=[forloeb.borger],
        subject=forloeb,
        begrundelse="Mødeoplæg til rehabiliteringsteamet (forberedende del og helbredsdokumenter)",
    )
    return data
