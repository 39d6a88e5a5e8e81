"""Attachments are checked by their content (issue 13): "hello" saved as .pdf, a PNG named .pdf and
a PDF with too many pages are refused with a Danish message, through the API (problem+json) and
the caseworker's form; real PDF, JPEG and PNG files are accepted."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from infra import datoer, filindhold
from rehab import services
from rehab.models import Bilag
from tests.factories import forloeb_i

from .test_api_rehab import API, problem
from .test_ui_rehab import html, url

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
PDF = b"%PDF-1.4\n1 0 obj << /Type /Pages /Kids [2 0 R] >> endobj\n2 0 obj << /Type /Page >> endobj\n%%EOF\n"


def _pdf_med_sider(n: int) -> bytes:
    return b"%PDF-1.4\n" + b"".join(b"%d 0 obj << /Type /Page >> endobj\n" % i for i in range(n)) + b"%%EOF\n"


@pytest.mark.parametrize(
    ("navn", "indhold", "besked"),
    [
        ("erklaering.pdf", b"hello", "ikke en PDF-fil"),
        ("erklaering.pdf", PNG, "ikke en PDF-fil"),
        ("foto.png", PDF, "ikke et PNG-billede"),
        ("foto.jpg", b"GIF89a", "ikke et JPEG-billede"),
        ("erklaering.pdf", _pdf_med_sider(filindhold.MAKS_SIDER + 1), "for mange sider"),
    ],
)
def test_api_afviser_fil_hvis_indhold_ikke_passer(api_client, team, sagsbehandler, navn, indhold, besked):
    fl = forloeb_i("forberedende_plan", team=team, sagsbehandler=sagsbehandler)
    fd = services.forberedende_del_opret(actor=sagsbehandler, forloeb=fl)
    r = api_client.post(
        f"{API}forberedende-dele/{fd.pk}/bilag/",
        {"type": "laegelig", "titel": "Erklæring", "dokument_dato": datoer.idag().isoformat(),
         "fil": SimpleUploadedFile(navn, indhold)},
        format="multipart",
        HTTP_IF_MATCH="*",
    )  # fmt: skip
    fejl = problem(r, 400, "validering")["errors"]
    assert list(fejl) == ["fil"] and besked in fejl["fil"][0]
    assert not Bilag.objects.exists()


@pytest.mark.parametrize(("navn", "indhold"), [("a.pdf", PDF), ("b.JPG", JPEG), ("c.jpeg", JPEG), ("d.png", PNG)])
def test_rigtige_filer_tages_imod(api_client, team, sagsbehandler, navn, indhold):
    fl = forloeb_i("forberedende_plan", team=team, sagsbehandler=sagsbehandler)
    fd = services.forberedende_del_opret(actor=sagsbehandler, forloeb=fl)
    r = api_client.post(
        f"{API}forberedende-dele/{fd.pk}/bilag/",
        {"type": "laegelig", "titel": "Erklæring", "dokument_dato": datoer.idag().isoformat(),
         "fil": SimpleUploadedFile(navn, indhold)},
        format="multipart",
        HTTP_IF_MATCH="*",
    )  # fmt: skip
    assert r.status_code == 201, r.content


def test_formularen_afviser_hello_som_pdf_med_dansk_besked(klient, team, sagsbehandler):
    fl = forloeb_i("forberedende_plan", team=team, sagsbehandler=sagsbehandler)
    r = klient.post(
        url("rehab:forberedende_del", fl),
        {"handling": "bilag", "bilag-type": "lae265", "bilag-titel": "LÆ 265",
         "bilag-dokument_dato": datoer.idag().isoformat(), "bilag-fil": SimpleUploadedFile("lae265.pdf", b"hello")},
    )  # fmt: skip
    assert r.status_code == 200
    assert "Filens indhold er ikke en PDF-fil, som filnavnet siger." in html(r)
    assert not Bilag.objects.exists()


def test_servicen_selv_afviser(team, sagsbehandler):
    fl = forloeb_i("forberedende_plan", team=team, sagsbehandler=sagsbehandler)
    with pytest.raises(ValidationError) as info:
        services.bilag_tilfoej(
            actor=sagsbehandler, forloeb=fl, type="lae265", titel="LÆ 265", dokument_dato=datoer.idag(),
            fil=ContentFile(b"hello", name="lae265.pdf"),
        )  # fmt: skip
    assert set(info.value.message_dict) == {"fil"}
