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
            rules,  # noqa: F401  (registers guard rules on the forløb)
            services,  # noqa: F401  (registers the after-sending hooks)
        )

        cases_retention.registrer(retention.BIDRAG)
        registrer_sidebidrag(borgerside.BIDRAG)
