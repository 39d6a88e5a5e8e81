"""Agreements from external (Vitas-like) systems: intake, validation and the jobcenter's review.

    aftale = aftale_modtag(actor=klient, type="fleksjob", borger_cpr="...", virksomhed_cvr="...", ...)
    aftale_godkend(actor=sagsbehandler, aftale=aftale)   # fleksjob: employer + employment, no re-keying
    aftale_afvis(actor=sagsbehandler, aftale=aftale, begrundelse="...")

The CPR number is used only to find the citizen (exact, keyed hash, within the caller's reach) and
is never stored on the agreement nor written to the audit log. Every validation problem is
reported at once as a Danish field error; nothing is created when there is one.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cases import signals
from cases.models import Borger, Forloeb, Tilstand
from cases.selectors import borgere_for
from infra import audit, datoer
from infra import cpr as cprlib
from infra.fejl import DomaeneFejl, ForaeldetVersion

from . import rules, services
from .models import Aftale, AftaleStatus, AftaleType, AnsaettelseKilde

PAAKRAEVET = "Feltet skal udfyldes."
BORGER_UKENDT = "Borgeren findes ikke i kommunen. Kontrollér CPR-nummeret."

# Field → (required for every type). The fleksjob fields are required for type fleksjob only.
FELTER = {
    "type": True,
    "borger_cpr": True,
    "virksomhed_cvr": True,
    "virksomhed_p_nummer": False,
    "virksomhed_navn": True,
    "virksomhed_kontakt": False,
    "start": True,
    "slut": False,
    "timer_pr_uge": True,
    "timer_begrundelse": False,
    "opgaver": True,
    "formaal": True,
    "fleksjob_timer": False,
    "fleksjob_intensitet": False,
    "ekstern_reference": False,
    "blanket": False,
    "borger_bekraeftet": False,
    "borger_bekraeftet_af": False,
    "arbejdsgiver_bekraeftet": False,
    "arbejdsgiver_bekraeftet_af": False,
}
FLEKSJOB_FELTER = ("fleksjob_timer", "fleksjob_intensitet")
#: The parties who confirm an agreement (in VITAS with MitID): part → (label, timestamp field, who field).
PARTER = {
    "borger": ("borgeren", "borger_bekraeftet", "borger_bekraeftet_af"),
    "arbejdsgiver": ("arbejdsgiveren", "arbejdsgiver_bekraeftet", "arbejdsgiver_bekraeftet_af"),
}

_CVR_RE = re.compile(r"^[0-9]{8}$")
_P_RE = re.compile(r"^[0-9]{10}$")


class AftaleFejl(DomaeneFejl):
    """The agreement cannot be reviewed as asked; ``kode`` is machine-readable (and the problem type),
    the message Danish, ``grunde`` the employment's reasons when it was refused."""

    status = 409
    slug = "aftale-afvist"  # every instance answers with its ``kode`` as the type

    def __init__(self, besked: str, *, kode: str, grunde: list[str] | None = None):
        super().__init__(besked)
        self.kode = self.slug = kode
        self.grunde = grunde or []

    def problem_data(self) -> dict:
        return {"kode": self.kode, **({"grunde": self.grunde} if self.grunde else {})}


