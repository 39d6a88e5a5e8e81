"""Use cases of decisions and letters: draft, lint, issue (PDF), send, replace.

Issuing a decision whose type carries a forløb transition performs that transition in the same
transaction, so the decision and the case state can never disagree, and a decision the forløb's
rules forbid cannot be issued.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cases import frister, regelkatalog, signals
from cases.models import DigitalPostStatus, Forloeb, Lovhenvisning, User
from cases.selectors import forloeb_for
from cases.services import forloeb_overgang
from infra import audit, datoer, udbakke
from infra.fejl import DomaeneFejl, ForaeldetVersion

from . import klagevejledning, lint, rules, spoergsmaal, udvidelser
from .forsendelse import ForsendelseStatus, modtaget_dato
from .kilder import faktaforslag, kilde_titel
from .models import AFGOERELSESTYPER, VAELG_KANAL, Dokument, DokumentStatus, DokumentType, Faktum, Forsendelse, Kanal
from .pdf import dokument_forhaandsvisning, dokument_render_pdf  # noqa: F401  (kept beside the other use cases)
from .udvidelser import EFTER_UDSTEDELSE, HAENDELSE_VED_UDSTEDELSE, efter_udstedelse  # noqa: F401

REDIGERBARE = [
    "titel",
    "tekst",
    "hovedhensyn",
    "fuldt_medhold",
    "arbejdsfunktioner",
    "sundhedsfaglig_raadgivning",
    "under_40_begrundelse",
    "fleksjob_afslag",
    "fleksjob_afslag_begrundelse",
    "data",
    "sagsbehandler",
]


class DokumentFejl(DomaeneFejl):
    """Base of the refusals of a document's use cases."""


class LintFejl(DokumentFejl):
    """The document lacks something its type requires; ``mangler`` lists every element."""

    status = 409
    slug = "afgoerelse-mangler"
    titel = "Dokumentet mangler noget"

    def __init__(self, mangler: list[lint.Mangel]):
        super().__init__(f"Dokumentet kan ikke udstedes: {len(mangler)} element(er) mangler.")
        self.mangler = mangler

    def problem_data(self) -> dict:
        return {"mangler": [m.as_dict() for m in self.mangler]}


class IkkeKladde(DokumentFejl):
    status = 409
    slug = "ikke-kladde"
    titel = "Dokumentet er udstedt"
    standard_besked = "Dokumentet er udstedt og kan ikke ændres. Ret det ved at udstede et nyt, der erstatter det."


class ForsendelseFejl(DokumentFejl):
    """Delivery refused; ``kode`` says why (``ikke_udstedt``, ``pdf_ikke_klar``, ``ingen_digital_post``,
    ``ingen_adresse``) so the API and the UI can answer precisely."""

    status = 409
    slug = "forsendelse-afvist"
    titel = "Dokumentet kan ikke sendes"
    SLUGS = {
        "ikke_udstedt": "ikke-udstedt",
        "pdf_ikke_klar": "pdf-ikke-klar",
        "ingen_digital_post": "ingen-digital-post",
        "ingen_adresse": "ingen-adresse",
    }

    def __init__(self, besked: str, *, kode: str = "afvist"):
        super().__init__(besked)
        self.kode = kode
        self.slug = self.SLUGS.get(kode, type(self).slug)

    def problem_headers(self) -> dict[str, str]:
        return {"Retry-After": "5"} if self.kode == "pdf_ikke_klar" else {}  # the PDF is being rendered


class PdfIkkeKlar(DokumentFejl):
    """The issued PDF is asked for before it exists (a draft, or rendered by Celery right now)."""

    status = 409
    slug = "pdf-ikke-klar"
    standard_besked = "Dokumentet er ikke udstedt, eller PDF'en er ved at blive dannet."


class PdfBeskadiget(DokumentFejl):
    """The stored PDF no longer matches its SHA-256: it is never handed out."""

    status = 500
    slug = "pdf-integritet"
    standard_besked = "Den gemte PDF er beskadiget. Fejlen er logget."


DOKUMENT_AENDRET = "Dokumentet er ændret af en anden, siden du åbnede det. Genindlæs og prøv igen."


def sikr_kladde(dokument: Dokument) -> None:
    """Only a draft changes: ``IkkeKladde`` for an issued document."""
    if dokument.status != DokumentStatus.KLADDE:
        raise IkkeKladde()


