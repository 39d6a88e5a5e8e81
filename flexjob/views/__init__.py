"""The caseworker's fleksjob pages (Danish UI): overview and visitation, employment and the
arbejdsevnevurdering, agreements.

Reads go through the scoped selectors (another team's or municipality's forløb is a 404) and are
logged with ``audit.record_read``; every change is one call of ``flexjob.services`` / ``flexjob.aftaler``.
"""

from .aftaler import aftale_afvis, aftale_bekraeft, aftale_godkend, aftaler_liste
from .ansaettelser import ansaettelse, ansaettelse_opret, opfoelgning_opret, virksomhed_opslag, vurdering_opret
from .oversigt import bevilling_opret, oversigt, visitation_opret

__all__ = [
    "aftale_afvis",
    "aftale_bekraeft",
    "aftale_godkend",
    "aftaler_liste",
    "ansaettelse",
    "ansaettelse_opret",
    "bevilling_opret",
    "opfoelgning_opret",
    "oversigt",
    "virksomhed_opslag",
    "visitation_opret",
    "vurdering_opret",
]
