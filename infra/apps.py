from django.apps import AppConfig


class InfraConfig(AppConfig):
    """Shared infrastructure: audit log, CPR, request context, logging, clock, the API toolkit."""

    name = "infra"
    verbose_name = "Infrastruktur"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
        from .logging import masker_alle_handlere

        masker_alle_handlere()
