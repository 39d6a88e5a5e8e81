"""Retention: deleting what the municipality may no longer keep (DOMAIN §10, docs/security.md §5).

One daily job (beat task ``cases.retention``; by hand ``manage.py retention [--dry-run]``) with
three parts, each with its own configurable period:

1. **Citizens** (``RETENTION_YEARS``, default 5): a citizen is deleted, with everything recorded
   about them, when nothing about the case is still open and nothing has happened for the
   period. "Open" is any forløb not afsluttet, any deadline not closed, a complaint still being
   handled (received, upheld but not yet sent, or at Ankestyrelsen) or an agreement from an
   external system awaiting processing or without an end date. "Happened" is the latest of the
   citizen's own record, the forløb (changes and closing date), documents (created, issued),
   journal notes, complaints (received, reassessed, sent, decided) and agreements. Deleted
   files go too: PDFs, attachments, appeal packages and the local Digital Post outbox copies.
2. **Audit log** (``AUDIT_RETENTION_YEARS``, default 5): rows older than the period are deleted,
   the only DELETE the database trigger lets through (it must be switched on in the same
   transaction).
3. **Technical data**: idempotency keys after ``IDEMPOTENCY_RETENTION_DAYS`` (30) and webhook
   deliveries that are delivered or given up after ``WEBHOOK_RETENTION_DAYS`` (90).

The apps above the core add what only they know through :func:`registrer` in their
``AppConfig.ready`` (decisions: documents and complaints; flexjob: agreements; webhooks: old
deliveries), so this module never imports them.

What belongs to a citizen is found by walking every reverse relation from the citizen (forløb,
then everything pointing at a forløb, a document, ...), so a model added later is deleted with
its citizen without touching this module. The rows are deleted with plain ``DELETE`` statements
in one transaction per citizen; PostgreSQL checks the (deferred) foreign keys at the end of it,
so a row outside the walk that still points at the citizen's data makes the deletion fail as a
whole and keeps everything, instead of leaving a half-deleted case.

Each deletion writes an audit row without personal data (what was deleted, counted per kind), so
it can be shown that the citizen was deleted and when. Archiving to the municipal archive
(arkivloven) happens before this, outside the product: ``--dry-run`` lists what is due.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

from django.conf import settings
from django.core.files.storage import Storage
from django.db import connection, models, transaction
from django.db.models import Exists, F, OuterRef, Subquery
from django.db.models.functions import Cast, Greatest
from django.utils import timezone

from cases.db_roller import SLET_FUNKTION
from cases.models import AABNE_TILSTANDE, Borger, Forloeb, Frist, Journalnotat
from infra import audit, datoer
from infra.models import IdempotencyKey

logger = logging.getLogger(__name__)

SYSTEM = audit.SystemActor("opbevaringsjob")
AUDIT_BATCH = 50_000


@dataclass(frozen=True)
class Bidrag:
    """What an app above the core adds to the job (every part optional).

    - ``aktivitet(borger)``: subqueries correlated on the citizen (``OuterRef("pk")``), each the
      latest date of something that happened in the case; made with :func:`seneste`.
    - ``aabent(borger)``: querysets correlated on the citizen; any row keeps the citizen.
    - ``andre_filer(rows)``: ``(storage, name)`` of stored files that belong to the rows about to be
      deleted but are not held in one of their ``FileField``s (the local Digital Post outbox's copies).
    - ``teknisk(nu)``: deletes the app's technical data past its period; returns the number deleted,
      reported under ``navn``.
    """

    navn: str
    aktivitet: Callable[[OuterRef], list[Subquery]] | None = None
    aabent: Callable[[OuterRef], list[models.QuerySet]] | None = None
    andre_filer: Callable[[dict[type[models.Model], set]], list[tuple[Storage, str]]] | None = None
    teknisk: Callable[[dt.datetime], int] | None = None


_BIDRAG: dict[str, Bidrag] = {}


def registrer(bidrag: Bidrag) -> None:
    """Add an app's contribution (from its ``AppConfig.ready``; the same name again replaces it)."""
    _BIDRAG[bidrag.navn] = bidrag


@dataclass
class Resultat:
    borgere_slettet: int = 0
    borgere_fejlet: int = 0
    raekker_slettet: dict[str, int] = field(default_factory=dict)
    filer_slettet: int = 0
    audit_slettet: int = 0
    idempotency_slettet: int = 0
    teknisk_slettet: dict[str, int] = field(default_factory=dict)  # per contributing app


# --- which citizens are due -----------------------------------------------------------------------
def seneste(qs: models.QuerySet, *felter: str):
    """A subquery: the latest date among ``felter`` of the rows of ``qs`` (correlated on borger)."""
    udtryk = [Cast(F(f), models.DateField()) for f in felter]
    seneste = Greatest(*udtryk) if len(udtryk) > 1 else udtryk[0]
    return Subquery(qs.annotate(_s=seneste).values("_s").order_by(F("_s").desc(nulls_last=True))[:1])


def til_sletning(idag: dt.date | None = None, *, aar: int | None = None) -> models.QuerySet[Borger]:
    """Citizens with nothing open and no activity for ``aar`` years (default ``RETENTION_YEARS``),
    annotated with ``sidste_aktivitet``."""
    idag = idag or datoer.idag()
    aar = settings.RETENTION_YEARS if aar is None else aar
    graense = _aar_foer(idag, aar)
    borger = OuterRef("pk")
    aktivitet = [
        Cast(F("opdateret"), models.DateField()),
        seneste(Forloeb.objects.filter(borger=borger), "opdateret", "afsluttet_dato"),
        seneste(Journalnotat.objects.filter(forloeb__borger=borger), "oprettet"),
    ]
    aabent = [
        Forloeb.objects.filter(borger=borger, tilstand__in=AABNE_TILSTANDE),
        Frist.objects.filter(forloeb__borger=borger, lukket_dato__isnull=True),
    ]
    for bidrag in _BIDRAG.values():
        aktivitet += bidrag.aktivitet(borger) if bidrag.aktivitet else []
        aabent += bidrag.aabent(borger) if bidrag.aabent else []
    qs = Borger.objects.filter(oprettet__date__lt=graense)
    for aaben in aabent:
        qs = qs.exclude(Exists(aaben))
    return (
        qs.annotate(sidste_aktivitet=Greatest(*aktivitet))
        .filter(sidste_aktivitet__lt=graense)
        .order_by("sidste_aktivitet", "pk")
    )


def _aar_foer(dato: dt.date, aar: int) -> dt.date:
    try:
        return dato.replace(year=dato.year - aar)
    except ValueError:  # 29 February
        return dato.replace(year=dato.year - aar, day=28)


# --- what belongs to a citizen --------------------------------------------------------------------
def ejede_raekker(borger: Borger) -> dict[type[models.Model], set]:
    """Every row that belongs to ``borger``: the citizen and, recursively, every row that points
    at one of them through a foreign key or one-to-one (reverse relations only, so shared rows such
    as teams, users, meeting days and employers are never reached)."""
    fundet: dict[type[models.Model], set] = defaultdict(set)
    koe: list[tuple[type[models.Model], set]] = [(Borger, {borger.pk})]
    while koe:
        model, pks = koe.pop()
        nye = pks - fundet[model]
        if not nye:
            continue
        fundet[model] |= nye
        for rel in model._meta.related_objects:
            if rel.many_to_many:
                continue  # the rows of an M2M through table are deleted with their owner (below)
            boern = set(
                rel.related_model._base_manager.filter(**{f"{rel.field.name}__in": nye}).values_list("pk", flat=True)
            )
            if boern:
                koe.append((rel.related_model, boern))
    return dict(fundet)


def _filer(rows: dict[type[models.Model], set]) -> list[tuple[Storage, str]]:
    """(storage, name) of every stored file on the rows, and those the apps add (``andre_filer``)."""
    filer = []
    for model, pks in rows.items():
        filfelter = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        if not filfelter:
            continue
        for vaerdier in model._base_manager.filter(pk__in=pks).values_list(*[f.attname for f in filfelter]):
            filer += [(f.storage, navn) for f, navn in zip(filfelter, vaerdier, strict=True) if navn]
    for bidrag in _BIDRAG.values():
        filer += [(s, navn) for s, navn in (bidrag.andre_filer(rows) if bidrag.andre_filer else []) if s.exists(navn)]
    return filer


def _slet_sql(model: type[models.Model], kolonne: str, vaerdier) -> int:
    qn = connection.ops.quote_name  # table and column names come from the models, never from input
    sql = f"DELETE FROM {qn(model._meta.db_table)} WHERE {qn(kolonne)} = ANY(%s)"  # noqa: S608
    with connection.cursor() as cur:
        cur.execute(sql, [list(vaerdier)])
        return cur.rowcount


def slet_borger(borger: Borger, *, grund: str) -> tuple[dict[str, int], int]:
    """Delete ``borger`` and everything that belongs to them, in one transaction, files included (a
    storage that is not transactional, ``transaktionel`` false, has its files deleted after commit).

    Returns the number of rows deleted per kind and the number of stored files deleted. Raises
    (and deletes nothing) if a row outside the citizen's data still points at it at the end."""
    with transaction.atomic():
        borger = Borger.objects.select_for_update().get(pk=borger.pk)
        rows = ejede_raekker(borger)
        filer = _filer(rows)
        antal: dict[str, int] = {}
        for model, pks in rows.items():
            for m2m in model._meta.local_many_to_many:
                through = cast("type[models.Model]", m2m.remote_field.through)
                kolonne = cast(str, cast("models.Field", through._meta.get_field(m2m.m2m_field_name())).column)
                _slet_sql(through, kolonne, pks)
            antal[model._meta.label_lower] = _slet_sql(model, cast(str, model._meta.pk.column), pks)
        efter_commit = []
        for storage, navn in filer:
            if getattr(storage, "transaktionel", False):
                storage.delete(navn)  # in this transaction: rolled back with it if the deletion fails
            else:
                efter_commit.append((storage, navn))
        audit.record(
            actor=SYSTEM,
            handling="borger.slettet",
            subject=None,
            borger_id=borger.pk,
            kommune_id=borger.kommune_id,
            efter={"slettet": antal, "filer": len(filer)},
            begrundelse=grund,
        )
        with connection.cursor() as cur:
            # Check the deferred foreign keys now (an error rolls this citizen back), then defer again.
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute("SET CONSTRAINTS ALL DEFERRED")

        def _slet_filer():
            for storage, navn in efter_commit:
                storage.delete(navn)

        transaction.on_commit(_slet_filer)
    return antal, len(filer)


# --- the job --------------------------------------------------------------------------------------
def slet_audit(foer: dt.datetime) -> int:
    """Delete audit rows older than ``foer`` in batches; each batch in its own transaction.

    Only through the SECURITY DEFINER function (cases/db_roller.py): the application role has no
    DELETE privilege on the audit log, and the function never deletes a row younger than the
    retention period, whatever ``foer`` says."""
    slettet = 0
    while True:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(f"SELECT {SLET_FUNKTION}(%s, %s)", [foer, AUDIT_BATCH])
            n = cur.fetchone()[0]
        slettet += n
        if n < AUDIT_BATCH:
            return slettet


def koer(idag: dt.date | None = None, *, maks: int | None = None) -> Resultat:
    """Run all three parts. ``maks`` caps the citizens deleted in one run (the rest come next run)."""
    idag = idag or datoer.idag()
    r = Resultat()
    aar = settings.RETENTION_YEARS
    grund = f"Slettet efter opbevaringsperioden: {aar} år uden aktivitet og intet åbent i sagen."
    kandidater = list(til_sletning(idag).values_list("pk", flat=True)[:maks])
    for pk in kandidater:
        try:
            antal, filer = slet_borger(Borger(pk=pk), grund=grund)
        except Exception:
            r.borgere_fejlet += 1
            logger.exception("retention: could not delete citizen %s; nothing of it was deleted", pk)
            continue
        r.borgere_slettet += 1
        r.filer_slettet += filer
        for navn, n in antal.items():
            r.raekker_slettet[navn] = r.raekker_slettet.get(navn, 0) + n
    nu = timezone.make_aware(dt.datetime.combine(idag, dt.time.min))
    audit_graense = _aar_foer(idag, settings.AUDIT_RETENTION_YEARS)
    r.audit_slettet = slet_audit(timezone.make_aware(dt.datetime.combine(audit_graense, dt.time.min)))
    r.idempotency_slettet, _ = IdempotencyKey.objects.filter(
        oprettet__lt=nu - dt.timedelta(days=settings.IDEMPOTENCY_RETENTION_DAYS)
    ).delete()
    for bidrag in _BIDRAG.values():
        if bidrag.teknisk:
            r.teknisk_slettet[bidrag.navn] = bidrag.teknisk(nu)
    if r.audit_slettet:
        with transaction.atomic():
            audit.record(
                actor=SYSTEM,
                handling="audit.slettet",
                efter={"antal": r.audit_slettet, "foer": audit_graense},
                begrundelse=f"Auditlog ældre end {settings.AUDIT_RETENTION_YEARS} år slettet.",
            )
    logger.info("retention: %s", r)
    return r


__all__ = ["Resultat", "ejede_raekker", "koer", "slet_audit", "slet_borger", "til_sletning"]
