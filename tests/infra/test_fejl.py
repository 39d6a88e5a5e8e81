"""Every domain refusal is answered by the one exception handler with its own status, problem type,
title and extra members; the API's viewsets map nothing by hand.

The classes are DISCOVERED (every subclass of ``infra.fejl.DomaeneFejl`` once the apps are loaded):
a new refusal without a status, or without a pinned answer in ``SVAR`` below, fails here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from rest_framework.exceptions import PermissionDenied as DrfPermissionDenied

from cases.rules import UopfyldtBetingelse
from cases.services import (
    CprUkendtIRegisteret,
    ForkertTilstand,
    OvergangAfvist,
    OvergangFejl,
    RegisterSvarerIkke,
    UkendtOvergang,
)
from decisions.kassering import KanIkkeKasseres
from decisions.klager import KlageFejl
from decisions.lint import Mangel
from decisions.services import (
    DokumentFejl,
    ForsendelseFejl,
    IkkeKladde,
    LintFejl,
    PdfBeskadiget,
    PdfIkkeKlar,
)
from flexjob.aftaler import AftaleFejl
from infra.api.problems import CONTENT_TYPE, PROBLEM_TYPE_BASE, exception_handler
from infra.fejl import (
    DomaeneFejl,
    FindesIkke,
    ForaeldetVersion,
    IdempotencyKeyGenbrugt,
    IfMatchMangler,
    ManglerScope,
    UgyldigIdempotencyKey,
)
from webhooks.services import IkkeAktivt

ROOT = Path(__file__).resolve().parents[2]
API_APPS = ("cases", "decisions", "rehab", "flexjob", "webhooks")

#: Classes that only group others; they are never raised themselves.
GRUPPER = {OvergangFejl, DokumentFejl}

BETINGELSE = UopfyldtBetingelse("rehab.moede_varsel", "Borgeren skal indkaldes mindst 7 dage før.", "/regler/x/")
MANGEL = Mangel("begrundelse.hovedhensyn_mangler", "Angiv hovedhensynet.", "hovedhensyn")

# class -> [(example, status, type slug, title, extra body members, extra headers)]
SVAR: dict[type, list[tuple]] = {
    ForaeldetVersion: [(ForaeldetVersion("Forløbet er ændret."), 412, "foraeldet", "Ressourcen er ændret", {}, {})],
    FindesIkke: [(FindesIkke(), 404, "findes-ikke", "Findes ikke", {}, {})],
    IfMatchMangler: [(IfMatchMangler(), 428, "if-match-mangler", "If-Match mangler", {}, {})],
    ManglerScope: [
        (
            ManglerScope(("forloeb:read", "afgoerelser:read")),
            403,
            "mangler-scope",
            "Ingen adgang",
            {"scopes": ["forloeb:read", "afgoerelser:read"]},
            {},
        )
    ],
    UgyldigIdempotencyKey: [(UgyldigIdempotencyKey(), 400, "idempotency-key", "Ugyldig forespørgsel", {}, {})],
    IdempotencyKeyGenbrugt: [(IdempotencyKeyGenbrugt(), 422, "idempotency-key-genbrugt", "Kan ikke behandles", {}, {})],
    UkendtOvergang: [(UkendtOvergang("flyv"), 404, "ukendt-overgang", "Ukendt overgang", {}, {})],
    ForkertTilstand: [
        (
            ForkertTilstand("afslut", "afsluttet"),
            409,
            "forkert-tilstand",
            "Overgangen passer ikke til tilstanden",
            {},
            {},
        )
    ],
    OvergangAfvist: [
        (
            OvergangAfvist("forelaeg_rehabiliteringsteam", [BETINGELSE]),
            409,
            "betingelser-ikke-opfyldt",
            "Betingelser ikke opfyldt",
            {"betingelser": [BETINGELSE.as_dict()]},
            {},
        )
    ],
    LintFejl: [
        (
            LintFejl([MANGEL]),
            409,
            "afgoerelse-mangler",
            "Dokumentet mangler noget",
            {"mangler": [MANGEL.as_dict()]},
            {},
        )
    ],
    IkkeKladde: [(IkkeKladde(), 409, "ikke-kladde", "Dokumentet er udstedt", {}, {})],
    ForsendelseFejl: [
        (
            ForsendelseFejl("PDF'en dannes.", kode="pdf_ikke_klar"),
            409,
            "pdf-ikke-klar",
            "Dokumentet kan ikke sendes",
            {},
            {"Retry-After": "5"},
        ),
        (ForsendelseFejl("x", kode="ikke_udstedt"), 409, "ikke-udstedt", "Dokumentet kan ikke sendes", {}, {}),
        (
            ForsendelseFejl("x", kode="ingen_digital_post"),
            409,
            "ingen-digital-post",
            "Dokumentet kan ikke sendes",
            {},
            {},
        ),
        (ForsendelseFejl("x", kode="ingen_adresse"), 409, "ingen-adresse", "Dokumentet kan ikke sendes", {}, {}),
        (ForsendelseFejl("x"), 409, "forsendelse-afvist", "Dokumentet kan ikke sendes", {}, {}),
    ],
    PdfIkkeKlar: [(PdfIkkeKlar(), 409, "pdf-ikke-klar", "Konflikt", {}, {})],
    KanIkkeKasseres: [
        (
            KanIkkeKasseres("Kladden hører til partshøringen."),
            409,
            "kan-ikke-kasseres",
            "Kladden kan ikke kasseres",
            {},
            {},
        )
    ],
    PdfBeskadiget: [(PdfBeskadiget(), 500, "pdf-integritet", "Intern fejl", {}, {})],
    KlageFejl: [
        (KlageFejl("Klagen er afgjort."), 409, "klage-forkert-status", "Klagen kan ikke behandles sådan nu", {}, {})
    ],
    AftaleFejl: [
        (
            AftaleFejl("Allerede behandlet.", kode="allerede-behandlet"),
            409,
            "allerede-behandlet",
            "Konflikt",
            {"kode": "allerede-behandlet"},
            {},
        ),
        (
            AftaleFejl("Ansættelsen afvist.", kode="ansaettelse-afvist", grunde=["Timer mangler."]),
            409,
            "ansaettelse-afvist",
            "Konflikt",
            {"kode": "ansaettelse-afvist", "grunde": ["Timer mangler."]},
            {},
        ),
    ],
    IkkeAktivt: [(IkkeAktivt(), 409, "abonnement-inaktivt", "Konflikt", {}, {})],
    RegisterSvarerIkke: [
        (
            RegisterSvarerIkke(),
            503,
            "cpr-register-utilgaengeligt",
            "CPR-registeret svarer ikke",
            {},
            {"Retry-After": "60"},
        )
    ],
    CprUkendtIRegisteret: [
        (CprUkendtIRegisteret(), 422, "cpr-ukendt", "CPR-nummeret findes ikke i CPR-registeret", {}, {})
    ],
}


def _alle_underklasser(cls) -> set[type]:
    out = set()
    for sub in cls.__subclasses__():
        out |= {sub, *_alle_underklasser(sub)}
    return out


FEJLKLASSER = sorted(_alle_underklasser(DomaeneFejl) - GRUPPER, key=lambda c: f"{c.__module__}.{c.__name__}")


@pytest.mark.parametrize("cls", FEJLKLASSER, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_hver_domaenefejl_har_status_type_og_et_fastlagt_svar(cls):
    assert isinstance(getattr(cls, "status", None), int) and 400 <= cls.status < 600, f"{cls.__name__}: no status"
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", getattr(cls, "slug", "") or ""), f"{cls.__name__}: no problem type"
    assert cls in SVAR, f"{cls.__name__}: pin its answer in SVAR"


@pytest.mark.parametrize(
    ("fejl", "status", "slug", "titel", "ekstra", "headers"),
    [eksempel for eksempler in SVAR.values() for eksempel in eksempler],
    ids=lambda v: getattr(v, "slug", None) if isinstance(v, DomaeneFejl) else "",
)
def test_undtagelseshaandteringen_svarer_med_fejlens_status_type_titel_og_felter(
    fejl, status, slug, titel, ekstra, headers
):
    response = exception_handler(fejl, {})
    assert response.status_code == status
    assert response.content_type == CONTENT_TYPE
    assert response.data == {
        "type": PROBLEM_TYPE_BASE + slug,
        "title": titel,
        "status": status,
        "detail": str(fejl),
        **ekstra,
    }
    assert {k: response.headers[k] for k in headers} == headers
    if not headers:
        assert "Retry-After" not in response.headers


def test_grupperne_kastes_ikke_selv():
    for gruppe in GRUPPER:
        assert not hasattr(gruppe, "status"), gruppe


def test_tjenestens_adgangsnaegtelse_svarer_403_med_dens_danske_begrundelse():
    response = exception_handler(PermissionDenied("Kun kommunens medarbejdere kan behandle aftalen."), {})
    assert (response.status_code, response.data["type"]) == (403, PROBLEM_TYPE_BASE + "ingen-adgang")
    assert response.data["detail"] == "Kun kommunens medarbejdere kan behandle aftalen."
    uden_begrundelse = exception_handler(PermissionDenied(), {})
    assert uden_begrundelse.data["detail"] == "Du har ikke adgang til at udføre denne handling."
    drf = exception_handler(DrfPermissionDenied("Adgangstokenet mangler den nødvendige rettighed (scope)."), {})
    assert drf.data["detail"] == "Du har ikke adgang til at udføre denne handling."


# --- the API code maps nothing by hand ----------------------------------------------------------------
def _api_moduler() -> list[Path]:
    return sorted(p for app in API_APPS for p in (ROOT / app / "api").glob("*.py"))


def _navn(node) -> str:
    """``Problem`` for ``Problem``, ``problems.Problem``, ``Problem(...)``."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


