"""Use cases of rehabilitation. Each owns its transaction, writes its audit row and drives the
forløb only through ``cases.services.forloeb_overgang`` and the deadline engine."""

from __future__ import annotations

import datetime as dt
import os

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cases import frister
from cases import rules as cases_rules
from cases.models import Forloeb, Journalnotat, NotatType, Rolle, Tilstand, Udfald
from cases.selectors import forloeb_for
from cases.services import forloeb_overgang
from decisions.kilder import kilde_titel
from decisions.models import DokumentType
from decisions.services import dokument_opret, efter_afsendelse
from infra import audit, datoer
from infra.fejl import ForaeldetVersion

from . import rules
from .models import (
    SEKTIONER,
    TJEKLISTE,
    Bilag,
    BilagType,
    Booking,
    BookingStatus,
    ForberedendeDel,
    Indstilling,
    Moededag,
    Omraade,
    Partshoering,
    PartshoeringStatus,
    SundhedsKilde,
    Teammedlem,
    TjekSvar,
    Undtagelse,
)

DEL_FELTER = [
    *[n for n, _ in SEKTIONER],
    *[n for n, _ in TJEKLISTE],
    "skrevet_med_borger_dato",
    "borgerens_bemaerkninger",
    "egen_ansoegning_eksisterende_dokumentation",
    "laegeattest_undladt_begrundelse",
]
INDSTILLING_FELTER = [
    f.name
    for f in Indstilling._meta.fields
    if f.name not in ("id", "forloeb", "booking", "udfald", "dato", "skrevet_af", "oprettet")
]


def _adgang(actor, forloeb: Forloeb) -> None:
    if not forloeb_for(actor).filter(pk=forloeb.pk).exists():
        raise PermissionDenied


def _ikke_fremtid(navn: str, dato: dt.date | None, fejl: dict) -> None:
    if dato is not None and dato > datoer.idag():
        fejl[navn] = "Datoen kan ikke ligge i fremtiden."


# --- forberedende del ------------------------------------------------------------------------
def forberedende_del_opret(*, actor, forloeb: Forloeb) -> ForberedendeDel:
    """Start a forberedende del; a new presentation starts from the previous one's text."""
    _adgang(actor, forloeb)
    with transaction.atomic():
        forrige = rules.aktuel_del(forloeb)
        fd = ForberedendeDel(forloeb=forloeb)
        if forrige is not None:
            for navn, _ in SEKTIONER:
                setattr(fd, navn, getattr(forrige, navn))
        fd.save()
        audit.record(
            actor=actor,
            handling="forberedende_del.opret",
            subject=fd,
            borger_id=forloeb.borger_id,
            kommune_id=forloeb.kommune_id,
        )
    return fd


def forberedende_del_opdater(
    *, actor, forberedende_del: ForberedendeDel, expected_version: int | None = None, **felter
) -> ForberedendeDel:
    _adgang(actor, forberedende_del.forloeb)
    fejl = {f: "Ukendt felt." for f in sorted(set(felter) - set(DEL_FELTER))}
    _ikke_fremtid("skrevet_med_borger_dato", felter.get("skrevet_med_borger_dato"), fejl)
    for navn, _ in TJEKLISTE:
        if navn in felter and felter[navn] not in ("", *TjekSvar.values):
            fejl[navn] = "Svar ja, nej eller uafklaret."
    if fejl:
        raise ValidationError(fejl)
    with transaction.atomic():
        fd = ForberedendeDel.objects.select_for_update().get(pk=forberedende_del.pk)
        if expected_version is not None and fd.version != expected_version:
            raise ForaeldetVersion("Den forberedende del er ændret af en anden. Genindlæs og prøv igen.")
        foer = audit.snapshot(fd, list(felter))
        for k, v in felter.items():
            setattr(fd, k, v.strip() if isinstance(v, str) else v)
        fd.version += 1
        fd.save()
        # Health information is special-category data: the audit row names the fields, not their text.
        audit.record(
            actor=actor,
            handling="forberedende_del.opdater",
            subject=fd,
            borger_id=fd.forloeb.borger_id,
            kommune_id=fd.forloeb.kommune_id,
            efter={"felter": sorted(k for k in felter if foer.get(k) != getattr(fd, k))},
        )
    return fd


