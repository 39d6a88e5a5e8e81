"""gunicorn settings read by every ``gunicorn`` started in the repository root (the image's too).

Only what the command line cannot say for everyone: the access and error logs mask CPR-shaped
values (docs/security.md §3.3). Bind address, workers and timeouts stay on the command line.
"""

logger_class = "infra.gunicorn_log.MaskeretLogger"
