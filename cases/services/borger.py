"""Use cases that change citizen data. Each owns its transaction and writes its audit row.

Views, serializers, forms, admin actions, commands and tasks call these; nothing else writes.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from cases.models import (
    KILDE_INDTASTET,
    REGISTER_FELTER,
    Borger,
    Forloeb,
    Frist,
    Journalnotat,
    Notifikation,
    NotifikationNiveau,
    Paaroerende,
    Rolle,
    Team,
)
from cases.selectors import borgere_for, teams_for
from infra import audit, datoer
from infra import cpr as cprlib
from infra.fejl import ForaeldetVersion

from .register import fra_register as fra_register_data

BORGER_FELTER = [
    "fornavn",
    "efternavn",
    "adresse",
    "postnummer",
    "by",
    "telefon",
    "email",
    "kontaktkanal",
    "digital_post",
    "tolk",
    "tolkesprog",
    "hjemmebesoeg",
]
BORGER_AUDIT_FELTER = ["team", *BORGER_FELTER]

#: The answer to a CPR already registered in the municipality, in the caller's team or another: the
#: least it can say and still prevent the duplicate. It names neither the team nor the citizen, and is
#: the same whether the citizen is in a team the caller can see or not; the caller's team leaders are
#: notified (they can find out where the citizen belongs), and the refused attempt is audited.
DUBLET_CPR = "Borgeren kan ikke oprettes her. Kontakt din teamleder."
UDEN_FOR_TEAM = "Du kan kun oprette og flytte borgere i dine egne teams."


def _check_team(actor, team: Team) -> None:
    if not teams_for(actor).filter(pk=team.pk).exists():
        raise ValidationError({"team": UDEN_FOR_TEAM})


def _validate_kontakt(data: dict) -> None:
    errors = _kontakt_fejl(data)
    if errors:
        raise ValidationError(errors)


def _kontakt_fejl(data: dict) -> dict[str, str]:
    errors = {}
    if not (data.get("fornavn") or "").strip():
        errors["fornavn"] = "Fornavn skal udfyldes."
    if not (data.get("efternavn") or "").strip():
        errors["efternavn"] = "Efternavn skal udfyldes."
    postnr = data.get("postnummer") or ""
    if postnr and not (postnr.isdigit() and len(postnr) == 4):
        errors["postnummer"] = "Postnummeret skal være 4 cifre."
    if data.get("tolk") and not (data.get("tolkesprog") or "").strip():
        errors["tolkesprog"] = "Angiv hvilket sprog der skal tolkes til."
    return errors


def borger_opret_fejl(*, actor, cpr, team: Team | None = None, **data) -> dict[str, list[str]]:
    """Every reason :func:`borger_opret` refuses these data, all at once and without side effects
    (a door whose own parsing failed on other fields still shows the CPR's and the contact's errors)."""
    errors: dict[str, list[str]] = {}
    parsed = None
    try:
        parsed = cprlib.parse(cpr if isinstance(cpr, str) else "")
    except ValidationError as exc:
        errors["cpr"] = exc.messages
    errors |= {k: [v] for k, v in _kontakt_fejl({k: v for k, v in data.items() if isinstance(v, str | bool)}).items()}
    if team is not None and not teams_for(actor).filter(pk=team.pk).exists():
        errors["team"] = [UDEN_FOR_TEAM]
    kommune_id = team.jobcenter.kommune_id if team is not None else getattr(actor, "kommune_id", None)
    if parsed is not None and kommune_id and _dublet(kommune_id, parsed):
        errors["cpr"] = [DUBLET_CPR]
    return errors


def _dublet(kommune_id, parsed) -> bool:
    return Borger.objects.filter(kommune_id=kommune_id, cpr_hash=cprlib.lookup_hash(parsed)).exists()


def _afvis_dublet(actor, team: Team) -> None:
    """Audit the refused registration of an existing CPR and tell the caller's team leaders."""
    with transaction.atomic():
        audit.record(
            actor=actor, handling="borger.opret_afvist_dublet", subject=team, kommune_id=team.jobcenter.kommune_id
        )
        for leder in team.medlemmer.filter(rolle=Rolle.TEAMLEDER, is_active=True):
            Notifikation.objects.create(
                modtager=leder,
                niveau=NotifikationNiveau.INFO,
                taerskel=f"dublet-{uuid.uuid4().hex[:12]}",
                titel="En borger kunne ikke oprettes",
                tekst=(
                    f"{actor} forsøgte at oprette en borger i {team.navn}, som allerede er registreret i "
                    "kommunen. Hjælp med at finde ud af, hvor borgerens sag hører til."
                ),
            )


