"""Use cases around the CPR register: look up, create from a look-up (``borger.borger_opret``),
refresh (on demand and nightly), and the audited view of a protected address.

The register is called OUTSIDE every transaction (a slow register never holds a row lock); what it
answered is then applied in one transaction with its history rows, notifications and audit row.
A register that times out or answers garbage never blocks creating a citizen by hand: the typed
facts are kept and marked as typed (unverified), and the reason is kept on the citizen.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cases import cprregister
from cases.models import (
    KILDE_REGISTER,
    REGISTER_FELTER,
    Borger,
    Forloeb,
    Notifikation,
    NotifikationNiveau,
    RegisterAendring,
    RegisterAendringType,
    Rolle,
    User,
)
from cases.selectors import borgere_for
from infra import audit
from infra import cpr as cprlib
from infra.fejl import DomaeneFejl

BESKYTTET = "(beskyttet adresse)"


class RegisterSvarerIkke(DomaeneFejl):
    status = 503
    slug = "cpr-register-utilgaengeligt"
    titel = "CPR-registeret svarer ikke"
    standard_besked = (
        "CPR-registeret kunne ikke svare lige nu. Du kan oprette borgeren med indtastede oplysninger; "
        "de markeres som ikke verificerede."
    )

    def problem_headers(self) -> dict[str, str]:
        return {"Retry-After": "60"}


class CprUkendtIRegisteret(DomaeneFejl):
    status = 422
    slug = "cpr-ukendt"
    titel = "CPR-nummeret findes ikke i CPR-registeret"
    standard_besked = "CPR-nummeret findes ikke i CPR-registeret. Kontrollér nummeret."


def _parse(cpr: str) -> cprlib.Cpr:
    try:
        return cprlib.parse(cpr)
    except ValidationError as exc:
        raise ValidationError({"cpr": exc.messages}) from None


def _slaa_op(digits: str) -> cprregister.RegisterPerson:
    try:
        return cprregister.register().opslag(digits)
    except cprregister.UkendtCpr:
        raise CprUkendtIRegisteret from None
    except cprregister.RegisterUtilgaengelig:
        raise RegisterSvarerIkke from None


def cpr_opslag(*, actor, cpr: str) -> cprregister.RegisterPerson:
    """Look a person up by CPR before creating them (the form is then prefilled). Audited, with the
    number masked; a protected person's address is left out of what is returned."""
    if not isinstance(actor, User) and not getattr(actor, "kommune_id", None):
        raise PermissionDenied
    parsed = _parse(cpr)

    def _log(udfald: str) -> None:
        with transaction.atomic():
            audit.record(
                actor=actor,
                handling="borger.cpr_opslag",
                kommune_id=getattr(actor, "kommune_id", None),
                efter={"cpr": parsed.maskeret, "udfald": udfald},
            )

    try:
        person = _slaa_op(parsed.digits)
    except DomaeneFejl as exc:
        _log(exc.slug)
        raise
    _log("fundet")
    if person.adressebeskyttelse:
        person = cprregister.RegisterPerson(**{**person.__dict__, "adresse": "", "postnummer": "", "by": ""})
    return person


def fra_register(digits: str) -> tuple[dict, str]:
    """For ``borger_opret(fra_register=True)``: the register's facts as model fields, or ``({}, reason)``
    when the register cannot answer (the typed facts stand, unverified). An unknown number refuses."""
    try:
        person = cprregister.register().opslag(digits)
    except cprregister.UkendtCpr:
        raise ValidationError({"cpr": CprUkendtIRegisteret.standard_besked}) from None
    except cprregister.RegisterUtilgaengelig:
        return {}, "CPR-registeret svarede ikke ved oprettelsen; oplysningerne er indtastet og ikke verificeret."
    return _felter(person), ""