def _adgang(actor, forloeb: Forloeb) -> None:
    if not forloeb_for(actor).filter(pk=forloeb.pk).exists():
        raise PermissionDenied


def _sagsnummer(forloeb: Forloeb) -> str:
    return f"{forloeb.kommune.kommunekode}-{forloeb.oprettet:%Y}-{str(forloeb.pk)[:8].upper()}"


def _fakta_raekker(dokument: Dokument, fakta: list[dict]) -> tuple[list[Faktum], dict[str, str]]:
    """The facts as rows of ``dokument`` (unsaved) and the errors of the input, writing nothing."""
    fejl = {}
    rows = []
    for i, f in enumerate(fakta):
        tekst = (f.get("tekst") or "").strip()
        titel = kilde_titel(dokument.forloeb, f.get("kilde_type"), f.get("kilde_id"))
        if not tekst:
            fejl[f"fakta.{i}.tekst"] = "Beskriv oplysningen."
        if titel is None:
            fejl[f"fakta.{i}.kilde_id"] = "Kilden skal være et dokument i denne sag."
        rows.append(
            Faktum(
                dokument=dokument,
                tekst=tekst,
                kilde_type=f.get("kilde_type") or "",
                kilde_id=f.get("kilde_id") or "",
                kilde_titel=titel or "",
                raekkefoelge=i,
            )
        )
    return rows, fejl


def _saet_fakta(dokument: Dokument, fakta: list[dict]) -> None:
    rows, fejl = _fakta_raekker(dokument, fakta)
    if fejl:
        raise ValidationError(fejl)
    dokument.fakta.all().delete()
    Faktum.objects.bulk_create(rows)


def _lovhenvisninger(koder: list[str]) -> tuple[list[Lovhenvisning], dict[str, str]]:
    """The legal references in force today for these codes, and the error naming unknown ones."""
    idag = datoer.idag()
    valgte: list[Lovhenvisning] = []
    ukendte: list[str] = []
    for kode in koder:
        row = regelkatalog.lovhenvisning(kode, idag)
        if row is None:
            ukendte.append(kode)
        else:
            valgte.append(row)
    if ukendte:
        return valgte, {"lovhenvisninger": f"Ukendte eller ikke gældende lovhenvisninger: {', '.join(ukendte)}."}
    return valgte, {}


def _saet_lovhenvisninger(dokument: Dokument, koder: list[str]) -> None:
    valgte, fejl = _lovhenvisninger(koder)
    if fejl:
        raise ValidationError(fejl)
    dokument.lovhenvisninger.set(valgte)


def dokument_udkast_fejl(
    *, dokument: Dokument, fakta: list[dict] | None = None, lovhenvisninger: list[str] | None = None,
    svar: list[dict] | None = None, **felter,
) -> dict[str, str]:  # fmt: skip
    """What :func:`dokument_opdater` would refuse in this input, checked without writing anything
    (the editor's live lint shows these beside the lint of the unsaved draft)."""
    fejl = {f: "Ukendt felt." for f in sorted(set(felter) - set(REDIGERBARE))}
    if fakta is not None:
        fejl |= _fakta_raekker(dokument, fakta)[1]
    if lovhenvisninger is not None:
        fejl |= _lovhenvisninger(lovhenvisninger)[1]
    if svar is not None:
        fejl |= spoergsmaal.input_fejl(dokument.type, svar)
    return fejl


