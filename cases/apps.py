from django.apps import AppConfig


class CasesConfig(AppConfig):
    """The core domain: organisation, citizens, the forløb, deadlines, rules and the rule catalogue."""

    name = "cases"
    verbose_name = "Sager"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import overgange, rules, tilbud_side  # noqa: F401  (rules registers the core's guard rules on the transitions)
        from .models import ApiKlient
        from .selectors_ui import registrer_sidebidrag
        from .tokencache import glem_klient

        # A deactivated or changed API client's cached token is forgotten at once (cases/tokencache.py).
        post_save.connect(glem_klient, sender=ApiKlient, dispatch_uid="glem_api_klient")
        post_delete.connect(glem_klient, sender=ApiKlient, dispatch_uid="glem_api_klient_slettet")

        # Every transition of the state machine has exactly one spec, and they agree: else no start.
        overgange.kontroller()
        registrer_sidebidrag(tilbud_side.BIDRAG)