def bilag_tilfoej(
    *,
    actor,
    forberedende_del: ForberedendeDel,
    type: str,
    titel: str,
    dokument_dato: dt.date,
    kilde: str = "",
    resume: str = "",
    fil=None,
) -> Bilag:
    _adgang(actor, forberedende_del.forloeb)
    fejl: dict[str, str] = {}
    if type not in BilagType.values:
        fejl["type"] = "Vælg bilagstype."
    if not (titel or "").strip():
        fejl["titel"] = "Giv bilaget en titel."
    if dokument_dato is None:
        fejl["dokument_dato"] = "Angiv dokumentets dato."
    _ikke_fremtid("dokument_dato", dokument_dato, fejl)
    if kilde and kilde not in SundhedsKilde.values:
        fejl["kilde"] = "Ukendt udsteder."
    if fejl:
        raise ValidationError(fejl)
    with transaction.atomic():
        b = Bilag(
            forberedende_del=forberedende_del,
            type=type,
            titel=titel.strip(),
            dokument_dato=dokument_dato,
            kilde=kilde,
            resume=resume.strip(),
            oprettet_af=audit.actor_navn(actor),
        )
        if fil:
            # Stored under the attachment's id: an uploaded file name may hold a name or a CPR.
            fil.name = f"{b.pk}{os.path.splitext(fil.name or '')[1].lower()}"
            b.fil = fil
        b.save(force_insert=True)
        audit.record(
            actor=actor,
            handling="bilag.tilfoej",
            subject=b,
            borger_id=forberedende_del.forloeb.borger_id,
            kommune_id=forberedende_del.forloeb.kommune_id,
            efter={"type": type, "titel": b.titel},
        )
    return b


# --- meetings ------------------------------------------------------------------------------------
def moededag_opret(
    *,
    actor,
    dato: dt.date,
    kapacitet: int,
    sted: str = "",
    moedeleder=None,
    medlemmer: list[tuple[str, str]] = (),
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
    if fejl:
        raise ValidationError(fejl)
    with transaction.atomic():
        dag = Moededag.objects.create(
            kommune_id=kommune_id, dato=dato, kapacitet=kapacitet, sted=sted, moedeleder=moedeleder
        )
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
    _adgang(actor, forloeb)
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
    _adgang(actor, booking.forloeb)
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
    deltagere: list[int] = (),
    bisidder_navn: str = "",
    referat: str = "",
) -> Booking:
    """Record the meeting: who attended, whether the citizen (and a bisidder) was there."""
    _adgang(actor, booking.forloeb)
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


# --- indstilling ---------------------------------------------------------------------------------
def indstilling_registrer(
    *, actor, forloeb: Forloeb, udfald: str, dato: dt.date | None = None, idag: dt.date | None = None, **felter
) -> Indstilling:
    """Register the team's indstilling (or its postponement) and move the forløb accordingly."""
    _adgang(actor, forloeb)
    idag = idag or datoer.idag()
    dato = dato or idag
    fejl: dict[str, str] = {f: "Ukendt felt." for f in sorted(set(felter) - set(INDSTILLING_FELTER))}
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


# --- partshøring ---------------------------------------------------------------------------------
def partshoering_opret(*, actor, forloeb: Forloeb, grundlag: list[dict], tekst: str = "") -> Partshoering:
    """Draft a partshøring letter listing what the decision will rest on. Sending it (through the
    decisions app) starts the reply deadline."""

    _adgang(actor, forloeb)
    fejl: dict[str, str] = {}
    if not grundlag:
        fejl["grundlag"] = "Angiv de oplysninger og vurderinger, afgørelsen vil bygge på."
    rens = []
    for i, g in enumerate(grundlag):
        titel = kilde_titel(forloeb, g.get("kilde_type"), g.get("kilde_id"))
        if not str(g.get("tekst") or "").strip():
            fejl[f"grundlag.{i}.tekst"] = "Beskriv oplysningen."
        if titel is None:
            fejl[f"grundlag.{i}.kilde_id"] = "Kilden skal være et dokument i denne sag."
        rens.append(
            {
                "tekst": str(g.get("tekst") or "").strip(),
                "kilde_type": g.get("kilde_type"),
                "kilde_id": str(g.get("kilde_id")),
                "kilde_titel": titel,
            }
        )
    if fejl:
        raise ValidationError(fejl)
    indstilling = forloeb.indstillinger.order_by("-dato", "-oprettet").first()
    punkter = "\n".join(f"- {g['tekst']} (kilde: {g['kilde_titel']})" for g in rens)
    with transaction.atomic():
        brev = dokument_opret(
            actor=actor,
            forloeb=forloeb,
            type=DokumentType.PARTSHOERING,
            egen_flow=True,
            titel="Partshøring",
            tekst=(
                tekst.strip()
                or "Inden vi træffer afgørelse i din sag, vil vi give dig mulighed for at "
                "kommentere de oplysninger, vi vil lægge vægt på:"
            )
            + "\n\n"
            + punkter
            + "\n\nSvarfristen fremgår nedenfor. Du kan svare skriftligt eller ringe til din sagsbehandler.",
        )
        ph = Partshoering.objects.create(
            forloeb=forloeb, indstilling=indstilling, status=PartshoeringStatus.KLADDE, grundlag=rens, brev=brev
        )
        audit.record(
            actor=actor,
            handling="partshoering.opret",
            subject=ph,
            borger_id=forloeb.borger_id,
            kommune_id=forloeb.kommune_id,
            efter={"antal_punkter": len(rens)},
        )
    return ph


