"""Use cases of complaints (klager, DOMAIN.md §5; retssikkerhedsloven §§ 66-67).

    modtaget ──genvurder(medhold)──▶ medhold                       (new decision replaces the old)
        └────genvurder(fastholdt)──▶ fastholdt ──send──▶ sendt_til_ankestyrelsen ──resultat──▶ afgjort

Each step is one service that owns its transaction, locks the complaint, checks its order, writes
its audit row and moves the deadlines through the deadline engine: ``klage_modtaget`` closes the
decision's klagefrist and starts the 4-week genvurdering; ``genvurdering_medhold`` or
``klage_sendt_ankestyrelsen`` closes it. All events carry the complained decision's id as
reference, so they touch that decision's deadlines only. A step used out of order raises
:class:`KlageFejl` (Danish message) and changes nothing.

A late complaint is flagged ``for_sent``, never refused: Ankestyrelsen may accept it for special
reasons. Ankestyrelsen's ``hjemvist`` (and ``aendret``) leave a journal note whose next step is
the new decision, so the case shows up as the forløb's next step for its caseworker (a
notification would be lost: notifications are unique per deadline/threshold/recipient, and this is
no deadline).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery, TextField, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from cases import frister, regelkatalog
from cases.models import Forloeb, Frist, NotatType, Rolle
from cases.selectors import forloeb_for
from cases.services import forloeb_registrer_haendelse, journalnotat_opret
from infra import audit, datoer
from infra.fejl import DomaeneFejl, FindesIkke

from . import ankepakke
from .models import AnkeResultat, Dokument, DokumentStatus, DokumentType, Klage, KlageKanal, KlageStatus
from .services import dokument_opret

GENVURDERING_RESULTATER = (KlageStatus.MEDHOLD, KlageStatus.FASTHOLDT)


class KlageFejl(DomaeneFejl):
    """A complaint step used out of order (or on something that cannot be complained about)."""

    status = 409
    slug = "klage-forkert-status"
    titel = "Klagen kan ikke behandles sådan nu"


# --- reads -----------------------------------------------------------------------------------------
def klager_for(user) -> QuerySet[Klage]:
    """Complaints the user may see: those on forløb within the user's reach."""
    return Klage.objects.filter(forloeb__in=forloeb_for(user).values("pk")).select_related(
        "afgoerelse", "forloeb", "ny_afgoerelse"
    )


def afgoerelser_for(user) -> QuerySet[Dokument]:
    """Documents (decisions and letters) on forløb within the user's reach."""
    return Dokument.objects.filter(forloeb__in=forloeb_for(user).values("pk"))


def ankepakke_indhold(klage: Klage) -> bytes:
    """The appeal package (ZIP) exactly as sent; ``FindesIkke`` until the complaint is sent."""
    if not klage.ankepakke_sha256:
        raise FindesIkke("Ankepakken er ikke dannet endnu. Den dannes, når klagen sendes.")
    with klage.ankepakke.open("rb") as f:
        return f.read()


def klagefrist_for(afgoerelse: Dokument) -> Frist | None:
    """The klagefrist of this decision (open or closed), started when the citizen received it."""
    return (
        Frist.objects.filter(forloeb_id=afgoerelse.forloeb_id, art="klagefrist", reference=str(afgoerelse.pk))
        .order_by("-start_dato", "-oprettet")
        .first()
    )


def _genvurdering_brev_id(klage_id, forloeb_id) -> Subquery:
    """The id of the letter telling the citizen the result of a complaint's genvurdering (drafted by
    klage_genvurder): the complaint's forløb's latest genvurdering letter naming the complaint."""
    brev = (
        Dokument.objects.annotate(_klage=KeyTextTransform("klage", "data"))
        .filter(forloeb_id=forloeb_id, type=DokumentType.GENVURDERING_RESULTAT, _klage=Cast(klage_id, TextField()))
        .order_by("-oprettet")
        .values("pk")[:1]
    )
    return Subquery(brev)