def _tom(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _find_borger(actor, cpr: str) -> Borger | None:
    """The citizen with exactly this CPR within the caller's reach, or None (unknown and out of
    reach look the same, so the answer does not reveal whether the CPR exists elsewhere)."""
    parsed = cprlib.parse(cpr)  # raises ValidationError for a malformed number
    return borgere_for(actor).filter(cpr_hash=cprlib.lookup_hash(parsed)).first()


def aftale_fejl(*, actor, data: dict, ugyldige: frozenset[str] | set[str] = frozenset()) -> tuple[dict, Borger | None]:
    """Every problem with an agreement's data as ``field → [Danish messages]``, and the citizen.

    ``ugyldige`` names fields that already failed (e.g. could not be parsed by the API): they are
    neither reported as missing nor used in checks across fields.
    """
    fejl: dict[str, list[str]] = {}

    def tilfoej(felt: str, besked: str) -> None:
        fejl.setdefault(felt, []).append(besked)

    def har(felt: str) -> bool:
        return felt not in ugyldige and not _tom(data.get(felt))

    for felt in sorted(set(data) - set(FELTER)):
        tilfoej(felt, "Ukendt felt.")

    for felt, kraevet in FELTER.items():
        if kraevet and felt not in ugyldige and _tom(data.get(felt)):
            tilfoej(felt, PAAKRAEVET)

    type_ = data.get("type") if har("type") else None
    if type_ is not None and type_ not in AftaleType.values:
        tilfoej("type", f"Ukendt aftaletype. Brug en af: {', '.join(AftaleType.values)}.")
        type_ = None

    borger = None
    if har("borger_cpr"):
        try:
            borger = _find_borger(actor, str(data["borger_cpr"]))
        except ValidationError as exc:
            for besked in exc.messages:
                tilfoej("borger_cpr", besked)
        else:
            if borger is None:
                tilfoej("borger_cpr", BORGER_UKENDT)

    if har("virksomhed_cvr"):
        cvr = str(data["virksomhed_cvr"]).strip()
        if not _CVR_RE.match(cvr):
            tilfoej("virksomhed_cvr", "CVR-nummeret skal være 8 cifre.")
        elif not rules.cvr_gyldig(cvr):
            tilfoej("virksomhed_cvr", "CVR-nummeret er ikke gyldigt (kontrolcifferet passer ikke, modulus 11).")
    if har("virksomhed_p_nummer"):
        p = str(data["virksomhed_p_nummer"]).strip()
        if not _P_RE.match(p):
            tilfoej("virksomhed_p_nummer", "P-nummeret skal være 10 cifre.")
        elif not rules.p_nummer_gyldig(p):
            tilfoej("virksomhed_p_nummer", "P-nummeret er ikke gyldigt.")

    for felt in ("start", "slut", *(tid for _, tid, _ in PARTER.values())):
        if felt not in ugyldige and datoer.dato_udenfor(data.get(felt)):
            tilfoej(felt, datoer.DATO_UDENFOR)
            ugyldige = {*ugyldige, felt}  # no checks across fields with it

    start, slut = data.get("start"), data.get("slut")
    if har("start") and har("slut") and isinstance(start, dt.date) and isinstance(slut, dt.date) and slut < start:
        tilfoej("slut", "Slutdatoen må ikke ligge før startdatoen.")

    begrundelse = "" if "timer_begrundelse" in ugyldige else (data.get("timer_begrundelse") or "")
    if har("timer_pr_uge") and (timerfejl := rules.timer_fejl(data["timer_pr_uge"], begrundelse)):
        tilfoej("timer_pr_uge", timerfejl)

    if type_ == AftaleType.FLEKSJOB:
        for felt in FLEKSJOB_FELTER:
            if felt not in ugyldige and data.get(felt) is None:
                tilfoej(felt, "Feltet skal udfyldes for et fleksjob.")
        if har("fleksjob_timer") and (timerfejl := rules.timer_fejl(data["fleksjob_timer"], begrundelse)):
            tilfoej("fleksjob_timer", timerfejl)
        if har("fleksjob_intensitet") and (intensitetsfejl := rules.intensitet_fejl(data["fleksjob_intensitet"])):
            tilfoej("fleksjob_intensitet", intensitetsfejl)
    elif type_ is not None:
        for felt in FLEKSJOB_FELTER:
            if har(felt):
                tilfoej(felt, "Feltet bruges kun ved aftaletypen fleksjob.")

    for label, tid, af in PARTER.values():
        tidspunkt = data.get(tid) if tid not in ugyldige else None
        if tidspunkt is not None and not har(af):
            tilfoej(af, f"Angiv hvem der bekræftede på vegne af {label}.")
        if har(af) and tidspunkt is None and tid not in ugyldige:
            tilfoej(tid, f"Angiv hvornår {label} bekræftede aftalen.")
        if isinstance(tidspunkt, dt.datetime) and tidspunkt > timezone.now():
            tilfoej(tid, "Bekræftelsen kan ikke ligge i fremtiden.")

    return fejl, borger


def bekraeftelser_mangler(aftale: Aftale) -> list[str]:
    """The parties whose confirmation of the agreement is missing (Danish), none when both confirmed."""
    return [
        f"{label[:1].upper()}{label[1:]} har ikke bekræftet aftalen."
        for label, tid, af in PARTER.values()
        if getattr(aftale, tid) is None or not getattr(aftale, af).strip()
    ]


def _tekst(value) -> str:
    return (value or "").strip() if isinstance(value, str) else ""


def aftale_modtag(
    *,
    actor,
    type: str,
    borger_cpr: str,
    virksomhed_cvr: str,
    virksomhed_navn: str,
    start: dt.date,
    timer_pr_uge: Decimal,
    opgaver: str,
    formaal: str,
    virksomhed_p_nummer: str = "",
    virksomhed_kontakt: str = "",
    slut: dt.date | None = None,
    timer_begrundelse: str = "",
    fleksjob_timer: Decimal | None = None,
    fleksjob_intensitet: int | None = None,
    ekstern_reference: str = "",
    blanket: str = "",
    borger_bekraeftet: dt.datetime | None = None,
    borger_bekraeftet_af: str = "",
    arbejdsgiver_bekraeftet: dt.datetime | None = None,
    arbejdsgiver_bekraeftet_af: str = "",
) -> Aftale:
    """Register an agreement received from an external system (or keyed in by the jobcenter), with the
    system's own reference (the VITAS id), the form (AB 325) and the parties' confirmations so far."""
    kommune_id = getattr(actor, "kommune_id", None)
    if not getattr(actor, "is_authenticated", False) or kommune_id is None:
        raise PermissionDenied("Kun kommunens medarbejdere og API-klienter kan indsende aftaler.")
    data = {
        "type": type,
        "borger_cpr": borger_cpr,
        "virksomhed_cvr": virksomhed_cvr,
        "virksomhed_p_nummer": virksomhed_p_nummer,
        "virksomhed_navn": virksomhed_navn,
        "virksomhed_kontakt": virksomhed_kontakt,
        "start": start,
        "slut": slut,
        "timer_pr_uge": timer_pr_uge,
        "timer_begrundelse": timer_begrundelse,
        "opgaver": opgaver,
        "formaal": formaal,
        "fleksjob_timer": fleksjob_timer,
        "fleksjob_intensitet": fleksjob_intensitet,
        "ekstern_reference": ekstern_reference,
        "blanket": blanket,
        "borger_bekraeftet": borger_bekraeftet,
        "borger_bekraeftet_af": borger_bekraeftet_af,
        "arbejdsgiver_bekraeftet": arbejdsgiver_bekraeftet,
        "arbejdsgiver_bekraeftet_af": arbejdsgiver_bekraeftet_af,
    }
    fejl, funden = aftale_fejl(actor=actor, data=data)
    if fejl:
        raise ValidationError(fejl)
    borger = cast(Borger, funden)  # no errors: the citizen was found

    with transaction.atomic():
        aftale = Aftale.objects.create(
            kommune_id=kommune_id,
            klient=actor.klient if getattr(actor, "er_api_klient", False) else None,
            type=type,
            borger=borger,
            virksomhed_cvr=virksomhed_cvr.strip(),
            virksomhed_p_nummer=_tekst(virksomhed_p_nummer),
            virksomhed_navn=virksomhed_navn.strip(),
            virksomhed_kontakt=_tekst(virksomhed_kontakt),
            start=start,
            slut=slut,
            timer_pr_uge=timer_pr_uge,
            timer_begrundelse=_tekst(timer_begrundelse),
            opgaver=opgaver.strip(),
            formaal=formaal.strip(),
            fleksjob_timer=fleksjob_timer,
            fleksjob_intensitet=fleksjob_intensitet,
            ekstern_reference=_tekst(ekstern_reference),
            blanket=_tekst(blanket),
            borger_bekraeftet=borger_bekraeftet,
            borger_bekraeftet_af=_tekst(borger_bekraeftet_af),
            arbejdsgiver_bekraeftet=arbejdsgiver_bekraeftet,
            arbejdsgiver_bekraeftet_af=_tekst(arbejdsgiver_bekraeftet_af),
        )
        audit.record(
            actor=actor,
            handling="aftale.modtag",
            subject=aftale,
            borger=borger,
            kommune_id=kommune_id,
            efter=audit.snapshot(
                aftale,
                [
                    "type",
                    "status",
                    "virksomhed_cvr",
                    "virksomhed_p_nummer",
                    "virksomhed_navn",
                    "start",
                    "slut",
                    "timer_pr_uge",
                    "fleksjob_timer",
                    "fleksjob_intensitet",
                    "ekstern_reference",
                    "blanket",
                    "borger_bekraeftet",
                    "arbejdsgiver_bekraeftet",
                ],
            ),
        )
    return aftale


def aftale_bekraeft(
    *, actor, aftale: Aftale, part: str, af: str, tidspunkt: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Aftale:  # fmt: skip
    """Record a party's confirmation of an agreement awaiting processing (the external system reports
    it, or the jobcenter registers a signature it received): who confirmed and when."""
    if getattr(actor, "kommune_id", None) != aftale.kommune_id or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("Kun kommunens medarbejdere og API-klienter kan registrere bekræftelser.")
    fejl: dict[str, list[str]] = {}
    if part not in PARTER:
        fejl["part"] = ["Angiv part: borger eller arbejdsgiver."]
    if not (af or "").strip():
        fejl["af"] = ["Angiv hvem der bekræftede aftalen."]
    tidspunkt = tidspunkt or timezone.now()
    if tidspunkt > timezone.now():
        fejl["tidspunkt"] = ["Bekræftelsen kan ikke ligge i fremtiden."]
    if fejl:
        raise ValidationError(fejl)
    _, tid, hvem = PARTER[part]
    with transaction.atomic():
        aftale = _laas(aftale, expected_version)
        setattr(aftale, tid, tidspunkt)
        setattr(aftale, hvem, af.strip())
        aftale.version += 1
        aftale.save(update_fields=[tid, hvem, "version"])
        audit.record(
            actor=actor,
            handling="aftale.bekraeft",
            subject=aftale,
            borger=aftale.borger,
            kommune_id=aftale.kommune_id,
            efter={"part": part, "tidspunkt": tidspunkt, "af": af.strip()},
        )
    return aftale


# --- Review -------------------------------------------------------------------------------------
def _behandler_adgang(actor, aftale: Aftale) -> None:
    if getattr(actor, "er_api_klient", False):
        raise PermissionDenied("En API-klient kan ikke godkende eller afvise aftaler; det gør jobcentret.")
    if not getattr(actor, "is_authenticated", False) or getattr(actor, "kommune_id", None) != aftale.kommune_id:
        raise PermissionDenied("Kun kommunens medarbejdere kan behandle aftalen.")


def _laas(aftale: Aftale, expected_version: int | None) -> Aftale:
    laast = Aftale.objects.select_for_update().select_related("borger").get(pk=aftale.pk)
    if expected_version is not None and laast.version != expected_version:
        raise ForaeldetVersion("Aftalen er ændret, siden du hentede den. Hent den igen.")
    if laast.status != AftaleStatus.MODTAGET:
        raise AftaleFejl(
            f"Aftalen er allerede behandlet (status: {laast.get_status_display().lower()}) "
            "og kan ikke godkendes eller afvises igen.",
            kode="allerede-behandlet",
        )
    return laast


def _fleksjob_forloeb(aftale: Aftale) -> Forloeb:
    forloeb = (
        Forloeb.objects.select_for_update()
        .filter(borger_id=aftale.borger_id, kommune_id=aftale.kommune_id, tilstand=Tilstand.FLEKSJOB)
        .order_by("-oprettet")
        .first()
    )
    if forloeb is None:
        raise AftaleFejl(
            "Aftalen kan ikke godkendes: borgeren har ikke et forløb i tilstanden fleksjob.",
            kode="intet-fleksjob-forloeb",
        )
    if not forloeb.visitationer.exists():
        raise AftaleFejl(
            "Aftalen kan ikke godkendes: borgeren er ikke visiteret til fleksjob (ingen visitation i forløbet).",
            kode="ingen-visitation",
        )
    return forloeb


def _udsend(aftale: Aftale, haendelse: str) -> None:
    """Notify subscribers (the delivery is scheduled after commit). Ids and status only: the sender
    reads the reason with GET, and no citizen data leaves with the event."""
    signals.udgiv(
        haendelse=haendelse,
        kommune_id=aftale.kommune_id,
        noegle=aftale.pk,
        data={
            "aftale": str(aftale.pk),
            "type": aftale.type,
            "status": aftale.status,
            "behandlet": aftale.behandlet,
        },
    )


def aftale_godkend(*, actor, aftale: Aftale, expected_version: int | None = None) -> Aftale:
    """Approve an agreement. A fleksjob agreement becomes the employer and the employment (from the
    agreement's data, kilde ``aftale``), which opens the arbejdsevnevurdering deadline."""

    _behandler_adgang(actor, aftale)
    with transaction.atomic():
        aftale = _laas(aftale, expected_version)
        ansaettelse = None
        if aftale.type == AftaleType.FLEKSJOB:
            if mangler := bekraeftelser_mangler(aftale):
                raise AftaleFejl(
                    "Aftalen kan ikke godkendes: både borgeren og arbejdsgiveren skal have bekræftet den, før "
                    "ansættelsen kan oprettes.",
                    kode="mangler-bekraeftelse",
                    grunde=mangler,
                )
            forloeb = _fleksjob_forloeb(aftale)
            try:
                ansaettelse = services.ansaettelse_med_virksomhed_opret(
                    actor=actor,
                    forloeb=forloeb,
                    cvr=aftale.virksomhed_cvr,
                    navn=aftale.virksomhed_navn,
                    p_nummer=aftale.virksomhed_p_nummer,
                    kontaktperson=aftale.virksomhed_kontakt,
                    start=aftale.start,
                    slut=aftale.slut,
                    loennede_timer=aftale.fleksjob_timer,
                    intensitet=aftale.fleksjob_intensitet,
                    opgaver=aftale.opgaver,
                    aftale=aftale,
                    kilde=AnsaettelseKilde.AFTALE,
                    timer_begrundelse=aftale.timer_begrundelse,
                )
            except PermissionDenied:
                raise PermissionDenied(
                    "Du har ikke adgang til borgerens forløb og kan derfor ikke godkende fleksjobaftalen."
                ) from None
            except ValidationError as exc:
                raise AftaleFejl(
                    "Aftalen kan ikke godkendes: ansættelsen kan ikke oprettes ud fra aftalens oplysninger.",
                    kode="ansaettelse-afvist",
                    grunde=exc.messages,
                ) from None
        aftale.status = AftaleStatus.GODKENDT
        aftale.behandlet = timezone.now()
        aftale.behandlet_af = audit.actor_navn(actor)
        aftale.version += 1
        aftale.save(update_fields=["status", "behandlet", "behandlet_af", "version"])
        audit.record(
            actor=actor,
            handling="aftale.godkend",
            subject=aftale,
            borger=aftale.borger,
            kommune_id=aftale.kommune_id,
            foer={"status": AftaleStatus.MODTAGET},
            efter={"status": aftale.status, "ansaettelse": ansaettelse.pk if ansaettelse else None},
        )
        _udsend(aftale, "aftale.godkendt")
    return aftale


def aftale_afvis(*, actor, aftale: Aftale, begrundelse: str, expected_version: int | None = None) -> Aftale:
    """Reject an agreement with a reason the sender can read."""
    _behandler_adgang(actor, aftale)
    begrundelse = (begrundelse or "").strip() if isinstance(begrundelse, str) else ""
    if not begrundelse:
        raise ValidationError({"begrundelse": ["Skriv en begrundelse for afvisningen."]})
    with transaction.atomic():
        aftale = _laas(aftale, expected_version)
        aftale.status = AftaleStatus.AFVIST
        aftale.afvist_begrundelse = begrundelse
        aftale.behandlet = timezone.now()
        aftale.behandlet_af = audit.actor_navn(actor)
        aftale.version += 1
        aftale.save(update_fields=["status", "afvist_begrundelse", "behandlet", "behandlet_af", "version"])
        audit.record(
            actor=actor,
            handling="aftale.afvis",
            subject=aftale,
            borger=aftale.borger,
            kommune_id=aftale.kommune_id,
            foer={"status": AftaleStatus.MODTAGET},
            efter={"status": aftale.status},
            begrundelse=begrundelse,
        )
        _udsend(aftale, "aftale.afvist")
    return aftale
