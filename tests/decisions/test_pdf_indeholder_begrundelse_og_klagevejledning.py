"""What the issued PDF says (forvaltningsloven §§ 22-25, DOMAIN.md §5), read back from the PDF itself."""

import io

import pytest
from pypdf import PdfReader

from cases.services import journalnotat_opret
from decisions.models import DokumentStatus
from decisions.pdf import dokument_forhaandsvisning
from infra import cpr as cprlib
from tests import factories

from .hjaelp import kladde, pdf_bytes, pdf_tekst, udsted

pytestmark = pytest.mark.django_db


@pytest.fixture
def fl():
    return factories.forloeb_i("indstilling", udfald="ressourceforloeb")


def test_afgoerelsens_pdf_har_lovhenvisninger_hovedhensyn_fakta_med_kilde_og_klagevejledning(fl):
    notat = journalnotat_opret(
        actor=fl.sagsbehandler, forloeb=fl, type="samtale", overskrift="Samtale om arbejdsprøvning",
        tekst="Borgeren fortalte om sine smerter.",
    )  # fmt: skip
    indstilling = fl.indstillinger.get()
    d = udsted(
        kladde(
            fl,
            "fleksjob_afslag",
            hovedhensyn="Arbejdsevnen kan udvikles i et ressourceforløb.",
            fakta=[
                {
                    "tekst": "Teamet vurderer, at arbejdsevnen kan udvikles.",
                    "kilde_type": "indstilling",
                    "kilde_id": str(indstilling.pk),
                },
                {"tekst": "Borgeren har daglige smerter.", "kilde_type": "journalnotat", "kilde_id": str(notat.pk)},
            ],
        )
    )
    tekst = pdf_tekst(d)
    jobcenter = fl.team.jobcenter
    # Header: municipality, jobcenter, case number, masked CPR
    assert fl.kommune.navn in tekst and jobcenter.navn in tekst
    assert d.sagsnummer in tekst
    assert fl.borger.cpr_maskeret in tekst
    # Begrundelse: the rules (law + paragraph), the main considerations, the facts with their sources
    assert "lov om en aktiv beskæftigelsesindsats § 116" in tekst
    assert "forvaltningsloven §§ 22-24" in tekst
    assert "Arbejdsevnen kan udvikles i et ressourceforløb." in tekst
    assert "Teamet vurderer, at arbejdsevnen kan udvikles." in tekst
    assert f"Rehabiliteringsteamets indstilling {indstilling.dato:%d.%m.%Y}" in tekst
    assert "Borgeren har daglige smerter." in tekst
    assert "Journalnotat: Samtale om arbejdsprøvning" in tekst
    # Klagevejledning: to the municipality, 4 weeks, genvurdering, then Ankestyrelsen
    klage = tekst[tekst.index("Klagevejledning") :]
    assert f"Klagen skal sendes til {fl.kommune.navn}" in klage
    assert "4 uger" in klage
    assert "genvurderer" in klage
    assert "Ankestyrelsen" in klage
    assert "Du behøver ikke at begrunde klagen." in klage
    assert "Kontakt: ." not in klage  # no empty contact sentence when the jobcenter has no details


@pytest.mark.parametrize(
    ("tilstand", "type", "felter"),
    [
        # The partshøring letter is drafted by rehab's partshøring flow (egen_flow), never stand-alone.
        ("indstilling", "partshoering", {"egen_flow": True}),
        ("foertidspension_behandling", "tilbud_om_moede", {"data": {"moede_tidspunkt": "1. december 2026 kl. 10"}}),
    ],
)
def test_brev_har_ingen_klagevejledning(tilstand, type, felter):
    fl = factories.forloeb_i(tilstand)
    d = udsted(kladde(fl, type, tekst="Vi skriver til dig om din sag.", **felter))
    assert d.status == DokumentStatus.UDSTEDT
    assert d.klagevejledning == ""
    tekst = pdf_tekst(d)
    assert "Vi skriver til dig om din sag." in tekst
    assert "Klagevejledning" not in tekst
    assert "Ankestyrelsen" not in tekst
    assert "Regler, afgørelsen bygger på" not in tekst


def test_fuldt_medhold_udelader_begrundelse_men_beholder_klagevejledning(fl):
    d = udsted(
        kladde(
            fl,
            "arbejdsevnevurdering_fleksjob",
            egen_flow=True,  # as flexjob's assessment drafts it
            fuldt_medhold=True,
            tekst="Du får det, du har søgt om.",
            hovedhensyn="",
            lovhenvisninger=[],
            fakta=[],
        )
    )
    tekst = pdf_tekst(d)
    assert "Regler, afgørelsen bygger på" not in tekst
    assert "Klagevejledning" in tekst and "Ankestyrelsen" in tekst


def test_pdf_viser_kun_maskeret_cpr(fl):
    d = udsted(kladde(fl))
    fuldt = cprlib.decrypt(fl.borger.cpr_krypteret)
    tekst = pdf_tekst(d)
    compact = tekst.replace(" ", "")
    assert fuldt not in compact
    assert f"{fuldt[:6]}-{fuldt[6:]}" not in compact
    assert fuldt[6:] not in compact  # the four last digits appear nowhere, not even split
    assert f"{fuldt[:6]}-****" in tekst


def test_klagevejledningen_deles_aldrig_over_to_sider(fl):
    """Whatever the length of the decision, the klagevejledning box (and its heading) stays on one page."""
    d = kladde(fl)
    delt = []
    for linjer in range(18, 62, 3):  # moves the box across the page break in steps of three lines
        d.tekst = "\n".join(f"Afsnit {i}: Borgeren har deltaget i samtaler og praktik." for i in range(linjer))
        sider = [
            " ".join((p.extract_text() or "").split())
            for p in PdfReader(io.BytesIO(dokument_forhaandsvisning(d))).pages
        ]
        med = [i for i, t in enumerate(sider) if "Ankestyrelsen" in t or "Klagevejledning" in t]
        if len(set(med)) > 1:
            delt.append(linjer)
    assert delt == [], f"split across pages with {delt} lines of text"


def test_hele_afgoerelsen_ogsaa_sidefoden_er_sat_i_samme_skrift(fl):
    sider = PdfReader(io.BytesIO(pdf_bytes(udsted(kladde(fl))))).pages
    skrifter = {
        str(f.get_object()["/BaseFont"]).split("+")[-1] for s in sider for f in s["/Resources"]["/Font"].values()
    }
    assert skrifter and all(navn.startswith("DejaVu-Sans") for navn in skrifter), skrifter