def med_genvurdering_brev(klager: QuerySet[Klage]) -> QuerySet[Klage]:
    """The complaints with the id of their genvurdering letter (``genvurdering_brev_id``) in the same
    query, for lists (one look-up per row otherwise)."""
    return klager.annotate(genvurdering_brev_id=_genvurdering_brev_id(OuterRef("pk"), OuterRef("forloeb_id")))


def genvurdering_brev(klage: Klage) -> Dokument | None:
    """The letter telling the citizen the result of the genvurdering (drafted by klage_genvurder), by
    the same definition as :func:`med_genvurdering_brev` (one query)."""
    return Dokument.objects.filter(pk=_genvurdering_brev_id(Value(str(klage.pk)), klage.forloeb_id)).first()


# --- helpers ---------------------------------------------------------------------------------------
def _adgang(actor, forloeb: Forloeb) -> None:
    if not forloeb_for(actor).filter(pk=forloeb.pk).exists():
        raise PermissionDenied
    if not (
        getattr(actor, "er_api_klient", False)
        or getattr(actor, "rolle", None) in (Rolle.SAGSBEHANDLER, Rolle.TEAMLEDER, Rolle.JURIST)
    ):
        raise PermissionDenied("Kun sagsbehandlere, teamledere og jurister kan behandle klager.")


def _laas(klage: Klage) -> Klage:
    return Klage.objects.select_for_update().select_related("afgoerelse", "forloeb").get(pk=klage.pk)


def _kraev_status(klage: Klage, *tilladte: str, handling: str) -> None:
    if klage.status not in tilladte:
        forventet = " eller ".join(f"'{KlageStatus(s).label.lower()}'" for s in tilladte)
        raise KlageFejl(
            f"Klagen kan ikke {handling}, når den har status '{klage.get_status_display().lower()}'. "
            f"Det kræver status {forventet}."
        )


def _ikke_fremtid(felt: str, dato: dt.date, fejl: dict) -> None:
    if dato > datoer.idag():
        fejl[felt] = "Datoen kan ikke ligge i fremtiden."


def _fristens_forfald(afgoerelse: Dokument) -> dt.date | None:
    """The klagefrist's due date: the deadline row, or (without one) computed from the delivery."""
    frist = klagefrist_for(afgoerelse)
    if frist is not None:
        return frist.gaeldende_forfald
    forsendelse = afgoerelse.gaeldende_forsendelse
    if forsendelse is None:
        return None  # issued but not sent: the klagefrist has not started
    definition = regelkatalog.frist_definition("klagefrist", afgoerelse.kommune_id, forsendelse.modtaget_dato)
    if definition is None:
        return None
    forfald, _ = frister.beregn(definition, forsendelse.modtaget_dato, "afgoerelse_modtaget")
    return forfald


def _registrer(actor, klage: Klage, kode: str, dato: dt.date) -> dict:
    effekter = forloeb_registrer_haendelse(
        actor=actor, forloeb=klage.forloeb, kode=kode, dato=dato, reference=str(klage.afgoerelse_id)
    )
    return effekter.as_dict()


def _record(actor, klage: Klage, handling: str, *, foer: dict | None = None, efter: dict | None = None) -> None:
    audit.record(
        actor=actor,
        handling=handling,
        subject=klage,
        borger_id=klage.forloeb.borger_id,
        kommune_id=klage.forloeb.kommune_id,
        foer=foer,
        efter=efter,
    )


