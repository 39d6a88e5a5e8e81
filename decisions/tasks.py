import logging

from celery import shared_task

from . import bestilling, forsendelse
from .models import Dokument

logger = logging.getLogger(__name__)


@shared_task(name="decisions.render_pdf", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def render_pdf(dokument_id: str) -> str:
    """Render an issued document's PDF once, then carry out a send ordered while it was rendered
    (``decisions.bestilling``); a second run finds the hash and no order, and does nothing."""
    try:
        return bestilling.dokument_pdf_dan(dokument_id).pdf_sha256
    except Dokument.DoesNotExist:  # the issuing transaction never committed (or a test database was flushed)
        logger.warning("PDF-dannelse: dokument %s findes ikke", dokument_id)
        return ""


@shared_task(
    name="decisions.digitalpost_send",
    bind=True,
    autoretry_for=(forsendelse.ProevIgen,),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=None,  # the attempts are counted on the delivery (DIGITAL_POST_MAX_FORSOEG), then physical post
)
def digitalpost_send(self, forsendelse_id: str) -> str:
    """After the sending transaction commits: hand a Digital Post letter over (decisions/forsendelse.py)."""
    try:
        return forsendelse.send_digitalt(forsendelse_id)
    except forsendelse.Forsendelse.DoesNotExist:  # the sending transaction never committed
        return ""


@shared_task(name="decisions.digitalpost_sweep")
def digitalpost_sweep() -> dict:
    """Beat: hand over ordered letters whose task was lost, fetch pending receipts."""
    resultat = forsendelse.sweep()
    logger.info("digital post sweep: %s", resultat)
    return resultat