def dokument_opret(
    *,
    actor,
    forloeb: Forloeb,
    type: str,
    fakta: list[dict] | None = None,
    lovhenvisninger: list[str] | None = None,
    erstatter: Dokument | None = None,
    egen_flow: bool = False,
    svar: list[dict] | None = None,
    **felter,
) -> Dokument:
    """Create a draft decision or letter for the forløb, of a type the forløb's state allows
    (``rules.dokumenttype_fejl``). ``egen_flow``: the caller is the flow that drafts this letter
    type (rehab's partshøring and booking, flexjob's assessment, the genvurdering of a complaint),
    which has checked its own preconditions and starts what the letter sets going.

    A new decision (not a correction) given no facts starts with those already listed for it: the
    points of the partshøring sent and the indstilling's content (``kilder.faktaforslag``); given
    no legal references, with its type's legal basis (``rules.lovgrundlag``)."""
    _adgang(actor, forloeb)
    fejl: dict = {f: "Ukendt felt." for f in sorted(set(felter) - set(REDIGERBARE))}
    if erstatter is not None:
        if erstatter.forloeb_id != forloeb.pk or erstatter.status == DokumentStatus.KLADDE:
            fejl["erstatter"] = "Kun et udstedt dokument i samme forløb kan erstattes."
        elif Dokument.objects.filter(erstatter=erstatter).exists():  # the DB, not a cached relation
            fejl["erstatter"] = "Dokumentet er allerede erstattet."
    if type not in DokumentType.values:
        fejl["type"] = "Ukendt dokumenttype."
    elif not (egen_flow and type in rules.EGNE_FLOWS):
        type_fejl = rules.dokumenttype_fejl(forloeb, type, erstatter=None if "erstatter" in fejl else erstatter)
        if type_fejl is not None:
            fejl["type"] = type_fejl
    if fejl:
        raise ValidationError(fejl)
    felter.setdefault("sagsbehandler", forloeb.sagsbehandler or (actor if isinstance(actor, User) else None))
    felter.setdefault("titel", DokumentType(type).label)
    with transaction.atomic():
        d = Dokument.objects.create(
            forloeb=forloeb,
            kommune_id=forloeb.kommune_id,
            type=type,
            sagsnummer=_sagsnummer(forloeb),
            erstatter=erstatter,
            **felter,
        )
        if erstatter is None and d.er_afgoerelse:
            if fakta is None:
                fakta = faktaforslag(forloeb)
            if lovhenvisninger is None:  # the type's legal basis, as on the page (issue 15)
                lovhenvisninger = rules.lovgrundlag(type)
        if fakta:
            _saet_fakta(d, fakta)
        if lovhenvisninger:
            _saet_lovhenvisninger(d, lovhenvisninger)
        spoergsmaal.gem(actor, d, svar or [])
        audit.record(
            actor=actor,
            handling="dokument.opret",
            subject=d,
            borger_id=forloeb.borger_id,
            kommune_id=forloeb.kommune_id,
            efter={"type": type, "titel": d.titel, "antal_fakta": len(fakta or [])},
        )
    return d


def dokument_opdater(
    *,
    actor,
    dokument: Dokument,
    expected_version: int | None = None,
    fakta: list[dict] | None = None,
    lovhenvisninger: list[str] | None = None,
    svar: list[dict] | None = None,
    **felter,
) -> Dokument:
    """Change a draft (``svar``: answers to prompts; others keep theirs). An issued document never changes."""
    _adgang(actor, dokument.forloeb)
    ukendte = set(felter) - set(REDIGERBARE)
    if ukendte:
        raise ValidationError({f: "Ukendt felt." for f in sorted(ukendte)})
    with transaction.atomic():
        d = Dokument.objects.select_for_update().get(pk=dokument.pk)
        sikr_kladde(d)
        if expected_version is not None and d.version != expected_version:
            raise ForaeldetVersion(DOKUMENT_AENDRET)
        for k, v in felter.items():
            setattr(d, k, v)
        d.version += 1
        d.save()
        if fakta is not None:
            _saet_fakta(d, fakta)
        if lovhenvisninger is not None:
            _saet_lovhenvisninger(d, lovhenvisninger)
        besvaret = spoergsmaal.gem(actor, d, svar) if svar is not None else []
        audit.record(
            actor=actor,
            handling="dokument.opdater",
            subject=d,
            borger_id=d.forloeb.borger_id,
            kommune_id=d.kommune_id,
            efter={"felter": sorted(felter), **({"svar": besvaret} if besvaret else {})},
        )
    return d


