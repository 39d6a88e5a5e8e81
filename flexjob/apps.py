from django.apps import AppConfig


class FlexjobConfig(AppConfig):
    name = "flexjob"
    verbose_name = "Fleksjob"

    def ready(self) -> None:
        from cases import retention as cases_retention
        from decisions.lint import registrer_indholdsregel

        from . import retention, services

        registrer_indholdsregel("arbejdsevnevurdering_fleksjob", services.indholdsregel)
        cases_retention.registrer(retention.BIDRAG)
