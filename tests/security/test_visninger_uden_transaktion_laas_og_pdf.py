"""Views, forms, serializers and API modules parse input, call one service and answer: they never
open a transaction, take a row lock or render a PDF. Those belong to the use case in the domain
layer (``services``), which holds whichever door is used, and PDFs to the Celery task after commit.

The modules are DISCOVERED (an AST scan of the checkout), so a new view or API module is covered
without touching this file: every ``views*.py`` / ``*_views.py`` and every module of a ``views/``
package, every ``forms*.py`` and ``*serializers*.py``, every flat ``api.py`` / ``*_api.py`` and every
module of an app's ``api/`` package. ``infra/`` (the API toolkit: idempotency keys hold their own
transaction by design), migrations, management commands and models are not scanned.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
IKKE_APPS = {"infra", "tests", "bench", "tools", "docs", "static", "templates", "node_modules"}
IKKE_MAPPER = {"migrations", "management", "models", "__pycache__"}
DOERE = {"views", "forms", "serializers", "api"}

#: Known offenders, each with the change that removes it. An entry whose module is clean (or gone)
#: fails the test: delete the entry then.
KENDTE: dict[str, set[str]] = {}


def er_doer(rel: Path) -> bool:
    """A view, form, serializer or API module (``rel`` relative to the checkout)."""
    if rel.parts[0] in IKKE_APPS or IKKE_MAPPER & set(rel.parts[:-1]):
        return False
    if len(rel.parts) < 2 or not (ROOT / rel.parts[0] / "__init__.py").exists():
        return False
    if {"views", "api"} & set(rel.parts[1:-1]):
        return True
    return bool(DOERE & set(rel.stem.split("_")))


def doere() -> list[Path]:
    return sorted(
        p.relative_to(ROOT) for p in ROOT.glob("*/**/*.py") if ".venv" not in p.parts and er_doer(p.relative_to(ROOT))
    )


def fund(kilde: str) -> list[tuple[int, str, str]]:
    """(line, kind, what) for every transaction, row lock or PDF rendering in a module's source.

    kind is ``transaction`` (``django.db.transaction`` imported or ``transaction.atomic`` used),
    ``laas`` (``select_for_update``) or ``pdf`` (``decisions.pdf``, ``dokument_render_pdf``,
    ``render_html`` or WeasyPrint)."""
    ud = []
    for node in ast.walk(ast.parse(kilde)):
        if isinstance(node, ast.ImportFrom):
            modul = node.module or ""
            navne = {a.name for a in node.names}
            if (modul == "django.db" and "transaction" in navne) or modul == "django.db.transaction":
                ud.append((node.lineno, "transaction", f"from {modul} import {', '.join(sorted(navne))}"))
            if modul.split(".")[0] == "weasyprint":
                ud.append((node.lineno, "pdf", f"from {modul} import ..."))
            # decisions.pdf, or the decisions app's own ``from . import pdf`` / ``from ..pdf import``
            if modul == "decisions.pdf" or modul.endswith(".pdf") or (modul == "pdf" and node.level):
                ud.append((node.lineno, "pdf", f"from {'.' * node.level}{modul} import ..."))
            if modul in ("decisions", "") and "pdf" in navne:
                ud.append((node.lineno, "pdf", f"from {'.' * node.level}{modul} import pdf"))
            for navn in navne & {"dokument_render_pdf", "render_html"}:
                ud.append((node.lineno, "pdf", f"imports {navn}"))
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == "weasyprint" or a.name == "decisions.pdf":
                    ud.append((node.lineno, "pdf", f"import {a.name}"))
                if a.name == "django.db.transaction":
                    ud.append((node.lineno, "transaction", f"import {a.name}"))
        elif isinstance(node, ast.Attribute):
            if node.attr == "select_for_update":
                ud.append((node.lineno, "laas", ".select_for_update"))
            elif node.attr == "atomic" and isinstance(node.value, ast.Name | ast.Attribute):
                ud.append((node.lineno, "transaction", ".atomic"))
            elif node.attr in ("dokument_render_pdf", "render_html"):
                ud.append((node.lineno, "pdf", f".{node.attr}"))
        elif isinstance(node, ast.Name) and node.id in ("dokument_render_pdf", "render_html"):
            ud.append((node.lineno, "pdf", node.id))
    return ud


def test_scanningen_finder_doerene():
    fundne = {p.as_posix() for p in doere()}
    assert {
        "cases/views.py",
        "cases/views_sag.py",
        "cases/forms_sag.py",
        "cases/api/viewsets.py",
        "cases/api/serializers.py",
        "decisions/views/dokumenter.py",
        "decisions/api/viewsets.py",
        "flexjob/api/serializers.py",
        "rehab/views/partshoering.py",
        "rehab/forms.py",
        "dashboard/views/udtraek.py",
        "webhooks/api/viewsets.py",
    } <= fundne
    assert not {p for p in fundne if p.startswith(("infra/", "tests/")) or "/migrations/" in p}
    assert "cases/models/api.py" not in fundne and "decisions/services.py" not in fundne


def test_detektoren_kender_hver_form():
    eksempler = {
        "from django.db import transaction": "transaction",
        "from django.db.transaction import atomic": "transaction",
        "import django.db.transaction": "transaction",
        "with db.transaction.atomic(): pass": "transaction",
        "Forloeb.objects.select_for_update().get(pk=1)": "laas",
        "from decisions import pdf": "pdf",
        "from . import pdf": "pdf",
        "from ..pdf import html": "pdf",
        "from decisions.pdf import dokument_render_pdf": "pdf",
        "services.dokument_render_pdf(1)": "pdf",
        "from weasyprint import HTML": "pdf",
        "import weasyprint": "pdf",
    }
    for kilde, art in eksempler.items():
        assert art in {k for _, k, _ in fund(kilde)}, kilde
    rent = "from django.shortcuts import render\nfrom . import services\nservices.dokument_afsend(actor=1)"
    assert fund(rent) == []


def test_views_forms_serializers_og_api_aabner_ingen_transaktion_tager_ingen_laas_og_danner_ingen_pdf():
    fejl = []
    for rel in doere():
        fundet = fund((ROOT / rel).read_text(encoding="utf-8"))
        tilladt = KENDTE.get(rel.as_posix(), set())
        fejl += [f"{rel}:{linje}: {hvad} ({art})" for linje, art, hvad in fundet if art not in tilladt]
    assert not fejl, (
        "A view, form, serializer or API module does a use case's work; move it into the app's services "
        "(transaction, lock, audit) or the Celery task (PDF):\n" + "\n".join(fejl)
    )


def test_kendte_undtagelser_er_stadig_aktuelle():
    for sti, arter in KENDTE.items():
        fil = ROOT / sti
        fundne = {art for _, art, _ in fund(fil.read_text(encoding="utf-8"))} if fil.exists() else set()
        assert arter <= fundne, f"{sti} no longer does {arter - fundne}: remove its entry from KENDTE"