def dokument_udsted(
    *, actor, dokument: Dokument, idag: dt.date | None = None, expected_version: int | None = None
) -> Dokument:
    """Issue: lint, freeze the klagevejledning, perform the decision's transition, render the PDF after
    commit. Issuing twice (double click, concurrent requests, retry) has one effect: the row lock
    serialises the callers and every later call returns the issued document unchanged.
    ``expected_version`` (the draft the caller saw) is checked only while the document is a draft."""
    _adgang(actor, dokument.forloeb)
    idag = idag or datoer.idag()
    with transaction.atomic():
        d = Dokument.objects.select_for_update().select_related("forloeb", "kommune").get(pk=dokument.pk)
        if d.status != DokumentStatus.KLADDE:
            return d  # already issued: idempotent
        if expected_version is not None and d.version != expected_version:
            raise ForaeldetVersion(DOKUMENT_AENDRET)
        mangler = lint.lint(d, actor=actor, idag=idag)
        if mangler:
            raise LintFejl(mangler)
        jobcenter = d.forloeb.team.jobcenter
        if d.er_afgoerelse:
            d.klagevejledning = klagevejledning.tekst(kommune=d.kommune, jobcenter=jobcenter, paa=idag)
        d.status = DokumentStatus.UDSTEDT
        d.udstedt = timezone.now()
        d.udstedt_af = audit.actor_navn(actor)
        d.regelgrundlag = {
            "lovhenvisninger": [str(pk) for pk in d.lovhenvisninger.values_list("pk", flat=True)],
            "klagefrist": str(getattr(regelkatalog.frist_definition("klagefrist", d.kommune_id, idag), "pk", "")),
        }
        d.version += 1
        d.save()
        if d.erstatter_id:
            audit.record(
                actor=actor,
                handling="dokument.erstattet",
                subject=d.erstatter,
                borger_id=d.forloeb.borger_id,
                kommune_id=d.kommune_id,
                efter={"erstattet_af": d.pk},
            )
        overgang = lint.overgang_for(d)
        if overgang:
            forloeb_overgang(
                actor=actor, forloeb=d.forloeb, overgang=overgang, data=lint.overgang_data(d, idag), idag=idag
            )
        udvidelser.udstedt(d, actor, idag)  # its event and the apps' hooks (e.g. the visitation)
        if d.type == DokumentType.ARBEJDSEVNEVURDERING_FLEKSJOB:
            # Only the assessed employment's deadline closes (flexjob.services._reference's format).
            vurdering = getattr(d, "arbejdsevnevurdering", None)
            reference = f"ansaettelse:{vurdering.ansaettelse_id}" if vurdering is not None else ""
            frister.registrer_haendelse(
                forloeb=d.forloeb,
                kode="arbejdsevnevurdering_udstedt",
                dato=idag,
                reference=reference,
                actor_navn=d.udstedt_af,
            )
        audit.record(
            actor=actor,
            handling="dokument.udsted",
            subject=d,
            borger_id=d.forloeb.borger_id,
            kommune_id=d.kommune_id,
            efter={"type": d.type},
        )
        signals.udgiv(
            haendelse="afgoerelse.udstedt",
            kommune_id=d.kommune_id,
            noegle=d.pk,
            data={"dokument": d.pk, "type": d.type, "forloeb": d.forloeb_id},
        )
        udbakke.koe("decisions.render_pdf", str(d.pk))  # the outbox: the PDF is rendered by a worker
    return d


def dokument_gem_og_udsted(
    *, actor, dokument: Dokument, expected_version: int | None = None, idag: dt.date | None = None, **felter
) -> Dokument:
    """Save the editor's input to the draft and issue it: both or neither. A refused issue (lint,
    rules, stale version) leaves the draft as it was; ``felter`` are :func:`dokument_opdater`'s."""
    with transaction.atomic():
        ny = dokument_opdater(actor=actor, dokument=dokument, expected_version=expected_version, **felter)
        return dokument_udsted(actor=actor, dokument=ny, idag=idag, expected_version=ny.version)


# --- sending -------------------------------------------------------------------------------------
#: Other apps react to a sent document of a type (e.g. rehab: a partshøring letter starts the reply deadline).
EFTER_AFSENDELSE: dict[str, list[Callable[[Dokument, Forsendelse], None]]] = {}


def efter_afsendelse(dokument_type: str):
    def register(fn):
        EFTER_AFSENDELSE.setdefault(dokument_type, []).append(fn)
        return fn

    return register


def kanal_fejl(borger, kanal: str) -> ForsendelseFejl | None:
    """Why the citizen cannot receive a letter on this channel (None: they can)."""
    if kanal == Kanal.DIGITAL_POST and borger.digital_post != DigitalPostStatus.TILMELDT:
        return ForsendelseFejl(
            "Borgeren er ikke registreret som tilmeldt Digital Post. Send med fysisk post eller udlevér brevet.",
            kode="ingen_digital_post",
        )
    if kanal == Kanal.FYSISK_POST and not borger.har_postadresse:
        return ForsendelseFejl(
            "Borgeren har ingen kendt postadresse. Registrér adressen, før brevet sendes.", kode="ingen_adresse"
        )
    return None


