"""Use cases of the rehabiliteringsteam's meetings: meeting days, booking (the presentation of the
case to the team), moving a booked meeting, and recording the meeting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from cases import rules as cases_rules
from cases.models import Forloeb, Rolle, Tilstand
from cases.services import forloeb_overgang
from decisions.models import DokumentType
from decisions.services import dokument_opret
from infra import audit, datoer

from ..models import Booking, BookingStatus, Moededag, Omraade, Teammedlem
from .faelles import adgang


def moededag_opret(
    *,
    actor,
    dato: dt.date,
    kapacitet: int,
    sted: str = "",
    moedeleder=None,
    medlemmer: Sequence[tuple[str, str]] = (),
) -> Moededag:
    kommune_id = getattr(actor, "kommune_id", None)
    fejl = {}
    if kommune_id is None or getattr(actor, "rolle", None) not in PLANLAEGGERE:
        raise PermissionDenied("Kun teamlederen eller mødelederen kan oprette mødedage.")
    if not 1 <= int(kapacitet) <= 30:
        fejl["kapacitet"] = "Kapaciteten skal være mellem 1 og 30 sager."
    if dato < datoer.idag():
        fejl["dato"] = "En mødedag kan ikke ligge i fortiden."
    for i, (navn, omraade) in enumerate(medlemmer):
        if omraade not in Omraade.values or not navn.strip():
            fejl[f"medlemmer.{i}"] = "Angiv navn og område for hvert medlem."
    if Moededag.objects.filter(kommune_id=kommune_id, dato=dato, sted=sted).exists():
        fejl["dato"] = DUBLET_MOEDEDAG
    if fejl:
        raise ValidationError(fejl)
    try:
        dag = _moededag_gem(
            actor, kommune_id, medlemmer, dato=dato, kapacitet=kapacitet, sted=sted, moedeleder=moedeleder
        )
    except IntegrityError:  # the same day created at the same moment: the constraint decides
        raise ValidationError({"dato": DUBLET_MOEDEDAG}) from None
    return dag


DUBLET_MOEDEDAG = "Der er allerede en mødedag på denne dato og dette sted."


def _moededag_gem(actor, kommune_id, medlemmer, **felter) -> Moededag:
    dato, kapacitet = felter["dato"], felter["kapacitet"]
    with transaction.atomic():
        dag = Moededag.objects.create(kommune_id=kommune_id, **felter)
        Teammedlem.objects.bulk_create([Teammedlem(moededag=dag, navn=n.strip(), omraade=o) for n, o in medlemmer])
        audit.record(
            actor=actor,
            handling="moededag.opret",
            subject=dag,
            kommune_id=kommune_id,
            efter={"dato": dato, "kapacitet": kapacitet},
        )
    return dag


#: Who plans the rehabiliteringsteam's meeting days.
PLANLAEGGERE = (Rolle.TEAMLEDER, Rolle.MOEDELEDER)


def ledige_pladser(moededag: Moededag) -> int:
    return moededag.kapacitet - moededag.bookinger.exclude(status=BookingStatus.AFLYST).count()


def moede_book(
    *,
    actor,
    forloeb: Forloeb,
    moededag: Moededag,
    tidspunkt: dt.time | None = None,
    genforelaeg_begrundelse: str = "",
    idag: dt.date | None = None,
) -> Booking:
    """Book the forløb on a meeting day and present it to the team (or present it again).

    Capacity is checked under a lock on the meeting day; the lead time and the forberedende del are
    the transition's rules, so a refused presentation books nothing. A summons letter is drafted.
    """
    adgang(actor, forloeb)
    if moededag.kommune_id != forloeb.kommune_id:
        raise ValidationError({"moededag": "Mødedagen findes ikke."})
    overgang = "genforelaeg" if forloeb.tilstand == "indstilling" else "forelaeg_rehabiliteringsteam"
    fejl: dict[str, str] = {}
    if moededag.dato < (idag or datoer.idag()):
        fejl["moededag"] = "Mødedagen ligger i fortiden. Vælg en kommende mødedag."
    if overgang == "genforelaeg" and not (genforelaeg_begrundelse or "").strip():
        fejl["genforelaeg_begrundelse"] = (
            "Angiv kommunens begrundelse for at være uenig i indstillingen og genforelægge sagen."
        )
    if fejl:
        raise ValidationError(fejl)
    with transaction.atomic():
        # Lock the forløb first (as its transition will), then the day: one booking per forløb, no overbooking.
        list(Forloeb.objects.select_for_update().filter(pk=forloeb.pk).values_list("pk", flat=True))
        dag = Moededag.objects.select_for_update().get(pk=moededag.pk)
        if Booking.objects.filter(forloeb=forloeb, status=BookingStatus.BOOKET).exists():
            raise ValidationError({"moededag": "Forløbet har allerede en booket plads på en mødedag."})
        if ledige_pladser(dag) <= 0:
            raise ValidationError({"moededag": f"Mødedagen {dag.dato:%d.%m.%Y} er fuldt booket. Vælg en anden dag."})
        booking = Booking.objects.create(moededag=dag, forloeb=forloeb, tidspunkt=tidspunkt)
        data = {"moede_dato": dag.dato.isoformat()}
        if overgang == "genforelaeg":
            data["begrundelse"] = genforelaeg_begrundelse.strip()
        forloeb_overgang(actor=actor, forloeb=forloeb, overgang=overgang, data=data, idag=idag)
        _indkaldelse(actor, forloeb, booking)
        audit.record(
            actor=actor,
            handling="moede.book",
            subject=booking,
            borger_id=forloeb.borger_id,
            kommune_id=forloeb.kommune_id,
            efter={"moededag": dag.dato},
        )
    return booking


def _indkaldelse(actor, forloeb: Forloeb, booking: Booking, *, flyttet_fra: dt.date | None = None) -> None:
    """Draft the summons letter for ``booking`` (the caseworker issues and sends it)."""
    dag = booking.moededag
    tid = f" kl. {booking.tidspunkt:%H.%M}" if booking.tidspunkt else ""
    flyttet = f"Mødet den {flyttet_fra:%d.%m.%Y} er flyttet. " if flyttet_fra else ""
    dokument_opret(
        actor=actor,
        forloeb=forloeb,
        type=DokumentType.INDKALDELSE_REHABILITERINGSMOEDE,
        egen_flow=True,
        titel="Ny indkaldelse til møde i rehabiliteringsteamet"
        if flyttet_fra
        else ("Indkaldelse til møde i rehabiliteringsteamet"),
        tekst=(
            f"{flyttet}Du indkaldes til møde i rehabiliteringsteamet den {dag.dato:%d.%m.%Y}{tid}"
            f"{', ' + dag.sted if dag.sted else ''}. Du er velkommen til at tage en bisidder med. "
            "Kontakt din sagsbehandler, hvis du ikke kan komme."
        ),
        data={"moededag": str(dag.pk), "booking": str(booking.pk)},
    )


def moede_flyt(
    *,
    actor,
    booking: Booking,
    moededag: Moededag,
    aarsag: str,
    tidspunkt: dt.time | None = None,
    idag: dt.date | None = None,
) -> Booking:
    """Move a booked meeting to another meeting day (the citizen is ill, the day is cancelled...).

    The old booking is cancelled (``aflyst``) and frees its place; the new one is taken under a lock
    on the new day, with the same notice as a first booking (``rehab.moede_varsel``). The forløb
    stays before the team with the new meeting date, and a new summons letter is drafted."""
    adgang(actor, booking.forloeb)
    idag = idag or datoer.idag()
    fejl: dict[str, str] = {}
    if not (aarsag or "").strip():
        fejl["aarsag"] = "Angiv hvorfor mødet flyttes (det står i sagens historik)."
    if moededag.kommune_id != booking.forloeb.kommune_id:
        fejl["moededag"] = "Mødedagen findes ikke."
    elif moededag.pk == booking.moededag_id:
        fejl["moededag"] = "Vælg en anden mødedag end den, sagen er booket til."
    elif moededag.dato < idag:
        fejl["moededag"] = "Mødedagen ligger i fortiden. Vælg en kommende mødedag."
    elif not cases_rules.MOEDE_VARSEL.opfyldt(
        booking.forloeb, cases_rules.Kontekst(actor=actor, data={"moede_dato": moededag.dato}, idag=idag)
    ):
        fejl["moededag"] = cases_rules.MOEDE_VARSEL.besked
    if fejl:
        raise ValidationError(fejl)
    with transaction.atomic():
        fl = Forloeb.objects.select_for_update().get(pk=booking.forloeb_id)
        gammel = Booking.objects.select_for_update().select_related("moededag").get(pk=booking.pk)
        if gammel.status != BookingStatus.BOOKET or fl.tilstand != Tilstand.REHABILITERINGSTEAM:
            raise ValidationError({"status": "Kun et booket møde, som sagen venter på, kan flyttes."})
        dag = Moededag.objects.select_for_update().get(pk=moededag.pk)
        if ledige_pladser(dag) <= 0:
            raise ValidationError({"moededag": f"Mødedagen {dag.dato:%d.%m.%Y} er fuldt booket. Vælg en anden dag."})
        gammel.status = BookingStatus.AFLYST
        gammel.save(update_fields=["status"])
        ny = Booking.objects.create(moededag=dag, forloeb=fl, tidspunkt=tidspunkt)
        fl.rehab_moede_dato = dag.dato
        fl.version += 1
        fl.save(update_fields=["rehab_moede_dato", "version", "opdateret"])
        _indkaldelse(actor, fl, ny, flyttet_fra=gammel.moededag.dato)
        audit.record(
            actor=actor,
            handling="moede.flyt",
            subject=ny,
            borger_id=fl.borger_id,
            kommune_id=fl.kommune_id,
            foer={"moededag": gammel.moededag.dato, "booking": gammel.pk},
            efter={"moededag": dag.dato},
            begrundelse=aarsag.strip(),
        )
    return ny


def moede_afholdt(
    *,
    actor,
    booking: Booking,
    borger_til_stede: bool,
    deltagere: Sequence[int] = (),
    bisidder_navn: str = "",
    referat: str = "",
) -> Booking:
    """Record the meeting: who attended, whether the citizen (and a bisidder) was there."""
    adgang(actor, booking.forloeb)
    if booking.moededag.dato > datoer.idag():
        raise ValidationError({"moededag": "Mødet er ikke holdt endnu."})
    with transaction.atomic():
        b = Booking.objects.select_for_update().get(pk=booking.pk)
        if b.status == BookingStatus.AFLYST:
            raise ValidationError({"status": "Bookingen er aflyst; der kan ikke skrives referat af mødet."})
        ugyldige = set(deltagere) - set(b.moededag.medlemmer.values_list("pk", flat=True))
        if ugyldige:
            raise ValidationError({"deltagere": "Deltagerne skal være medlemmer på mødedagen."})
        b.status, b.borger_til_stede, b.bisidder_navn, b.referat = (
            BookingStatus.AFHOLDT,
            borger_til_stede,
            bisidder_navn.strip(),
            referat.strip(),
        )
        b.save()
        b.deltagere.set(deltagere)
        audit.record(
            actor=actor,
            handling="moede.afholdt",
            subject=b,
            borger_id=b.forloeb.borger_id,
            kommune_id=b.forloeb.kommune_id,
            efter={"borger_til_stede": borger_til_stede},
        )
    return b
