from django.apps import AppConfig


def _paa_domaenehaendelse(**kwargs) -> None:
    from . import services

    services.paa_domaenehaendelse(**kwargs)


def _paa_overgang(*, log_id, **kwargs) -> None:
    from . import services

    services.udsend_overgang(log_id)


def _paa_frister_overskredet(*, markeret, **kwargs) -> None:
    from . import services

    services.udsend_overskredne(markeret)


class WebhooksConfig(AppConfig):
    """Signed, retried webhook deliveries of the core's domain events to API clients."""

    name = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from cases import retention as cases_retention
        from cases import signals

        from . import retention

        cases_retention.registrer(retention.BIDRAG)

        # The receivers look the service functions up when called, so a test or the fault harness
        # may replace them.
        signals.domaenehaendelse.connect(_paa_domaenehaendelse, dispatch_uid="webhooks.domaene")
        signals.overgang_udfoert.connect(_paa_overgang, dispatch_uid="webhooks.overgang")
        signals.frister_overskredet.connect(_paa_frister_overskredet, dispatch_uid="webhooks.frister")
