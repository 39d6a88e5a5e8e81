"""``manage.py cpr_rotate``: re-encrypt every stored CPR number and recompute its lookup hash under
the current ``CPR_KEY``.

Key rotation, step by step (docs/security.md):

1. Generate a new key (``python -c "import secrets; print(secrets.token_urlsafe(48))"``).
2. Deploy with ``CPR_KEY=<new>`` and ``CPR_KEYS_PREVIOUS=<old>`` (comma-separated if several).
   Decryption accepts the old key from now on; new citizens are stored under the new key.
3. Run ``manage.py cpr_rotate`` (idempotent; safe to re-run and to interrupt). Until it has run,
   exact CPR search and the duplicate check do not find citizens stored under the old key.
4. ``manage.py cpr_rotate --check`` must report 0 rows left; then remove the old key from
   ``CPR_KEYS_PREVIOUS`` and deploy again.

Rows are processed in batches, each in its own transaction with row locks; every batch writes
one audit row (``cpr.noegle_rotation``, system actor) listing the citizens it re-encrypted.
The command prints counts only, never a CPR number.
"""

from __future__ import annotations

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cases.models import Borger
from infra import audit
from infra import cpr as cprlib

HANDLING = "cpr.noegle_rotation"


def _kun_nuvaerende():
    """A MultiFernet with the current key only: tells whether a token is already rotated."""
    return cprlib._keys(settings.CPR_KEY, ())[0]


def mangler_rotation(borger: Borger) -> bool:
    try:
        digits = _kun_nuvaerende().decrypt(borger.cpr_krypteret.encode()).decode()
    except InvalidToken:
        return True
    return borger.cpr_hash != cprlib.lookup_hash(cprlib.parse(digits, today=None))


class Command(BaseCommand):
    help = "Genkrypter alle CPR-numre og genberegn opslags-hash med den aktuelle CPR_KEY (nøglerotation)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="tæl kun rækker, der mangler rotation")
        parser.add_argument("--batch", type=int, default=500, help="rækker pr. transaktion (standard 500)")

    def handle(self, *args, check: bool = False, batch: int = 500, **options):
        ids = list(Borger.objects.order_by("pk").values_list("pk", flat=True))
        mangler = 0
        roteret = 0
        aktoer = audit.SystemActor("manage.py cpr_rotate")
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            with transaction.atomic():
                rows = list(Borger.objects.select_for_update().filter(pk__in=chunk).order_by("pk"))
                aendret = []
                for b in rows:
                    if not mangler_rotation(b):
                        continue
                    mangler += 1
                    if check:
                        continue
                    try:
                        digits = cprlib.decrypt(b.cpr_krypteret)
                    except Exception as exc:
                        raise CommandError(
                            f"Borger {b.pk}: CPR kan ikke dekrypteres med CPR_KEY eller CPR_KEYS_PREVIOUS."
                        ) from exc
                    b.cpr_krypteret = cprlib.rotate_token(b.cpr_krypteret)
                    b.cpr_hash = cprlib.lookup_hash(cprlib.parse(digits))
                    aendret.append(b)
                if aendret:
                    Borger.objects.bulk_update(aendret, ["cpr_krypteret", "cpr_hash"])
                    for kommune_id in {b.kommune_id for b in aendret}:
                        audit.record(
                            actor=aktoer,
                            handling=HANDLING,
                            kommune_id=kommune_id,
                            efter={
                                "antal": sum(1 for b in aendret if b.kommune_id == kommune_id),
                                "borger_ids": [str(b.pk) for b in aendret if b.kommune_id == kommune_id],
                            },
                        )
                    roteret += len(aendret)
        if check:
            self.stdout.write(f"{mangler} af {len(ids)} borgere mangler rotation til den aktuelle CPR_KEY.")
            if mangler:
                raise CommandError("Kør manage.py cpr_rotate, før den gamle nøgle fjernes.")
            return
        self.stdout.write(f"{roteret} af {len(ids)} borgere genkrypteret med den aktuelle CPR_KEY.")
