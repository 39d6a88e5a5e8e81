import logging
import re

from infra.cpr import CPR_IN_TEXT_RE

UUID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# A UUID, or a hex checksum of 128 bits or more (a SHA-256 holds CPR-shaped digit runs now and then).
ID_RE = re.compile(rf"{UUID_RE.pattern}|(?<![0-9a-fA-F])[0-9a-fA-F]{{32,}}(?![0-9a-fA-F])")


def mask_text(text: str) -> str:
    """Mask CPR-shaped digits; digits inside a UUID (``ab123456-7890-...``) or a hex checksum are an
    id, not a CPR number."""
    ids = [m.span() for m in ID_RE.finditer(text)]

    def _mask(m: re.Match) -> str:
        if any(start <= m.start() < end for start, end in ids):
            return m.group(0)
        return f"{m.group(1)}-****"

    return CPR_IN_TEXT_RE.sub(_mask, text)


class CprMaskingFilter(logging.Filter):
    """Masks anything that looks like a CPR number in a log record, whoever logged it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken record is logged as is
            return True
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def masker_alle_handlere() -> None:
    """Put the CPR filter on every handler of every logger configured so far, not only on the
    ones ``LOGGING`` names: Django's ``django.server`` (runserver's request lines, with query
    strings) keeps its own handler, and Celery installs its own on the root logger."""
    loggers = [logging.getLogger(), *(lg for lg in logging.Logger.manager.loggerDict.values()
                                      if isinstance(lg, logging.Logger))]  # fmt: skip
    for logger in loggers:
        for handler in logger.handlers:
            if not any(isinstance(f, CprMaskingFilter) for f in handler.filters):
                handler.addFilter(CprMaskingFilter())


def installer_maskering() -> None:
    """Mask every log record when it is created (``logging.setLogRecordFactory``): then no handler
    can write a CPR, whoever configured it and whenever (gunicorn's own loggers, Celery's, a
    library's, a logging set-up run again later). Idempotent."""
    forrige = logging.getLogRecordFactory()
    if getattr(forrige, "cpr_maskeret", False):
        return
    maskering = CprMaskingFilter()

    def fabrik(*args, **kwargs) -> logging.LogRecord:
        record = forrige(*args, **kwargs)
        maskering.filter(record)
        return record

    fabrik.cpr_maskeret = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(fabrik)
