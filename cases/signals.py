"""Events the core publishes to the apps above it, which subscribe in their ``AppConfig.ready``.

The core never imports those apps (docs/architecture.md). Receivers run synchronously inside the
transaction of the change that caused the event: they may only write rows (the webhooks app writes
one delivery row per subscription) and schedule work with ``transaction.on_commit``.
"""

from django.dispatch import Signal

#: A domain event for integrating systems. Keyword arguments: ``haendelse`` (kind, e.g.
#: ``afgoerelse.udstedt``), ``kommune_id``, ``data`` (ids and masked values only), ``noegle`` (what the
#: event is about: the same kind and key is one event however often it is sent) and ``tidspunkt``
#: (when it happened, or None for now).
domaenehaendelse = Signal()

#: A transition was committed; sent by the after-commit task with ``log_id`` (an ``OvergangLog`` id).
overgang_udfoert = Signal()

#: The deadline sweep marked deadlines overdue; ``markeret`` is the timestamp written on each of them.
frister_overskredet = Signal()


def udgiv(*, haendelse: str, kommune_id, data: dict, noegle=None, tidspunkt=None) -> None:
    """Publish a domain event (call inside the transaction of the change)."""
    domaenehaendelse.send(
        sender=None, haendelse=haendelse, kommune_id=kommune_id, data=data, noegle=noegle, tidspunkt=tidspunkt
    )
