from django.apps import AppConfig


class FlexjobConfig(AppConfig):
    name = "flexjob"
    verbose_name = "Fleksjob"