def dokument_afsend(*, actor, dokument: Dokument, kanal: str, nu: dt.datetime | None = None) -> Forsendelse:
    """Deliver an issued document. A citizen without a usable channel is refused, not sent into nowhere.
    Sending twice returns the first delivery. ``nu`` (default: now) is the moment of sending. A send
    that must wait for the PDF is ordered with :func:`decisions.bestilling.dokument_afsend_bestil`."""
    _adgang(actor, dokument.forloeb)
    if kanal not in Kanal.values:  # no channel is never assumed
        raise ValidationError({"kanal": "Ukendt forsendelseskanal." if kanal else VAELG_KANAL})
    with transaction.atomic():
        d = Dokument.objects.select_for_update().select_related("forloeb__borger", "kommune").get(pk=dokument.pk)
        if d.status == DokumentStatus.AFSENDT:
            return d.gaeldende_forsendelse
        if d.status != DokumentStatus.UDSTEDT:
            raise ForsendelseFejl("Dokumentet skal udstedes, før det kan sendes.", kode="ikke_udstedt")
        if not d.pdf_sha256:
            raise ForsendelseFejl("PDF'en er ved at blive dannet. Prøv igen om et øjeblik.", kode="pdf_ikke_klar")
        borger = d.forloeb.borger
        if fejl := kanal_fejl(borger, kanal):
            raise fejl
        nu = nu or timezone.now()
        idag = datoer.lokal_dato(nu)
        digital = kanal == Kanal.DIGITAL_POST
        # Digital Post is ordered here and handed over after commit (decisions/forsendelse.py), its
        # receipt day assumed today and moved when the receipt says otherwise or the letter fails.
        f = Forsendelse.objects.create(
            dokument=d,
            kanal=kanal,
            status=ForsendelseStatus.BESTILT if digital else ForsendelseStatus.AFSENDT,
            afsendt=nu,
            afsendt_dato=idag,
            modtaget_dato=modtaget_dato(kanal, idag, d.kommune_id),
            afsendt_af=audit.actor_navn(actor),
            beskyttet=borger.adressebeskyttelse,
            memo_uuid=uuid.uuid4() if digital else None,
        )
        if digital:
            udbakke.koe("decisions.digitalpost_send", str(f.pk))  # the outbox: sent by a worker after commit
        d.status = DokumentStatus.AFSENDT
        d.version += 1
        d.afsendelse_kanal, d.afsendelse_fejl = "", ""  # a pending order (decisions/bestilling.py) is done
        d.save(update_fields=["status", "version", "opdateret", "afsendelse_kanal", "afsendelse_fejl"])
        if d.er_afgoerelse:
            frister.registrer_haendelse(
                forloeb=d.forloeb,
                kode="afgoerelse_modtaget",
                dato=f.modtaget_dato,
                reference=str(d.pk),
                actor_navn=f.afsendt_af,
            )
        for hook in EFTER_AFSENDELSE.get(d.type, []):
            hook(d, f)
        audit.record(
            actor=actor,
            handling="dokument.afsend",
            subject=d,
            borger_id=borger.pk,
            kommune_id=d.kommune_id,
            efter={"kanal": kanal, "modtaget_dato": f.modtaget_dato},
        )
    return f


@efter_afsendelse(DokumentType.TILBUD_OM_MOEDE)
def _tilbud_om_moede(d: Dokument, f: Forsendelse) -> None:
    frister.registrer_haendelse(
        forloeb=d.forloeb, kode="tilbud_om_moede_sendt", dato=f.afsendt_dato, actor_navn=f.afsendt_af
    )


@efter_afsendelse(DokumentType.REDEGOERELSE)
def _redegoerelse(d: Dokument, f: Forsendelse) -> None:
    frister.registrer_haendelse(
        forloeb=d.forloeb,
        kode="redegoerelse_sendt",
        dato=f.afsendt_dato,
        actor_navn=f.afsendt_af,
        data={"ny_forventet_dato": dt.date.fromisoformat(d.data["ny_forventet_dato"]), "aarsag": d.data["aarsag"]},
    )


__all__ = ["AFGOERELSESTYPER", "Lovhenvisning"]
