"""Use cases of fleksjob, one module per subject: employers, visitation and ledighedsydelse,
employments and follow-ups, and the arbejdsevnevurdering (LAB § 122, stk. 2).

Each use case owns its transaction, writes its audit row and moves deadlines only through events
(``cases.frister.registrer_haendelse``). Agreement intake (``flexjob/aftaler.py``) registers the
employment with :func:`ansaettelse_med_virksomhed_opret`, like the caseworker's page.
"""

from .ansaettelser import ansaettelse_med_virksomhed_opret, ansaettelse_opret, opfoelgning_holdt
from .bevillinger import bevilling_registrer
from .virksomheder import virksomhed_fejl, virksomhed_find_eller_opret
from .visitation import (
    MIN_ALDER_PERMANENT,
    aktuel_visitation,
    har_haft_midlertidigt_fleksjob,
    visitation_indholdsregel,
    visitation_opret,
    visitation_ved_udstedelse,
)
from .vurderinger import (
    STANDARD_HOVEDHENSYN,
    STANDARD_LOVHENVISNINGER,
    VURDERING_FELTER,
    advarsler,
    arbejdsevnevurdering_opdater,
    arbejdsevnevurdering_opret,
    arbejdsevnevurdering_revurder,
    indholdsregel,
    mangler,
    vurdering_kasseres,
    vurdering_tekst,
)

__all__ = [
    "MIN_ALDER_PERMANENT",
    "STANDARD_HOVEDHENSYN",
    "STANDARD_LOVHENVISNINGER",
    "VURDERING_FELTER",
    "advarsler",
    "aktuel_visitation",
    "ansaettelse_med_virksomhed_opret",
    "ansaettelse_opret",
    "arbejdsevnevurdering_opdater",
    "arbejdsevnevurdering_opret",
    "arbejdsevnevurdering_revurder",
    "bevilling_registrer",
    "har_haft_midlertidigt_fleksjob",
    "indholdsregel",
    "mangler",
    "opfoelgning_holdt",
    "virksomhed_fejl",
    "virksomhed_find_eller_opret",
    "visitation_indholdsregel",
    "visitation_opret",
    "visitation_ved_udstedelse",
    "vurdering_kasseres",
    "vurdering_tekst",
]
