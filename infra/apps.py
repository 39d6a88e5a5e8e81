from django.apps import AppConfig


class InfraConfig(AppConfig):
    """Shared infrastructure: audit log, CPR, request context, logging, clock, the API toolkit."""

    name = "infra"
    verbose_name = "Infrastruktur"

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from . import checks  # noqa: F401  (registers the system checks)
        from .datograenser import tjek_datoer
        from .logging import installer_maskering, masker_alle_handlere

        installer_maskering()
        masker_alle_handlere()
        pre_save.connect(tjek_datoer, dispatch_uid="infra.datograenser")
