"""``manage.py demodata``: a fictitious municipality with teams, employees and citizens.

    manage.py demodata                      # Fjordby Kommune, 500 citizens
    manage.py demodata --borgere 50000 --kommuner 2 --seed 1
    manage.py demodata --if-empty           # used by make run: keeps existing data

The logic lives in :mod:`demo.demodata`; usernames and what is generated are documented there.
"""

from __future__ import annotations

from itertools import groupby

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import demodata

MAX_KOMMUNER = 50


class Command(BaseCommand):
    help = "Opretter fiktive demodata: kommune(r), jobcenter, teams, medarbejdere og borgere (alle fiktive)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--borgere",
            type=int,
            default=demodata.DEFAULT_BORGERE,
            help=f"antal fiktive borgere i alt (default {demodata.DEFAULT_BORGERE})",
        )
        parser.add_argument(
            "--kommuner", type=int, default=1, help="antal fiktive kommuner (default 1: Fjordby Kommune)"
        )
        parser.add_argument(
            "--sagsbehandlere-pr-team",
            type=int,
            default=3,
            dest="sagsbehandlere_pr_team",
            help="sagsbehandlere pr. team (default 3)",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=demodata.DEFAULT_SEED,
            help=f"seed for tilfældighedsgeneratoren (default {demodata.DEFAULT_SEED})",
        )
        parser.add_argument(
            "--forloeb-pr-sagsbehandler",
            type=int,
            default=8,
            dest="forloeb_pr_sagsbehandler",
            help="forløb pr. sagsbehandler i første kommune, bygget gennem de rigtige services (default 8; 0: ingen)",
        )
        parser.add_argument(
            "--if-empty", action="store_true", dest="if_empty", help="gør intet hvis der allerede findes en kommune"
        )

    def handle(self, *args, **options):
        if options["borgere"] < 0:
            raise CommandError("--borgere må ikke være negativ.")
        if not 1 <= options["kommuner"] <= MAX_KOMMUNER:
            raise CommandError(f"--kommuner skal være mellem 1 og {MAX_KOMMUNER}.")
        if options["sagsbehandlere_pr_team"] < 1:
            raise CommandError("--sagsbehandlere-pr-team skal være mindst 1.")
        if options["if_empty"] and demodata.har_data():
            self.stdout.write(
                "Der findes allerede data (mindst én kommune); demodata springes over. "
                "(Data exists already: nothing generated.)"
            )
            return
        try:
            resultat = demodata.generate(
                kommuner=options["kommuner"],
                borgere=options["borgere"],
                seed=options["seed"],
                sagsbehandlere_pr_team=options["sagsbehandlere_pr_team"],
                forloeb_pr_sagsbehandler=options["forloeb_pr_sagsbehandler"],
            )
        except demodata.DemodataExists as exc:
            raise CommandError(str(exc)) from None
        self._summary(resultat)

    def _summary(self, r: demodata.Resultat) -> None:
        a = r.antal
        self.stdout.write(
            self.style.SUCCESS(
                f"Demodata oprettet på {r.sekunder:.1f} s: {a['kommuner']} kommune(r), {a['teams']} teams, "
                f"{a['medarbejdere']} medarbejdere, {a['borgere']} fiktive borgere, "
                f"{a['paaroerende']} pårørende/bisiddere, {a['forloeb']} forløb, "
                f"{a['auditlog']} auditlog-rækker."
            )
        )
        if r.adgangskode_sat:
            self.stdout.write(f"Demo-logins (DEBUG), adgangskode: {settings.DEMO_PASSWORD}")
            for kommune, logins in groupby(r.logins, key=lambda login: login.kommune):
                self.stdout.write(f"  {kommune}:")
                for login in logins:
                    teams = f", {', '.join(login.teams)}" if login.rolle in ("sagsbehandler", "teamleder") else ""
                    self.stdout.write(f"    {login.username:<22} {login.rolle}{teams}")
        else:
            self.stdout.write(
                self.style.WARNING(
                    "DEBUG er slået fra: demo-brugerne har ingen brugbar adgangskode. Sæt en med "
                    "'manage.py changepassword sagsbehandler1' hvis de skal kunne logge ind. "
                    "(DEBUG is off: demo users cannot log in until given a password.)"
                )
            )
