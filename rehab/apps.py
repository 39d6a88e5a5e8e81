from django.apps import AppConfig


class RehabConfig(AppConfig):
    name = "rehab"
    verbose_name = "Rehabilitering"

    def ready(self) -> None:
        from cases.selectors_ui import registrer_sidebidrag
        from decisions.kilder import registrer_faktaforslag

        from . import borgerside, faktaforslag, kilder, rules, services  # noqa: F401  (services registers the letter hooks)

        rules.register()
        kilder.registrer()
        registrer_faktaforslag(faktaforslag.forslag)
        registrer_sidebidrag(borgerside.BIDRAG)