def _felter(person: cprregister.RegisterPerson) -> dict:
    return {
        "fornavn": person.fornavn,
        "efternavn": person.efternavn,
        "adresse": person.adresse,
        "postnummer": person.postnummer,
        "by": person.by,
        "civilstand": person.civilstand,
        "adressebeskyttelse": person.adressebeskyttelse,
        "doed_dato": person.statusdato if person.status == cprregister.PersonStatus.DOED else None,
        "udrejst_dato": person.statusdato if person.status == cprregister.PersonStatus.UDREJST else None,
        "kilder": dict.fromkeys(REGISTER_FELTER, KILDE_REGISTER),
        "register_opdateret": timezone.now(),
        "register_fejl": "",
    }


def _adressetekst(adresse: str, postnummer: str, by: str) -> str:
    return ", ".join(x for x in (adresse, f"{postnummer} {by}".strip()) if x)


def _aendringer(gammel: Borger, ny: dict) -> list[RegisterAendring]:
    """The history rows for what the register changed; a protected address is never written."""
    rows = []
    foer_navn, efter_navn = gammel.navn, f"{ny['fornavn']} {ny['efternavn']}"
    if foer_navn != efter_navn:
        rows.append(RegisterAendring(type=RegisterAendringType.NAVN, foer=foer_navn, efter=efter_navn))
    foer_adr = _adressetekst(gammel.adresse, gammel.postnummer, gammel.by)
    efter_adr = _adressetekst(ny["adresse"], ny["postnummer"], ny["by"])
    if foer_adr != efter_adr:
        skjult = gammel.adressebeskyttelse or ny["adressebeskyttelse"]
        rows.append(
            RegisterAendring(
                type=RegisterAendringType.ADRESSE,
                foer=BESKYTTET if skjult and foer_adr else foer_adr,
                efter=BESKYTTET if skjult and efter_adr else efter_adr,
            )
        )
    if gammel.civilstand != ny["civilstand"]:
        rows.append(
            RegisterAendring(type=RegisterAendringType.CIVILSTAND, foer=gammel.civilstand, efter=ny["civilstand"])
        )
    if gammel.adressebeskyttelse != ny["adressebeskyttelse"]:
        rows.append(
            RegisterAendring(
                type=RegisterAendringType.BESKYTTELSE,
                foer="ja" if gammel.adressebeskyttelse else "nej",
                efter="ja" if ny["adressebeskyttelse"] else "nej",
            )
        )
    if ny["doed_dato"] and not gammel.doed_dato:
        rows.append(RegisterAendring(type=RegisterAendringType.DOED, efter="Død", dato=ny["doed_dato"]))
    if ny["udrejst_dato"] and not gammel.udrejst_dato:
        rows.append(RegisterAendring(type=RegisterAendringType.UDREJST, efter="Udrejst", dato=ny["udrejst_dato"]))
    return rows


def _opgave(borger: Borger, aendring: RegisterAendring) -> int:
    """A death or emigration is a task for whoever holds the citizen's open forløb (the team leaders
    when nobody owns it): a notification per recipient, once per change (the unique threshold)."""
    hvad = "er død" if aendring.type == RegisterAendringType.DOED else "er udrejst"
    dato = f" {aendring.dato:%d.%m.%Y}" if aendring.dato else ""
    antal = 0
    for fl in Forloeb.objects.filter(borger=borger).exclude(tilstand="afsluttet"):
        modtagere = (
            [fl.sagsbehandler_id]
            if fl.sagsbehandler_id
            else list(
                User.objects.filter(teams=fl.team_id, rolle=Rolle.TEAMLEDER, is_active=True).values_list(
                    "pk", flat=True
                )
            )
        )
        for modtager_id in modtagere:
            _, ny = Notifikation.objects.get_or_create(
                modtager_id=modtager_id,
                frist=None,
                taerskel=f"cpr-{aendring.pk}",
                defaults={
                    "forloeb": fl,
                    "niveau": NotifikationNiveau.VARSEL,
                    "titel": f"CPR-registeret: borgeren {hvad}{dato}",
                    "tekst": (
                        f"CPR-registeret oplyser, at borgeren {hvad}{dato}. Tag stilling til forløbet "
                        "(afslutning, igangværende ydelser, breve der er på vej)."
                    ),
                },
            )
            antal += ny
    return antal


