import logging

from .cpr import CPR_IN_TEXT_RE


def mask_text(text: str) -> str:
    return CPR_IN_TEXT_RE.sub(lambda m: f"{m.group(1)}-****", text)


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
