"""``manage.py retention``: delete what is past its retention period (cases/retention.py).

    manage.py retention --dry-run     # list the citizens due (masked CPR), delete nothing
    manage.py retention               # delete them, old audit rows and old technical data
    manage.py retention --maks 100    # at most 100 citizens this run

The nightly beat task ``cases.retention`` runs the same job. Archiving to the municipal archive
(arkivloven) must happen before deletion; ``--dry-run`` is the list to archive from.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from cases import retention
from infra import context


class Command(BaseCommand):
    help = "Slet borgere, auditlog og tekniske data, hvis opbevaringsperiode er udløbet."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Vis hvad der ville blive slettet; slet intet")
        parser.add_argument("--maks", type=int, default=None, help="Højst så mange borgere i denne kørsel")

    def handle(self, *args, dry_run: bool = False, maks: int | None = None, **options):
        if dry_run:
            borgere = retention.til_sletning()
            n = 0
            for b in borgere.select_related("kommune")[:maks]:
                n += 1
                self.stdout.write(f"{b.cpr_maskeret}  {b.kommune.navn}  sidste aktivitet {b.sidste_aktivitet:%d.%m.%Y}")
            self.stdout.write(
                f"{n} borger(e) ville blive slettet ({settings.RETENTION_YEARS} år uden aktivitet og intet åbent)."
            )
            return
        with context.bound(context.RequestContext(kilde="manage.py retention")):
            r = retention.koer(maks=maks)
        self.stdout.write(
            f"Slettet: {r.borgere_slettet} borger(e) "
            f"({sum(r.raekker_slettet.values())} rækker, {r.filer_slettet} filer), "
            f"{r.audit_slettet} auditlog-rækker, {r.idempotency_slettet} idempotensnøgler"
            + "".join(f", {n} tekniske rækker ({navn})" for navn, n in sorted(r.teknisk_slettet.items()))
            + "."
        )
        if r.borgere_fejlet:
            self.stderr.write(f"{r.borgere_fejlet} borger(e) kunne ikke slettes; se loggen. Intet af dem er slettet.")
