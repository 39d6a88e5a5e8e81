"""``manage.py adgangslog``: a citizen's access-log extract (GDPR art. 15).

Who looked at or changed the citizen's data, when, what and why, from the append-only audit log:

    manage.py adgangslog --borger-id 6f1c...                       # text, whole history
    echo 0101801234 | manage.py adgangslog --cpr-stdin --fra 2025-01-01 --til 2025-12-31 --format csv

The CPR number is read from standard input only, never from the command line, where it would end up
in shell history and process lists. Interactively (a terminal on stdin) it is asked for without echo.
The extract shows the citizen's name and masked CPR only; free text that looks like a CPR number is
masked too. Producing the extract is itself recorded in the audit log (``borger.adgangslog_udtraek``)
before anything is printed. CSV uses ``;`` as separator (what a Danish spreadsheet expects).
"""

from __future__ import annotations

import csv
import datetime as dt
import getpass
import io
import sys
import uuid
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cases.models import Borger
from infra import audit, context
from infra import cpr as cprlib
from infra.audit_labels import actor_type_label, handling_label
from infra.logging import mask_text

KOMMANDO = "manage.py adgangslog"
HANDLING = "borger.adgangslog_udtraek"
TZ = ZoneInfo("Europe/Copenhagen")
DEFAULT_BEGRUNDELSE = "Borgerens anmodning om indsigt (databeskyttelsesforordningens art. 15)"
CSV_KOLONNER = ["tidspunkt", "hvem", "aktoertype", "hvad", "handlingskode", "hvorfor", "hvor"]


def _dato(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise CommandError(f"Ugyldig dato {value!r}: brug ÅÅÅÅ-MM-DD.") from None


def _start_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=TZ)


