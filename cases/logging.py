import logging
import re

from .cpr import CPR_IN_TEXT_RE

UUID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def mask_text(text: str) -> str:
    """Mask CPR-shaped digits; digits inside a UUID (``ab123456-7890-...``) are an id, not a CPR."""
    uuids = [m.span() for m in UUID_RE.finditer(text)] if "-" in text else []

    def _mask(m: re.Match) -> str:
        if any(start <= m.start() < end for start, end in uuids):
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
