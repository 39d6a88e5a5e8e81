"""Danish, citizen-facing labels for audit action codes (access-log extract, UI).

The codes are the ``handling`` values written by :mod:`cases.audit`. A code without a label is
shown as is, so a new action never disappears from a citizen's extract: add its label here.
"""

from __future__ import annotations

from .models import ActorType

HANDLING_LABELS: dict[str, str] = {
    # Reads
    "borger.laes": "Så borgerens oplysninger",
    "borger.soeg": "Fandt borgeren ved søgning",
    "borger.liste": "Så borgeren i en liste",
    "borger.cpr_vis": "Så det fulde CPR-nummer",
    "borger.adgangslog_udtraek": "Lavede et udtræk af borgerens adgangslog",
    # Changes
    "borger.opret": "Oprettede borgeren",
    "borger.opdater": "Ændrede borgerens oplysninger",
    "paaroerende.opret": "Registrerede pårørende/bisidder",
}


def handling_label(handling: str) -> str:
    """The Danish label of an action code; unknown codes are returned unchanged."""
    return HANDLING_LABELS.get(handling, handling)


def actor_type_label(actor_type: str) -> str:
    """ "Medarbejder", "API-klient" or "System"; unknown values unchanged."""
    try:
        return ActorType(actor_type).label
    except ValueError:
        return actor_type
