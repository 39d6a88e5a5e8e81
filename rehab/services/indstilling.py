"""Use case of the rehabiliteringsteam's indstilling (or its postponement of the case)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from cases.models import Forloeb, Udfald
from cases.services import forloeb_overgang
from infra import audit, datoer

from .. import rules
from ..models import Booking, BookingStatus, Indstilling
from .faelles import adgang

INDSTILLING_FELTER = [
    f.name
    for f in Indstilling._meta.fields
    if f.name not in ("id", "forloeb", "booking", "udfald", "dato", "skrevet_af", "oprettet")
]


def _tal_fejl(felter: dict) -> dict[str, str]:
    """The team's assessed hours (one decimal, above 0) and intensity (a whole per cent), when given;
    converted in place."""
    fejl: dict[str, str] = {}
    timer = felter.get("vurderet_timer")
    if timer in ("", None):
        felter.pop("vurderet_timer", None)
    else:
        try:
            d = Decimal(str(timer).replace(",", "."))
        except InvalidOperation:
            d = None
        if d is None or not d.is_finite() or d <= 0 or d >= 100 or d != d.quantize(Decimal("0.1")):
            fejl["vurderet_timer"] = "Angiv timer pr. uge som et tal over 0 med højst én decimal, fx 12,5."
        else:
            felter["vurderet_timer"] = d
    intensitet = felter.get("vurderet_intensitet")
    if intensitet in ("", None):
        felter.pop("vurderet_intensitet", None)
    elif not str(intensitet).strip().isdigit() or not 1 <= int(str(intensitet).strip()) <= 100:
        fejl["vurderet_intensitet"] = "Arbejdsintensiteten skal være et helt tal mellem 1 og 100 (%)."
    else:
        felter["vurderet_intensitet"] = int(str(intensitet).strip())
    return fejl


def indstilling_anbefalinger(indstilling: Indstilling) -> list[dict]:
    """What the practice study recommends this indstilling addresses and it leaves out (prompts: they
    do not block, they are shown and counted on the team leader's dashboard)."""
    felter = {f: getattr(indstilling, f) for f in INDSTILLING_FELTER}
    return [
        {"kode": k, "besked": b, "felt": f} for k, b, f in rules.indstilling_anbefalinger(indstilling.udfald, felter)
    ]


def indstilling_registrer(
    *, actor, forloeb: Forloeb, udfald: str, dato: dt.date | None = None, idag: dt.date | None = None, **felter
) -> Indstilling:
    """Register the team's indstilling (or its postponement) and move the forløb accordingly."""
    adgang(actor, forloeb)
    idag = idag or datoer.idag()
    dato = dato or idag
    fejl: dict[str, str] = {f: "Ukendt felt." for f in sorted(set(felter) - set(INDSTILLING_FELTER))}
    felter = dict(felter)
    fejl |= _tal_fejl(felter)
    if udfald not in (*Udfald.values, "udsaettelse"):
        fejl["udfald"] = "Vælg teamets indstilling."
    else:
        fejl |= rules.indstilling_mangler(udfald, felter)
    if fejl:
        raise ValidationError(fejl)
    with transaction.atomic():
        booking = forloeb.rehab_bookinger.filter(status=BookingStatus.BOOKET).first()
        ind = Indstilling.objects.create(
            forloeb=forloeb,
            booking=booking,
            udfald=udfald,
            dato=dato,
            skrevet_af=audit.actor_navn(actor),
            **{k: (v.strip() if isinstance(v, str) else v) for k, v in felter.items()},
        )
        if booking is not None:
            Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.AFHOLDT)
        if udfald == "udsaettelse":
            data = {"dato": dato.isoformat(), "aarsag": ind.udsaettelse_aarsag, "mangler": ind.udsaettelse_mangler}
            forloeb_overgang(actor=actor, forloeb=forloeb, overgang="udsaet", data=data, idag=idag)
        else:
            data = {"dato": dato.isoformat(), "udfald": udfald}
            forloeb_overgang(actor=actor, forloeb=forloeb, overgang="registrer_indstilling", data=data, idag=idag)
        audit.record(
            actor=actor,
            handling="indstilling.registrer",
            subject=ind,
            borger_id=forloeb.borger_id,
            kommune_id=forloeb.kommune_id,
            efter={"udfald": udfald, "dato": dato},
        )
    return ind
