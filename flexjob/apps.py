from django.apps import AppConfig


class FlexjobConfig(AppConfig):
    name = "flexjob"
    verbose_name = "Fleksjob"

    def ready(self) -> None:
        from cases import retention as cases_retention
        from decisions import udvidelser
        from decisions.lint import registrer_indholdsregel
        from decisions.models import DokumentType

        from . import kilder, retention, services, vurdering_spoergsmaal

        T = DokumentType
        registrer_indholdsregel(T.ARBEJDSEVNEVURDERING_FLEKSJOB, services.indholdsregel)
        registrer_indholdsregel(T.FLEKSJOB_VISITATION, services.visitation_indholdsregel)
        vurdering_spoergsmaal.registrer_spoergsmaal()
        # The visitation decision is the visitation; a discarded draft assessment goes with its decision.
        udvidelser.efter_udstedelse(T.FLEKSJOB_VISITATION)(services.visitation_ved_udstedelse)
        udvidelser.foer_kassering(T.ARBEJDSEVNEVURDERING_FLEKSJOB)(services.vurdering_kasseres)
        kilder.registrer()
        cases_retention.registrer(retention.BIDRAG)