class Command(BaseCommand):
    help = (
        "Udtræk af en borgers adgangslog (GDPR art. 15): hvem har set eller ændret oplysningerne, hvornår og hvorfor."
    )

    def add_arguments(self, parser):
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--borger-id", dest="borger_id", help="borgerens id (UUID)")
        who.add_argument(
            "--cpr-stdin",
            dest="cpr_stdin",
            action="store_true",
            help="læs borgerens CPR-nummer fra standard input (aldrig som argument)",
        )
        parser.add_argument("--kommune", help="kommunekode, hvis CPR-nummeret findes i flere kommuner")
        parser.add_argument("--fra", help="fra og med dato (ÅÅÅÅ-MM-DD, dansk tid)")
        parser.add_argument("--til", help="til og med dato (ÅÅÅÅ-MM-DD, dansk tid)")
        parser.add_argument("--format", choices=["text", "csv"], default="text")
        parser.add_argument(
            "--begrundelse", default=DEFAULT_BEGRUNDELSE, help="hvorfor udtrækket laves (skrives i auditloggen)"
        )

    # -- selection -------------------------------------------------------------------------------
    def _borger(self, options) -> Borger:
        qs = Borger.objects.select_related("kommune")
        if options.get("kommune"):
            qs = qs.filter(kommune__kommunekode=options["kommune"])
        if options.get("borger_id"):
            try:
                pk = uuid.UUID(str(options["borger_id"]))
            except ValueError:
                raise CommandError("--borger-id skal være et UUID.") from None
            borger = qs.filter(pk=pk).first()
            if borger is None:
                raise CommandError("Ingen borger med dette id.")
            return borger
        if not options.get("cpr_stdin"):
            raise CommandError("Angiv --borger-id eller --cpr-stdin.")
        raw = getpass.getpass("CPR-nummer: ") if sys.stdin.isatty() else sys.stdin.readline()
        try:
            parsed = cprlib.parse(raw.strip())
        except ValidationError as exc:
            raise CommandError(f"Ugyldigt CPR-nummer på standard input: {' '.join(exc.messages)}") from None
        matches = list(qs.filter(cpr_hash=cprlib.lookup_hash(parsed)))
        if not matches:
            raise CommandError("Ingen borger med dette CPR-nummer.")
        if len(matches) > 1:
            kommuner = ", ".join(f"{b.kommune.kommunekode} {b.kommune.navn}" for b in matches)
            raise CommandError(f"CPR-nummeret findes i flere kommuner ({kommuner}): angiv --kommune.")
        return matches[0]

    # -- command ---------------------------------------------------------------------------------
    def handle(self, *args, **options):
        fra, til = _dato(options.get("fra")), _dato(options.get("til"))
        if fra and til and fra > til:
            raise CommandError("--fra skal ligge før eller på --til.")
        begrundelse = (options.get("begrundelse") or "").strip() or DEFAULT_BEGRUNDELSE
        fmt = options.get("format") or "text"
        borger = self._borger(options)

        entries = audit.for_borger(borger.pk)
        if fra:
            entries = entries.filter(tidspunkt__gte=_start_of_day(fra))
        if til:
            entries = entries.filter(tidspunkt__lt=_start_of_day(til + dt.timedelta(days=1)))

        # The extract is logged in the same transaction that reads it: no extract without its log row.
        with context.bound(context.RequestContext(kilde=KOMMANDO)), transaction.atomic():
            rows = list(entries)
            audit.record(
                actor=audit.SystemActor(KOMMANDO),
                handling=HANDLING,
                subject=borger,
                borger=borger,
                begrundelse=begrundelse,
                efter={
                    "fra": fra.isoformat() if fra else None,
                    "til": til.isoformat() if til else None,
                    "format": fmt,
                    "antal": len(rows),
                },
            )

        if fmt == "csv":
            self._csv(rows)
        else:
            self._text(borger, rows, fra, til)

    # -- output ----------------------------------------------------------------------------------
    @staticmethod
    def _row(entry) -> dict:
        when = entry.tidspunkt.astimezone(TZ)
        return {
            "tidspunkt": when,
            "hvem": mask_text(entry.actor_navn or "(ukendt)"),
            "aktoertype": actor_type_label(entry.actor_type),
            "hvad": handling_label(entry.handling),
            "handlingskode": entry.handling,
            "hvorfor": mask_text(entry.begrundelse or ""),
            "hvor": mask_text(entry.kilde or ""),
        }

    def _csv(self, rows) -> None:
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=";", lineterminator="\n")
        writer.writerow(CSV_KOLONNER)
        for entry in rows:
            row = self._row(entry)
            row["tidspunkt"] = row["tidspunkt"].isoformat(timespec="seconds")
            writer.writerow([row[k] for k in CSV_KOLONNER])
        self.stdout.write(buf.getvalue(), ending="")

    def _text(self, borger: Borger, rows, fra, til) -> None:
        def d(day: dt.date) -> str:
            return day.strftime("%d.%m.%Y")

        periode = f"{d(fra) if fra else 'første registrering'} – {d(til) if til else 'i dag'}"
        now = timezone.now().astimezone(TZ)
        out = [
            f"Adgangslog for {borger.navn}, CPR {borger.cpr_maskeret}",
            f"Periode: {periode}",
            f"Udtrukket: {now:%d.%m.%Y kl. %H:%M} (alle tider er dansk tid)",
            f"Antal registreringer: {len(rows)}",
            "",
        ]
        if not rows:
            out.append("Ingen registreringer i perioden.")
        for entry in rows:
            row = self._row(entry)
            out += [
                f"{row['tidspunkt']:%d.%m.%Y kl. %H:%M:%S}",
                f"  Hvem:    {row['hvem']} ({row['aktoertype']})",
                f"  Hvad:    {row['hvad']}",
                f"  Hvorfor: {row['hvorfor'] or '–'}",
                f"  Hvor:    {row['hvor'] or '–'}",
                "",
            ]
        self.stdout.write("\n".join(out).rstrip("\n"))
