from django.apps import AppConfig


class RehabConfig(AppConfig):
    name = "rehab"
    verbose_name = "Rehabilitering"

    def ready(self) -> None:
        from cases.selectors_ui import registrer_sidebidrag

        from . import borgerside, kilder, rules, services  # noqa: F401  (services registers the letter hooks)

        rules.register()
        kilder.registrer()
        registrer_sidebidrag(borgerside.BIDRAG)