def borger_opret(
    *,
    actor,
    team: Team,
    cpr: str,
    fornavn: str = "",
    efternavn: str = "",
    fiktiv: bool = False,
    fra_register: bool = False,
    **kontakt,
) -> Borger:
    """Register a citizen. Validates the CPR, refuses a duplicate within the municipality.

    ``fra_register``: the CPR register is asked (outside the transaction) and its facts (name,
    address, civil status, protection, death/emigration) replace what was typed, marked as from the
    register. A register that cannot answer does not block: the typed facts are kept, marked as
    typed, and the reason is kept (``register_fejl``). A number the register does not know refuses."""
    unknown = set(kontakt) - set(BORGER_FELTER)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    data = {"fornavn": fornavn, "efternavn": efternavn, **kontakt}
    errors = borger_opret_fejl(actor=actor, cpr=cpr, team=team, **data)
    if fra_register:  # the register supplies the name; if it cannot answer, the typed name is checked below
        errors = {k: v for k, v in errors.items() if k not in ("fornavn", "efternavn")}
    if errors:
        if errors.get("cpr") == [DUBLET_CPR] and "team" not in errors:
            _afvis_dublet(actor, team)
        raise ValidationError(errors)
    parsed = cprlib.parse(cpr)
    kommune_id = team.jobcenter.kommune_id
    cpr_hash = cprlib.lookup_hash(parsed)
    register_data, register_fejl = fra_register_data(parsed.digits) if fra_register else ({}, "")
    if register_data:
        kontakt = {k: v for k, v in kontakt.items() if k not in REGISTER_FELTER}
        data = {"fornavn": register_data["fornavn"], "efternavn": register_data["efternavn"], **kontakt}
    _validate_kontakt(data)
    register_data = {k: v for k, v in register_data.items() if k not in ("fornavn", "efternavn")}
    register_data.setdefault("register_fejl", register_fejl)
    borger = Borger(
        kommune_id=kommune_id,
        team=team,
        cpr_krypteret=cprlib.encrypt(parsed),
        cpr_hash=cpr_hash,
        foedselsdato=parsed.foedselsdato,
        fiktiv=fiktiv,
        **{k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()},
        **register_data,
    )
    try:
        with transaction.atomic():
            borger.save(force_insert=True)
            audit.record(
                actor=actor,
                handling="borger.opret",
                subject=borger,
                borger=borger,
                efter={
                    **audit.snapshot(borger, BORGER_AUDIT_FELTER),
                    "cpr": borger.cpr_maskeret,
                    "kilder": borger.kilder,
                    **({"adresse": "(beskyttet)", "postnummer": "", "by": ""} if borger.adressebeskyttelse else {}),
                },
            )
    except IntegrityError:
        # Two simultaneous registrations of the same person: the unique constraint decides.
        raise ValidationError({"cpr": DUBLET_CPR}) from None
    return borger


def _check_adgang(actor, borger: Borger) -> None:
    if not borgere_for(actor).filter(pk=borger.pk).exists():
        raise PermissionDenied


