"""Upgrade step: copy the files an earlier version kept on a node's disk into the shared storage.

    manage.py filer_til_databasen --media /srv/sagsforloeb/media [--outbox /srv/sagsforloeb/outbox]

Every file under ``--media`` is stored under its path relative to it (the name its FileField holds,
e.g. ``dokumenter/2026/04/<id>.pdf``); every file in ``--outbox`` under ``digitalpost/udbakke/``.
A name that is already stored is checked, not copied again: the same bytes are fine, different
bytes are reported and the run fails (a stored file never changes). Safe to run twice, and while
the application runs. See docs/deployment.md, "Upgrading from one machine".
"""

from __future__ import annotations

from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from decisions.digitalpost import MAPPE


class Command(BaseCommand):
    help = "Kopierer filer fra en nodes disk (MEDIA_ROOT og Digital Post-udbakken) til den delte fillagring."

    def add_arguments(self, parser):
        parser.add_argument("--media", type=Path, help="Den tidligere MEDIA_ROOT")
        parser.add_argument("--outbox", type=Path, help="Den tidligere DIGITAL_POST_OUTBOX")

    def handle(self, *args, media: Path | None, outbox: Path | None, **options):
        if not media and not outbox:
            raise CommandError("Angiv --media og/eller --outbox.")
        kopieret = fandtes = 0
        forskellige = []
        for rod, prefix in ((media, ""), (outbox, MAPPE + "/")):
            if rod is None:
                continue
            if not rod.is_dir():
                raise CommandError(f"{rod} er ikke en mappe.")
            for sti in sorted(p for p in rod.rglob("*") if p.is_file()):
                navn = prefix + sti.relative_to(rod).as_posix()
                data = sti.read_bytes()
                if default_storage.exists(navn):
                    if default_storage.open(navn).read() != data:
                        forskellige.append(navn)
                    fandtes += 1
                    continue
                gemt = default_storage.save(navn, ContentFile(data))
                if gemt != navn:  # stored concurrently under this name by another run: never a second copy
                    default_storage.delete(gemt)
                kopieret += 1
        self.stdout.write(f"{kopieret} filer kopieret, {fandtes} fandtes allerede.")
        if forskellige:
            raise CommandError("Gemt med andet indhold (ikke ændret): " + ", ".join(forskellige))
