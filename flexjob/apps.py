from django.apps import AppConfig


class FlexjobConfig(AppConfig):
    name = "flexjob"
    verbose_name = "Fleksjob"

    def ready(self) -> None:
        from decisions.lint import registrer_indholdsregel

        from . import services

        registrer_indholdsregel("arbejdsevnevurdering_fleksjob", services.indholdsregel)