# --- use cases -------------------------------------------------------------------------------------
def klage_modtag(*, actor, afgoerelse: Dokument, modtaget_dato: dt.date, kanal: str, indhold: str = "") -> Klage:
    """Register a complaint about an issued decision. Closes its klagefrist, starts the genvurdering.

    A complaint received after the klagefrist is accepted and flagged ``for_sent``."""
    _adgang(actor, afgoerelse.forloeb)
    fejl: dict[str, str] = {}
    if kanal not in KlageKanal.values:
        fejl["kanal"] = f"Ukendt kanal. Brug en af: {', '.join(KlageKanal.values)}."
    if not isinstance(modtaget_dato, dt.date):
        fejl["modtaget_dato"] = "Angiv datoen, klagen blev modtaget."
    else:
        _ikke_fremtid("modtaget_dato", modtaget_dato, fejl)
    if fejl:
        raise ValidationError(fejl)
    with transaction.atomic():
        d = Dokument.objects.select_for_update().select_related("forloeb").get(pk=afgoerelse.pk)
        if not d.er_afgoerelse:
            raise KlageFejl(
                f"'{d.get_type_display()}' er et brev, ikke en afgørelse. Der kan kun klages over en afgørelse."
            )
        if d.status == DokumentStatus.KLADDE:
            raise KlageFejl("Afgørelsen er ikke udstedt. Der kan kun klages over en udstedt afgørelse.")
        if hasattr(d, "erstattet_af"):
            raise KlageFejl(
                "Afgørelsen er erstattet af en nyere afgørelse. Registrér klagen på den gældende afgørelse."
            )
        if Klage.objects.filter(afgoerelse=d).exclude(status=KlageStatus.AFGJORT).exists():
            raise KlageFejl("Der er allerede en klage over afgørelsen under behandling.")
        forsendelse = d.gaeldende_forsendelse
        tidligst = forsendelse.afsendt_dato if forsendelse else None
        if tidligst and modtaget_dato < tidligst:
            raise ValidationError({"modtaget_dato": "Klagen kan ikke være modtaget, før afgørelsen blev sendt."})
        forfald = _fristens_forfald(d)
        for_sent = forfald is not None and modtaget_dato > forfald
        klage = Klage.objects.create(
            afgoerelse=d,
            forloeb=d.forloeb,
            modtaget_dato=modtaget_dato,
            kanal=kanal,
            for_sent=for_sent,
            klagens_indhold=(indhold or "").strip(),
        )
        effekter = _registrer(actor, klage, "klage_modtaget", modtaget_dato)
        _record(
            actor,
            klage,
            "klage.modtag",
            efter={
                "afgoerelse": d.pk,
                "modtaget_dato": modtaget_dato,
                "kanal": kanal,
                "for_sent": for_sent,
                "klagefrist": forfald,
                "frister": effekter,
            },
        )
    return klage


def _brevtekst(klage: Klage, resultat: str, begrundelse: str, ny: Dokument | None) -> str:
    a = klage.afgoerelse
    udstedt = datoer.dansk_dato(datoer.lokal_dato(a.udstedt)) if a.udstedt else "(ikke angivet)"
    intro = (
        f"Vi har modtaget din klage den {datoer.dansk_dato(klage.modtaget_dato)} over vores afgørelse "
        f"af {udstedt} ({a.titel}, sagsnummer {a.sagsnummer}), og vi har genvurderet afgørelsen."
    )
    if resultat == KlageStatus.MEDHOLD:
        udfald = (
            "Du får medhold i din klage. Vi har truffet en ny afgørelse, der erstatter den tidligere"
            + (f": {ny.titel}." if ny else ".")
            + " Den nye afgørelse indeholder en ny klagevejledning."
        )
    else:
        udfald = (
            "Vi fastholder afgørelsen. Derfor sender vi din klage og sagens akter til Ankestyrelsen, "
            "som behandler klagen (retssikkerhedsloven). Du hører fra Ankestyrelsen, når de har modtaget sagen."
        )
    return f"{intro}\n\n{udfald}\n\nBegrundelse for genvurderingen:\n{begrundelse}"