def borger_register_opdater(*, actor, borger: Borger) -> list[RegisterAendring]:
    """Refresh the citizen's register facts (the caseworker's button, the API action, the nightly
    job). The register is authoritative for the facts it gives; what changed is kept as history,
    and a death or emigration raises a task for the caseworker. A register without an answer
    refuses (``RegisterSvarerIkke``, the reason kept on the citizen) and changes nothing else."""
    if not isinstance(actor, audit.SystemActor) and not borgere_for(actor).filter(pk=borger.pk).exists():
        raise PermissionDenied
    digits = cprlib.decrypt(borger.cpr_krypteret)
    try:
        person = cprregister.register().opslag(digits)
    except (cprregister.UkendtCpr, cprregister.RegisterUtilgaengelig) as exc:
        besked = (
            "CPR-nummeret findes ikke i CPR-registeret."
            if isinstance(exc, cprregister.UkendtCpr)
            else "CPR-registeret svarede ikke."
        )
        with transaction.atomic():
            Borger.objects.filter(pk=borger.pk).update(register_fejl=besked)
            audit.record(
                actor=actor, handling="borger.register_fejl", subject=borger, borger=borger, efter={"fejl": besked}
            )
        raise (CprUkendtIRegisteret if isinstance(exc, cprregister.UkendtCpr) else RegisterSvarerIkke)() from None
    ny = _felter(person)
    with transaction.atomic():
        locked = Borger.objects.select_for_update().get(pk=borger.pk)
        rows = _aendringer(locked, ny)
        for field, value in ny.items():
            setattr(locked, field, value)
        if rows:
            locked.version += 1
        locked.save()
        for row in rows:
            row.borger = locked
            row.save(force_insert=True)
            if row.type in (RegisterAendringType.DOED, RegisterAendringType.UDREJST):
                _opgave(locked, row)
        audit.record(
            actor=actor,
            handling="borger.register_opdater",
            subject=locked,
            borger=locked,
            efter={"aendringer": [{"type": r.type, "foer": r.foer, "efter": r.efter} for r in rows]},
        )
    borger.refresh_from_db()
    return rows


def borger_adresse_vis(*, actor, borger: Borger, begrundelse: str) -> dict:
    """A protected citizen's address: an explicit act with a reason, always audited (like the full
    CPR). Not protected: the address as the page shows it (nothing extra is logged)."""
    if not (begrundelse or "").strip() and borger.adressebeskyttelse:
        raise ValidationError({"begrundelse": "Angiv hvorfor du skal se den beskyttede adresse."})
    if not borgere_for(actor).filter(pk=borger.pk).exists():
        raise PermissionDenied
    with transaction.atomic():
        audit.record(
            actor=actor,
            handling="borger.beskyttet_adresse_vis" if borger.adressebeskyttelse else "borger.adresse_vis",
            subject=borger,
            borger=borger,
            begrundelse=(begrundelse or "").strip(),
        )
    return {"adresse": borger.adresse, "postnummer": borger.postnummer, "by": borger.by}


def register_opdater_aabne(*, batch: int = 500) -> dict:
    """The nightly job: refresh every living citizen with an open forløb. A register without an
    answer for one citizen is counted and the job goes on."""
    system = audit.SystemActor("cpr-register nattekørsel")
    ids = (
        Borger.objects.filter(forloeb__in=Forloeb.objects.exclude(tilstand="afsluttet"), doed_dato__isnull=True)
        .distinct()
        .values_list("pk", flat=True)
    )
    opdateret = fejl = aendringer = 0
    for pk in ids.iterator(chunk_size=batch):
        borger = Borger.objects.get(pk=pk)
        try:
            aendringer += len(borger_register_opdater(actor=system, borger=borger))
            opdateret += 1
        except (RegisterSvarerIkke, CprUkendtIRegisteret):
            fejl += 1
    return {"opdateret": opdateret, "fejl": fejl, "aendringer": aendringer}
