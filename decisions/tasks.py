import logging

from celery import shared_task

from . import bestilling
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
