"""Helpers for the rehab tests. Forløb come from the factory traits (timeline from 2026-03-02)."""

import pytest

from cases.models import Forloeb, Frist, Haendelse, OvergangLog
from decisions.models import Dokument
from infra.models import AuditEntry
from rehab.models import Bilag, Booking, ForberedendeDel, Indstilling, Partshoering


def worker_danner_pdf(dokument_id) -> None:
    """Run the rendering task as the Celery worker does after the issuing transaction commits (it
    renders the PDF, then carries out a send ordered meanwhile). The tests' transactions never commit."""
    from decisions import tasks

    tasks.render_pdf.apply(args=[str(dokument_id)]).get()


def frisk(fl) -> Forloeb:
    return Forloeb.objects.get(pk=fl.pk)


def koder(exc) -> set[str]:
    """The rule codes of an OvergangAfvist (or a decision's LintFejl)."""
    value = exc.value
    return {m.kode for m in getattr(value, "uopfyldte", None) or value.mangler}


def felter(exc) -> set[str]:
    """The fields of a Django ValidationError."""
    return set(exc.value.message_dict)


def spor(fl) -> tuple:
    """Everything a refused rehab request must leave untouched for this forløb."""
    fl = frisk(fl)
    return (
        fl.tilstand,
        fl.version,
        fl.rehab_moede_dato,
        fl.indstilling_udfald,
        OvergangLog.objects.filter(forloeb=fl).count(),
        Haendelse.objects.filter(forloeb=fl).count(),
        sorted(Frist.objects.filter(forloeb=fl).values_list("art", "status", "gaeldende_forfald")),
        sorted(Booking.objects.filter(forloeb=fl).values_list("moededag__dato", "status")),
        Indstilling.objects.filter(forloeb=fl).count(),
        Partshoering.objects.filter(forloeb=fl).count(),
        sorted(Dokument.objects.filter(forloeb=fl).values_list("type", "status")),
        ForberedendeDel.objects.filter(forloeb=fl).count(),
        Bilag.objects.filter(forberedende_del__forloeb=fl).count(),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def uaendret():
    """``with uaendret(fl): ...`` asserts the block changed nothing about the forløb."""
    import contextlib

    @contextlib.contextmanager
    def _uaendret(fl):
        foer = spor(fl)
        yield
        assert spor(fl) == foer

    return _uaendret
