from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = "Afgørelser"

    def ready(self) -> None:
        from . import (
            rules,  # noqa: F401  (registers guard rules on the forløb)
            services,  # noqa: F401  (registers the after-sending hooks)
        )
