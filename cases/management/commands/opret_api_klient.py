"""``manage.py opret_api_klient``: create (or deactivate) an API client bound to one municipality.

    manage.py opret_api_klient --navn "Vitas" --kommunekode 101 --scope forloeb:read --scope forloeb:write
    manage.py opret_api_klient --deaktiver 6f1c...

The token is random and printed exactly once; only its SHA-256 and its first 8 characters are
stored, so it cannot be shown again (a lost token means a new client). Creating and deactivating
a client is written to the audit log in the same transaction as the change.
"""

from __future__ import annotations

import uuid

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cases.api.auth import hash_token, ny_token
from cases.models import SCOPES, ApiKlient, Kommune
from infra import audit, context

KOMMANDO = "manage.py opret_api_klient"


class Command(BaseCommand):
    help = "Opret en API-klient for en kommune med de angivne rettigheder (scopes), eller deaktivér en klient."

    def add_arguments(self, parser):
        parser.add_argument("--navn", help="klientens navn, fx det eksterne systems navn")
        parser.add_argument("--kommunekode", help="kommunens 3-cifrede kommunekode, fx 101")
        parser.add_argument(
            "--scope",
            dest="scopes",
            action="append",
            default=[],
            help=f"rettighed (kan gentages): {', '.join(SCOPES)}",
        )
        parser.add_argument("--deaktiver", metavar="KLIENT_ID", help="deaktivér klienten med dette id (UUID)")

    def handle(self, *args, **options):
        with context.bound(context.RequestContext(kilde=KOMMANDO)):
            if options.get("deaktiver"):
                if options.get("navn") or options.get("kommunekode") or options.get("scopes"):
                    raise CommandError("--deaktiver kan ikke kombineres med --navn, --kommunekode eller --scope.")
                self._deaktiver(options["deaktiver"])
            else:
                self._opret(options)

    # -- create ----------------------------------------------------------------------------------
    def _opret(self, options) -> None:
        navn = (options.get("navn") or "").strip()
        if not navn:
            raise CommandError("Angiv klientens navn med --navn.")
        if len(navn) > ApiKlient._meta.get_field("navn").max_length:
            raise CommandError("Navnet er for langt (højst 100 tegn).")
        kode = (options.get("kommunekode") or "").strip()
        if not kode:
            raise CommandError("Angiv kommunen med --kommunekode.")
        kommune = Kommune.objects.filter(kommunekode=kode).first()
        if kommune is None:
            raise CommandError(f"Ukendt kommunekode {kode!r}: ingen kommune har den kode.")
        scopes = list(dict.fromkeys(s.strip() for s in options.get("scopes") or []))
        if not scopes:
            raise CommandError(f"Angiv mindst én rettighed med --scope ({', '.join(SCOPES)}).")
        ukendte = [s for s in scopes if s not in SCOPES]
        if ukendte:
            raise CommandError(
                f"Ukendt scope: {', '.join(repr(s) for s in ukendte)}. Gyldige scopes er: {', '.join(SCOPES)}."
            )

        token = ny_token()
        with transaction.atomic():
            klient = ApiKlient.objects.create(
                navn=navn, kommune=kommune, scopes=scopes, token_hash=hash_token(token), token_prefix=token[:8]
            )
            audit.record(
                actor=audit.SystemActor(KOMMANDO),
                handling="api_klient.opret",
                subject=klient,
                kommune_id=kommune.pk,
                efter={
                    "navn": navn,
                    "kommune": kommune.kommunekode,
                    "scopes": scopes,
                    "token_prefix": klient.token_prefix,
                },
            )

        self.stdout.write(f"API-klienten '{navn}' er oprettet for {kommune.navn} ({kommune.kommunekode}).")
        self.stdout.write(f"Klient-id: {klient.pk}")
        self.stdout.write(f"Scopes: {', '.join(scopes)}")
        self.stdout.write(f"Token: {token}")
        self.stdout.write(
            self.style.WARNING(
                "ADVARSEL: Tokenet vises kun denne ene gang og kan ikke vises igen. Gem det sikkert nu; "
                "mistes det, må der oprettes en ny klient."
            )
        )

    # -- deactivate ------------------------------------------------------------------------------
    def _deaktiver(self, raw_id: str) -> None:
        try:
            pk = uuid.UUID(str(raw_id))
        except ValueError:
            raise CommandError("--deaktiver skal være et klient-id (UUID).") from None
        with transaction.atomic():
            klient = ApiKlient.objects.select_for_update().filter(pk=pk).first()
            if klient is None:
                raise CommandError("Ingen API-klient med dette id.")
            if not klient.aktiv:
                self.stdout.write(f"API-klienten '{klient.navn}' er allerede deaktiveret.")
                return
            klient.aktiv = False
            klient.save(update_fields=["aktiv"])
            audit.record(
                actor=audit.SystemActor(KOMMANDO),
                handling="api_klient.deaktiver",
                subject=klient,
                kommune_id=klient.kommune_id,
                foer={"aktiv": True},
                efter={"aktiv": False},
            )
        self.stdout.write(f"API-klienten '{klient.navn}' ({klient.pk}) er deaktiveret.")