def klage_genvurder(
    *,
    actor,
    klage: Klage,
    resultat: str,
    begrundelse: str,
    ny_afgoerelse: Dokument | None = None,
    idag: dt.date | None = None,
) -> Klage:
    """Record the municipality's genvurdering and draft the letter telling the citizen the result.

    ``medhold`` requires a new issued decision that replaces the complained one and closes the
    genvurdering deadline; ``fastholdt`` leaves it open until the case is sent to Ankestyrelsen."""
    _adgang(actor, klage.forloeb)
    idag = idag or datoer.idag()
    fejl: dict[str, str] = {}
    if resultat not in GENVURDERING_RESULTATER:
        fejl["resultat"] = "Vælg 'medhold' eller 'fastholdt'."
    if not (begrundelse or "").strip():
        fejl["begrundelse"] = "Begrund genvurderingen."
    _ikke_fremtid("dato", idag, fejl)
    if resultat == KlageStatus.FASTHOLDT and ny_afgoerelse is not None:
        fejl["ny_afgoerelse"] = "En ny afgørelse hører kun til medhold."
    if fejl:
        raise ValidationError(fejl)
    with transaction.atomic():
        k = _laas(klage)
        _kraev_status(k, KlageStatus.MODTAGET, handling="genvurderes")
        if idag < k.modtaget_dato:
            raise ValidationError({"dato": "Genvurderingen kan ikke ligge før klagen blev modtaget."})
        ny = None
        if resultat == KlageStatus.MEDHOLD:
            if ny_afgoerelse is None:
                raise ValidationError(
                    {"ny_afgoerelse": "Medhold kræver en ny udstedt afgørelse, der erstatter den påklagede."}
                )
            ny = Dokument.objects.get(pk=ny_afgoerelse.pk)
            if ny.erstatter_id != k.afgoerelse_id or not ny.er_afgoerelse:
                raise ValidationError(
                    {"ny_afgoerelse": "Den nye afgørelse skal være oprettet som erstatning for den påklagede."}
                )
            if ny.status == DokumentStatus.KLADDE:
                raise ValidationError({"ny_afgoerelse": "Udsted den nye afgørelse, før medhold registreres."})
        foer = audit.snapshot(k, ["status"])
        k.status = resultat
        k.genvurderet_dato = idag
        k.genvurdering_begrundelse = begrundelse.strip()
        k.ny_afgoerelse = ny
        k.save(update_fields=["status", "genvurderet_dato", "genvurdering_begrundelse", "ny_afgoerelse"])
        effekter = _registrer(actor, k, "genvurdering_medhold", idag) if ny else {}

        brev = dokument_opret(
            actor=actor,
            forloeb=k.forloeb,
            type=DokumentType.GENVURDERING_RESULTAT,
            egen_flow=True,
            titel="Resultat af genvurdering af din klage",
            tekst=_brevtekst(k, resultat, k.genvurdering_begrundelse, ny),
            data={"klage": str(k.pk), "resultat": resultat},
        )
        _record(
            actor,
            k,
            "klage.genvurder",
            foer=foer,
            efter={"status": resultat, "dato": idag, "ny_afgoerelse": ny, "brev": brev.pk, "frister": effekter},
        )
    return k


def klage_send_til_ankestyrelsen(*, actor, klage: Klage, idag: dt.date | None = None) -> Klage:
    """Build the appeal package (decisions/ankepakke.py), store it with its SHA-256 and close the
    genvurdering deadline. Only after the decision was upheld (fastholdt)."""

    _adgang(actor, klage.forloeb)
    idag = idag or datoer.idag()
    if idag > datoer.idag():
        raise ValidationError({"dato": "Datoen kan ikke ligge i fremtiden."})
    with transaction.atomic():
        k = _laas(klage)
        _kraev_status(k, KlageStatus.FASTHOLDT, handling="sendes til Ankestyrelsen")
        if k.genvurderet_dato and idag < k.genvurderet_dato:
            raise ValidationError({"dato": "Klagen kan ikke sendes, før den er genvurderet."})
        k.sendt_til_ankestyrelsen = idag
        data = ankepakke.byg(k)
        sha = hashlib.sha256(data).hexdigest()
        k.ankepakke.save(f"{k.pk}.zip", ContentFile(data), save=False)  # the id, never a name or CPR
        k.ankepakke_sha256 = sha
        k.status = KlageStatus.SENDT_TIL_ANKESTYRELSEN
        k.save(update_fields=["status", "sendt_til_ankestyrelsen", "ankepakke", "ankepakke_sha256"])
        effekter = _registrer(actor, k, "klage_sendt_ankestyrelsen", idag)
        _record(
            actor,
            k,
            "klage.send_til_ankestyrelsen",
            foer={"status": KlageStatus.FASTHOLDT},
            efter={"status": k.status, "dato": idag, "ankepakke_sha256": sha, "frister": effekter},
        )
    return k