@efter_afsendelse(DokumentType.PARTSHOERING)
def _partshoering_sendt(dokument, forsendelse) -> None:
    ph = Partshoering.objects.select_for_update().filter(brev=dokument).first()
    if ph is None:
        return
    effekter = frister.registrer_haendelse(
        forloeb=dokument.forloeb,
        kode="partshoering_sendt",
        dato=forsendelse.afsendt_dato,
        actor_navn=forsendelse.afsendt_af,
    )
    svarfrist = next((f.gaeldende_forfald for f in effekter.oprettet if f.art == "partshoering_svar"), None)
    ph.status, ph.sendt_dato, ph.svarfrist = PartshoeringStatus.SENDT, forsendelse.afsendt_dato, svarfrist
    ph.save(update_fields=["status", "sendt_dato", "svarfrist"])


def partshoering_svar(*, actor, partshoering: Partshoering, dato: dt.date, tekst: str) -> Partshoering:
    """Register the citizen's reply (written or oral)."""
    _adgang(actor, partshoering.forloeb)
    fejl: dict[str, str] = {}
    if not (tekst or "").strip():
        fejl["tekst"] = "Gengiv borgerens bemærkninger."
    _ikke_fremtid("dato", dato, fejl)
    if fejl:
        raise ValidationError(fejl)
    with transaction.atomic():
        ph = Partshoering.objects.select_for_update().get(pk=partshoering.pk)
        if ph.status != PartshoeringStatus.SENDT:
            raise ValidationError({"status": "Der kan kun registreres svar på en sendt partshøring."})
        if dato < ph.sendt_dato:
            raise ValidationError({"dato": "Svaret kan ikke være modtaget før partshøringen blev sendt."})
        ph.status, ph.svar_dato, ph.svar_tekst = PartshoeringStatus.BESVARET, dato, tekst.strip()
        ph.save(update_fields=["status", "svar_dato", "svar_tekst"])
        frister.registrer_haendelse(
            forloeb=ph.forloeb, kode="partshoering_besvaret", dato=dato, actor_navn=audit.actor_navn(actor)
        )
        audit.record(
            actor=actor,
            handling="partshoering.svar",
            subject=ph,
            borger_id=ph.forloeb.borger_id,
            kommune_id=ph.forloeb.kommune_id,
            efter={"dato": dato},
        )
    return ph


def partshoering_undtag(*, actor, forloeb: Forloeb, undtagelse: str, begrundelse: str) -> Partshoering:
    """Record that partshøring is omitted under forvaltningsloven § 19, stk. 2 (or § 20), with the reason."""
    _adgang(actor, forloeb)
    fejl = {}
    if undtagelse not in Undtagelse.values:
        fejl["undtagelse"] = "Vælg hjemlen for undtagelsen."
    if not (begrundelse or "").strip():
        fejl["begrundelse"] = "Begrund konkret, hvorfor partshøring undlades."
    if fejl:
        raise ValidationError(fejl)
    idag = datoer.idag()
    with transaction.atomic():
        ph = Partshoering.objects.create(
            forloeb=forloeb,
            indstilling=forloeb.indstillinger.order_by("-dato").first(),
            status=PartshoeringStatus.UNDTAGET,
            undtagelse=undtagelse,
            undtagelse_begrundelse=begrundelse.strip(),
        )
        Journalnotat.objects.create(
            forloeb=forloeb,
            type=NotatType.NOTAT,
            overskrift="Partshøring undladt",
            tekst=f"{Undtagelse(undtagelse).label}\n\n{begrundelse.strip()}",
            forfatter=actor if hasattr(actor, "rolle") and not getattr(actor, "er_api_klient", False) else None,
            forfatter_navn=audit.actor_navn(actor),
        )
        frister.registrer_haendelse(
            forloeb=forloeb,
            kode="partshoering_undtagelse",
            dato=idag,
            data={"undtagelse": undtagelse},
            actor_navn=audit.actor_navn(actor),
        )
        audit.record(
            actor=actor,
            handling="partshoering.undtag",
            subject=ph,
            borger_id=forloeb.borger_id,
            kommune_id=forloeb.kommune_id,
            efter={"undtagelse": undtagelse},
            begrundelse=begrundelse.strip(),
        )
    return ph
