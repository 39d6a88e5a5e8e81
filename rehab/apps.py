from django.apps import AppConfig


class RehabConfig(AppConfig):
    name = "rehab"
    verbose_name = "Rehabilitering"

    def ready(self) -> None:
        from . import rules, services  # noqa: F401  (services registers the letter hooks)

        rules.register()
