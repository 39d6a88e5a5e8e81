from django.apps import AppConfig


class CasesConfig(AppConfig):
    """The core domain: organisation, citizens, the forløb, deadlines, rules and the rule catalogue."""

    name = "cases"
    verbose_name = "Sager"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the core's guard rules on the transitions)
