from celery import shared_task

from . import services


@shared_task(name="decisions.render_pdf", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def render_pdf(dokument_id: str) -> str:
    """Render an issued document's PDF once; a second run finds the hash and does nothing."""
    return services.dokument_render_pdf(dokument_id).pdf_sha256
