"""gunicorn's own logs (access and error) with CPR-shaped values masked.

gunicorn configures its loggers itself, outside Django's ``LOGGING``; its access log writes the
request line with the query string (``GET /borgere/?cpr=0303851234``). ``gunicorn.conf.py`` at the
repository root (read by every ``gunicorn`` started there, the image's included) names this class.
"""

from __future__ import annotations

from gunicorn.glogging import Logger

from infra.logging import CprMaskingFilter


class MaskeretLogger(Logger):
    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                if not any(isinstance(f, CprMaskingFilter) for f in handler.filters):
                    handler.addFilter(CprMaskingFilter())
