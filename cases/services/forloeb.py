"""Use cases of the forløb: create, transition, events, journal notes and reassignment."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases import frister, overgange, regelkatalog, rules
from cases.models import (
    Borger,
    Forloeb,
    Journalnotat,
    NotatType,
    Notifikation,
    OvergangLog,
    Rolle,
    Sagsejerskab,
    Tilstand,
    User,
)
from infra import audit, datoer, udbakke
from infra.fejl import DomaeneFejl, ForaeldetVersion


class OvergangFejl(DomaeneFejl):
    """Base of transition refusals the API and UI turn into user-facing answers."""


class UkendtOvergang(OvergangFejl):
    status = 404
    slug = "ukendt-overgang"
    titel = "Ukendt overgang"

    def __init__(self, overgang: str):
        super().__init__(f"Overgangen '{overgang}' findes ikke.")
        self.overgang = overgang


class ForkertTilstand(OvergangFejl):
    status = 409
    slug = "forkert-tilstand"
    titel = "Overgangen passer ikke til tilstanden"

    def __init__(self, overgang: str, tilstand: str):
        label = Tilstand(tilstand).label.lower()
        super().__init__(f"Overgangen '{overgang}' kan ikke udføres, når forløbet er i tilstanden '{label}'.")
        self.overgang, self.tilstand = overgang, tilstand


FORLOEB_AENDRET = "Forløbet er ændret, siden du hentede det. Hent det igen og prøv på ny."


class OvergangAfvist(OvergangFejl):
    """One or more rules are unmet; ``uopfyldte`` lists them all (the API's ``betingelser``)."""

    status = 409
    slug = "betingelser-ikke-opfyldt"
    titel = "Betingelser ikke opfyldt"

    def __init__(self, overgang: str, uopfyldte: list[rules.UopfyldtBetingelse]):
        super().__init__(f"Overgangen '{overgang}' kan ikke udføres endnu: {len(uopfyldte)} betingelse(r) mangler.")
        self.overgang, self.uopfyldte = overgang, uopfyldte

    def problem_data(self) -> dict:
        return {"betingelser": [m.as_dict() for m in self.uopfyldte]}


def _seneste_dato(forloeb: Forloeb) -> dt.date | None:
    return forloeb.historik.order_by("-dato", "-id").values_list("dato", flat=True).first()


def tilbagedatering_max_dage(forloeb: Forloeb, idag: dt.date) -> int:
    """How many days back the forløb's first transition may be dated without a reason (the catalogue)."""
    return int(regelkatalog.parameter("tilbagedatering_max_dage", forloeb.kommune_id, idag, 14))


def mulige_overgange(forloeb: Forloeb, actor) -> list[overgange.OvergangSpec]:
    """The transitions out of the forløb's state that the actor's role may take, without judging
    the case's rules: cheap enough for every row of a list. ``actor=None``: whatever the role
    (e.g. which decisions can be drafted now)."""
    return [
        s for s in overgange.OVERGANGE if s.fra_tilstand(forloeb.tilstand) and (actor is None or s.rolle_maa(actor))
    ]


@dataclass
class TilladtOvergang:
    spec: overgange.OvergangSpec
    mulig: bool
    mangler: list[rules.UopfyldtBetingelse]

    @property
    def navn(self) -> str:
        return self.spec.navn

    @property
    def titel(self) -> str:
        return self.spec.titel

    @property
    def felter(self) -> tuple[overgange.Felt, ...]:
        return self.spec.felter

    def as_dict(self) -> dict:
        return {
            "overgang": self.navn,
            "titel": self.titel,
            "mulig": self.mulig,
            "mangler": [m.as_dict() for m in self.mangler],
            "felter": [f.as_dict() for f in self.felter],
        }


def tilladte_overgange(forloeb: Forloeb, actor, *, idag: dt.date | None = None) -> list[TilladtOvergang]:
    """The transitions the caller may take from the current state, each with what is missing now.

    The one answer to "what can be done from here" (the citizen page, the API's forløb, the
    decisions); :func:`mulige_overgange` is the same without the rules, for list rows. Rules that
    depend on the transition's own input (e.g. the meeting date) are judged when the input
    arrives; here they are evaluated against empty input only if they do not need it.
    """
    idag = idag or datoer.idag()
    ktx = rules.Kontekst(actor=actor, data={}, dato=idag, idag=idag)
    out = []
    for s in mulige_overgange(forloeb, actor):
        mangler = rules.uopfyldte(s.navn, forloeb, ktx, uden_input=True, husk=True)
        out.append(TilladtOvergang(s, not mangler, mangler))
    return out


# ---------------------------------------------------------------------------------------------
def forloeb_opret(*, actor, borger: Borger, sagsbehandler: User | None = None) -> Forloeb:
    """Open a forløb for a citizen (one open forløb at a time), owned by ``sagsbehandler``."""
    if sagsbehandler is None and getattr(actor, "rolle", None) == Rolle.SAGSBEHANDLER:
        sagsbehandler = actor
    if sagsbehandler is not None and not sagsbehandler.teams.filter(pk=borger.team_id).exists():
        raise ValidationError({"sagsbehandler": "Sagsbehandleren skal være medlem af borgerens team."})
    if Forloeb.objects.filter(borger=borger).exclude(tilstand=Tilstand.AFSLUTTET).exists():
        raise ValidationError({"borger": "Borgeren har allerede et åbent forløb."})
    try:
        with transaction.atomic():
            forloeb = Forloeb.objects.create(
                borger=borger, kommune_id=borger.kommune_id, team_id=borger.team_id, sagsbehandler=sagsbehandler
            )
            if sagsbehandler is not None:
                Sagsejerskab.objects.create(
                    forloeb=forloeb, sagsbehandler=sagsbehandler, tildelt_af_navn=audit.actor_navn(actor)
                )
            audit.record(
                actor=actor, handling="forloeb.opret", subject=forloeb, borger=borger,
                efter={"tilstand": forloeb.tilstand, "sagsbehandler": sagsbehandler.pk if sagsbehandler else None},
            )  # fmt: skip
    except IntegrityError:
        raise ValidationError({"borger": "Borgeren har allerede et åbent forløb."}) from None
    return forloeb


def forloeb_overgang(
    *,
    actor,
    forloeb: Forloeb,
    overgang: str,
    data: dict | None = None,
    expected_version: int | None = None,
    idag: dt.date | None = None,
) -> OvergangLog:
    """Run one transition: validate, check every rule, change state, record history, audit,
    drive the deadlines and schedule side effects after commit. Owns its transaction."""
    spec = overgange.SPECS.get(overgang)
    if spec is None:
        raise UkendtOvergang(overgang)
    if not spec.rolle_maa(actor):
        raise PermissionDenied("Din rolle kan ikke udføre denne overgang.")
    idag = idag or datoer.idag()
    with transaction.atomic():
        # Serialise transitions of one forløb: the second waits here and then sees the new state.
        fl = Forloeb.objects.select_for_update().select_related("borger", "team").get(pk=forloeb.pk)
        if expected_version is not None and fl.version != expected_version:
            raise ForaeldetVersion(FORLOEB_AENDRET)
        if not spec.fra_tilstand(fl.tilstand):
            raise ForkertTilstand(overgang, fl.tilstand)
        seneste = _seneste_dato(fl)
        ren = overgange.valider(
            overgang,
            {} if data is None else data,
            idag=idag,
            seneste=seneste,
            tilbagedatering_max_dage=tilbagedatering_max_dage(fl, idag) if seneste is None else None,
        )
        ktx = rules.Kontekst(actor=actor, data=ren, dato=ren["dato"], idag=idag)
        mangler = rules.uopfyldte(overgang, fl, ktx)
        if mangler:
            raise OvergangAfvist(overgang, mangler)
        fra = fl.tilstand
        fl._overgang_kontekst = ktx
        try:
            getattr(fl, overgang)(**spec.kald_argumenter(ren))
        finally:
            del fl._overgang_kontekst
        spec.anvend_fakta(fl, ren)
        fl.version += 1
        fl.save()
        effekter = frister.Effekter()
        navn = audit.actor_navn(actor)
        for kode, dato, extra in spec.udsend(fl, ren):
            effekter.merge(frister.registrer_haendelse(forloeb=fl, kode=kode, dato=dato, data=extra, actor_navn=navn))
        if effekter.noget_at_varsle(idag):
            # A deadline already due, overdue or inside its warning window is marked and notified now,
            # with the transition, not at the next beat (which then finds nothing left to do). A
            # transition whose new deadlines lie beyond their warnings pays nothing for this.
            frister.sweep(idag=idag, forloeb_id=fl.pk)
        jsondata = audit.jsonable(ren)
        log = OvergangLog.objects.create(
            forloeb=fl, overgang=overgang, fra_tilstand=fra, til_tilstand=fl.tilstand, dato=ren["dato"],
            data=jsondata, regler={"fristdefinitioner": effekter.definition_ids()}, **audit.actor_fields(actor),
        )  # fmt: skip
        audit.record(
            actor=actor, handling=f"forloeb.overgang.{overgang}", subject=fl, borger=fl.borger,
            foer={"tilstand": fra}, efter={"tilstand": fl.tilstand, "data": jsondata, "frister": effekter.as_dict()},
        )  # fmt: skip
        udbakke.koe("cases.efter_overgang", log.pk)  # the outbox: committed with the transition
    forloeb.__dict__.update({k: v for k, v in fl.__dict__.items() if not k.startswith("_")})
    return log


def forloeb_registrer_haendelse(
    *, actor, forloeb: Forloeb, kode: str, dato: dt.date, data: dict | None = None, reference: str = ""
) -> frister.Effekter:
    """Record an event that is not a transition (a letter sent, a reply received, a meeting held)."""
    if kode not in frister.HAENDELSER:
        raise ValidationError({"kode": f"Ukendt hændelse '{kode}'."})
    if dato > datoer.idag():
        raise ValidationError({"dato": "Datoen kan ikke ligge i fremtiden."})
    with transaction.atomic():
        fl = Forloeb.objects.select_for_update().get(pk=forloeb.pk)
        effekter = frister.registrer_haendelse(
            forloeb=fl, kode=kode, dato=dato, data=data, reference=reference, actor_navn=audit.actor_navn(actor)
        )
        fl.version += 1
        fl.save(update_fields=["version", "opdateret"])
        audit.record(
            actor=actor, handling=f"forloeb.haendelse.{kode}", subject=fl, borger_id=fl.borger_id,
            kommune_id=fl.kommune_id, efter={"dato": dato, "data": data or {}, "frister": effekter.as_dict()},
        )  # fmt: skip
    forloeb.version = fl.version
    return effekter


def journalnotat_opret(
    *,
    actor,
    forloeb: Forloeb,
    type: str,
    overskrift: str,
    tekst: str,
    naeste_skridt: str = "",
    naeste_skridt_dato: dt.date | None = None,
    id: uuid.UUID | None = None,  # the note's own id, chosen by the form
) -> Journalnotat:
    """Write a journal note; a 'next step' also becomes the forløb's next step.

    ``id`` makes the call idempotent: a form carries a fresh id, so a double submit (or a retry
    after a lost response) finds the note already written and returns it unchanged.
    """
    fejl = {}
    if type not in NotatType.values:
        fejl["type"] = "Ukendt notattype."
    if not (overskrift or "").strip():
        fejl["overskrift"] = "Overskrift skal udfyldes."
    if not (tekst or "").strip():
        fejl["tekst"] = "Notatet skal have en tekst."
    if naeste_skridt_dato and not (naeste_skridt or "").strip():
        fejl["naeste_skridt"] = "Beskriv næste skridt, når der er en dato."
    if naeste_skridt_dato and naeste_skridt_dato < datoer.idag():
        fejl["naeste_skridt_dato"] = "Datoen for næste skridt kan ikke ligge i fortiden."
    if fejl:
        raise ValidationError(fejl)
    with transaction.atomic():
        fl = Forloeb.objects.select_for_update().get(pk=forloeb.pk)
        if id is not None:
            tidligere = Journalnotat.objects.filter(pk=id).first()
            if tidligere is not None and tidligere.forloeb_id == fl.pk:
                return tidligere
            if tidligere is not None:
                id = None  # an id of another forløb's note is never reused
        notat = Journalnotat.objects.create(
            **({"id": id} if id else {}), forloeb=fl, type=type, overskrift=overskrift.strip(), tekst=tekst.strip(),
            naeste_skridt=(naeste_skridt or "").strip(), naeste_skridt_dato=naeste_skridt_dato,
            forfatter=actor if isinstance(actor, User) else None, forfatter_navn=audit.actor_navn(actor),
        )  # fmt: skip
        if notat.naeste_skridt:
            fl.naeste_skridt, fl.naeste_skridt_dato = notat.naeste_skridt, notat.naeste_skridt_dato
            fl.version += 1
            fl.save(update_fields=["naeste_skridt", "naeste_skridt_dato", "version", "opdateret"])
        audit.record(
            actor=actor, handling="journalnotat.opret", subject=notat, borger_id=fl.borger_id,
            kommune_id=fl.kommune_id, efter={"type": type, "overskrift": notat.overskrift},
        )  # fmt: skip
    return notat


def forloeb_tildel(
    *,
    actor,
    forloeb: Forloeb,
    sagsbehandler: User,
    overdragelsesnotat: str = "",
    expected_version: int | None = None,
) -> Forloeb:
    """Give the forløb a new owner. A handover note is required when it already has one.

    Checks run on the locked row, so two leaders reassigning at once cannot overwrite each other.
    """

    notat = (overdragelsesnotat or "").strip()
    with transaction.atomic():
        fl = Forloeb.objects.select_for_update().get(pk=forloeb.pk)
        if expected_version is not None and fl.version != expected_version:
            raise ForaeldetVersion(FORLOEB_AENDRET)
        er_leder = getattr(actor, "rolle", None) == Rolle.TEAMLEDER
        if not (er_leder or fl.sagsbehandler_id == getattr(actor, "pk", None)):
            raise PermissionDenied("Kun teamlederen eller den nuværende sagsbehandler kan overdrage forløbet.")
        fejl = {}
        if not sagsbehandler.teams.filter(pk=fl.team_id).exists() or sagsbehandler.kommune_id != fl.kommune_id:
            fejl["sagsbehandler"] = "Den nye sagsbehandler skal være medlem af forløbets team."
        elif fl.sagsbehandler_id == sagsbehandler.pk:
            fejl["sagsbehandler"] = "Forløbet ejes allerede af denne sagsbehandler."
        if fl.sagsbehandler_id and not notat:
            fejl["overdragelsesnotat"] = "Skriv et overdragelsesnotat til den nye sagsbehandler."
        if fejl:
            raise ValidationError(fejl)
        tidligere = fl.sagsbehandler_id
        Sagsejerskab.objects.filter(forloeb=fl, til__isnull=True).update(til=timezone.now())
        ejerskab = Sagsejerskab.objects.create(
            forloeb=fl, sagsbehandler=sagsbehandler, overdragelsesnotat=notat, tildelt_af_navn=audit.actor_navn(actor)
        )
        if getattr(actor, "pk", None) != sagsbehandler.pk:
            # The receiver hears at once (no names or CPR: notifications may also go out by e-mail).
            Notifikation.objects.create(
                modtager=sagsbehandler,
                forloeb=fl,
                frist=None,
                taerskel=f"overdraget-{ejerskab.pk}",
                niveau="info",
                titel=f"{audit.actor_navn(actor)} har overdraget et forløb til dig",
                tekst="Læs overdragelsesnotatet på borgerens side." if notat else "Forløbet er tildelt dig.",
            )
        fl.sagsbehandler = sagsbehandler
        fl.version += 1
        fl.save(update_fields=["sagsbehandler", "version", "opdateret"])
        audit.record(
            actor=actor, handling="forloeb.tildel", subject=fl, borger_id=fl.borger_id, kommune_id=fl.kommune_id,
            foer={"sagsbehandler": tidligere}, efter={"sagsbehandler": sagsbehandler.pk}, begrundelse=notat,
        )  # fmt: skip
    forloeb.sagsbehandler, forloeb.version = sagsbehandler, fl.version
    return forloeb


__all__ = [
    "ForaeldetVersion",
    "ForkertTilstand",
    "OvergangAfvist",
    "OvergangFejl",
    "UkendtOvergang",
    "forloeb_opret",
    "forloeb_overgang",
    "forloeb_registrer_haendelse",
    "forloeb_tildel",
    "journalnotat_opret",
    "mulige_overgange",
    "tilladte_overgange",
]
