"""Caseworker pages of the decisions app (Danish UI): letters and decisions of a forløb, the editor
with live linting, PDF preview, issue and send (``dokumenter``), and complaints (``klagesager``).

Views are thin: reads go through scoped selectors (another team's or municipality's document is a
404) and are logged with ``audit.record_read``; every change goes through a service in
:mod:`decisions.services`, :mod:`decisions.bestilling` or :mod:`decisions.klager`. CPR numbers are
shown masked only.
"""

from .dokumenter import (
    dokument,
    dokument_afsend,
    dokument_forhaandsvisning,
    dokument_kasser,
    dokument_lint,
    dokument_pdf,
    dokument_pdf_status,
    dokumenter,
)
from .klagesager import klage, klage_opret, klager_liste
from .standardtekster import standardtekst, standardtekster_liste

__all__ = [
    "dokument",
    "dokument_afsend",
    "dokument_forhaandsvisning",
    "dokument_kasser",
    "dokument_lint",
    "dokument_pdf",
    "dokument_pdf_status",
    "dokumenter",
    "klage",
    "klage_opret",
    "klager_liste",
    "standardtekst",
    "standardtekster_liste",
]
