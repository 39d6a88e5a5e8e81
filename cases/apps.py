from django.apps import AppConfig


class CasesConfig(AppConfig):
    """The core domain: organisation, citizens, the forløb, deadlines, rules and the rule catalogue."""

    name = "cases"
    verbose_name = "Sager"

    def ready(self) -> None:
        from . import overgange, rules, tilbud_side  # noqa: F401  (rules registers the core's guard rules on the transitions)
        from .selectors_ui import registrer_sidebidrag

        # Every transition of the state machine has exactly one spec, and they agree: else no start.
        overgange.kontroller()
        registrer_sidebidrag(tilbud_side.BIDRAG)