DOMAENEFEJL_NAVNE = {c.__name__ for c in _alle_underklasser(DomaeneFejl)} | {"DomaeneFejl", "PermissionDenied"}


def test_api_pakkerne_findes_med_de_faste_moduler():
    for app in API_APPS:
        moduler = {p.name for p in (ROOT / app / "api").glob("*.py")}
        assert {"viewsets.py", "serializers.py", "filters.py", "urls.py"} <= moduler, app
    urls = (ROOT / "config" / "urls.py").read_text()
    for app in API_APPS:
        assert f'include("{app}.api.urls")' in urls, app


def _haandlavede_oversaettelser(kilde: str) -> list[str]:
    fund = []
    for node in ast.walk(ast.parse(kilde)):
        if isinstance(node, ast.Raise) and node.exc is not None and _navn(node.exc) == "Problem":
            fund.append(f"line {node.lineno}: raise Problem")
        if isinstance(node, ast.Call) and _navn(node) == "problem_response":
            fund.append(f"line {node.lineno}: problem_response(...)")
        if isinstance(node, ast.ImportFrom) and node.module == "infra.api.problems":
            fund.append(f"line {node.lineno}: imports {', '.join(a.name for a in node.names)} from infra.api.problems")
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            typer = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
            fanget = {_navn(t) for t in typer} & DOMAENEFEJL_NAVNE
            if fanget:
                fund.append(f"line {node.lineno}: except {', '.join(sorted(fanget))}")
    return fund


