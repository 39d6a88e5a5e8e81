"""What rehab adds to the forløb section of the citizen page: booked team meetings in "what the case
is waiting for" and in the timeline (registered in ``RehabConfig.ready``)."""

from __future__ import annotations

import datetime as dt

from cases.models import Tilstand
from cases.selectors_ui import SideBidrag, TidslinjePost, reverse_eller_tom
from infra.datoer import dansk_dato

from .models import Booking, BookingStatus


def _hent(fl) -> list[Booking]:
    return list(Booking.objects.filter(forloeb=fl).select_related("moededag"))


def _venter_paa(fl, bookinger: list[Booking], idag: dt.date) -> list[str]:
    # Derived from the state: the meeting is awaited only while the case is before the team (a
    # booking held on the day of the indstilling is still "booked" and in the future that day).
    if fl.tilstand != Tilstand.REHABILITERINGSTEAM:
        return []
    ud = []
    for b in bookinger:
        if b.status == BookingStatus.BOOKET and b.moededag.dato >= idag:
            tid = f" kl. {b.tidspunkt:%H.%M}" if b.tidspunkt else ""
            ud.append(f"Møde i rehabiliteringsteamet {dansk_dato(b.moededag.dato)}{tid}")
    if (
        fl.rehab_moede_dato
        and fl.rehab_moede_dato >= idag
        and not any(b.status == BookingStatus.BOOKET and b.moededag.dato == fl.rehab_moede_dato for b in bookinger)
    ):
        ud.append(f"Møde i rehabiliteringsteamet {dansk_dato(fl.rehab_moede_dato)}")
    return ud


def _tidslinje(fl, bookinger: list[Booking]) -> list[TidslinjePost]:
    poster = []
    for b in bookinger:
        tid = f" kl. {b.tidspunkt:%H.%M}" if b.tidspunkt else ""
        poster.append(
            TidslinjePost(
                b.moededag.dato, b.oprettet, "moede", "Møde", f"Møde i rehabiliteringsteamet{tid}",
                f"{b.get_status_display()}{', ' + b.moededag.sted if b.moededag.sted else ''}",
                link=reverse_eller_tom("rehab:booking", fl.pk), link_tekst="Se booking",
            )
        )  # fmt: skip
    return poster


BIDRAG = SideBidrag(navn="rehab", hent=_hent, venter_paa=_venter_paa, tidslinje=_tidslinje)
