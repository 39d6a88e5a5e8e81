from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Sager"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
