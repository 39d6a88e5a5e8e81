"""Use cases of rehabilitation, one module per subject. Each owns its transaction, writes its audit
row and drives the forløb only through ``cases.services.forloeb_overgang`` and the deadline engine.

Importing this package registers the partshøring letter's hook (``partshoering._partshoering_sendt``).
"""

from .forberedende_del import DEL_FELTER, bilag_tilfoej, forberedende_del_opdater, forberedende_del_opret
from .indstilling import INDSTILLING_FELTER, indstilling_anbefalinger, indstilling_registrer
from .moedeoplaeg import moedeoplaeg_pdf
from .moeder import PLANLAEGGERE, ledige_pladser, moede_afholdt, moede_book, moede_flyt, moededag_opret
from .partshoering import (
    partshoering_opret,
    partshoering_send,
    partshoering_svar,
    partshoering_undtag,
)

__all__ = [
    "DEL_FELTER",
    "INDSTILLING_FELTER",
    "PLANLAEGGERE",
    "bilag_tilfoej",
    "forberedende_del_opdater",
    "forberedende_del_opret",
    "indstilling_anbefalinger",
    "indstilling_registrer",
    "ledige_pladser",
    "moede_afholdt",
    "moede_book",
    "moede_flyt",
    "moededag_opret",
    "moedeoplaeg_pdf",
    "partshoering_opret",
    "partshoering_send",
    "partshoering_svar",
    "partshoering_undtag",
]