def borger_opdater(*, actor, borger: Borger, expected_version: int | None = None, **changes) -> Borger:
    """Change contact data or team. ``expected_version`` guards against lost updates."""
    _check_adgang(actor, borger)
    unknown = set(changes) - set(BORGER_AUDIT_FELTER)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = Borger.objects.select_for_update().get(pk=borger.pk)
        if expected_version is not None and locked.version != expected_version:
            raise ForaeldetVersion(
                "Borgerens oplysninger er ændret af en anden, siden du åbnede dem. Genindlæs og prøv igen."
            )
        foer = audit.snapshot(locked, BORGER_AUDIT_FELTER)
        merged = {f: getattr(locked, f) for f in BORGER_FELTER} | {k: v for k, v in changes.items() if k != "team"}
        _validate_kontakt(merged)
        if "team" in changes and changes["team"].pk != locked.team_id:
            _check_team(actor, changes["team"])
        for field, value in changes.items():
            setattr(locked, field, value.strip() if isinstance(value, str) else value)
        efter = audit.snapshot(locked, BORGER_AUDIT_FELTER)
        if efter == foer:
            return locked
        # A register fact typed over by hand is no longer the register's.
        locked.kilder = (locked.kilder or {}) | {
            f: KILDE_INDTASTET for f in REGISTER_FELTER if f in efter and efter[f] != foer[f]
        }
        locked.version += 1
        locked.save()
        if "team" in changes and efter["team"] != foer["team"]:
            # The open forløb and its open deadlines move with the citizen (escalation goes to the new team).

            aabne = Forloeb.objects.filter(borger=locked).exclude(tilstand="afsluttet")
            Frist.objects.filter(forloeb__in=aabne, lukket_dato__isnull=True).update(team_id=locked.team_id)
            aabne.update(team_id=locked.team_id)
        diff = [k for k in efter if efter[k] != foer[k]]
        if locked.adressebeskyttelse:  # a protected address is not written to the audit log either
            for k in ("adresse", "postnummer", "by"):
                foer[k] = efter[k] = "(beskyttet)" if k in diff else foer[k]
        audit.record(
            actor=actor,
            handling="borger.opdater",
            subject=locked,
            borger=locked,
            foer={k: foer[k] for k in diff},
            efter={k: efter[k] for k in diff},
        )
    return locked


def borger_cpr_vis(*, actor, borger: Borger, begrundelse: str) -> str:
    """Unmask the full CPR number: an explicit act with a reason, always logged."""
    if not (begrundelse or "").strip():
        raise ValidationError({"begrundelse": "Angiv hvorfor du skal se det fulde CPR-nummer."})
    _check_adgang(actor, borger)
    with transaction.atomic():
        audit.record(
            actor=actor, handling="borger.cpr_vis", subject=borger, borger=borger, begrundelse=begrundelse.strip()
        )
    digits = cprlib.decrypt(borger.cpr_krypteret)
    return f"{digits[:6]}-{digits[6:]}"


def journalnotat_umasker(*, actor, notat: Journalnotat, begrundelse: str) -> str:
    """The journal note's text with the CPR numbers typed into it unmasked (the citizen page shows
    them masked): an explicit act with a reason, always logged, like :func:`borger_cpr_vis`."""
    if not (begrundelse or "").strip():
        raise ValidationError({"begrundelse": "Angiv hvorfor du skal se CPR-numrene i notatet."})
    borger = notat.forloeb.borger
    _check_adgang(actor, borger)
    with transaction.atomic():
        audit.record(
            actor=actor, handling="journalnotat.cpr_vis", subject=notat, borger=borger,
            begrundelse=begrundelse.strip(),
        )  # fmt: skip
    return notat.tekst


def paaroerende_opret(
    *,
    actor,
    borger: Borger,
    navn: str,
    relation: str,
    samtykke_dato: dt.date,
    samtykke_omfang: str,
    telefon: str = "",
    email: str = "",
) -> Paaroerende:
    """Register a relative or bisidder. The citizen's consent (date and scope) is required."""
    _check_adgang(actor, borger)
    errors = {}
    if not (navn or "").strip():
        errors["navn"] = "Navn skal udfyldes."
    if samtykke_dato is None:
        errors["samtykke_dato"] = "Pårørende og bisiddere kan kun registreres med borgerens samtykke."
    elif samtykke_dato > datoer.idag():
        errors["samtykke_dato"] = "Samtykkedatoen kan ikke ligge i fremtiden."
    if not (samtykke_omfang or "").strip():
        errors["samtykke_omfang"] = "Beskriv hvad borgeren har givet samtykke til."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        p = Paaroerende.objects.create(
            borger=borger,
            navn=navn.strip(),
            relation=relation,
            samtykke_dato=samtykke_dato,
            samtykke_omfang=samtykke_omfang.strip(),
            telefon=telefon,
            email=email,
        )
        audit.record(
            actor=actor,
            handling="paaroerende.opret",
            subject=p,
            borger=borger,
            efter=audit.snapshot(p, ["navn", "relation", "samtykke_dato", "samtykke_omfang"]),
        )
    return p
