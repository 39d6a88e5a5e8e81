"""Use cases that change data. Each owns its transaction and writes its audit row.

Views, serializers, forms, admin actions, commands and tasks call these; nothing else writes.
Refusals are ``infra.fejl.DomaeneFejl`` subclasses; ``ForaeldetVersion`` (a stale
``expected_version``) is infra's one class, named here beside the services that raise it.
"""

from .borger import (
    BORGER_AUDIT_FELTER,
    BORGER_FELTER,
    DUBLET_CPR,
    borger_cpr_vis,
    borger_opdater,
    borger_opret,
    borger_opret_fejl,
    journalnotat_umasker,
    paaroerende_opret,
)
from .forloeb import (
    ForaeldetVersion,
    ForkertTilstand,
    OvergangAfvist,
    OvergangFejl,
    UkendtOvergang,
    forloeb_opret,
    forloeb_overgang,
    forloeb_registrer_haendelse,
    forloeb_tildel,
    journalnotat_opret,
    mulige_overgange,
    tilladte_overgange,
)
from .register import (
    CprUkendtIRegisteret,
    RegisterSvarerIkke,
    borger_adresse_vis,
    borger_register_opdater,
    cpr_opslag,
    register_opdater_aabne,
)
from .tilbud import tilbud_besvar, tilbud_registrer

__all__ = [
    "BORGER_AUDIT_FELTER",
    "BORGER_FELTER",
    "DUBLET_CPR",
    "CprUkendtIRegisteret",
    "ForaeldetVersion",
    "ForkertTilstand",
    "OvergangAfvist",
    "OvergangFejl",
    "RegisterSvarerIkke",
    "UkendtOvergang",
    "borger_adresse_vis",
    "borger_cpr_vis",
    "borger_opdater",
    "borger_opret",
    "borger_opret_fejl",
    "borger_register_opdater",
    "cpr_opslag",
    "forloeb_opret",
    "forloeb_overgang",
    "forloeb_registrer_haendelse",
    "forloeb_tildel",
    "journalnotat_opret",
    "journalnotat_umasker",
    "mulige_overgange",
    "paaroerende_opret",
    "register_opdater_aabne",
    "tilbud_besvar",
    "tilbud_registrer",
    "tilladte_overgange",
]
