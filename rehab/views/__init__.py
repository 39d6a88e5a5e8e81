"""Caseworker pages of rehabilitation (Danish UI), one module per page: the forberedende del with
bilag, booking on a meeting of the rehabiliteringsteam and the meeting days, the team's indstilling,
and partshøring.

Views are thin: the forløb comes from ``cases.selectors.forloeb_for`` (another team or municipality
is a 404), every page that shows citizen data logs the read, and every change is one call of a
``rehab.services`` use case (which owns its transaction).
"""

from .forberedende_del import forberedende_del
from .indstilling import indstilling
from .moedeoplaeg import moedeoplaeg
from .moeder import booking, moeder
from .partshoering import partshoering, partshoering_status

__all__ = ["booking", "forberedende_del", "indstilling", "moedeoplaeg", "moeder", "partshoering", "partshoering_status"]
