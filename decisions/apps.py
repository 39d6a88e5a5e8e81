from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = "Afgørelser"

    def ready(self) -> None:
        from cases import retention as cases_retention
        from cases.selectors_ui import registrer_sidebidrag

        from . import (
            borgerside,
            retention,
            rules,
            services,  # noqa: F401  (registers the after-sending hooks)
        )

        # Every decision type a transition's spec names is a real decision: else no start.
        rules.kontroller()
        rules.registrer()
        cases_retention.registrer(retention.BIDRAG)
        registrer_sidebidrag(borgerside.BIDRAG)
