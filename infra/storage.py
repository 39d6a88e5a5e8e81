"""File storage in PostgreSQL: every file the product writes goes through Django's storage API to
the database that all web and worker nodes already share (docs/deployment.md, "Files").

Why the database and not an object store: the files are small and written once (issued PDFs of a
few hundred kB, attachments up to 20 MB, appeal packages), so one backup (``pg_dump``) and one
transaction boundary cover the case and its files: a file written in a transaction that rolls back
is gone with it (no orphan after a worker is killed mid-task), and retention deletes the rows and
their files in the same transaction. No new server is needed, in development or in a municipality.

Guarantees kept here, whatever the caller:
- a name is never overwritten (``get_available_name``; a concurrent insert of the same name gets a
  new one), and a stored file never changes: the table's trigger refuses UPDATE;
- the SHA-256 of the content is stored beside it (a CHECK constraint computes it in PostgreSQL) and
  verified on every read: a damaged file raises :class:`BeskadigetFil` instead of being served.

Reads and writes always use the primary (``default``), never a read replica: a PDF rendered a
moment ago must be there.
"""

from __future__ import annotations

import hashlib
import posixpath
from urllib.parse import urljoin

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import DEFAULT_DB_ALIAS, IntegrityError, transaction
from django.utils.deconstruct import deconstructible

from .models import LagretFil

MAKS_FORSOEG = 5


class BeskadigetFil(OSError):
    """The stored bytes no longer match their SHA-256."""


@deconstructible(path="infra.storage.PostgresStorage")
class PostgresStorage(Storage):
    #: Writes and deletes take part in the caller's transaction (cases/retention.py deletes files in it).
    transaktionel = True

    def __init__(self, using: str = DEFAULT_DB_ALIAS):
        self.using = using

    def _qs(self):
        return LagretFil.objects.using(self.using)

    # --- reading ------------------------------------------------------------------------------
    def _open(self, name: str, mode: str = "rb"):
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("Lagrede filer kan ikke ændres; gem en ny fil.")
        try:
            indhold, sha256 = self._qs().values_list("indhold", "sha256").get(navn=name)
        except LagretFil.DoesNotExist:
            raise FileNotFoundError(name) from None
        data = bytes(indhold)
        if hashlib.sha256(data).hexdigest() != sha256:
            raise BeskadigetFil(f"{name}: indholdet svarer ikke til den gemte SHA-256")
        return ContentFile(data, name=name)

    def exists(self, name: str) -> bool:
        return self._qs().filter(navn=name).exists()

    def size(self, name: str) -> int:
        try:
            return self._qs().values_list("stoerrelse", flat=True).get(navn=name)
        except LagretFil.DoesNotExist:
            raise FileNotFoundError(name) from None

    def listdir(self, path: str):
        prefix = path.rstrip("/") + "/" if path.strip("/") else ""
        mapper, filer = set(), []
        for navn in self._qs().filter(navn__startswith=prefix).values_list("navn", flat=True):
            rest = navn[len(prefix) :]
            if "/" in rest:
                mapper.add(rest.split("/", 1)[0])
            else:
                filer.append(rest)
        return sorted(mapper), sorted(filer)

    def get_created_time(self, name: str):
        try:
            return self._qs().values_list("oprettet", flat=True).get(navn=name)
        except LagretFil.DoesNotExist:
            raise FileNotFoundError(name) from None

    get_modified_time = get_created_time  # files never change

    def url(self, name: str | None) -> str:
        # Never served from a URL of its own: views that check access stream the bytes (MEDIA_URL is
        # not routed).
        return urljoin(settings.MEDIA_URL, name or "")

    # --- writing ------------------------------------------------------------------------------
    def _save(self, name: str, content) -> str:
        if hasattr(content, "seek"):
            content.seek(0)
        data = b"".join(content.chunks()) if hasattr(content, "chunks") else content.read()
        if isinstance(data, str):
            data = data.encode()
        for _ in range(MAKS_FORSOEG):
            try:
                with transaction.atomic(using=self.using):  # a savepoint when the caller's transaction is open
                    self._qs().create(
                        navn=name, indhold=data, stoerrelse=len(data), sha256=hashlib.sha256(data).hexdigest()
                    )
                return name
            except IntegrityError:
                if not self.exists(name):
                    raise  # not a taken name: a CHECK failed
                name = self.get_available_name(name)  # taken concurrently: never overwrite, take another
        raise IntegrityError(f"Kunne ikke finde et ledigt filnavn til {posixpath.basename(name)}")

    def delete(self, name: str) -> None:
        if name:
            self._qs().filter(navn=name).delete()