_NOTAT: dict[str, tuple[str, str, str]] = {
    AnkeResultat.HJEMVIST: (
        "Ankestyrelsen har hjemvist sagen",
        "Ankestyrelsen har hjemvist sagen til fornyet behandling. Kommunen skal træffe en ny afgørelse.",
        "Træf ny afgørelse efter Ankestyrelsens hjemvisning",
    ),
    AnkeResultat.AENDRET: (
        "Ankestyrelsen har ændret afgørelsen",
        "Ankestyrelsen har ændret kommunens afgørelse. Kommunen skal føre Ankestyrelsens afgørelse ud i livet.",
        "Effektuér Ankestyrelsens afgørelse",
    ),
}


def klage_ankestyrelsens_resultat(*, actor, klage: Klage, resultat: str, dato: dt.date) -> Klage:
    """Record Ankestyrelsen's result. ``hjemvist`` and ``aendret`` leave a journal note whose next
    step (the new decision, or carrying out Ankestyrelsen's) becomes the forløb's next step."""
    _adgang(actor, klage.forloeb)
    fejl: dict[str, str] = {}
    if resultat not in AnkeResultat.values:
        fejl["resultat"] = f"Ukendt resultat. Brug en af: {', '.join(AnkeResultat.values)}."
    if not isinstance(dato, dt.date):
        fejl["dato"] = "Angiv datoen for Ankestyrelsens afgørelse."
    else:
        _ikke_fremtid("dato", dato, fejl)
    if fejl:
        raise ValidationError(fejl)
    with transaction.atomic():
        k = _laas(klage)
        _kraev_status(k, KlageStatus.SENDT_TIL_ANKESTYRELSEN, handling="få Ankestyrelsens resultat")
        if k.sendt_til_ankestyrelsen and dato < k.sendt_til_ankestyrelsen:
            raise ValidationError({"dato": "Ankestyrelsens afgørelse kan ikke ligge før sagen blev sendt."})
        k.status = KlageStatus.AFGJORT
        k.ankestyrelsens_resultat = resultat
        k.resultat_dato = dato
        k.save(update_fields=["status", "ankestyrelsens_resultat", "resultat_dato"])
        notat = None
        if resultat in _NOTAT:
            overskrift, tekst, naeste = _NOTAT[resultat]
            notat = journalnotat_opret(
                actor=actor,
                forloeb=k.forloeb,
                type=NotatType.NOTAT,
                overskrift=overskrift,
                tekst=(
                    f"{tekst}\n\nPåklaget afgørelse: {k.afgoerelse.titel} ({k.afgoerelse.sagsnummer}). "
                    f"Ankestyrelsens afgørelse: {datoer.dansk_dato(dato)}."
                ),
                naeste_skridt=naeste,
                naeste_skridt_dato=datoer.idag(),
            )
        _record(
            actor,
            k,
            "klage.ankestyrelsens_resultat",
            foer={"status": KlageStatus.SENDT_TIL_ANKESTYRELSEN},
            efter={"status": k.status, "resultat": resultat, "dato": dato, "journalnotat": notat},
        )
    return k
