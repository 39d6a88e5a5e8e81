"""The municipality's rules the dashboard counts with, from its rule catalogue.

The dashboard reads them as every other part of the product does: national rows and the
municipality's own overrides (``cases.regelkatalog``), the meeting notice through the rule that
refuses a booking (``cases.rules.moede_varsel_dage``). No legal number is copied here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cases import regelkatalog
from cases import rules as cases_rules
from infra import datoer


@dataclass(frozen=True)
class Regler:
    """The municipality's rules the dashboard counts with, read from its rule catalogue as every
    other part of the product reads them (national rows and the municipality's own overrides):
    the rehab meeting's notice (``cases.rules.moede_varsel_dage``, the rule ``rehab.moede_varsel``)
    and the servicemål (the ``servicemaal_afgoerelse`` deadline definition)."""

    moede_varsel_dage: int
    servicemaal_laengde: int | None
    servicemaal_enhed: str
    idag: dt.date
    #: The municipality's rettidighed target in percent (rule ``rettidighed_maal_procent``: a municipal
    #: goal, not law; national default 90) and where it comes from, as the catalogue row says.
    rettidighed_maal: int | None = None
    rettidighed_maal_kilde: str = ""

    @property
    def servicemaal_dage(self) -> int | None:
        if self.servicemaal_laengde is None:
            return None
        return (datoer.laeg_til(self.idag, self.servicemaal_laengde, self.servicemaal_enhed) - self.idag).days

    @property
    def servicemaal_uger(self) -> int | None:
        """The servicemål in whole weeks (the weeks-to-decision chart's scale)."""
        dage = self.servicemaal_dage
        return None if dage is None else dage // 7

    @property
    def servicemaal_tekst(self) -> str:
        """Danish: '23 uger' (or the municipality's own length and unit)."""
        if self.servicemaal_laengde is None:
            return ""
        return datoer.enhed_tekst(self.servicemaal_laengde, self.servicemaal_enhed)


def regler_for(kommune_id, idag: dt.date) -> Regler:
    """The rules in force for the municipality today."""
    servicemaal = regelkatalog.frist_definition("servicemaal_afgoerelse", kommune_id, idag)
    maal = regelkatalog.parameter_raekke("rettidighed_maal_procent", kommune_id, idag)
    kilde = ""
    if maal is not None:
        kilde = "kommunens eget mål" if maal.kommune_id else "standardmål, som kommunen kan ændre"
    return Regler(
        rettidighed_maal=int(maal.vaerdi) if maal is not None else None,
        rettidighed_maal_kilde=kilde,
        moede_varsel_dage=cases_rules.moede_varsel_dage(kommune_id, idag),
        servicemaal_laengde=servicemaal.laengde if servicemaal else None,
        servicemaal_enhed=servicemaal.enhed if servicemaal else "uger",
        idag=idag,
    )


def fristart_navn(art: str, kommune_id, idag: dt.date) -> str:
    """The name of a kind of deadline as the municipality's catalogue gives it today (its own row
    before the national one); the code if no row is in force."""
    definition = regelkatalog.frist_definition(art, kommune_id, idag)
    return definition.navn if definition else art