@pytest.mark.parametrize("sti", _api_moduler(), ids=lambda p: str(p.relative_to(ROOT)))
def test_api_koden_oversaetter_ingen_domaenefejl_selv(sti):
    """No ``raise Problem``, no ``problem_response``, no ``except <domain refusal>`` in the apps' API:
    the services' exceptions reach the one exception handler unchanged."""
    fund = _haandlavede_oversaettelser(sti.read_text())
    assert not fund, f"{sti.relative_to(ROOT)} maps domain errors by hand:\n" + "\n".join(fund)


def test_skanningen_finder_en_haandlavet_oversaettelse():
    gammel_stil = """
from infra.api.problems import Problem, problem_response

def overgange(self, request):
    try:
        services.forloeb_overgang(actor=request.user)
    except services.ForkertTilstand as exc:
        raise Problem(409, "forkert-tilstand", str(exc)) from None
    except (PermissionDenied, aftaler.AftaleFejl) as exc:
        return problem_response(409, exc.kode, str(exc))
"""
    fund = _haandlavede_oversaettelser(gammel_stil)
    assert {f.split(": ", 1)[1] for f in fund} == {
        "imports Problem, problem_response from infra.api.problems",
        "except ForkertTilstand",
        "raise Problem",
        "except AftaleFejl, PermissionDenied",
        "problem_response(...)",
    }
